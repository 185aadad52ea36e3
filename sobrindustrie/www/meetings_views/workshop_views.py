"""Workshop 1 live: the companies in the room and what each said, then the webinar topics drawn from it.

The consultants of the programme (and platform staff) type; ADEME reads. Each company's row is a
small form of its own, saved without reloading the page when HTMX is there (its block is swapped),
and as an ordinary form post otherwise. Rows and topics carry the version they were opened with:
a save over someone else's newer one is refused, with what was typed kept on the form.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from sobrindustrie.core.enums import Solution
from sobrindustrie.core.models import ConcurrentEditError
from sobrindustrie.meetings.models import Meeting
from sobrindustrie.meetings.perms import can_manage_meetings
from sobrindustrie.meetings.workshop import (
    CompanyRow,
    is_workshop_1,
    participants,
    propose_topics,
    save_contribution,
    save_topic,
)
from sobrindustrie.www.meetings_views.common import managed_meeting, overseen_meeting
from sobrindustrie.www.meetings_views.workshop_forms import ContributionForm, TopicForm

CAPTURE = "www/meetings/workshop_capture.html"
TOPICS = "www/meetings/workshop_topics.html"


def _workshop(meeting: Meeting) -> Meeting:
    if not is_workshop_1(meeting):
        raise Http404
    return meeting


def workshop_capture(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = _workshop(overseen_meeting(request, pk))
    rows = participants(meeting)
    context = {
        "meeting": meeting,
        "programme": meeting.programme,
        "rows": rows,
        "typed": sum(1 for row in rows if row.contribution and not row.contribution.is_empty),
        "can_manage": can_manage_meetings(request.user, meeting.programme),  # type: ignore[arg-type]
        "page_title": _("Workshop 1 live: %(title)s") % {"title": meeting.title},
    }
    return render(request, CAPTURE, context)


def _row(meeting: Meeting, organisation_pk: int) -> CompanyRow:
    for row in participants(meeting):
        if row.organisation.pk == organisation_pk:
            return row
    raise Http404


def workshop_contribution(request: HttpRequest, pk: int, organisation_pk: int) -> HttpResponse:
    """One company's row: its form (a block of the page with HTMX, a page without), and its save."""
    meeting = _workshop(managed_meeting(request, pk))
    row = _row(meeting, organisation_pk)
    form = ContributionForm(request.POST if request.method == "POST" else None, contribution=row.contribution)
    if request.method == "POST" and form.is_valid():
        try:
            row.contribution = save_contribution(
                meeting,
                row.organisation,
                form.values(),
                form.cleaned_data["expected_version"],
                request.user,  # type: ignore[arg-type]
            )
        except ConcurrentEditError as error:
            form.add_error(None, str(error))
        else:
            if request.htmx:  # type: ignore[attr-defined]
                return render(
                    request,
                    f"{CAPTURE}#company",
                    {"row": row, "meeting": meeting, "can_manage": True, "saved": True},
                )
            messages.success(request, _("Row of %(company)s saved.") % {"company": row.organisation.name})
            return redirect(
                reverse("www:workshop_capture", args=[meeting.pk]) + f"#company-{row.organisation.pk}"
            )
    context = {
        "meeting": meeting,
        "programme": meeting.programme,
        "row": row,
        "form": form,
        "page_title": _("Workshop 1: %(company)s") % {"company": row.organisation.name},
    }
    template = f"{CAPTURE}#company_form" if request.htmx else "www/meetings/workshop_company.html"  # type: ignore[attr-defined]
    response = render(request, template, context)
    if request.method == "POST" and not request.htmx:  # type: ignore[attr-defined]
        response.status_code = 422
    return response


def _topic_items(meeting: Meeting, manage: bool, bound: dict[str, TopicForm] | None = None) -> list[Any]:
    items = []
    for proposal in propose_topics(meeting):
        form = None
        if manage:
            form = (bound or {}).get(proposal.theme) or TopicForm.for_proposal(
                proposal.title, proposal.description, proposal.topic, prefix=proposal.theme
            )
        items.append((proposal, form))
    return items


def webinar_topics(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = _workshop(overseen_meeting(request, pk))
    manage = can_manage_meetings(request.user, meeting.programme)  # type: ignore[arg-type]
    return render(request, TOPICS, _topics_context(meeting, manage))


def _topics_context(
    meeting: Meeting, manage: bool, bound: dict[str, TopicForm] | None = None
) -> dict[str, Any]:
    items = _topic_items(meeting, manage, bound)
    return {
        "meeting": meeting,
        "programme": meeting.programme,
        "items": items,
        "validated": sum(1 for proposal, _form in items if proposal.is_validated),
        "can_manage": manage,
        "page_title": _("Webinar topics from workshop 1"),
    }


@require_POST
def webinar_topic_save(request: HttpRequest, pk: int, theme: str) -> HttpResponse:
    meeting = _workshop(managed_meeting(request, pk))
    if theme not in Solution.values:
        raise Http404
    form = TopicForm(request.POST, prefix=theme)
    validate = request.POST.get("action") == "validate"
    if form.is_valid():
        data = form.cleaned_data
        try:
            topic = save_topic(
                meeting,
                theme,
                data["title"].strip(),
                data["description"].strip(),
                validate,
                data["expected_version"],
                request.user,  # type: ignore[arg-type]
            )
        except ConcurrentEditError as error:
            form.add_error(None, str(error))
        else:
            done = (
                _("Topic “%(title)s” validated.")
                if topic.is_validated
                else _("Topic “%(title)s” saved as a proposal.")
            )
            messages.success(request, done % {"title": topic.title})
            return redirect(reverse("www:webinar_topics", args=[meeting.pk]) + f"#topic-{theme}")
    response = render(request, TOPICS, _topics_context(meeting, True, {theme: form}))
    response.status_code = 422
    return response
