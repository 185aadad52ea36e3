"""The programme's records: meetings, validated minutes, decisions, the contract's obligations, the
deliverables registry (read), and the records another tool may write: time entries, trips of the
travel log, indicator measurements.

Reads go through the models' `visible_to(user)` querysets and the pages' permission functions, as
the other endpoints do. Writes go through the page's form (`api.writing`): the same rules, the
same field rules, the same permissions; a refused write answers 422 and saves nothing.
"""

import datetime as dt
from typing import Annotated, Any

from django.http import Http404, HttpRequest
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import Field, Query, Router
from ninja.errors import HttpError
from ninja.pagination import paginate

from sobrindustrie.actionplans.models import Indicator, Measurement
from sobrindustrie.actionplans.perms import plan_access
from sobrindustrie.api import schemas as s
from sobrindustrie.api import writing
from sobrindustrie.api.auth import PersonalToken
from sobrindustrie.api.pagination import Pages
from sobrindustrie.deliverables.perms import can_see_deliverables
from sobrindustrie.deliverables.services import registry
from sobrindustrie.engines.obligations import ScopeKind
from sobrindustrie.evaluation.models import Trip
from sobrindustrie.evaluation.perms import can_manage_evaluations
from sobrindustrie.meetings.enums import MinutesStatus
from sobrindustrie.meetings.models import Decision, Meeting, Minutes, TimeEntry
from sobrindustrie.meetings.obligations import compliance
from sobrindustrie.meetings.perms import can_manage_meetings, can_oversee
from sobrindustrie.programmes.models import Programme
from sobrindustrie.www.actionplans_views.forms import MeasurementForm
from sobrindustrie.www.evaluation_views.forms import TripForm
from sobrindustrie.www.meetings_views.forms import TimeEntryForm

router = Router()

OptionalId = Annotated[int | None, Field(None, ge=1, le=s.MAX_ID)]
Text = Annotated[str | None, Field(None, max_length=100)]
DETAIL_ERRORS: dict[int, Any] = {401: s.ErrorOut, 404: s.ErrorOut, 422: s.ValidationErrorOut}
LIST_ERRORS: dict[int, Any] = {401: s.ErrorOut, 422: s.ValidationErrorOut}
# A write: 403 for a read-only token or a record the caller sees but may not change; 422 for a
# refused value (the field and the rule); 409 when the record changed since it was read.
CREATE_ERRORS: dict[int, Any] = {
    400: s.ErrorOut,  # a body that is not JSON
    401: s.ErrorOut,
    403: s.ErrorOut,
    422: s.ValidationErrorOut,
}
EDIT_ERRORS: dict[int, Any] = {**CREATE_ERRORS, 404: s.ErrorOut, 409: s.ErrorOut}
WRITE_AUTH = [PersonalToken()]


def _only(queryset: Any, **filters: Any) -> Any:
    return queryset.filter(**{key: value for key, value in filters.items() if value is not None})


def _overseen_programme(request: HttpRequest, programme_id: int) -> Programme:
    """The programme when the caller oversees it (ADEME, consultants, staff), else a 404."""
    programme = get_object_or_404(Programme.objects.visible_to(request.user), pk=programme_id)
    if not can_oversee(request.user, programme):  # type: ignore[arg-type]
        raise Http404
    return programme


# --- Meetings, minutes, decisions -------------------------------------------------------------------


class MeetingFilters(s.Schema):
    programme: OptionalId = None
    kind: Text = None
    status: Text = None


def _meetings(request: HttpRequest) -> Any:
    return (
        Meeting.objects.visible_to(request.user)  # type: ignore[arg-type]
        .select_related("minutes")
        .prefetch_related("organisations", "teams")
    )


@router.get("/meetings", response={200: list[s.MeetingOut], **LIST_ERRORS}, tags=["meetings"])
@paginate(Pages)
def meeting_list(request: HttpRequest, filters: Query[MeetingFilters]) -> Any:
    """The meetings the caller sees: all of their programmes for ADEME and the consultants, those
    they are invited to for the companies' members."""
    return _only(
        _meetings(request), programme_id=filters.programme, kind=filters.kind, status=filters.status
    ).order_by("pk")


@router.get("/meetings/{meeting_id}", response={200: s.MeetingOut, **DETAIL_ERRORS}, tags=["meetings"])
def meeting_detail(request: HttpRequest, meeting_id: s.Id) -> Any:
    return get_object_or_404(_meetings(request), pk=meeting_id)


class MinutesFilters(s.Schema):
    programme: OptionalId = None
    meeting: OptionalId = None


def _validated_minutes(request: HttpRequest) -> Any:
    """Validated minutes only: drafts and minutes under review stay on the pages."""
    meetings = Meeting.objects.visible_to(request.user).values("pk")  # type: ignore[arg-type]
    return Minutes.objects.filter(status=MinutesStatus.VALIDATED, meeting__in=meetings).select_related(
        "meeting"
    )


@router.get("/minutes", response={200: list[s.MinutesOut], **LIST_ERRORS}, tags=["meetings"])
@paginate(Pages)
def minutes_list(request: HttpRequest, filters: Query[MinutesFilters]) -> Any:
    """Minutes validated by ADEME, of the meetings the caller sees."""
    return _only(
        _validated_minutes(request), meeting__programme_id=filters.programme, meeting_id=filters.meeting
    ).order_by("pk")


@router.get("/minutes/{minutes_id}", response={200: s.MinutesOut, **DETAIL_ERRORS}, tags=["meetings"])
def minutes_detail(request: HttpRequest, minutes_id: s.Id) -> Any:
    return get_object_or_404(_validated_minutes(request), pk=minutes_id)


class DecisionFilters(s.Schema):
    programme: OptionalId = None
    meeting: OptionalId = None
    status: Text = None


def _decisions(request: HttpRequest) -> Any:
    return Decision.objects.visible_to(request.user).select_related("owner")  # type: ignore[arg-type]


@router.get("/decisions", response={200: list[s.DecisionOut], **LIST_ERRORS}, tags=["meetings"])
@paginate(Pages)
def decision_list(request: HttpRequest, filters: Query[DecisionFilters]) -> Any:
    """The decision record: every decision of the programme for its overseers, those of the meetings
    with validated minutes for the invitees."""
    return _only(
        _decisions(request), programme_id=filters.programme, meeting_id=filters.meeting, status=filters.status
    ).order_by("pk")


@router.get("/decisions/{decision_id}", response={200: s.DecisionOut, **DETAIL_ERRORS}, tags=["meetings"])
def decision_detail(request: HttpRequest, decision_id: s.Id) -> Any:
    return get_object_or_404(_decisions(request), pk=decision_id)


# --- Obligations and deliverables -----------------------------------------------------------------


class ObligationFilters(s.Schema):
    status: Text = Field(None, description="met, on_track, at_risk, late or breached")
    team: OptionalId = Field(None, description="Only the obligations of this project team")


@router.get(
    "/programmes/{programme_id}/obligations",
    response={200: list[s.ObligationOut], **DETAIL_ERRORS},
    tags=["obligations"],
)
@paginate(Pages)
def obligation_list(request: HttpRequest, programme_id: s.Id, filters: Query[ObligationFilters]) -> Any:
    """Every obligation of the contract with its status as of today, computed by the obligations
    engine exactly as the obligations page computes it."""
    programme = _overseen_programme(request, programme_id)
    rows = compliance(programme).rows
    if filters.status is not None:
        rows = [row for row in rows if row.status == filters.status]
    if filters.team is not None:
        team = str(filters.team)
        rows = [row for row in rows if row.result.scope_kind == ScopeKind.TEAM and row.result.scope == team]
    return rows


@router.get(
    "/programmes/{programme_id}/deliverables",
    response={200: list[s.DeliverableOut], **DETAIL_ERRORS},
    tags=["obligations"],
)
@paginate(Pages)
def deliverable_list(request: HttpRequest, programme_id: s.Id) -> Any:
    """The deliverables registry: every deliverable of the contract, its due date and status."""
    programme = _overseen_programme(request, programme_id)
    if not can_see_deliverables(request.user, programme):  # type: ignore[arg-type]
        raise Http404
    return registry(programme)


# --- Time entries ---------------------------------------------------------------------------------

TIME_NAMES = {
    "consultant": "consultant_id",
    "organisation": "organisation_id",
    "expected_version": "version",
}


class TimeEntryFilters(s.Schema):
    programme: OptionalId = None
    consultant: OptionalId = None
    object_kind: Text = None
    date_from: dt.date | None = None
    date_to: dt.date | None = None


@router.get("/time-entries", response={200: list[s.TimeEntryOut], **LIST_ERRORS}, tags=["time spent"])
@paginate(Pages)
def time_entry_list(request: HttpRequest, filters: Query[TimeEntryFilters]) -> Any:
    """Days of support the consultants spent, for the programme's overseers."""
    return _only(
        TimeEntry.objects.visible_to(request.user),  # type: ignore[arg-type]
        programme_id=filters.programme,
        consultant_id=filters.consultant,
        object_kind=filters.object_kind,
        date__gte=filters.date_from,
        date__lte=filters.date_to,
    ).order_by("pk")


@router.post(
    "/time-entries",
    response={201: s.TimeEntryOut, **CREATE_ERRORS},
    tags=["time spent"],
    auth=WRITE_AUTH,
)
def time_entry_create(request: HttpRequest, payload: s.TimeEntryIn) -> Any:
    """Record days of support, with the rules of the Time spent page (a read-and-write token of a
    consultant of the programme)."""
    programme = _writable_programme(request, payload.programme_id, can_manage_meetings)
    body = payload.model_dump(exclude={"programme_id"})
    form = writing.with_field_rules(TimeEntryForm)(
        writing.form_data(body, TIME_NAMES),
        programme=programme,
        instance=TimeEntry(programme=programme),
        user=request.user,
    )
    return writing.save(form, TIME_NAMES)


@router.get("/time-entries/{entry_id}", response={200: s.TimeEntryOut, **DETAIL_ERRORS}, tags=["time spent"])
def time_entry_detail(request: HttpRequest, entry_id: s.Id) -> Any:
    return get_object_or_404(TimeEntry.objects.visible_to(request.user), pk=entry_id)  # type: ignore[arg-type]


@router.patch(
    "/time-entries/{entry_id}",
    response={200: s.TimeEntryOut, **EDIT_ERRORS},
    tags=["time spent"],
    auth=WRITE_AUTH,
)
def time_entry_update(request: HttpRequest, entry_id: s.Id, payload: s.TimeEntryPatch) -> Any:
    """Change some fields of a time entry; the others are kept. Send the `version` you read."""
    entry = get_object_or_404(
        TimeEntry.objects.visible_to(request.user).select_related("programme"),  # type: ignore[arg-type]
        pk=entry_id,
    )
    _require(can_manage_meetings(request.user, entry.programme))  # type: ignore[arg-type]
    # A field the body leaves out is kept as stored (the form treats an absent field so).
    form = writing.with_field_rules(TimeEntryForm)(
        writing.form_data(payload.model_dump(exclude_unset=True), TIME_NAMES),
        programme=entry.programme,
        instance=entry,
        user=request.user,
    )
    return writing.save(form, TIME_NAMES)


# --- Trips (the consultant's travel log) ----------------------------------------------------------

TRIP_NAMES = {"meeting": "meeting_id", "expected_version": "version"}


class TripFilters(s.Schema):
    programme: OptionalId = None
    date_from: dt.date | None = None
    date_to: dt.date | None = None


@router.get("/trips", response={200: list[s.TripOut], **LIST_ERRORS}, tags=["eco-responsibility"])
@paginate(Pages)
def trip_list(request: HttpRequest, filters: Query[TripFilters]) -> Any:
    """The journeys of the consultancy's travel log, for the programme's overseers."""
    return _only(
        Trip.objects.visible_to(request.user),  # type: ignore[arg-type]
        programme_id=filters.programme,
        day__gte=filters.date_from,
        day__lte=filters.date_to,
    ).order_by("pk")


@router.post(
    "/trips", response={201: s.TripOut, **CREATE_ERRORS}, tags=["eco-responsibility"], auth=WRITE_AUTH
)
def trip_create(request: HttpRequest, payload: s.TripIn) -> Any:
    """Log a journey, with the rules of the travel log's form (the mode's justification...)."""
    programme = _writable_programme(request, payload.programme_id, can_manage_evaluations)
    body = payload.model_dump(exclude={"programme_id"})
    form = writing.with_field_rules(TripForm)(
        writing.form_data(body, TRIP_NAMES),
        programme=programme,
        instance=Trip(programme=programme),
        user=request.user,
    )

    def logged_by(trip: Trip) -> None:
        trip.traveller = request.user  # type: ignore[assignment]

    return writing.save(form, TRIP_NAMES, prepare=logged_by)


@router.get("/trips/{trip_id}", response={200: s.TripOut, **DETAIL_ERRORS}, tags=["eco-responsibility"])
def trip_detail(request: HttpRequest, trip_id: s.Id) -> Any:
    return get_object_or_404(Trip.objects.visible_to(request.user), pk=trip_id)  # type: ignore[arg-type]


@router.patch(
    "/trips/{trip_id}", response={200: s.TripOut, **EDIT_ERRORS}, tags=["eco-responsibility"], auth=WRITE_AUTH
)
def trip_update(request: HttpRequest, trip_id: s.Id, payload: s.TripPatch) -> Any:
    """Change some fields of a trip; the others are kept. Send the `version` you read."""
    trip = get_object_or_404(
        Trip.objects.visible_to(request.user).select_related("programme"),  # type: ignore[arg-type]
        pk=trip_id,
    )
    _require(can_manage_evaluations(request.user, trip.programme))  # type: ignore[arg-type]
    form = writing.with_field_rules(TripForm)(
        writing.form_data(payload.model_dump(exclude_unset=True), TRIP_NAMES),
        programme=trip.programme,
        instance=trip,
        user=request.user,
    )
    return writing.save(form, TRIP_NAMES)


# --- Indicator measurements (action plans) ----------------------------------------------------------


class MeasurementFilters(s.Schema):
    indicator: OptionalId = None
    action: OptionalId = None


def _measurements(request: HttpRequest) -> Any:
    indicators = Indicator.objects.visible_to(request.user).values("pk")  # type: ignore[arg-type]
    return Measurement.objects.filter(indicator__in=indicators)


@router.get("/measurements", response={200: list[s.MeasurementOut], **LIST_ERRORS}, tags=["action plans"])
@paginate(Pages)
def measurement_list(request: HttpRequest, filters: Query[MeasurementFilters]) -> Any:
    """Measurements of the indicators the caller sees, as on the action pages."""
    return _only(
        _measurements(request), indicator_id=filters.indicator, indicator__action_id=filters.action
    ).order_by("pk")


@router.post(
    "/measurements",
    response={201: s.MeasurementOut, **CREATE_ERRORS},
    tags=["action plans"],
    auth=WRITE_AUTH,
)
def measurement_create(request: HttpRequest, payload: s.MeasurementIn) -> Any:
    """Record an indicator's value, as the action page does: by whoever may edit the action (the
    consultants, the lead company and its editing contributors)."""
    indicator = (
        Indicator.objects.visible_to(request.user)  # type: ignore[arg-type]
        .select_related("action__plan__team__programme")
        .filter(pk=payload.indicator_id)
        .first()
    )
    if indicator is None:
        raise writing.Refused("indicator_id", _("No indicator you can see has this identifier."))
    action = indicator.action
    _require(plan_access(request.user, action.plan.team).can_edit_action(action))  # type: ignore[arg-type]
    body = payload.model_dump(exclude={"indicator_id"})
    form = writing.with_field_rules(MeasurementForm)(
        writing.form_data(body, {}), indicator=indicator, user=request.user
    )

    def recorded_by(measurement: Measurement) -> None:
        measurement.recorded_by = request.user  # type: ignore[assignment]

    return writing.save(form, {}, prepare=recorded_by)


# --- Shared checks ----------------------------------------------------------------------------------


def _writable_programme(request: HttpRequest, programme_id: int, may_write: Any) -> Programme:
    """The programme named in a body: unknown or invisible is a refused value (422, the same answer
    for both); visible but closed to the caller's role is a 403."""
    programme = Programme.objects.visible_to(request.user).filter(pk=programme_id).first()  # type: ignore[arg-type]
    if programme is None:
        raise writing.Refused("programme_id", _("No programme you can see has this identifier."))
    _require(may_write(request.user, programme))
    return programme


def _require(allowed: bool) -> None:
    if not allowed:
        raise HttpError(
            403, _("Your account may not record or change this: the pages do not allow it either.")
        )
