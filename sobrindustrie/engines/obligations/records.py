"""What the obligations engine reads: the programme's facts and its records, as plain dataclasses.

The Django side fills them from its models; every id is a string (`str(pk)`). Dates are plain
`datetime.date` values in French local time: a `datetime` is refused, so that an aware timestamp is
never compared with a date by accident.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal

MEETING_KINDS: frozenset[str] = frozenset(
    {
        "workshop_1",
        "workshop_2",
        "webinar",
        "copil",
        "partners_committee",
        "partners_subgroup",
        "ademe_exchange",
        "team_followup",
        "collective_session",
        "action_plan_workshop",
        "funder_interview",
        "strategic_coordination",
        "restitution_event",
        "evaluation_meeting",
    }
)
MEETING_MODES: frozenset[str] = frozenset({"in_person", "remote", "hybrid"})
TIME_OBJECT_KINDS: frozenset[str] = frozenset({"diagnostic", "funding_order", "evaluation"})


class ObligationError(ValueError):
    """Base class of the obligations engine's errors."""


class ObligationInputError(ObligationError):
    """The facts or records given to the engine are inconsistent; the message names the record and field."""


@dataclass(frozen=True)
class ProgrammeFacts:
    """The contract's dates, the days caps per kind of object, the evaluation date and the project teams.

    `caps` maps a time object kind ("diagnostic", "funding_order", "evaluation") to the maximum number
    of days of support for one such object. `team_ids` are the project teams formed so far.
    """

    notified_on: date
    starts_on: date
    ends_on: date
    today: date
    team_ids: tuple[str, ...] = ()
    caps: Mapping[str, Decimal] = field(default_factory=dict)


@dataclass(frozen=True)
class MeetingRecord:
    """A meeting, held or planned.

    A meeting that is neither held nor cancelled and starts today or later is planned: planned meetings
    never count as done but make a shortfall on_track instead of at_risk. `attended_by_consultant` only
    matters for meetings the consultant does not organise (strategic coordination).
    """

    id: str
    kind: str
    starts_at: date
    held: bool
    cancelled: bool = False
    mode: str | None = None
    team_ids: tuple[str, ...] = ()
    attended_by_consultant: bool = False
    minutes_submitted_on: date | None = None
    minutes_validated_on: date | None = None

    def is_planned(self, today: date) -> bool:
        return not self.held and not self.cancelled and self.starts_at >= today


@dataclass(frozen=True)
class DeliverableRecord:
    """A deliverable of the registry, e.g. code "REPORT_M6" or "L1.3"; `delivered_on` None while pending."""

    id: str
    code: str
    delivered_on: date | None = None


@dataclass(frozen=True)
class TimeRecord:
    """Days of support spent on one object (a diagnostic, a funding order, an environmental evaluation)."""

    id: str
    object_kind: str
    object_id: str
    days: Decimal


@dataclass(frozen=True)
class ProgrammeRecords:
    """Everything recorded for one programme, checked for consistency once by `validate_records`."""

    facts: ProgrammeFacts
    meetings: tuple[MeetingRecord, ...]
    deliverables: tuple[DeliverableRecord, ...]
    time_records: tuple[TimeRecord, ...]


def validate_records(
    facts: ProgrammeFacts,
    meetings: Sequence[MeetingRecord] = (),
    deliverables: Sequence[DeliverableRecord] = (),
    time_records: Sequence[TimeRecord] = (),
) -> ProgrammeRecords:
    """Check the facts and records and bundle them; raises ObligationInputError on the first problem."""
    _check_facts(facts)
    team_ids = set(facts.team_ids)
    _check_unique_ids("meeting", [meeting.id for meeting in meetings])
    _check_unique_ids("deliverable", [deliverable.id for deliverable in deliverables])
    _check_unique_ids("time record", [record.id for record in time_records])
    for meeting in meetings:
        _check_meeting(meeting, facts.today, team_ids)
    for deliverable in deliverables:
        _check_deliverable(deliverable, facts.today)
    for record in time_records:
        _check_time_record(record)
    return ProgrammeRecords(facts, tuple(meetings), tuple(deliverables), tuple(time_records))


def _check_facts(facts: ProgrammeFacts) -> None:
    for name in ("notified_on", "starts_on", "ends_on", "today"):
        _check_date(getattr(facts, name), f"programme facts: {name}")
    if facts.ends_on <= facts.starts_on:
        raise ObligationInputError(
            f"programme facts: ends_on {facts.ends_on} must be after starts_on {facts.starts_on}"
        )
    _check_unique_ids("team", list(facts.team_ids))
    for kind, cap in facts.caps.items():
        if kind not in TIME_OBJECT_KINDS:
            raise ObligationInputError(
                f"programme facts: caps has unknown object kind {kind!r}; expected one of {_listing(TIME_OBJECT_KINDS)}"
            )
        if not isinstance(cap, Decimal) or not cap.is_finite() or cap < 0:
            raise ObligationInputError(
                f"programme facts: caps[{kind!r}] must be a non-negative Decimal, got {cap!r}"
            )


def _check_meeting(meeting: MeetingRecord, today: date, team_ids: set[str]) -> None:
    where = f"meeting {meeting.id!r}"
    if meeting.kind not in MEETING_KINDS:
        raise ObligationInputError(
            f"{where}: unknown kind {meeting.kind!r}; expected one of {_listing(MEETING_KINDS)}"
        )
    _check_date(meeting.starts_at, f"{where}: starts_at")
    if meeting.mode is not None and meeting.mode not in MEETING_MODES:
        raise ObligationInputError(
            f"{where}: unknown mode {meeting.mode!r}; expected one of {_listing(MEETING_MODES)}"
        )
    if meeting.held and meeting.cancelled:
        raise ObligationInputError(f"{where}: cannot be both held and cancelled")
    if meeting.held and meeting.starts_at > today:
        raise ObligationInputError(
            f"{where}: marked held but starts on {meeting.starts_at}, after today {today}"
        )
    unknown_teams = [team for team in meeting.team_ids if team not in team_ids]
    if unknown_teams:
        raise ObligationInputError(f"{where}: team_ids {unknown_teams} are not among the programme's teams")
    for name in ("minutes_submitted_on", "minutes_validated_on"):
        value = getattr(meeting, name)
        if value is None:
            continue
        _check_date(value, f"{where}: {name}")
        if not meeting.held:
            raise ObligationInputError(f"{where}: has {name} but is not marked held")
        if value < meeting.starts_at or value > today:
            raise ObligationInputError(
                f"{where}: {name} {value} must fall between the meeting ({meeting.starts_at}) and today ({today})"
            )
    if meeting.minutes_validated_on is not None and meeting.minutes_submitted_on is None:
        raise ObligationInputError(f"{where}: minutes_validated_on is set but minutes_submitted_on is not")


def _check_deliverable(deliverable: DeliverableRecord, today: date) -> None:
    where = f"deliverable {deliverable.id!r}"
    if not isinstance(deliverable.code, str) or not deliverable.code:
        raise ObligationInputError(f"{where}: code must be a non-empty string")
    if deliverable.delivered_on is not None:
        _check_date(deliverable.delivered_on, f"{where}: delivered_on")
        if deliverable.delivered_on > today:
            raise ObligationInputError(
                f"{where}: delivered_on {deliverable.delivered_on} is after today {today}"
            )


def _check_time_record(record: TimeRecord) -> None:
    where = f"time record {record.id!r}"
    if record.object_kind not in TIME_OBJECT_KINDS:
        raise ObligationInputError(
            f"{where}: unknown object_kind {record.object_kind!r}; expected one of {_listing(TIME_OBJECT_KINDS)}"
        )
    if not isinstance(record.object_id, str) or not record.object_id:
        raise ObligationInputError(f"{where}: object_id must be a non-empty string")
    if not isinstance(record.days, Decimal) or not record.days.is_finite() or record.days < 0:
        raise ObligationInputError(f"{where}: days must be a non-negative Decimal, got {record.days!r}")


def _check_date(value: object, where: str) -> None:
    if isinstance(value, datetime) or not isinstance(value, date):
        raise ObligationInputError(f"{where} must be a datetime.date, got {type(value).__name__}")


def _check_unique_ids(what: str, ids: list[str]) -> None:
    seen: set[str] = set()
    for record_id in ids:
        if not isinstance(record_id, str) or not record_id:
            raise ObligationInputError(f"{what} id must be a non-empty string, got {record_id!r}")
        if record_id in seen:
            raise ObligationInputError(f"{what} id {record_id!r} appears twice")
        seen.add(record_id)


def _listing(values: frozenset[str]) -> str:
    return ", ".join(sorted(values))
