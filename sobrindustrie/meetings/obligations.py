"""Adapt the programme's records to the obligations engine and its results to pages.

The engine (`sobrindustrie.engines.obligations`) is pure Python; this module reads the meetings,
minutes, progress reports and time entries, hands them over as the engine's dataclasses and maps
the ids it returns back to the records, with a French sentence built from the structured figures.

Record ids: a meeting is `str(pk)`; a progress report `r<pk>`; a time entry `t<pk>`.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from django.urls import reverse
from django.utils import formats, timezone
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext, pgettext_lazy

from sobrindustrie.engines.obligations import (
    DeliverableRecord,
    MeetingRecord,
    Milestone,
    ObligationKind,
    ObligationResult,
    ObligationStatus,
    ProgrammeFacts,
    ScopeKind,
    TimeRecord,
    default_catalogue,
    evaluate_obligations,
    milestone_calendar,
)
from sobrindustrie.meetings.enums import CAPPED_KINDS, MeetingStatus, ReportCode
from sobrindustrie.meetings.models import Meeting, ProgressReport, TimeEntry
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
        team_ids=tuple(t for t in meeting.team_ids if t in team_ids),
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


def _summary(result: ObligationResult, facts: _SummaryFacts) -> str:
    """A sentence in the interface's language built from the engine's structured figures.

    The engine's English explanation stays beside it on the page: it is the reference wording.
    """
    kind = default_catalogue().get(result.code).kind
    due = _date(result.due_on)
    if kind in (ObligationKind.COUNT, ObligationKind.PERIODIC_COUNT):
        held = ngettext("%(count)d meeting held counted", "%(count)d meetings held counted", facts.held) % {
            "count": facts.held
        }
        return _("%(held)s; due %(due)s.") % {"held": held, "due": due}
    if kind in (ObligationKind.DELIVERABLE_DEADLINE, ObligationKind.MINUTES_DEADLINE):
        if facts.submitted_on is None:
            if result.status == ObligationStatus.LATE:
                return _("Not submitted; it was due on %(due)s.") % {"due": due}
            return _("Not submitted yet; due on %(due)s.") % {"due": due}
        if result.status == ObligationStatus.BREACHED:
            return _("Submitted on %(date)s, after the due date of %(due)s.") % {
                "date": _date(facts.submitted_on),
                "due": due,
            }
        return _("Submitted on %(date)s, due on %(due)s.") % {"date": _date(facts.submitted_on), "due": due}
    if kind == ObligationKind.TIME_CAP and facts.cap is not None:
        text = _("%(used)s days spent for a cap of %(cap)s.") % {
            "used": _days(facts.used),
            "cap": _days(facts.cap),
        }
        if facts.used > facts.cap:
            text += " " + _("%(over)s days over the cap.") % {"over": _days(facts.used - facts.cap)}
        return text
    if kind == ObligationKind.FIRST_MEETING_MODE:
        if facts.first_mode is None:
            return _("No complete committee held yet; the first must be in person (or mixed).")
        return _("The first one, on %(date)s, was: %(mode)s.") % {
            "date": _date(facts.first_on),
            "mode": facts.first_mode.lower(),
        }
    return str(STATUS_LABELS[result.status])


@dataclass
class _SummaryFacts:
    held: int = 0
    submitted_on: dt.date | None = None
    used: Decimal = Decimal(0)
    cap: Decimal | None = None
    first_on: dt.date | None = None
    first_mode: str | None = None


def compliance(programme: Programme, today: dt.date | None = None) -> Compliance:
    """Every obligation instance of the programme with its status, explanation and records counted."""
    today = today or timezone.localdate()
    facts = programme_facts(programme, today)
    team_ids = frozenset(facts.team_ids)
    meetings = {
        str(m.pk): m
        for m in Meeting.objects.filter(programme=programme).select_related("minutes").order_by("starts_at")
    }
    reports = {f"r{r.pk}": r for r in ProgressReport.objects.filter(programme=programme)}
    entries = {
        f"t{e.pk}": e
        for e in TimeEntry.objects.filter(programme=programme, object_kind__in=CAPPED_KINDS).prefetch_related(
            "content_object"
        )
    }
    results = evaluate_obligations(
        facts,
        [meeting_record(m, today, team_ids) for m in meetings.values()],
        [
            DeliverableRecord(key, r.code, r.delivered_on if r.delivered_on <= today else None)
            for key, r in reports.items()
        ],
        [TimeRecord(key, e.object_kind, e.object_key, Decimal(e.days)) for key, e in entries.items()],
    )
    time_url = reverse("www:time_entries", args=[programme.slug])
    from sobrindustrie.teams.models import ProjectTeam

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
                    CountedRecord(f"{report.get_code_display()} ({_date(report.delivered_on)})", "")
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
        summary_facts = _SummaryFacts(held=sum(1 for i in result.counted_ids if i in meetings))
        counted_meetings = [meetings[i] for i in result.counted_ids if i in meetings]
        counted_entries = [entries[i] for i in result.counted_ids if i in entries]
        counted_reports = [reports[i] for i in result.counted_ids if i in reports]
        if counted_reports:
            summary_facts.submitted_on = counted_reports[0].delivered_on
        elif result.scope_kind == ScopeKind.MEETING and counted_meetings:
            minutes = counted_meetings[0].minutes_or_none
            summary_facts.submitted_on = minutes.first_submitted_on if minutes else None
        if counted_entries:
            summary_facts.used = sum((Decimal(e.days) for e in counted_entries), Decimal(0))
            summary_facts.cap = facts.caps.get(counted_entries[0].object_kind)
        if counted_meetings:
            summary_facts.first_on = counted_meetings[0].starts_on
            summary_facts.first_mode = counted_meetings[0].get_mode_display()
        rows.append(
            ObligationRow(
                result=result,
                label=str(OBLIGATION_LABELS.get(result.code, result.label)),
                status_label=str(STATUS_LABELS[result.status]),
                badge=STATUS_BADGES[result.status],
                summary=_summary(result, summary_facts),
                scope_label=scope_label,
                counted=counted,
            )
        )
    return Compliance(today=today, rows=rows, milestones=milestone_calendar(facts))


def report_choices_left(programme: Programme) -> list[tuple[str, str]]:
    done = set(ProgressReport.objects.filter(programme=programme).values_list("code", flat=True))
    return [(code, str(label)) for code, label in ReportCode.choices if code not in done]
