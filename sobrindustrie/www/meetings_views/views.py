"""Meetings: list, month calendar, page, form, invitations, attendance, documents, minutes and their
workflow, the decision record, .ics downloads and the personal calendar feed."""

from __future__ import annotations

import calendar
import datetime as dt
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Count, Q
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from sobrindustrie.accounts.access import Capability
from sobrindustrie.core.history import history_entries
from sobrindustrie.core.models import ConcurrentEditError
from sobrindustrie.core.uploads import serve_stored
from sobrindustrie.deliverables.document.docx import DOCX_CONTENT_TYPE, render_docx
from sobrindustrie.deliverables.document.html import render_pdf
from sobrindustrie.engines.calendar import is_public_holiday
from sobrindustrie.engines.obligations import default_catalogue
from sobrindustrie.meetings import exports, services
from sobrindustrie.meetings.enums import (
    SURVEY_KINDS,
    DecisionStatus,
    MeetingKind,
    MeetingStatus,
    MinutesStatus,
)
from sobrindustrie.meetings.ics import calendar_bytes, meeting_ics
from sobrindustrie.meetings.models import CalendarFeed, Decision, Invitation, Meeting, Minutes, Survey
from sobrindustrie.meetings.perms import (
    can_manage_meetings,
    can_oversee,
    can_read_minutes,
    can_validate_minutes,
)
from sobrindustrie.meetings.results import survey_results
from sobrindustrie.meetings.workflow import TransitionError, available_transitions
from sobrindustrie.www.access import programme_for
from sobrindustrie.www.meetings_views.comment_views import comments_context
from sobrindustrie.www.meetings_views.common import (
    managed_meeting,
    overseen_meeting,
    visible_meeting,
)
from sobrindustrie.www.meetings_views.forms import (
    AttendanceForm,
    DecisionForm,
    DecisionStatusForm,
    DocumentForm,
    MeetingFilterForm,
    MeetingForm,
    MinutesForm,
    TransitionForm,
)

#: Meeting kinds whose minutes fall under the 5-working-day rule (read from the obligations catalogue).
MINUTES_KINDS = frozenset(default_catalogue().get("MINUTES_WITHIN_5_WORKING_DAYS").meetings.kinds)  # type: ignore[union-attr]


# --- List and calendar ---------------------------------------------------------------------------


MEETINGS_PER_PAGE = 25


def meeting_list(request: HttpRequest, slug: str) -> HttpResponse:
    programme = programme_for(request, slug)
    filters = MeetingFilterForm(request.GET or None)
    meetings = (
        Meeting.objects.visible_to(request.user)  # type: ignore[arg-type]
        .for_programme(programme)
        .select_related("minutes", "survey")
        .annotate(invitee_count=Count("invitations", distinct=True))
        .order_by("-starts_at", "-pk")
    )
    if filters.is_valid():
        if filters.cleaned_data["kind"]:
            meetings = meetings.filter(kind=filters.cleaned_data["kind"])
        month = filters.cleaned_data["month"]
        if month:
            meetings = meetings.in_month(month.year, month.month)
    # Paged: a programme holds hundreds of meetings (tests/e2e/test_large_pages.py keeps it light).
    page = Paginator(meetings, MEETINGS_PER_PAGE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "programme": programme,
        "meetings": page.object_list,
        "page": page,
        "query": f"{query.urlencode()}&" if query else "",
        "filters": filters,
        "can_manage": can_manage_meetings(request.user, programme),  # type: ignore[arg-type]
        "can_oversee": can_oversee(request.user, programme),  # type: ignore[arg-type]
        "page_title": _("Meetings"),
    }
    template = "www/meetings/list.html#results" if request.htmx else "www/meetings/list.html"  # type: ignore[attr-defined]
    return render(request, template, context)


def _month(request: HttpRequest) -> tuple[int, int]:
    text = request.GET.get("mois", "")
    try:
        parsed = dt.datetime.strptime(text, "%Y-%m")
    except ValueError:
        today = timezone.localdate()
        return today.year, today.month
    return parsed.year, parsed.month


def meeting_calendar(request: HttpRequest, slug: str) -> HttpResponse:
    """A month grid, Monday first, server-rendered as an accessible table."""
    programme = programme_for(request, slug)
    year, month = _month(request)
    meetings = (
        Meeting.objects.visible_to(request.user)
        .for_programme(programme)
        .in_month(year, month)
        .order_by("starts_at")  # type: ignore[arg-type]
    )
    by_day: dict[dt.date, list[Meeting]] = {}
    for meeting in meetings:
        by_day.setdefault(meeting.starts_on, []).append(meeting)
    today = timezone.localdate()
    weeks = [
        [
            {
                "date": day,
                "in_month": day.month == month,
                "is_today": day == today,
                "is_holiday": is_public_holiday(day),
                "meetings": by_day.get(day, []),
            }
            for day in week
        ]
        for week in calendar.Calendar(firstweekday=0).monthdatescalendar(year, month)
    ]
    first = dt.date(year, month, 1)
    previous_month = (first - dt.timedelta(days=1)).strftime("%Y-%m")
    next_month = (first + dt.timedelta(days=32)).strftime("%Y-%m")
    context = {
        "programme": programme,
        "weeks": weeks,
        "month_start": first,
        "previous_month": previous_month,
        "next_month": next_month,
        "weekdays": [dt.date(2024, 1, day) for day in range(1, 8)],  # 1 January 2024 was a Monday
        "can_manage": can_manage_meetings(request.user, programme),  # type: ignore[arg-type]
        "page_title": _("Meeting calendar"),
    }
    return render(request, "www/meetings/calendar.html", context)


# --- Create and edit -----------------------------------------------------------------------------


def _save_meeting(request: HttpRequest, form: MeetingForm) -> Meeting | None:
    if not form.is_valid():
        return None
    try:
        with transaction.atomic():
            meeting: Meeting = form.save(commit=False)
            if not meeting.pk:
                meeting.created_by = request.user  # type: ignore[assignment]
            form.save()
            services.set_invitees(meeting, form.cleaned_data["invitees"])
    except ConcurrentEditError:
        return None
    except ValidationError as error:
        form.add_error(None, error)
        return None
    if send := request.POST.get("send"):
        sent = services.send_invitations(meeting, only_new=send != "all")
        messages.success(request, _("Meeting saved; %(count)d invitation(s) sent.") % {"count": sent})
    else:
        messages.success(request, _("Meeting saved."))
    return meeting


def meeting_create(request: HttpRequest, slug: str) -> HttpResponse:
    programme = programme_for(request, slug, Capability.MANAGE_PROGRAMME)
    initial = {}
    if kind := request.GET.get("kind"):
        initial["kind"] = kind
    form = MeetingForm(
        request.POST or None, programme=programme, instance=Meeting(programme=programme), initial=initial
    )
    if request.method == "POST" and (meeting := _save_meeting(request, form)):
        return redirect(meeting)
    context = {"form": form, "programme": programme, "page_title": _("New meeting")}
    return render(request, "www/meetings/form.html", context)


def meeting_edit(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = managed_meeting(request, pk)
    form = MeetingForm(request.POST or None, programme=meeting.programme, instance=meeting)
    if request.method == "POST" and (saved := _save_meeting(request, form)):
        return redirect(saved)
    context = {
        "form": form,
        "meeting": meeting,
        "programme": meeting.programme,
        "page_title": _("Edit %(title)s") % {"title": meeting.title},
    }
    return render(request, "www/meetings/form.html", context)


@require_POST
def meeting_send_invitations(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = managed_meeting(request, pk)
    if meeting.status == MeetingStatus.CANCELLED:
        messages.error(request, _("This meeting is cancelled: no invitation was sent."))
        return redirect(meeting)
    sent = services.send_invitations(meeting, only_new=request.POST.get("all") != "1")
    if sent:
        messages.success(request, _("%(count)d invitation(s) sent with the .ics file.") % {"count": sent})
    else:
        messages.warning(request, _("Every invitee has already received the invitation."))
    return redirect(meeting)


# --- Meeting page --------------------------------------------------------------------------------


def _detail_context(request: HttpRequest, meeting: Meeting, **forms: Any) -> dict[str, Any]:
    user = request.user
    programme = meeting.programme
    manage = can_manage_meetings(user, programme)  # type: ignore[arg-type]
    oversee = can_oversee(user, programme)  # type: ignore[arg-type]
    minutes = Minutes.objects.filter(meeting=meeting).first()
    if minutes is not None:
        meeting.minutes = minutes  # spare a query in can_read_minutes and the templates
    read_minutes = minutes is not None and can_read_minutes(user, meeting)  # type: ignore[arg-type]
    survey = Survey.objects.filter(meeting=meeting).first()
    show_results = survey is not None and (oversee or read_minutes)
    invitations = list(meeting.invitations.select_related("user__organisation"))
    context = {
        "meeting": meeting,
        "programme": programme,
        "page_title": meeting.title,
        "can_manage": manage,
        "can_oversee": oversee,
        "can_validate": can_validate_minutes(user, programme),  # type: ignore[arg-type]
        "invitations": invitations,
        "my_invitation": next((i for i in invitations if i.user_id == user.pk), None),
        "guests": meeting.guests.all(),
        "documents": meeting.documents.all(),
        "minutes": minutes if read_minutes else None,
        "minutes_exist": minutes is not None,
        "minutes_due_on": meeting.minutes_due_on,
        "minutes_rule_applies": meeting.kind in MINUTES_KINDS,
        "transitions": available_transitions(minutes, user) if minutes and oversee else [],  # type: ignore[arg-type]
        "minutes_log": minutes.log.select_related("user") if minutes and oversee else [],
        "decisions": Decision.objects.filter(meeting=meeting).select_related("owner")
        if read_minutes or oversee
        else [],
        "carried": Decision.objects.carried_into(meeting).select_related("owner", "meeting")
        if oversee
        else [],
        "closed_here": Decision.objects.filter(closed_at_meeting=meeting).exclude(meeting=meeting)
        if oversee
        else [],
        "survey": survey,
        "survey_possible": meeting.kind in SURVEY_KINDS,
        "results": survey_results(survey) if show_results else None,
        "is_event": meeting.kind == MeetingKind.RESTITUTION_EVENT,
        "is_workshop_1": meeting.kind == MeetingKind.WORKSHOP_1,
        "decision_statuses": DecisionStatus.choices,
        "decision_form": forms.get("decision_form")
        or (DecisionForm(meeting=meeting, prefix="decision") if manage else None),
        "document_form": forms.get("document_form") or (DocumentForm(prefix="document") if manage else None),
        "transition_form": forms.get("transition_form") or TransitionForm(prefix="transition"),
        "history": history_entries(meeting) if oversee else [],
    }
    if read_minutes:
        minutes.meeting = meeting  # type: ignore[union-attr]
        context |= comments_context(request, minutes)  # type: ignore[arg-type]
    return context


def meeting_detail(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = visible_meeting(request, pk)
    return render(request, "www/meetings/detail.html", _detail_context(request, meeting))


def meeting_ics_download(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = visible_meeting(request, pk)
    response = HttpResponse(meeting_ics(meeting), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="reunion-{meeting.pk}.ics"'
    return response


def meeting_attendance(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = managed_meeting(request, pk)
    invitations = list(meeting.invitations.select_related("user__organisation"))
    form = AttendanceForm(request.POST or None, invitations=invitations)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        services.record_attendance(
            meeting, form.statuses(), [(data["guest_name"], data["guest_organisation"])]
        )
        messages.success(request, _("Attendance saved."))
        return redirect("www:meeting_attendance", pk=meeting.pk)
    context = {
        "meeting": meeting,
        "programme": meeting.programme,
        "form": form,
        "guests": meeting.guests.all(),
        "page_title": _("Attendance: %(title)s") % {"title": meeting.title},
    }
    return render(request, "www/meetings/attendance.html", context)


# --- Documents -----------------------------------------------------------------------------------


@require_POST
def document_add(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = managed_meeting(request, pk)
    form = DocumentForm(request.POST, request.FILES, prefix="document")
    if not form.is_valid():
        return render(
            request, "www/meetings/detail.html", _detail_context(request, meeting, document_form=form)
        )
    data = form.cleaned_data
    document = services.add_document(meeting, request.user, data["title"], data["file"])  # type: ignore[arg-type]
    messages.success(request, _("Document “%(title)s” added.") % {"title": document.title})
    return redirect(reverse("www:meeting_detail", args=[meeting.pk]) + "#documents")


def document_download(request: HttpRequest, pk: int, document_pk: int) -> FileResponse:
    meeting = visible_meeting(request, pk)
    document = get_object_or_404(meeting.documents, pk=document_pk)
    return serve_stored(document.file, document.filename)


@require_POST
def document_delete(request: HttpRequest, pk: int, document_pk: int) -> HttpResponse:
    meeting = managed_meeting(request, pk)
    document = get_object_or_404(meeting.documents, pk=document_pk)
    document.delete()
    messages.success(request, _("Document deleted."))
    return redirect(reverse("www:meeting_detail", args=[meeting.pk]) + "#documents")


# --- Minutes -------------------------------------------------------------------------------------


def minutes_edit(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = managed_meeting(request, pk)
    minutes = services.minutes_for(meeting)
    if not minutes.is_editable:
        messages.error(
            request,
            _("Minutes that are “%(status)s” cannot be edited; withdraw them first.")
            % {"status": minutes.get_status_display()},
        )
        return redirect(minutes)
    if not minutes.body and request.method != "POST":
        minutes.body = _minutes_template(meeting)
    form = MinutesForm(request.POST or None, instance=minutes)
    if request.method == "POST" and form.save_if_valid():
        messages.success(request, _("Minutes saved."))
        return redirect(minutes)
    context = {
        "meeting": meeting,
        "programme": meeting.programme,
        "minutes": minutes,
        "form": form,
        "page_title": _("Minutes of %(title)s") % {"title": meeting.title},
    }
    return render(request, "www/meetings/minutes_form.html", context)


def _minutes_template(meeting: Meeting) -> str:
    """A first draft following the agenda, so that minutes keep the shape ADEME reads every time."""
    return "\n".join(
        [
            f"# {_('Context and objectives')}",
            "",
            f"# {_('Discussions')}",
            "",
            meeting.agenda,
            "",
            f"# {_('Next steps')}",
            "",
        ]
    )


@require_POST
def minutes_transition(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    meeting = overseen_meeting(request, pk)
    minutes = get_object_or_404(Minutes, meeting=meeting)
    form = TransitionForm(request.POST, prefix="transition")
    comment = form.data.get("transition-comment", "")
    try:
        services.apply_transition(minutes, action, request.user, comment)  # type: ignore[arg-type]
    except TransitionError as error:
        messages.error(request, str(error))
        form.is_valid()
        form.add_error("comment", str(error))
        return render(
            request,
            "www/meetings/detail.html",
            _detail_context(request, meeting, transition_form=form),
            status=200,
        )
    done = {
        "submit": _("Minutes submitted to ADEME."),
        "withdraw": _("Minutes withdrawn: you may edit them again."),
        "validate": _("Minutes validated."),
        "return": _("Minutes returned to the consultants."),
    }
    messages.success(request, done[action])
    return redirect(minutes)


def minutes_pending(request: HttpRequest, slug: str) -> HttpResponse:
    """ADEME's desk: minutes awaiting validation, and minutes late or still due."""
    programme = programme_for(request, slug, Capability.OVERSEE_PROGRAMME)
    submitted = (
        Minutes.objects.filter(meeting__programme=programme, status=MinutesStatus.SUBMITTED)
        .select_related("meeting")
        .order_by("submitted_at")
    )
    today = timezone.localdate()
    missing = list(
        Meeting.objects.filter(
            programme=programme,
            status=MeetingStatus.HELD,
            kind__in=MINUTES_KINDS,
            starts_at__lte=timezone.now(),
        )
        .filter(Q(minutes__isnull=True) | Q(minutes__first_submitted_at__isnull=True))
        .select_related("minutes")
        .order_by("starts_at")
    )
    returned = Minutes.objects.filter(
        meeting__programme=programme, status=MinutesStatus.RETURNED
    ).select_related("meeting")
    context = {
        "programme": programme,
        "submitted": submitted,
        "missing": missing,
        "returned": returned,
        "today": today,
        "can_validate": can_validate_minutes(request.user, programme),  # type: ignore[arg-type]
        "page_title": _("Minutes to validate"),
    }
    return render(request, "www/meetings/minutes_pending.html", context)


def minutes_export(request: HttpRequest, pk: int, fmt: str) -> HttpResponse:
    meeting = visible_meeting(request, pk)
    minutes = get_object_or_404(Minutes, meeting=meeting)
    meeting.minutes = minutes  # type: ignore[assignment]
    if not can_read_minutes(request.user, meeting) or fmt not in ("pdf", "docx"):  # type: ignore[arg-type]
        raise Http404
    context = {
        "meeting": meeting,
        "minutes": minutes,
        "invitations": meeting.invitations.select_related("user__organisation"),
        "guests": meeting.guests.all(),
        "decisions": Decision.objects.filter(meeting=meeting).select_related("owner"),
        "results": survey_results(survey)
        if (survey := Survey.objects.filter(meeting=meeting).first())
        else None,
    }
    document = exports.minutes_document(context)
    if fmt == "pdf":
        content, content_type = render_pdf(document), "application/pdf"
    else:
        content, content_type = render_docx(document), DOCX_CONTENT_TYPE
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="compte-rendu-{meeting.pk}.{fmt}"'
    return response


# --- Decision record -----------------------------------------------------------------------------


@require_POST
def decision_add(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = managed_meeting(request, pk)
    form = DecisionForm(request.POST, meeting=meeting, prefix="decision")
    if not form.is_valid():
        return render(
            request, "www/meetings/detail.html", _detail_context(request, meeting, decision_form=form)
        )
    decision = services.record_decision(form.save(commit=False))
    messages.success(
        request,
        _("%(kind)s %(ref)s recorded.") % {"kind": decision.get_kind_display(), "ref": decision.reference},
    )
    return redirect(reverse("www:meeting_detail", args=[meeting.pk]) + "#decisions")


@require_POST
def decision_status(request: HttpRequest, pk: int, decision_pk: int) -> HttpResponse:
    """Close (done, dropped) or reopen a decision of this programme at this meeting."""
    meeting = managed_meeting(request, pk)
    decision = get_object_or_404(Decision.objects.filter(programme=meeting.programme), pk=decision_pk)
    form = DecisionStatusForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose a valid status."))
    else:
        try:
            services.set_decision_status(
                decision, form.cleaned_data["status"], meeting, form.cleaned_data["expected_version"]
            )
        except ConcurrentEditError as error:
            messages.error(request, str(error))
        else:
            messages.success(
                request,
                _("%(ref)s is now “%(status)s”.")
                % {"ref": decision.reference, "status": decision.get_status_display()},
            )
    return redirect(reverse("www:meeting_detail", args=[meeting.pk]) + "#decisions")


# --- Calendar feed -------------------------------------------------------------------------------


def my_calendar(request: HttpRequest) -> HttpResponse:
    """Manage one's secret calendar address: create, renew (the old one stops working), revoke."""
    if request.method == "POST":
        action = request.POST.get("action")
        if action == "revoke":
            services.revoke_feed(request.user)  # type: ignore[arg-type]
            messages.success(request, _("Your calendar address is revoked: it no longer works."))
        elif action == "renew":
            services.renew_feed(request.user)  # type: ignore[arg-type]
            messages.success(
                request, _("A new calendar address was created; the previous one no longer works.")
            )
        return redirect("www:my_calendar")
    feed = services.feed_for(request.user)
    context = {
        "feed": feed,
        "feed_url": request.build_absolute_uri(feed.get_absolute_url()) if feed else "",
        "upcoming": Meeting.objects.filter(invitations__user=request.user)
        .upcoming()
        .select_related("programme")[:10],
        "page_title": _("My calendar"),
    }
    return render(request, "www/meetings/my_calendar.html", context)


@login_not_required
def calendar_feed(request: HttpRequest, token: str) -> HttpResponse:
    """The meetings one is invited to, as an iCalendar feed; the secret token is the only credential."""
    feed = get_object_or_404(CalendarFeed.objects.select_related("user"), token=token, user__is_active=True)
    since = timezone.now() - dt.timedelta(days=365)
    meetings = Meeting.objects.filter(
        pk__in=Invitation.objects.filter(user=feed.user).values("meeting_id"), starts_at__gte=since
    ).order_by("starts_at")
    body = calendar_bytes(meetings, name=_("Sobr'Industrie — my meetings"))
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Cache-Control"] = "private, max-age=900"
    return response
