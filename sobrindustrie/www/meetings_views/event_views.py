"""Restitution events: settings, registrations, logistics and notes for the programme's staff; the
public registration page and each registrant's own page (no login)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from sobrindustrie.core.models import ConcurrentEditError
from sobrindustrie.meetings import services
from sobrindustrie.meetings.enums import ChecklistCategory, MeetingKind, RegistrationStatus
from sobrindustrie.meetings.exports import badges_pdf, table_response
from sobrindustrie.meetings.models import ChecklistItem, Meeting, Registration, RestitutionEvent
from sobrindustrie.meetings.perms import can_manage_meetings
from sobrindustrie.www.meetings_views.common import managed_meeting, overseen_meeting
from sobrindustrie.www.meetings_views.forms import ChecklistItemForm, EventForm, RegistrationForm


def _event_meeting(meeting: Meeting) -> RestitutionEvent:
    if meeting.kind != MeetingKind.RESTITUTION_EVENT:
        raise Http404
    return services.event_for(meeting)


def _manage_context(
    request: HttpRequest, meeting: Meeting, event: RestitutionEvent, **forms: Any
) -> dict[str, Any]:
    manage = can_manage_meetings(request.user, meeting.programme)  # type: ignore[arg-type]
    registrations = list(event.registrations.all())
    checklist = list(event.checklist.all())
    by_status = {
        status: [r for r in registrations if r.status == status] for status in RegistrationStatus.values
    }
    return {
        "meeting": meeting,
        "event": event,
        "programme": meeting.programme,
        "can_manage": manage,
        "confirmed": by_status[RegistrationStatus.CONFIRMED],
        "waiting": by_status[RegistrationStatus.WAITING],
        "cancelled": by_status[RegistrationStatus.CANCELLED],
        "checklist": checklist,
        "checklist_done": sum(1 for item in checklist if item.done),
        "budget_total": sum((item.amount_eur or 0 for item in checklist), start=0),
        "low_impact_count": sum(1 for item in checklist if item.low_impact),
        "public_url": request.build_absolute_uri(reverse("www:event_register", args=[event.public_token])),
        "event_form": forms.get("event_form")
        or (EventForm(instance=event, prefix="event") if manage else None),
        "item_form": forms.get("item_form")
        or (ChecklistItemForm(event=event, prefix="item") if manage else None),
        "categories": ChecklistCategory.choices,
        "page_title": _("Event: %(title)s") % {"title": meeting.title},
    }


def event_manage(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = overseen_meeting(request, pk)
    event = _event_meeting(meeting)
    if request.method == "POST":
        if not can_manage_meetings(request.user, meeting.programme):  # type: ignore[arg-type]
            raise Http404
        form = EventForm(request.POST, instance=event, prefix="event")
        try:
            saved = form.is_valid() and form.save()
        except ConcurrentEditError:
            saved = False
        if not saved:
            return render(
                request,
                "www/meetings/event_manage.html",
                _manage_context(request, meeting, event, event_form=form),
            )
        promoted = services.promote_waiting(event)
        messages.success(request, _("Event saved."))
        if promoted:
            messages.success(
                request, _("%(count)d person(s) moved from the waiting list.") % {"count": len(promoted)}
            )
        return redirect("www:event_manage", pk=meeting.pk)
    return render(request, "www/meetings/event_manage.html", _manage_context(request, meeting, event))


@require_POST
def checklist_add(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = managed_meeting(request, pk)
    event = _event_meeting(meeting)
    form = ChecklistItemForm(request.POST, event=event, prefix="item")
    if not form.is_valid():
        return render(
            request,
            "www/meetings/event_manage.html",
            _manage_context(request, meeting, event, item_form=form),
        )
    form.save()
    messages.success(request, _("Item added to the checklist."))
    return redirect("www:event_manage", pk=meeting.pk)


@require_POST
def checklist_toggle(request: HttpRequest, pk: int, item_pk: int) -> HttpResponse:
    meeting = managed_meeting(request, pk)
    event = _event_meeting(meeting)
    item = get_object_or_404(ChecklistItem, event=event, pk=item_pk)
    item.done = not item.done
    item.save()
    return redirect("www:event_manage", pk=meeting.pk)


@require_POST
def registration_cancel(request: HttpRequest, pk: int, registration_pk: int) -> HttpResponse:
    meeting = managed_meeting(request, pk)
    event = _event_meeting(meeting)
    registration = get_object_or_404(Registration, event=event, pk=registration_pk)
    promoted = services.cancel_registration(registration)
    messages.success(request, _("Registration of %(name)s cancelled.") % {"name": registration.name})
    if promoted:
        messages.success(request, _("%(name)s moved from the waiting list.") % {"name": promoted.name})
    return redirect("www:event_manage", pk=meeting.pk)


def event_attendees_export(request: HttpRequest, pk: int, fmt: str) -> HttpResponse:
    meeting = overseen_meeting(request, pk)
    event = _event_meeting(meeting)
    if fmt not in ("csv", "xlsx"):
        raise Http404
    rows: list[list[object]] = [
        [
            _("Name"),
            _("Organisation"),
            _("E-mail"),
            _("Status"),
            _("Dietary needs"),
            _("Accessibility needs"),
            _("Registered on"),
        ]
    ]
    for r in event.registrations.exclude(status=RegistrationStatus.CANCELLED).order_by("status", "name"):
        rows.append(
            [
                r.name,
                r.organisation_name,
                r.email,
                r.get_status_display(),
                r.diet,
                r.accessibility_needs,
                r.created_at.strftime("%Y-%m-%d"),
            ]
        )
    return table_response(rows, f"inscrits-{meeting.pk}", fmt)


def event_badges(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = overseen_meeting(request, pk)
    event = _event_meeting(meeting)
    registrations = list(event.registrations.filter(status=RegistrationStatus.CONFIRMED).order_by("name"))
    response = HttpResponse(badges_pdf(event, registrations), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="badges-{meeting.pk}.pdf"'
    return response


@login_not_required
def event_register(request: HttpRequest, token: str) -> HttpResponse:
    """The public registration page of an event: no login, capacity then waiting list."""
    event = get_object_or_404(RestitutionEvent.objects.select_related("meeting"), public_token=token)
    meeting = event.meeting
    is_open = event.registration_open and not meeting.is_past
    form = RegistrationForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if not is_open:
            messages.error(request, _("Registration for this event is closed."))
            status = 409
        elif form.is_valid():
            try:
                registration = services.register(event, form.save(commit=False))
            except ValidationError as error:
                for field, errors in error.message_dict.items():
                    form.add_error(field if field in form.fields else None, errors)
            except services.RegistrationClosedError as error:
                messages.error(request, str(error))
                status = 409
            else:
                return redirect("www:registration_manage", token=registration.token)
    confirmed = event.registrations.filter(status=RegistrationStatus.CONFIRMED).count()
    context = {
        "event": event,
        "meeting": meeting,
        "form": form,
        "is_open": is_open,
        "seats_left": max(event.capacity - confirmed, 0),
        "page_title": meeting.title,
    }
    return render(request, "www/meetings/event_register.html", context, status=status)


@login_not_required
def registration_manage(request: HttpRequest, token: str) -> HttpResponse:
    """A registrant's own page (link sent by e-mail): see the status, cancel."""
    registration = get_object_or_404(Registration.objects.select_related("event__meeting"), token=token)
    if request.method == "POST" and registration.status != RegistrationStatus.CANCELLED:
        services.cancel_registration(registration)
        messages.success(request, _("Your registration is cancelled. Thank you for freeing your seat."))
        return redirect("www:registration_manage", token=token)
    context = {
        "registration": registration,
        "meeting": registration.event.meeting,
        "page_title": registration.event.meeting.title,
    }
    return render(request, "www/meetings/registration_manage.html", context)
