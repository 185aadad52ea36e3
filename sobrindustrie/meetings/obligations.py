"""Adapt the programme's records to the obligations engine and its results to pages.

The engine (`sobrindustrie.engines.obligations`) is pure Python; this module reads the meetings,
minutes, the deliverables registry's reports and the time entries, hands them over as the engine's
dataclasses and maps the ids it returns back to the records, with a sentence in the interface's
language built from the structured figures.

The registry is the only record of what was delivered: a report counts as delivered on
`Deliverable.delivered_on`, the same property the registry page shows, so the two cannot disagree.

Record ids: a meeting is `str(pk)`; a report of the registry `d<pk>`; a time entry `t<pk>`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Prefetch
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext, pgettext_lazy

from sobrindustrie.deliverables.catalogue import BY_CODE, KINDS
from sobrindustrie.deliverables.models import Deliverable
from sobrindustrie.engines.obligations import (
    DeliverableRecord,
    MeetingRecord,
    Milestone,
    ObligationResult,
    ObligationStatus,
    ProgrammeFacts,
    Reason,
    ReasonCode,
    ScopeKind,
    TimeRecord,
    evaluate_obligations,
    milestone_calendar,
)
from sobrindustrie.meetings.enums import CAPPED_KINDS, MeetingMode, MeetingStatus, TimeObjectKind
from sobrindustrie.meetings.models import Meeting, TimeEntry
from sobrindustrie.meetings.timesheets import caps_of
from sobrindustrie.programmes.models import Programme

#: French (translatable) names of the catalogue's obligations; the catalogue's labels are English.
OBLIGATION_LABELS: dict[str, Promise] = {
    "REPORT_M6": gettext_lazy("Progress report at 6 months (all Axis 1 deliverables)"),
    "REPORT_M12": gettext_lazy("Progress report at 12 months (Axis 2 and 3 deliverables)"),
    "REPORT_M18": gettext_lazy("Progress report at 18 months (Axis 2 and 3 deliverables)"),
    "REPORT_FINAL": gettext_lazy("Provisional final report, 2 months before the end"),
    "ADEME_EXCHANGE_MONTHLY": gettext_lazy("Exchange with the ADEME PACA team every month"),
    "COPIL_KICKOFF": gettext_lazy("Kick-off COPIL"),
    "COPIL_CLOSING": gettext_lazy("Closing COPIL"),
    "PARTNERS_COMMITTEE_YEARLY": gettext_lazy("Complete partners' committee every year"),
    "PARTNERS_COMMITTEE_FIRST_IN_PERSON": gettext_lazy("First complete partners' committee in person"),
    "MINUTES_WITHIN_5_WORKING_DAYS": gettext_lazy("Minutes within 5 working days"),
    "WORKSHOP_1": gettext_lazy("Collective workshop 1"),
    "WEBINARS_AFTER_WORKSHOP_1": gettext_lazy("One or two webinars after workshop 1"),
    "WORKSHOP_2": gettext_lazy("Collective workshop 2 (project teams)"),
    "TEAM_FOLLOWUP_MIN": gettext_lazy("At least 3 follow-up meetings per project team"),
    "COLLECTIVE_SESSIONS_MIN": gettext_lazy("At least 3 collective sessions"),
    "STRATEGIC_COORDINATION_ATTENDED": gettext_lazy("At least one strategic coordination meeting attended"),
    "EVALUATION_MEETING_PER_PROJECT": gettext_lazy("An Empreinte Projet evaluation meeting per project"),
    "RESTITUTION_INTERMEDIATE": gettext_lazy("Intermediate restitution event (end of 2026)"),
    "RESTITUTION_FINAL_EVENT": gettext_lazy("Final restitution event, in person (end of 2027)"),
    "SYNTHESIS_WEBINAR": gettext_lazy("Synthetic webinar (end of 2027)"),
    "DIAGNOSTIC_DAYS_CAP": gettext_lazy("Days per diagnostic within the cap"),
    "FUNDING_ORDER_DAYS_CAP": gettext_lazy("Days per funding order within the cap"),
    "EVALUATION_DAYS_CAP": gettext_lazy("Days per environmental evaluation within the cap"),
}

STATUS_LABELS: dict[str, Promise] = {
    ObligationStatus.MET: pgettext_lazy("obligation status", "Met"),
    ObligationStatus.ON_TRACK: pgettext_lazy("obligation status", "On track"),
    ObligationStatus.AT_RISK: pgettext_lazy("obligation status", "At risk"),
    ObligationStatus.LATE: pgettext_lazy("obligation status", "Late"),
    ObligationStatus.BREACHED: pgettext_lazy("obligation status", "Breached"),
}
#: DSFR badge variants; the badge always carries the status's words, never colour alone.
STATUS_BADGES = {
    ObligationStatus.MET: "success",
    ObligationStatus.ON_TRACK: "info",
    ObligationStatus.AT_RISK: "warning",
    ObligationStatus.LATE: "error",
    ObligationStatus.BREACHED: "error",
}
STATUS_ORDER = list(ObligationStatus)


def team_ids_of(programme: Programme) -> tuple[str, ...]:
    """The programme's project teams, as the engine's ids (their primary keys as text)."""
    from sobrindustrie.teams.models import ProjectTeam

    return tuple(
        str(pk)
        for pk in ProjectTeam.objects.for_programme(programme).order_by("pk").values_list("pk", flat=True)
    )


def programme_facts(programme: Programme, today: dt.date) -> ProgrammeFacts:
    return ProgrammeFacts(
        notified_on=programme.notified_on,
        starts_on=programme.starts_on,
        ends_on=programme.ends_on,
        today=today,
        team_ids=team_ids_of(programme),
        caps={kind.value: Decimal(cap) for kind, cap in caps_of(programme).items()},
    )


def _dated(value: dt.datetime | None, lower: dt.date, today: dt.date) -> dt.date | None:
    # The engine refuses dates outside [meeting, today]: a clock skew or an edited meeting date must
    # not break the dashboard, so such a date is treated as unknown.
    if value is None:
        return None
    day = timezone.localdate(value)
    return day if lower <= day <= today else None


def meeting_record(meeting: Meeting, today: dt.date, team_ids: frozenset[str]) -> MeetingRecord:
    starts_on = meeting.starts_on
    held = meeting.status == MeetingStatus.HELD and starts_on <= today
    minutes = getattr(meeting, "minutes", None)
    submitted = validated = None
    if held and minutes is not None:
        submitted = _dated(minutes.first_submitted_at, starts_on, today)
        validated = _dated(minutes.validated_at, starts_on, today) if submitted else None
    return MeetingRecord(
        id=str(meeting.pk),
        kind=meeting.kind,
        starts_at=starts_on,
        held=held,
        cancelled=meeting.status == MeetingStatus.CANCELLED,
        mode=meeting.mode or None,
        team_ids=tuple(key for t in meeting.teams.all() if (key := str(t.pk)) in team_ids),
        attended_by_consultant=meeting.attended_by_consultant,
        minutes_submitted_on=submitted,
        minutes_validated_on=validated,
    )


@dataclass
class CountedRecord:
    label: str
    url: str


@dataclass
class ObligationRow:
    result: ObligationResult
    label: str
    status_label: str
    badge: str
    summary: str
    scope_label: str = ""
    counted: list[CountedRecord] = field(default_factory=list)

    @property
    def status(self) -> str:
        return self.result.status.value


@dataclass
class Compliance:
    today: dt.date
    rows: list[ObligationRow]
    milestones: list[Milestone]

    def counts(self) -> list[tuple[str, str, str, int]]:
        """(status, label, badge, count) for every status, in order from best to worst."""
        return [
            (
                status.value,
                str(STATUS_LABELS[status]),
                STATUS_BADGES[status],
                sum(1 for row in self.rows if row.result.status == status),
            )
            for status in STATUS_ORDER
        ]


def _date(value: dt.date | None) -> str:
    return formats.date_format(value, "j F Y") if value else ""


def _days(value: Decimal) -> str:
    return formats.number_format(value.normalize(), use_l10n=True)


def _day_count(days: int) -> str:
    return ngettext("%(count)d day", "%(count)d days", days) % {"count": days}


def _requirement(minimum: int, maximum: int | None) -> str:
    if maximum is None:
        return _("at least %(minimum)d") % {"minimum": minimum}
    if minimum == maximum:
        return _("exactly %(minimum)d") % {"minimum": minimum}
    if minimum == 0:
        return _("at most %(maximum)d") % {"maximum": maximum}
    return _("%(minimum)d to %(maximum)d") % {"minimum": minimum, "maximum": maximum}


def _modes(codes: Iterable[str]) -> str:
    labels = dict(MeetingMode.choices)
    return _(" or ").join(str(labels.get(code, code)).lower() for code in codes)


def describe(reason: Reason) -> str:
    """The engine's reason as a sentence in the interface's language, from its code and parameters."""
    family = reason.code.value.split(".", 1)[0]
    if family == "count":
        return _describe_count(reason)
    if family == "mode":
        return _describe_mode(reason)
    if family == "deadline":
        return _describe_deadline(reason)
    return _describe_cap(reason)


def _describe_count(reason: Reason) -> str:
    p = reason.params
    maximum = p["maximum"]
    values = {
        "held": p["held"],
        "planned": p["planned"],
        "maximum": maximum,
        "required": _requirement(int(p["minimum"] or 0), None if maximum is None else int(str(maximum))),
        "span": (
            _("by %(due)s (counting starts at a meeting not held yet)") % {"due": _date(p["due"])}  # type: ignore[arg-type]
            if p["start"] is None
            else _("between %(start)s and %(due)s") % {"start": _date(p["start"]), "due": _date(p["due"])}  # type: ignore[arg-type]
        ),
    }
    code = reason.code
    if code is ReasonCode.COUNT_ABOVE_MAXIMUM:
        return _("%(held)s held %(span)s, above the maximum of %(maximum)s.") % values
    if code is ReasonCode.COUNT_WOULD_EXCEED:
        return (
            _(
                "%(held)s held and %(planned)s planned %(span)s: holding them all would exceed the maximum of "
                "%(maximum)s."
            )
            % values
        )
    if code is ReasonCode.COUNT_MET:
        return _("%(held)s held %(span)s (%(required)s required).") % values
    if code is ReasonCode.COUNT_SHORT:
        return _("%(held)s held %(span)s, short of the %(required)s required.") % values
    if p["not_open_yet"]:
        situation = _("Not open yet: %(planned)s planned %(span)s (%(required)s required)") % values
    else:
        situation = _("%(held)s held and %(planned)s planned %(span)s (%(required)s required)") % values
    more = {"situation": situation, "missing": p["missing"], "left": _day_count(int(str(p["days_left"])))}
    if code is ReasonCode.COUNT_PLANNED_COVER:
        return _("%(situation)s; the planned meetings cover what is missing.") % more
    if code is ReasonCode.COUNT_MISSING_SOON:
        return _("%(situation)s; %(missing)s more to plan with %(left)s left.") % more
    return _("%(situation)s; %(missing)s more to plan, %(left)s left.") % more


def _describe_mode(reason: Reason) -> str:
    p = reason.params
    labels = dict(MeetingMode.choices)
    values = {
        "allowed": _modes(p["allowed"] or ()),  # type: ignore[arg-type]
        "mode": str(labels.get(str(p.get("mode")), p.get("mode") or "")).lower(),
        "date": _date(p.get("first_on") or p.get("planned_on")),  # type: ignore[arg-type]
    }
    code = reason.code
    if code is ReasonCode.MODE_NEXT_WRONG:
        return _("None held yet; the next one, planned on %(date)s, is %(mode)s, not %(allowed)s.") % values
    if code is ReasonCode.MODE_NONE_YET:
        return _("None held yet; the first one must be %(allowed)s.") % values
    if code is ReasonCode.MODE_MET:
        return _("The first one, on %(date)s, was %(mode)s.") % values
    if code is ReasonCode.MODE_UNKNOWN:
        return _("The first one, on %(date)s, has no mode recorded; it must be %(allowed)s.") % values
    return _("The first one, on %(date)s, was %(mode)s, not %(allowed)s.") % values


def _describe_deadline(reason: Reason) -> str:
    p = reason.params
    if "deliverable" in p:
        kind = BY_CODE.get(str(p["deliverable"]))
        what = str(kind.title) if kind else str(p["deliverable"])
    else:
        # The row names the meeting already (its title); the date tells which one it was.
        what = _("Minutes of the meeting of %(date)s") % {"date": _date(p["meeting_on"])}  # type: ignore[arg-type]
    values = {
        "what": what,
        "due": _date(p["due"]),  # type: ignore[arg-type]
        "date": _date(p["submitted_on"]),  # type: ignore[arg-type]
        "days": _day_count(int(str(p.get("days") or 0))),
    }
    code = reason.code
    if code is ReasonCode.DEADLINE_MET:
        return _("%(what)s: submitted on %(date)s, due on %(due)s.") % values
    if code is ReasonCode.DEADLINE_SUBMITTED_LATE:
        return _("%(what)s: submitted on %(date)s, %(days)s after the due date of %(due)s.") % values
    if code is ReasonCode.DEADLINE_LATE:
        return _("%(what)s: not submitted; it was due on %(due)s, %(days)s ago.") % values
    return _("%(what)s: not submitted yet; due on %(due)s, in %(days)s.") % values


def _describe_cap(reason: Reason) -> str:
    p = reason.params
    used, cap = Decimal(str(p["used"])), Decimal(str(p["cap"]))
    kind = str(dict(TimeObjectKind.choices).get(str(p["object_kind"]), p["object_kind"])).lower()
    values = {"used": _days(used), "cap": _days(cap), "kind": kind}
    if reason.code is ReasonCode.CAP_OVER:
        return _("%(used)s days spent on this %(kind)s for a cap of %(cap)s: %(over)s days over.") % {
            **values,
            "over": _days(used - cap),
        }
    if reason.code is ReasonCode.CAP_NEAR:
        return _("%(used)s days spent on this %(kind)s for a cap of %(cap)s: %(left)s days left.") % {
            **values,
            "left": _days(cap - used),
        }
    return _("%(used)s days spent on this %(kind)s for a cap of %(cap)s.") % values


def compliance(programme: Programme, today: dt.date | None = None) -> Compliance:
    """Every obligation instance of the programme with its status, explanation and records counted."""
    today = today or timezone.localdate()
    facts = programme_facts(programme, today)
    from sobrindustrie.teams.models import ProjectTeam

    team_ids = frozenset(facts.team_ids)
    meetings = {
        str(m.pk): m
        for m in Meeting.objects.filter(programme=programme)
        .select_related("minutes")
        .prefetch_related(Prefetch("teams", queryset=ProjectTeam.objects.only("pk").order_by("pk")))
        .order_by("starts_at")
    }
    reports = {f"d{r.pk}": r for r in delivered_reports(programme, today)}
    entries = {
        f"t{e.pk}": e
        for e in TimeEntry.objects.filter(programme=programme, object_kind__in=CAPPED_KINDS).prefetch_related(
            "content_object"
        )
    }
    results = evaluate_obligations(
        facts,
        [meeting_record(m, today, team_ids) for m in meetings.values()],
        [DeliverableRecord(key, r.code, r.delivered_on) for key, r in reports.items()],
        [TimeRecord(key, e.object_kind, e.object_key, Decimal(e.days)) for key, e in entries.items()],
    )
    time_url = reverse("www:time_entries", args=[programme.slug])

    team_names = {
        str(pk): name for pk, name in ProjectTeam.objects.for_programme(programme).values_list("pk", "name")
    }
    rows = []
    for result in results:
        counted: list[CountedRecord] = []
        for record_id in result.counted_ids:
            if record_id in meetings:
                meeting = meetings[record_id]
                counted.append(
                    CountedRecord(f"{meeting.title} ({_date(meeting.starts_on)})", meeting.get_absolute_url())
                )
            elif record_id in reports:
                report = reports[record_id]
                counted.append(
                    CountedRecord(
                        f"{report.kind.title} ({_date(report.delivered_on)})",
                        reverse("www:deliverable_detail", args=[programme.slug, report.kind.slug]),
                    )
                )
            elif record_id in entries:
                entry = entries[record_id]
                counted.append(CountedRecord(f"{_date(entry.date)} — {entry.days} j", time_url))
        scope_label = ""
        if result.scope_kind == ScopeKind.TEAM:
            scope_label = team_names.get(result.scope, "")
        elif result.scope_kind == ScopeKind.MEETING and result.scope in meetings:
            scope_label = meetings[result.scope].title
        elif (
            result.scope_kind == ScopeKind.OBJECT and result.counted_ids and result.counted_ids[0] in entries
        ):
            scope_label = entries[result.counted_ids[0]].object_display
        elif result.period:
            scope_label = result.period
        rows.append(
            ObligationRow(
                result=result,
                label=str(OBLIGATION_LABELS.get(result.code, result.label)),
                status_label=str(STATUS_LABELS[result.status]),
                badge=STATUS_BADGES[result.status],
                summary=describe(result.reason),
                scope_label=scope_label,
                counted=counted,
            )
        )
    return Compliance(today=today, rows=rows, milestones=milestone_calendar(facts))


REPORT_CODES = tuple(kind.code for kind in KINDS if kind.is_report)


def delivered_reports(programme: Programme, today: dt.date) -> list[Deliverable]:
    """The contractual reports the registry counts as delivered (submitted or validated) by `today`."""
    rows = Deliverable.objects.filter(programme=programme, code__in=REPORT_CODES).order_by("code")
    return [row for row in rows if row.delivered_on is not None and row.delivered_on <= today]
