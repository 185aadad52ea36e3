"""Evaluate every obligation of a catalogue against a programme's records, as of `facts.today`.

Statuses, from best to worst (`ObligationStatus`):

- `met`: the requirement is fulfilled by the records so far: the minimum count is reached in its
  window without exceeding the maximum; the deliverable or minutes were submitted on or before their
  due date; the first meeting was held in an allowed mode; the days spent are below `warn_ratio` of
  the cap. A later record can still turn it into `at_risk` or `breached` (a third webinar, more days).
- `on_track`: not fulfilled yet, the due date has not passed and there is time left: for counts,
  the held and planned meetings cover the minimum, or the days left in the window are at least
  `warning_days` per missing meeting; for deadlines, more than `warning_days` are left; a first
  meeting is not held yet and no planned one is in a wrong mode.
- `at_risk`: not fulfilled yet and the due date has not passed, but fewer than `warning_days` per
  missing item are left (planned meetings reduce what is missing); or the planned meetings would
  push a count over its maximum; or the first meeting is planned in a wrong mode or was held with no
  mode recorded; or the days spent reach `warn_ratio` of the cap without exceeding it.
- `late`: a deliverable or minutes not submitted while the due date has passed. Still curable:
  submitting it turns the status into `breached` (submitted late), which is final.
- `breached`: definitively failed: the window of a count closed below its minimum, or its maximum is
  exceeded; a deliverable or minutes submitted after the due date; the first meeting held in a wrong
  mode; the days spent exceed the cap.

Counts have no `late`: a meeting held after its window does not count for it, so a window that
closes short is `breached` at once. "Days left" is the number of days from today (or from the window
start, if later) to the due date.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from enum import StrEnum

from sobrindustrie.engines.calendar import add_working_days, month_end, month_start, year_end, year_start
from sobrindustrie.engines.obligations.catalogue import (
    CountObligation,
    DeliverableDeadlineObligation,
    FirstMeetingModeObligation,
    MeetingFilter,
    MinutesDeadlineObligation,
    ObligationCatalogue,
    ObligationDefinition,
    Period,
    PeriodicCountObligation,
    Scope,
    TimeCapObligation,
    default_catalogue,
)
from sobrindustrie.engines.obligations.reasons import Reason, ReasonCode, ReasonValue, english
from sobrindustrie.engines.obligations.records import (
    DeliverableRecord,
    MeetingRecord,
    ObligationInputError,
    ProgrammeFacts,
    ProgrammeRecords,
    TimeRecord,
    validate_records,
)

PROGRAMME_SCOPE = "programme"


class ObligationStatus(StrEnum):
    MET = "met"
    ON_TRACK = "on_track"
    AT_RISK = "at_risk"
    LATE = "late"
    BREACHED = "breached"


class ScopeKind(StrEnum):
    """What `ObligationResult.scope` names."""

    PROGRAMME = "programme"
    TEAM = "team"
    MEETING = "meeting"
    OBJECT = "object"


@dataclass(frozen=True)
class ObligationResult:
    """One instance of an obligation (per team, meeting, object or period) and its status as of today.

    `scope` is "programme" or the id of the team, meeting or time object named by `scope_kind`;
    `period` labels the calendar month ("2026-03") or year ("2026") of a periodic obligation;
    `counted_ids` are the ids of the records the status rests on (meetings, deliverables, time records).
    """

    code: str
    label: str
    scope_kind: ScopeKind
    scope: str
    status: ObligationStatus
    due_on: date | None
    reason: Reason
    counted_ids: tuple[str, ...] = ()
    period: str | None = None

    @property
    def explanation(self) -> str:
        """The reason in English, for the command line and logs; pages word `reason` themselves."""
        return english(self.reason)


def evaluate_obligations(
    facts: ProgrammeFacts,
    meetings: Sequence[MeetingRecord] = (),
    deliverables: Sequence[DeliverableRecord] = (),
    time_records: Sequence[TimeRecord] = (),
    catalogue: ObligationCatalogue | None = None,
) -> list[ObligationResult]:
    """Every obligation instance of the catalogue (the packaged one by default) with its status.

    Results come in the catalogue's order; within an obligation, periods and meetings by date, teams in
    the order of `facts.team_ids`, time objects in the order of their first record. Raises ObligationInputError when the records are inconsistent, naming the record.
    """
    records = validate_records(facts, meetings, deliverables, time_records)
    evaluator = _Evaluator(records)
    results: list[ObligationResult] = []
    for obligation in (catalogue or default_catalogue()).obligations:
        results.extend(evaluator.evaluate(obligation))
    return results


@dataclass(frozen=True)
class CountWindow:
    """The days in which meetings count, both ends included; `start` None while it rests on a meeting not held yet."""

    start: date | None
    due: date


class _Evaluator:
    def __init__(self, records: ProgrammeRecords) -> None:
        self.facts = records.facts
        self.today = records.facts.today
        self.meetings = sorted(records.meetings, key=lambda meeting: meeting.starts_at)
        self.deliverables = records.deliverables
        self.time_records = records.time_records

    def evaluate(self, obligation: ObligationDefinition) -> Iterable[ObligationResult]:
        match obligation:
            case CountObligation():
                return self._count(obligation)
            case PeriodicCountObligation():
                return self._periodic_count(obligation)
            case FirstMeetingModeObligation():
                return [self._first_meeting_mode(obligation)]
            case DeliverableDeadlineObligation():
                return [self._deliverable_deadline(obligation)]
            case MinutesDeadlineObligation():
                return self._minutes_deadline(obligation)
            case TimeCapObligation():
                return self._time_cap(obligation)

    def first_held(self, kind: str) -> date | None:
        return next(
            (meeting.starts_at for meeting in self.meetings if meeting.held and meeting.kind == kind), None
        )

    # --- counts ---------------------------------------------------------------------------------------

    def _count(self, obligation: CountObligation) -> Iterator[ObligationResult]:
        window = CountWindow(
            start=obligation.window_from.resolve(self.facts, self.first_held),
            due=obligation.due.resolve_from_facts(self.facts),
        )
        for scope_kind, scope in self._scopes(obligation.scope):
            yield self._count_in_window(obligation, window, scope_kind, scope, period=None)

    def _periodic_count(self, obligation: PeriodicCountObligation) -> Iterator[ObligationResult]:
        for period, window in programme_periods(self.facts, obligation.period, obligation.min_overlap_days):
            for scope_kind, scope in self._scopes(obligation.scope):
                yield self._count_in_window(obligation, window, scope_kind, scope, period)

    def _scopes(self, scope: Scope) -> list[tuple[ScopeKind, str]]:
        if scope is Scope.TEAM:
            return [(ScopeKind.TEAM, team_id) for team_id in self.facts.team_ids]
        return [(ScopeKind.PROGRAMME, PROGRAMME_SCOPE)]

    def _count_in_window(
        self,
        obligation: CountObligation | PeriodicCountObligation,
        window: CountWindow,
        scope_kind: ScopeKind,
        scope: str,
        period: str | None,
    ) -> ObligationResult:
        def in_scope(meeting: MeetingRecord) -> bool:
            return scope_kind is ScopeKind.PROGRAMME or scope in meeting.team_ids

        candidates = [m for m in self.meetings if _matches(m, obligation.meetings) and in_scope(m)]
        if window.start is None:
            # The window opens at a meeting not held yet: nothing counts, meetings planned from today on may.
            held, lower = [], self.today
        else:
            lower = window.start
            held = [m for m in candidates if m.held and lower <= m.starts_at <= window.due]
        planned = [m for m in candidates if m.is_planned(self.today) and lower <= m.starts_at <= window.due]
        status, reason = _count_status(
            _CountFacts(
                minimum=obligation.minimum,
                maximum=obligation.maximum,
                held=len(held),
                planned=len(planned),
                window=window,
                today=self.today,
                warning_days=obligation.warning_days,
            )
        )
        return ObligationResult(
            code=obligation.code,
            label=obligation.label,
            scope_kind=scope_kind,
            scope=scope,
            status=status,
            due_on=window.due,
            reason=reason,
            counted_ids=tuple(m.id for m in held),
            period=period,
        )

    # --- first meeting's mode ---------------------------------------------------------------------------

    def _first_meeting_mode(self, obligation: FirstMeetingModeObligation) -> ObligationResult:
        matching = [m for m in self.meetings if _matches(m, obligation.meetings)]
        first_held = next((m for m in matching if m.held), None)
        next_planned = next((m for m in matching if m.is_planned(self.today)), None)
        status, reason = _first_mode_status(first_held, next_planned, obligation.modes)
        return ObligationResult(
            code=obligation.code,
            label=obligation.label,
            scope_kind=ScopeKind.PROGRAMME,
            scope=PROGRAMME_SCOPE,
            status=status,
            due_on=None,
            reason=reason,
            counted_ids=() if first_held is None else (first_held.id,),
        )

    # --- deadlines --------------------------------------------------------------------------------------

    def _deliverable_deadline(self, obligation: DeliverableDeadlineObligation) -> ObligationResult:
        due = obligation.due.resolve_from_facts(self.facts)
        delivered = sorted(
            (d for d in self.deliverables if d.code == obligation.deliverable and d.delivered_on is not None),
            key=lambda d: (d.delivered_on, d.id),
        )
        first = delivered[0] if delivered else None
        status, reason = _deadline_status(
            submitted_on=None if first is None else first.delivered_on,
            due=due,
            today=self.today,
            warning_days=obligation.warning_days,
            subject={"deliverable": obligation.deliverable},
        )
        return ObligationResult(
            code=obligation.code,
            label=obligation.label,
            scope_kind=ScopeKind.PROGRAMME,
            scope=PROGRAMME_SCOPE,
            status=status,
            due_on=due,
            reason=reason,
            counted_ids=() if first is None else (first.id,),
        )

    def _minutes_deadline(self, obligation: MinutesDeadlineObligation) -> Iterator[ObligationResult]:
        for meeting in self.meetings:
            if not meeting.held or meeting.kind not in obligation.meetings.kinds:
                continue
            due = add_working_days(meeting.starts_at, obligation.working_days)
            status, reason = _deadline_status(
                submitted_on=meeting.minutes_submitted_on,
                due=due,
                today=self.today,
                warning_days=obligation.warning_days,
                subject={"meeting_kind": meeting.kind, "meeting_on": meeting.starts_at},
            )
            yield ObligationResult(
                code=obligation.code,
                label=obligation.label,
                scope_kind=ScopeKind.MEETING,
                scope=meeting.id,
                status=status,
                due_on=due,
                reason=reason,
                counted_ids=(meeting.id,),
            )

    # --- caps -------------------------------------------------------------------------------------------

    def _time_cap(self, obligation: TimeCapObligation) -> Iterator[ObligationResult]:
        by_object: dict[str, list[TimeRecord]] = {}
        for record in self.time_records:
            if record.object_kind == obligation.object_kind:
                by_object.setdefault(record.object_id, []).append(record)
        if not by_object:
            return
        cap = self.facts.caps.get(obligation.object_kind)
        if cap is None:
            raise ObligationInputError(
                f"programme facts: caps has no value for {obligation.object_kind!r}, "
                f"which obligation {obligation.code} needs"
            )
        for object_id, records in by_object.items():
            used = sum((record.days for record in records), Decimal(0))
            status, reason = _cap_status(used, cap, obligation.warn_ratio, obligation.object_kind)
            yield ObligationResult(
                code=obligation.code,
                label=obligation.label,
                scope_kind=ScopeKind.OBJECT,
                scope=object_id,
                status=status,
                due_on=None,
                reason=reason,
                counted_ids=tuple(record.id for record in records),
            )


def _matches(meeting: MeetingRecord, meeting_filter: MeetingFilter) -> bool:
    if meeting.kind not in meeting_filter.kinds:
        return False
    if meeting_filter.modes is not None and meeting.mode not in meeting_filter.modes:
        return False
    return meeting.attended_by_consultant or not meeting_filter.attended_by_consultant


@dataclass(frozen=True)
class _CountFacts:
    minimum: int
    maximum: int | None
    held: int
    planned: int
    window: CountWindow
    today: date
    warning_days: int


def _count_status(facts: _CountFacts) -> tuple[ObligationStatus, Reason]:
    window, held, planned, maximum = facts.window, facts.held, facts.planned, facts.maximum
    params: dict[str, ReasonValue] = {
        "held": held,
        "planned": planned,
        "minimum": facts.minimum,
        "maximum": maximum,
        "start": window.start,
        "due": window.due,
    }
    if maximum is not None and held > maximum:
        return ObligationStatus.BREACHED, Reason(ReasonCode.COUNT_ABOVE_MAXIMUM, params)
    if held >= facts.minimum:
        if maximum is not None and held + planned > maximum:
            return ObligationStatus.AT_RISK, Reason(ReasonCode.COUNT_WOULD_EXCEED, params)
        return ObligationStatus.MET, Reason(ReasonCode.COUNT_MET, params)
    if facts.today > window.due:
        return ObligationStatus.BREACHED, Reason(ReasonCode.COUNT_SHORT, params)
    not_open_yet = window.start is not None and window.start > facts.today
    start = window.start if window.start is not None and not_open_yet else facts.today
    days_left = (window.due - start).days
    missing = facts.minimum - held - planned
    params |= {"not_open_yet": not_open_yet, "missing": missing, "days_left": days_left}
    if missing <= 0:
        return ObligationStatus.ON_TRACK, Reason(ReasonCode.COUNT_PLANNED_COVER, params)
    if days_left < missing * facts.warning_days:
        return ObligationStatus.AT_RISK, Reason(ReasonCode.COUNT_MISSING_SOON, params)
    return ObligationStatus.ON_TRACK, Reason(ReasonCode.COUNT_MISSING, params)


def _first_mode_status(
    first_held: MeetingRecord | None, next_planned: MeetingRecord | None, modes: frozenset[str]
) -> tuple[ObligationStatus, Reason]:
    allowed = tuple(sorted(modes))
    if first_held is None:
        # A planned meeting's mode is often not decided yet: only a decided wrong mode is a risk.
        if next_planned is not None and next_planned.mode is not None and next_planned.mode not in modes:
            return ObligationStatus.AT_RISK, Reason(
                ReasonCode.MODE_NEXT_WRONG,
                {"planned_on": next_planned.starts_at, "mode": next_planned.mode, "allowed": allowed},
            )
        return ObligationStatus.ON_TRACK, Reason(ReasonCode.MODE_NONE_YET, {"allowed": allowed})
    params: dict[str, ReasonValue] = {
        "first_on": first_held.starts_at,
        "mode": first_held.mode,
        "allowed": allowed,
    }
    if first_held.mode in modes:
        return ObligationStatus.MET, Reason(ReasonCode.MODE_MET, params)
    if first_held.mode is None:
        return ObligationStatus.AT_RISK, Reason(ReasonCode.MODE_UNKNOWN, params)
    return ObligationStatus.BREACHED, Reason(ReasonCode.MODE_WRONG, params)


def _deadline_status(
    *, submitted_on: date | None, due: date, today: date, warning_days: int, subject: dict[str, ReasonValue]
) -> tuple[ObligationStatus, Reason]:
    params: dict[str, ReasonValue] = {**subject, "due": due, "submitted_on": submitted_on}
    if submitted_on is not None:
        if submitted_on <= due:
            return ObligationStatus.MET, Reason(ReasonCode.DEADLINE_MET, params)
        params["days"] = (submitted_on - due).days
        return ObligationStatus.BREACHED, Reason(ReasonCode.DEADLINE_SUBMITTED_LATE, params)
    if today > due:
        params["days"] = (today - due).days
        return ObligationStatus.LATE, Reason(ReasonCode.DEADLINE_LATE, params)
    params["days"] = (due - today).days
    if (due - today).days < warning_days:
        return ObligationStatus.AT_RISK, Reason(ReasonCode.DEADLINE_AT_RISK, params)
    return ObligationStatus.ON_TRACK, Reason(ReasonCode.DEADLINE_ON_TRACK, params)


def _cap_status(
    used: Decimal, cap: Decimal, warn_ratio: Decimal, object_kind: str
) -> tuple[ObligationStatus, Reason]:
    params: dict[str, ReasonValue] = {"used": used, "cap": cap, "object_kind": object_kind}
    if used > cap:
        return ObligationStatus.BREACHED, Reason(ReasonCode.CAP_OVER, params)
    if used >= cap * warn_ratio:
        return ObligationStatus.AT_RISK, Reason(ReasonCode.CAP_NEAR, params)
    return ObligationStatus.MET, Reason(ReasonCode.CAP_WITHIN, params)


def programme_periods(
    facts: ProgrammeFacts, period: Period, min_overlap_days: int
) -> Iterator[tuple[str, CountWindow]]:
    """The calendar months or years overlapping the programme by at least `min_overlap_days`.

    Each comes with its label ("2026-03" or "2026") and its window clipped to the programme's dates.
    """
    first, last, following, label = _PERIOD_SHAPES[period]
    period_start = first(facts.starts_on)
    while period_start <= facts.ends_on:
        start = max(period_start, facts.starts_on)
        due = min(last(period_start), facts.ends_on)
        if (due - start).days + 1 >= min_overlap_days:
            yield label(period_start), CountWindow(start=start, due=due)
        period_start = following(period_start)


_PERIOD_SHAPES: dict[
    Period,
    tuple[Callable[[date], date], Callable[[date], date], Callable[[date], date], Callable[[date], str]],
] = {
    Period.CALENDAR_MONTH: (
        month_start,
        month_end,
        lambda d: date(d.year + d.month // 12, d.month % 12 + 1, 1),
        lambda d: f"{d.year:04d}-{d.month:02d}",
    ),
    Period.CALENDAR_YEAR: (year_start, year_end, lambda d: date(d.year + 1, 1, 1), lambda d: f"{d.year:04d}"),
}
