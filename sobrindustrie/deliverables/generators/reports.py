"""Generators of the programme-wide deliverables and of the contractual reports.

- `inventory` (L4.1): every element produced, one row each, grouped by step, as a spreadsheet;
- `synthesis_report` (L4.3): the synthesis report (Word) and the internal presentation (PowerPoint);
- `communication_support` (L4.4): slides promoting the published projects to outside audiences;
- `progress_report_m6`, `_m12`, `_m18` (CCTP 3.2) and `final_report`: the Word reports that carry
  the deliverables, the consultant's synthesis, the COPIL decision record and key figures.

Figures are read live through the area apps' own readers (survey results, time totals, the action
plans' overview, the funding synthesis), once per generation, by `ProgrammeFigures`.
"""

from __future__ import annotations

import datetime as dt
import io
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from functools import cached_property
from typing import Any

from django.db.models import Count, Prefetch, Q
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter
from PIL import Image
from pptx import Presentation
from pptx.util import Emu, Inches, Pt

from sobrindustrie.actionplans.enums import ActionStatus
from sobrindustrie.actionplans.models import Difficulty, ExperienceNote
from sobrindustrie.actionplans.progress import TeamSummary, overview_teams, programme_overview
from sobrindustrie.cooperation.models import CooperationAnalysis, Scenario
from sobrindustrie.core.spreadsheets import append_row, workbook_bytes
from sobrindustrie.deliverables.catalogue import AXIS_TITLES, BY_CODE, KINDS, REPORT_CONTENTS
from sobrindustrie.deliverables.enums import DeliverableStatus
from sobrindustrie.deliverables.generators.base import GeneratedFile, GenerationContext, MissingData
from sobrindustrie.deliverables.generators.charts import (
    Chart,
    Series,
    bar_chart,
    number,
    satisfaction_chart,
    time_chart,
)
from sobrindustrie.deliverables.generators.docx_helpers import ReportWriter, text_lines
from sobrindustrie.deliverables.models import Deliverable, DeliverableFile
from sobrindustrie.deliverables.office import finalise
from sobrindustrie.diagnostics.enums import BarrierCategory, DiagnosticStatus, OpportunityStatus
from sobrindustrie.diagnostics.models import Barrier, Diagnostic, MethodVersion, Opportunity
from sobrindustrie.diagnostics.synthesis import COUNTED_STATUSES
from sobrindustrie.documents.enums import Category
from sobrindustrie.documents.models import Document, DocumentVersion, ShowcasePage
from sobrindustrie.documents.showcase import ProjectFigures, project_figures
from sobrindustrie.engines.obligations import milestone_calendar
from sobrindustrie.evaluation.enums import EvaluationStatus
from sobrindustrie.evaluation.grid import load_grid
from sobrindustrie.evaluation.models import Evaluation, GhgBalance
from sobrindustrie.funding.enums import ApplicationStatus
from sobrindustrie.funding.models import FundingApplication
from sobrindustrie.funding.synthesis import FundingSynthesis, SynthesisLine, funding_synthesis, money
from sobrindustrie.funding.synthesis import _add as add_to_line
from sobrindustrie.meetings.enums import (
    CAPPED_KINDS,
    Attendance,
    MeetingKind,
    MeetingStatus,
    MinutesStatus,
    QuestionKind,
    TimeObjectKind,
)
from sobrindustrie.meetings.models import Decision, Meeting, Minutes, MinutesLog, RestitutionEvent, TimeEntry
from sobrindustrie.meetings.obligations import programme_facts
from sobrindustrie.meetings.results import survey_results
from sobrindustrie.meetings.timesheets import AxisTotal, axis_totals, caps_of, object_totals
from sobrindustrie.organisations.enums import OrganisationKind
from sobrindustrie.organisations.models import Organisation
from sobrindustrie.programmes.models import Programme
from sobrindustrie.teams.enums import ProspectStatus
from sobrindustrie.teams.models import ProjectTeam, Prospect, ProspectContact, TeamMembership

#: The axis each kind of meeting belongs to (CCTP 2.2); 0 for steering and reporting to ADEME.
MEETING_AXIS: dict[str, int] = {
    MeetingKind.WORKSHOP_1: 1,
    MeetingKind.WORKSHOP_2: 1,
    MeetingKind.WEBINAR: 1,
    MeetingKind.ACTION_PLAN_WORKSHOP: 1,
    MeetingKind.PARTNERS_COMMITTEE: 1,
    MeetingKind.PARTNERS_SUBGROUP: 1,
    MeetingKind.TEAM_FOLLOWUP: 2,
    MeetingKind.COLLECTIVE_SESSION: 2,
    MeetingKind.STRATEGIC_COORDINATION: 2,
    MeetingKind.FUNDER_INTERVIEW: 3,
    MeetingKind.EVALUATION_MEETING: 4,
    MeetingKind.RESTITUTION_EVENT: 4,
    MeetingKind.COPIL: 0,
    MeetingKind.ADEME_EXCHANGE: 0,
}
STEERING = gettext_lazy("Steering and reporting")
NO_STEP = gettext_lazy("Shared documents not tied to a meeting")
PHASES = (1, 2, 3, 4)
TITLE_SIZE = Pt(28)
#: Bullets per slide before a list continues on the next slide.
BULLETS_PER_SLIDE = 7
#: Showcase images are scaled down to this many pixels on their longer side before going into slides.
IMAGE_MAX_PIXELS = 1200
EMPTY = "—"
#: Deliverables that print the count of deliverable files (L4.1's key figures): not counted themselves.
SELF_DESCRIBING = frozenset({"L4.1", "L4.3", *(kind.code for kind in KINDS if kind.is_report)})


# --- Shared readers and formatting ----------------------------------------------------------------


def _today(ctx: GenerationContext) -> dt.date:
    return timezone.localdate(ctx.now)


def _date(value: dt.date | None) -> str:
    return str(formats.date_format(value, "DATE_FORMAT")) if value else EMPTY


def _days(value: Decimal | float) -> str:
    return number(float(value), 2)


def _file(ctx: GenerationContext, code: str, title: str, content: bytes, fmt: str) -> GeneratedFile:
    finished = finalise(content, fmt, title=title, author=ctx.author, language=ctx.language, when=ctx.now)
    return GeneratedFile(name=f"{code}-{slugify(title)}.{fmt}", content=finished, title=title)


def _registry_row(programme: Programme, code: str) -> Deliverable | None:
    return Deliverable.objects.filter(programme=programme, code=code).select_related("copil_meeting").first()


def report_due_on(programme: Programme, code: str, today: dt.date) -> dt.date:
    """The due date of the report that carries `code`, as the obligations engine computes it."""
    due_with = BY_CODE[code].due_with
    for milestone in milestone_calendar(programme_facts(programme, today)):
        if milestone.code == due_with:
            return milestone.due_on
    raise LookupError(f"the obligations catalogue has no milestone {due_with}")


def _meeting_label(meeting: Meeting) -> str:
    return f"{meeting.title} ({formats.date_format(meeting.starts_on, 'SHORT_DATE_FORMAT')})"


# --- Figures of the programme ---------------------------------------------------------------------


@dataclass
class SurveySummary:
    meeting: Meeting
    invited: int
    responded: int
    response_rate: int | None
    rating: float | None  # mean of the answers to the 1–5 questions
    score: float | None  # mean of the answers to the 0–10 questions


def summarise_survey(meeting: Meeting) -> SurveySummary:
    """A meeting's survey in a few numbers, means computed exactly from the answers' distributions."""
    results = survey_results(meeting.survey)
    sums = {QuestionKind.RATING_5: [0, 0], QuestionKind.SCORE_10: [0, 0]}
    for result in results.questions:
        total = sums.get(QuestionKind(result.question.kind))
        if total is None:
            continue
        for bar in result.distribution:
            total[0] += int(bar.label) * bar.count
            total[1] += bar.count

    def mean(kind: QuestionKind) -> float | None:
        value, count = sums[kind]
        return round(value / count, 1) if count else None

    return SurveySummary(
        meeting,
        results.invited,
        results.responded,
        results.response_rate,
        mean(QuestionKind.RATING_5),
        mean(QuestionKind.SCORE_10),
    )


@dataclass
class BarrierLine:
    label: str
    companies: int
    count: int
    examples: list[str]


@dataclass
class CappedWork:
    kind: str
    label: str
    objects: int
    days: Decimal
    cap: Decimal
    over_cap: int

    @property
    def envelope(self) -> Decimal:
        """The cap times the objects worked on: the days the contract allows for them."""
        return self.cap * self.objects


class ProgrammeFigures:
    """The programme's figures as of `today`, each area read once, with a fixed number of queries.

    A periodic report passes the end of its period as `today`: meetings, time entries and difficulties
    dated after it are left out, and lateness is judged on that day, so regenerating a past report
    later does not change its figures. Records without a date of their own (a diagnostic's status, a
    team's membership) are read as they stand.
    """

    def __init__(self, programme: Programme, today: dt.date) -> None:
        self.programme = programme
        self.today = today

    @property
    def _end(self) -> dt.datetime:
        """The first instant after `today`, in local time."""
        return timezone.make_aware(dt.datetime.combine(self.today + dt.timedelta(days=1), dt.time.min))

    # Meetings and surveys

    @cached_property
    def meetings(self) -> list[Meeting]:
        present = Q(invitations__attendance=Attendance.PRESENT)
        return list(
            Meeting.objects.for_programme(self.programme)
            .filter(starts_at__lt=self._end)
            .select_related("minutes", "survey")
            .annotate(
                present_count=Count("invitations", filter=present, distinct=True),
                guest_count=Count("guests", filter=Q(guests__attendance=Attendance.PRESENT), distinct=True),
            )
            .order_by("starts_at", "pk")
        )

    def held(self, *kinds: str) -> list[Meeting]:
        return [m for m in self.meetings if m.status == MeetingStatus.HELD and m.kind in kinds]

    @staticmethod
    def validated_minutes(meetings: Iterable[Meeting]) -> int:
        return sum(
            1
            for meeting in meetings
            if meeting.minutes_or_none is not None
            and meeting.minutes_or_none.status == MinutesStatus.VALIDATED
        )

    @staticmethod
    def present(meeting: Meeting) -> int:
        return int(meeting.present_count) + int(meeting.guest_count)  # type: ignore[attr-defined]

    @cached_property
    def surveys(self) -> list[SurveySummary]:
        return [
            summarise_survey(meeting)
            for meeting in self.meetings
            if meeting.status == MeetingStatus.HELD and meeting.survey_or_none is not None
        ]

    def survey_of(self, meeting: Meeting) -> SurveySummary | None:
        return next((s for s in self.surveys if s.meeting.pk == meeting.pk), None)

    @cached_property
    def restitution_notes(self) -> int:
        return RestitutionEvent.objects.filter(meeting__programme=self.programme).exclude(notes="").count()

    # Diagnostics and cooperation

    @cached_property
    def laureates(self) -> int:
        return Organisation.objects.for_programme(self.programme).laureates().active().count()

    @cached_property
    def diagnostic_statuses(self) -> Counter[str]:
        return Counter(Diagnostic.objects.for_programme(self.programme).values_list("status", flat=True))

    @property
    def diagnosed(self) -> int:
        return sum(self.diagnostic_statuses[status] for status in COUNTED_STATUSES)

    @cached_property
    def retained_opportunities(self) -> int:
        return Opportunity.objects.filter(
            diagnostic__programme=self.programme, status=OpportunityStatus.RETAINED
        ).count()

    @cached_property
    def barriers(self) -> list[BarrierLine]:
        """Barriers noted in the diagnostics, per category, the most widely shared first."""
        rows = (
            Barrier.objects.filter(opportunity__diagnostic__programme=self.programme)
            .exclude(opportunity__status=OpportunityStatus.DISMISSED)
            .values_list("category", "comment", "opportunity__diagnostic__organisation_id")
            .order_by("category", "comment", "pk")
        )
        grouped: dict[str, tuple[set[int], list[str]]] = {}
        counts: Counter[str] = Counter()
        for category, comment, organisation_id in rows:
            companies, comments = grouped.setdefault(category, (set(), []))
            companies.add(organisation_id)
            counts[category] += 1
            if comment.strip() and comment.strip() not in comments:
                comments.append(comment.strip())
        labels = dict(BarrierCategory.choices)
        lines = [
            BarrierLine(str(labels.get(category, category)), len(companies), counts[category], comments[:3])
            for category, (companies, comments) in grouped.items()
        ]
        return sorted(lines, key=lambda line: (-line.companies, -line.count, line.label))

    @cached_property
    def cooperation(self) -> tuple[CooperationAnalysis | None, Scenario | None]:
        analysis = CooperationAnalysis.objects.latest_for(self.programme)
        scenario = (
            Scenario.objects.for_programme(self.programme)
            .filter(adopted_at__isnull=False)
            .order_by("-adopted_at", "-pk")
            .first()
        )
        return analysis, scenario  # type: ignore[return-value]

    # Teams, prospecting and action plans

    @cached_property
    def team_summaries(self) -> list[TeamSummary]:
        teams = overview_teams(ProjectTeam.objects.for_programme(self.programme).order_by("name", "pk"))
        return programme_overview(teams, self.today)

    @cached_property
    def member_organisations(self) -> tuple[int, int]:
        """Organisations currently in a team: all of them, and those that are not laureate SMEs."""
        rows = set(
            TeamMembership.objects.current()
            .filter(team__programme=self.programme)
            .values_list("organisation_id", "organisation__kind")
        )
        return len(rows), sum(1 for _pk, kind in rows if kind != OrganisationKind.LAUREATE_SME)

    @cached_property
    def prospects(self) -> tuple[Counter[str], int]:
        statuses = Counter(Prospect.objects.for_programme(self.programme).values_list("status", flat=True))
        contacts = ProspectContact.objects.filter(prospect__team__programme=self.programme).count()
        return statuses, contacts

    @cached_property
    def actions(self) -> list[Any]:
        return [action for s in self.team_summaries if s.plan is not None for action in s.plan.actions.all()]

    @cached_property
    def difficulties(self) -> list[Difficulty]:
        return list(
            Difficulty.objects.for_programme(self.programme)
            .annotate(noted_at=Coalesce("raised_at", "created_at"))
            .filter(noted_at__lt=self._end)
            .select_related("action__plan__team", "follow_up")
            .order_by("action__plan__team__name", "created_at", "pk")
        )

    # Funding, evaluation, publication, time

    @cached_property
    def funding(self) -> FundingSynthesis:
        return funding_synthesis(self.programme, self.today)

    @cached_property
    def evaluations(self) -> list[tuple[str, str]]:
        return list(
            Evaluation.objects.for_programme(self.programme)
            .order_by("pk")
            .values_list("status", "grid_version")
        )

    @cached_property
    def published_pages(self) -> int:
        return ShowcasePage.objects.published().filter(team__programme=self.programme).count()

    @cached_property
    def produced_counts(self) -> tuple[int, int, int]:
        """Documents shared, minutes written and files of the deliverables' latest versions, leaving out
        the deliverables whose text gives this count (else each generation would change the next)."""
        documents = Document.objects.for_programme(self.programme).count()
        minutes = Minutes.objects.filter(meeting__programme=self.programme).exclude(body="").count()
        files = sum(
            len(files) for code, files in _latest_files(self.programme).items() if code not in SELF_DESCRIBING
        )
        return documents, minutes, files

    @cached_property
    def time_entries(self) -> list[TimeEntry]:
        return list(
            TimeEntry.objects.for_programme(self.programme)
            .filter(date__lte=self.today)
            .select_related("content_type")
            .prefetch_related("content_object")
            .order_by("date", "pk")
        )

    @cached_property
    def axis_days(self) -> list[AxisTotal]:
        return axis_totals(self.time_entries)

    @cached_property
    def capped_work(self) -> list[CappedWork]:
        totals = object_totals(self.programme, self.time_entries)
        caps = caps_of(self.programme)
        work = []
        for kind in TimeObjectKind:
            if kind not in CAPPED_KINDS:
                continue
            objects = [total for total in totals if total.kind == kind]
            work.append(
                CappedWork(
                    kind.value,
                    str(kind.label),
                    len(objects),
                    sum((total.days for total in objects), Decimal(0)),
                    caps[kind],
                    sum(1 for total in objects if total.over_cap),
                )
            )
        return work

    @cached_property
    def diagnostics_by_status(self) -> list[tuple[str, int]]:
        statuses = self.diagnostic_statuses
        return [(str(label), statuses[value]) for value, label in DiagnosticStatus.choices if statuses[value]]

    @cached_property
    def team_accounts(self) -> list[TeamAccount]:
        """One account per team for the per-team sections of the reports (a fixed number of queries)."""
        memberships: dict[int, list[TeamMembership]] = {}
        for membership in (
            TeamMembership.objects.filter(team__programme=self.programme, joined_on__lte=self.today)
            .filter(Q(left_on__isnull=True) | Q(left_on__gt=self.today))
            .select_related("organisation")
            .order_by("organisation__name", "pk")
        ):
            memberships.setdefault(membership.team_id, []).append(membership)
        applications: dict[int, list[FundingApplication]] = {}
        for application in (
            FundingApplication.objects.for_programme(self.programme)
            .exclude(status=ApplicationStatus.WITHDRAWN)
            .select_related("action__plan")
            .order_by("pk")
        ):
            applications.setdefault(application.action.plan.team_id, []).append(application)
        balances: dict[int, list[tuple[str, GhgBalance]]] = {}
        for balance in (
            GhgBalance.objects.filter(evaluation__programme=self.programme, central_kg__isnull=False)
            .select_related("evaluation")
            .order_by("evaluation__title", "pk")
        ):
            if balance.evaluation.team_id is not None:
                balances.setdefault(balance.evaluation.team_id, []).append(
                    (balance.evaluation.title, balance)
                )
        accounts = []
        for summary in self.team_summaries:
            team = summary.team
            funding = SynthesisLine(str(team.pk), team.name)
            team_apps = applications.get(team.pk, [])
            budgets = {app.action_id: app.action.total_budget_eur or Decimal(0) for app in team_apps}
            for application in team_apps:
                add_to_line(funding, application, budgets)
            actions = list(summary.plan.actions.all()) if summary.plan is not None else []
            late_steps = [
                (action.title, step.title, step.due_on)
                for action in actions
                for step in action.steps.all()
                if step.is_overdue(self.today)
            ]
            accounts.append(
                TeamAccount(
                    summary=summary,
                    members=memberships.get(team.pk, []),
                    actions=actions,
                    late_steps=late_steps,
                    funding=funding,
                    balances=balances.get(team.pk, []),
                    difficulties=[d for d in self.difficulties if d.action.plan.team_id == team.pk],
                )
            )
        return accounts


@dataclass
class TeamAccount:
    summary: TeamSummary
    members: list[TeamMembership]
    actions: list[Any]
    late_steps: list[tuple[str, str, dt.date | None]]
    funding: SynthesisLine
    balances: list[tuple[str, GhgBalance]]  # (project evaluated, its computed balance)
    difficulties: list[Difficulty]

    @property
    def name(self) -> str:
        return str(self.summary.team.name)

    @property
    def balance_t(self) -> float | None:
        """The team's projects' net balance, tCO2e a year (negative: emissions avoided)."""
        if not self.balances:
            return None
        return sum(balance.central_kg or 0.0 for _title, balance in self.balances) / 1000


# --- Key figures per deliverable ------------------------------------------------------------------
# Phrased as "what: how many" so that every count reads right, 0, 1 or more, in every language.


def _counts(pairs: Iterable[tuple[Any, int]]) -> str:
    """“label: count, label: count” for the non-zero counts."""
    return ", ".join(
        _("%(label)s: %(count)d") % {"label": label, "count": count} for label, count in pairs if count
    )


def _detailed(text: str, detail: str) -> str:
    return f"{text} ({detail})" if detail else text


def _then(first: str, second: str) -> str:
    """Two parts of one sentence, with the language's punctuation between them."""
    return _("%(first)s; %(second)s") % {"first": first, "second": second}


def _satisfaction_sentence(survey: SurveySummary | None) -> str:
    if survey is None:
        return _("No satisfaction survey was run.")
    text = _("Satisfaction survey: answers received %(responded)d of %(invited)d") % {
        "responded": survey.responded,
        "invited": survey.invited,
    }
    if survey.rating is not None:
        text += _("; average rating %(rating)s out of 5") % {"rating": number(survey.rating)}
    return text + "."


def _workshop(figures: ProgrammeFigures, kind: str) -> str:
    held = figures.held(kind)
    if not held:
        return _("Not held yet.")
    sentences = []
    for meeting in held:
        sentences.append(
            _("Held on %(date)s; participants present: %(present)d.")
            % {"date": _date(meeting.starts_on), "present": figures.present(meeting)}
        )
        sentences.append(_satisfaction_sentence(figures.survey_of(meeting)))
    return " ".join(sentences)


def _meetings_sentence(figures: ProgrammeFigures, kind: str) -> str:
    held = figures.held(kind)
    return _("%(label)s: held %(held)d, with validated minutes %(validated)d.") % {
        "label": MeetingKind(kind).label,
        "held": len(held),
        "validated": figures.validated_minutes(held),
    }


def _figures_l1_2(figures: ProgrammeFigures) -> str:
    return _(
        "Diagnosed companies in the synthesis: %(diagnosed)d; knowledge-sharing webinars held: %(webinars)d."
    ) % {
        "diagnosed": figures.diagnosed,
        "webinars": len(figures.held(MeetingKind.WEBINAR)),
    }


def _figures_l1_3(figures: ProgrammeFigures) -> str:
    statuses = figures.diagnostic_statuses
    detail = _counts(
        (label, statuses[value]) for value, label in DiagnosticStatus.choices if value in COUNTED_STATUSES
    )
    diagnosed = _("Laureate SMEs diagnosed: %(diagnosed)d of %(laureates)d") % {
        "diagnosed": figures.diagnosed,
        "laureates": figures.laureates,
    }
    found = _("sobriety opportunities retained: %(opportunities)d; barriers noted: %(barriers)d.") % {
        "opportunities": figures.retained_opportunities,
        "barriers": sum(line.count for line in figures.barriers),
    }
    return _then(_detailed(diagnosed, detail), found)


def _figures_l1_4(figures: ProgrammeFigures) -> str:
    analysis, scenario = figures.cooperation
    if analysis is None:
        teams = len(figures.team_summaries)
        if teams:
            return _("Project teams formed without a cooperation analysis: %(teams)d.") % {"teams": teams}
        return _("No cooperation analysis has been run yet.")
    text = _("Latest cooperation analysis: %(date)s; cooperation opportunities detected: %(count)d.") % {
        "date": _date(timezone.localdate(analysis.run_at)),
        "count": analysis.opportunity_count,
    }
    if scenario is None:
        teams = len(figures.team_summaries)
        if teams:
            return (
                text
                + " "
                + _(
                    "Project teams formed without an adopted scenario (at the workshop or by hand): %(teams)d."
                )
                % {"teams": teams}
            )
        return text + " " + _("No team-formation scenario adopted yet.")
    return text + " " + _("Team-formation scenario adopted: %(name)s.") % {"name": scenario.name}


def _figures_l1_5(figures: ProgrammeFigures) -> str:
    teams = _("Project teams formed: %(teams)d (target: %(target)d).") % {
        "teams": len(figures.team_summaries),
        "target": figures.programme.target_team_count,
    }
    return f"{_workshop(figures, MeetingKind.WORKSHOP_2)} {teams}"


def _figures_l1_6(figures: ProgrammeFigures) -> str:
    statuses, contacts = figures.prospects
    prospected = _("Structures prospected: %(prospects)d") % {"prospects": sum(statuses.values())}
    detail = _counts((label, statuses[value]) for value, label in ProspectStatus.choices)
    recorded = _("contacts recorded: %(contacts)d.") % {"contacts": contacts}
    return _then(_detailed(prospected, detail), recorded)


def _figures_l1_7(figures: ProgrammeFigures) -> str:
    members, outside = figures.member_organisations
    return _(
        "Project teams: %(teams)d (target: %(target)d); member organisations: %(members)d, of which "
        "outside structures: %(outside)d."
    ) % {
        "teams": len(figures.team_summaries),
        "target": figures.programme.target_team_count,
        "members": members,
        "outside": outside,
    }


def _figures_l1_9(figures: ProgrammeFigures) -> str:
    plans = [s for s in figures.team_summaries if s.plan is not None]
    return _("Action plans: %(plans)d, of which adopted: %(adopted)d; actions planned: %(actions)d.") % {
        "plans": len(plans),
        "adopted": sum(1 for s in plans if s.adopted_version is not None),
        "actions": len(figures.actions),
    }


def _figures_l2_1(figures: ProgrammeFigures) -> str:
    coordination = [m for m in figures.held(MeetingKind.STRATEGIC_COORDINATION) if m.attended_by_consultant]
    return " ".join(
        [
            _meetings_sentence(figures, MeetingKind.TEAM_FOLLOWUP),
            _meetings_sentence(figures, MeetingKind.COLLECTIVE_SESSION),
            _("Strategic coordination meetings attended: %(count)d.") % {"count": len(coordination)},
        ]
    )


def _figures_l2_2(figures: ProgrammeFigures) -> str:
    actions = figures.actions
    if not actions:
        return _("No action planned yet.")
    statuses = Counter(action.status for action in actions)
    kept = [action.progress_percent for action in actions if action.status != ActionStatus.ABANDONED]
    open_difficulties = [d for d in figures.difficulties if d.is_open]
    counted = _("Actions: %(actions)d") % {"actions": len(actions)}
    progress = _(
        "average progress: %(progress)s %%; late: %(late)d; open difficulties: %(open)d, of which raised "
        "to ADEME: %(raised)d."
    ) % {
        "progress": number(sum(kept) / len(kept)) if kept else EMPTY,
        "late": sum(1 for action in actions if action.is_late(figures.today)),
        "open": len(open_difficulties),
        "raised": sum(1 for d in open_difficulties if d.is_raised),
    }
    detail = _counts((label, statuses[value]) for value, label in ActionStatus.choices)
    return _then(_detailed(counted, detail), progress)


def _figures_l3_1(figures: ProgrammeFigures) -> str:
    return _meetings_sentence(figures, MeetingKind.FUNDER_INTERVIEW)


def _figures_l3_2(figures: ProgrammeFigures) -> str:
    counts = [(label, count) for _status, label, count in figures.funding.status_counts]
    total = sum(count for _label, count in counts)
    if not total:
        return _("No funding application recorded yet.")
    return _("Funding applications: %(count)d (%(by_status)s).") % {
        "count": total,
        "by_status": _counts(counts),
    }


def _figures_l3_3(figures: ProgrammeFigures) -> str:
    total = figures.funding.total
    return _(
        "Amount requested: %(requested)s (applications: %(applications)d); amount obtained: %(obtained)s "
        "(applications granted: %(granted)d); amount paid: %(paid)s."
    ) % {
        "requested": money(total.requested),
        "applications": total.applications,
        "obtained": money(total.obtained),
        "granted": total.granted_count,
        "paid": money(total.paid),
    }


def _figures_l4_1(figures: ProgrammeFigures) -> str:
    documents, minutes, files = figures.produced_counts
    return _("Shared documents: %(documents)d; minutes: %(minutes)d; deliverable files: %(files)d.") % {
        "documents": documents,
        "minutes": minutes,
        "files": files,
    }


def _figures_l4_2(figures: ProgrammeFigures) -> str:
    statuses = Counter(status for status, _version in figures.evaluations)
    evaluations = _(
        "Empreinte Projet evaluations: %(count)d, of which validated by ADEME: %(validated)d."
    ) % {
        "count": len(figures.evaluations),
        "validated": statuses[EvaluationStatus.VALIDATED],
    }
    return f"{evaluations} {_meetings_sentence(figures, MeetingKind.EVALUATION_MEETING)}"


def _figures_l4_3(figures: ProgrammeFigures) -> str:
    return _("Satisfaction surveys analysed: %(surveys)d; days of support recorded: %(days)s.") % {
        "surveys": len(figures.surveys),
        "days": _days(sum((total.days for total in figures.axis_days), Decimal(0))),
    }


def _figures_l4_4(figures: ProgrammeFigures) -> str:
    return _("Project pages published on the public showcase: %(count)d.") % {
        "count": figures.published_pages
    }


def _figures_l4_5(figures: ProgrammeFigures) -> str:
    return _(
        "Restitution events held: %(events)d, of which with notes: %(notes)d; webinars held: %(webinars)d."
    ) % {
        "events": len(figures.held(MeetingKind.RESTITUTION_EVENT)),
        "notes": figures.restitution_notes,
        "webinars": len(figures.held(MeetingKind.WEBINAR)),
    }


KEY_FIGURES: dict[str, Callable[[ProgrammeFigures], str]] = {
    "L1.1": lambda figures: _workshop(figures, MeetingKind.WORKSHOP_1),
    "L1.2": _figures_l1_2,
    "L1.3": _figures_l1_3,
    "L1.4": _figures_l1_4,
    "L1.5": _figures_l1_5,
    "L1.6": _figures_l1_6,
    "L1.7": _figures_l1_7,
    "L1.8": lambda figures: _meetings_sentence(figures, MeetingKind.ACTION_PLAN_WORKSHOP),
    "L1.9": _figures_l1_9,
    "L2.1": _figures_l2_1,
    "L2.2": _figures_l2_2,
    "L3.1": _figures_l3_1,
    "L3.2": _figures_l3_2,
    "L3.3": _figures_l3_3,
    "L4.1": _figures_l4_1,
    "L4.2": _figures_l4_2,
    "L4.3": _figures_l4_3,
    "L4.4": _figures_l4_4,
    "L4.5": _figures_l4_5,
}


# --- L4.1: inventory of the elements produced -----------------------------------------------------


@dataclass
class InventoryRow:
    axis: int | None  # None: a shared document tied to no step
    step: str
    step_rank: int
    date: dt.date | None
    kind: str
    title: str
    author: str
    format: str
    size_kb: float | None
    status: str
    link: str

    @property
    def sort_key(self) -> tuple[Any, ...]:
        axis_rank = {None: 6, 0: 5}.get(self.axis, self.axis)
        return (axis_rank, self.step_rank, self.date or dt.date.min, self.title.casefold(), self.link)


def _step_of_meeting(kind: str) -> tuple[int, str, int]:
    return MEETING_AXIS.get(kind, 0), str(MeetingKind(kind).label), MeetingKind.values.index(kind)


def _kb(size: int | None) -> float | None:
    return None if size is None else round(size / 1024, 1)


def _user_name(user: Any) -> str:
    return str(user) if user is not None else ""


def _document_rows(programme: Programme) -> list[InventoryRow]:
    documents = (
        Document.objects.for_programme(programme)
        .select_related("created_by")
        .prefetch_related(
            Prefetch(
                "versions", queryset=DocumentVersion.objects.select_related("uploaded_by").order_by("-number")
            ),
            Prefetch("meetings", queryset=Meeting.objects.order_by("starts_at", "pk")),
        )
        .order_by("pk")
    )
    rows = []
    for document in documents:
        versions = list(document.versions.all())
        latest = versions[0] if versions else None
        meetings = list(document.meetings.all())
        if meetings:
            axis, step, rank = _step_of_meeting(meetings[0].kind)
        elif document.category == Category.WEBINAR:
            axis, step, rank = _step_of_meeting(MeetingKind.WEBINAR)
        else:
            axis, step, rank = None, f"{NO_STEP} — {document.get_category_display()}", 200
            rank += Category.values.index(document.category)
        rows.append(
            InventoryRow(
                axis=axis,
                step=step,
                step_rank=rank,
                date=timezone.localdate(latest.uploaded_at if latest else document.created_at),
                kind=_("Shared document"),
                title=document.title,
                author=_user_name(latest.uploaded_by if latest else document.created_by),
                format=latest.file_kind if latest else "",
                size_kb=_kb(latest.size) if latest else None,
                status=document.get_status_display(),
                link=document.get_absolute_url(),
            )
        )
    return rows


def _minutes_rows(programme: Programme) -> list[InventoryRow]:
    minutes = (
        Minutes.objects.filter(meeting__programme=programme)
        .exclude(body="")
        .select_related("meeting__created_by")
        .prefetch_related(
            Prefetch(
                "log",
                queryset=MinutesLog.objects.filter(action="submit")
                .select_related("user")
                .order_by("at", "pk"),
            )
        )
        .order_by("meeting__starts_at", "pk")
    )
    rows = []
    for item in minutes:
        meeting = item.meeting
        submissions = list(item.log.all())
        writer = submissions[0].user if submissions else meeting.created_by
        axis, step, rank = _step_of_meeting(meeting.kind)
        rows.append(
            InventoryRow(
                axis=axis,
                step=step,
                step_rank=rank,
                date=meeting.starts_on,
                kind=_("Minutes"),
                title=meeting.title,
                author=_user_name(writer),
                format=pgettext("file format", "web page"),
                size_kb=_kb(len(item.body.encode())),
                status=item.get_status_display(),
                link=item.get_absolute_url(),
            )
        )
    return rows


def _latest_files(
    programme: Programme, codes: Iterable[str] | None = None
) -> dict[str, list[DeliverableFile]]:
    """Each deliverable's files of its latest version, by code."""
    deliverables = Deliverable.objects.filter(programme=programme)
    if codes is not None:
        deliverables = deliverables.filter(code__in=list(codes))
    files = DeliverableFile.objects.select_related("created_by").order_by("-version", "name")
    latest: dict[str, list[DeliverableFile]] = {}
    for deliverable in deliverables.prefetch_related(Prefetch("files", queryset=files)).order_by("code"):
        stored = list(deliverable.files.all())
        if stored:
            latest[deliverable.code] = [f for f in stored if f.version == stored[0].version]
    return latest


def _deliverable_rows(programme: Programme) -> list[InventoryRow]:
    statuses = dict(Deliverable.objects.filter(programme=programme).values_list("code", "status"))
    labels = dict(DeliverableStatus.choices)
    codes = [kind.code for kind in KINDS]
    rows = []
    for code, files in _latest_files(programme).items():
        kind = BY_CODE[code]
        if code == "L4.1" or kind.is_report:
            # Not itself, nor the reports that annex it: each new version of one would change the other.
            continue
        for item in files:
            rows.append(
                InventoryRow(
                    axis=kind.axis,
                    step=f"{code} — {kind.title}",
                    step_rank=100 + codes.index(code),
                    date=timezone.localdate(item.created_at),
                    kind=_("Deliverable file (version %(version)d)") % {"version": item.version},
                    title=item.title,
                    author=_user_name(item.created_by),
                    format=item.format,
                    size_kb=_kb(item.size),
                    status=str(labels.get(statuses[code], statuses[code])),
                    link=reverse("www:deliverable_file", args=[item.pk]),
                )
            )
    return rows


def _axis_label(axis: int | None) -> str:
    if axis is None:
        return ""
    return str(STEERING) if axis == 0 else str(AXIS_TITLES[axis])


def _inventory_xlsx(rows: Sequence[InventoryRow], title: str) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = _("Elements")[:31]
    header = [
        _("Axis"), _("Phase"), _("Step"), _("Date"), _("Kind"), _("Title"), _("Author"), _("Format"),
        _("Size (kB)"), _("Status"), _("Link path"),
    ]  # fmt: skip
    append_row(sheet, header)
    for row in rows:
        append_row(
            sheet,
            [
                row.axis or None, _axis_label(row.axis), row.step, row.date, row.kind, row.title, row.author,
                row.format, row.size_kb, row.status, row.link,
            ]
        )  # fmt: skip
    for row_cells in sheet.iter_rows(min_row=2):
        row_cells[3].number_format = "DD/MM/YYYY"
        row_cells[8].number_format = "0.0"
    widths = [6, 28, 36, 11, 22, 44, 22, 10, 10, 20, 50]
    _table_style(sheet, widths)

    summary = workbook.create_sheet(_("Per step")[:31])
    summary.append([_("Axis"), _("Phase"), _("Step"), _("Elements")])
    counts: dict[tuple[int | None, str], int] = {}  # in the rows' order, which is the steps' order
    for row in rows:
        counts[row.axis, row.step] = counts.get((row.axis, row.step), 0) + 1
    for (axis, step), count in counts.items():
        append_row(summary, [axis or None, _axis_label(axis), step, count])
    _table_style(summary, [6, 28, 50, 10])
    workbook.properties.title = title
    return workbook_bytes(workbook)


def _table_style(sheet: Any, widths: Sequence[int]) -> None:
    """Bold wrapped header, frozen below it, filters over the table, readable column widths."""
    for cell in sheet[1]:
        cell.font = Font(bold=True)
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    sheet.freeze_panes = "A2"
    sheet.auto_filter.ref = sheet.dimensions
    for index, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width


def inventory(ctx: GenerationContext) -> list[GeneratedFile]:
    """L4.1: every element produced at each step, one row each: shared documents, minutes, deliverables."""
    programme = ctx.programme
    rows = [*_document_rows(programme), *_minutes_rows(programme), *_deliverable_rows(programme)]
    if not rows:
        raise MissingData(
            [_("Nothing has been produced yet: no shared document, no minutes and no deliverable file.")]
        )
    rows.sort(key=lambda row: row.sort_key)
    title = _("Inventory of the elements produced — %(programme)s") % {"programme": programme.name}
    return [_file(ctx, "L4.1", title, _inventory_xlsx(rows, title), "xlsx")]


# --- The programme's review, shared by the synthesis report and the final report -----------------


@dataclass
class Phase:
    axis: int
    title: str
    figures: list[tuple[str, str, str]]  # (deliverable's code, its title, key figures)
    meetings: list[tuple[str, int]]  # (kind of meeting, number held)
    days: Decimal


def phases(figures: ProgrammeFigures) -> list[Phase]:
    days = {total.axis: total.days for total in figures.axis_days}
    result = []
    for axis in PHASES:
        codes = [kind.code for kind in KINDS if kind.axis == axis]
        kinds = [kind for kind in MeetingKind if MEETING_AXIS.get(kind) == axis]
        result.append(
            Phase(
                axis,
                str(AXIS_TITLES[axis]),
                [(code, str(BY_CODE[code].title), KEY_FIGURES[code](figures)) for code in codes],
                [(str(kind.label), len(figures.held(kind))) for kind in kinds],
                days.get(axis, Decimal(0)),
            )
        )
    return result


@dataclass
class ReviewCharts:
    satisfaction: list[Chart]  # average rating per meeting, when some rating was given
    time: list[Chart]  # days per phase, and capped work against the caps, once time is recorded

    @property
    def all(self) -> list[Chart]:
        return [*self.satisfaction, *self.time]


def review_charts(figures: ProgrammeFigures) -> ReviewCharts:
    rated = [survey for survey in figures.surveys if survey.rating is not None]
    satisfaction = (
        [satisfaction_chart([_meeting_label(s.meeting) for s in rated], [s.rating for s in rated])]
        if rated
        else []
    )
    time = []
    if figures.time_entries:
        time.append(
            time_chart(
                _("Days spent per phase"),
                [total.label for total in figures.axis_days],
                [float(total.days) for total in figures.axis_days],
                [None] * len(figures.axis_days),
            )
        )
        capped = figures.capped_work
        time.append(
            time_chart(
                _("Capped work: days spent and cap for the objects worked on"),
                [work.label for work in capped],
                [float(work.days) for work in capped],
                [float(work.envelope) for work in capped],
            )
        )
    return ReviewCharts(satisfaction, time)


def _thousands(value: Decimal | float) -> float:
    return round(float(value) / 1000, 1)


def programme_charts(figures: ProgrammeFigures) -> list[Chart]:
    """The charts a COPIL reads about the whole programme: diagnostics done, funding and its leverage
    per team, greenhouse-gas balance per team (days against caps and satisfaction: `review_charts`)."""
    charts = []
    statuses = figures.diagnostics_by_status
    if statuses:
        charts.append(
            bar_chart(
                _("Diagnostics per status (laureate SMEs: %(count)d)") % {"count": figures.laureates},
                [label for label, _count in statuses],
                [Series(_("Diagnostics"), [float(count) for _label, count in statuses])],
                digits=0,
            )
        )
    funded = [account for account in figures.team_accounts if account.funding.applications]
    if funded:
        charts.append(
            bar_chart(
                _("Funding per team: requested, obtained and paid (k€)"),
                [account.name for account in funded],
                [
                    Series(_("Requested"), [_thousands(a.funding.requested) for a in funded]),
                    Series(_("Obtained"), [_thousands(a.funding.obtained) for a in funded]),
                    Series(_("Paid"), [_thousands(a.funding.paid) for a in funded]),
                ],
                unit=_("k€"),
            )
        )
        levered = [a for a in funded if a.funding.leverage_percent is not None]
        if levered:
            charts.append(
                bar_chart(
                    _("Funding leverage: share of the funded actions' budget obtained (%)"),
                    [account.name for account in levered],
                    [Series(_("Leverage"), [float(a.funding.leverage_percent or 0) for a in levered])],
                    unit="%",
                    maximum=100,
                    digits=0,
                )
            )
    evaluated = [account for account in figures.team_accounts if account.balance_t is not None]
    if evaluated:
        charts.append(
            bar_chart(
                _("Greenhouse-gas emissions avoided per team (tCO2e a year, Empreinte Projet)"),
                [account.name for account in evaluated],
                [
                    Series(
                        _("Avoided"),
                        [-(a.balance_t or 0.0) if (a.balance_t or 0.0) < 0 else None for a in evaluated],
                    )
                ],
                unit=_("tCO2e a year"),
            )
        )
    return charts


def team_chart(account: TeamAccount) -> Chart | None:
    """Progress of each action of the team's plan, in per cent."""
    actions = [action for action in account.actions if action.status != ActionStatus.ABANDONED]
    if not actions:
        return None
    return bar_chart(
        _("%(team)s: progress of the actions (%%)") % {"team": account.name},
        [action.title for action in actions],
        [Series(_("Progress"), [float(action.progress_percent) for action in actions])],
        unit="%",
        maximum=100,
        digits=0,
    )


def _write_team(writer: ReportWriter, account: TeamAccount, today: dt.date) -> int:
    """One team's account; returns the number of charts written."""
    summary = account.summary
    writer.heading(account.name, 2)
    writer.heading(_("Members"), 3)
    if account.members:
        writer.table(
            [_("Organisation"), _("Kind"), _("Role"), _("Since")],
            [
                (
                    m.organisation.name,
                    m.organisation.get_kind_display(),
                    m.get_role_display(),
                    _date(m.joined_on),
                )
                for m in account.members
            ],
        )
    else:
        writer.note(_("No member at the end of the period."))
    writer.heading(_("Action plan"), 3)
    if summary.plan is None:
        writer.note(_("The team has no action plan yet."))
    else:
        adopted = summary.adopted_version
        writer.paragraph(
            _(
                "Actions: %(actions)d; average progress: %(progress)s %%; late actions: %(late)d; "
                "overdue steps: %(steps)d; follow-up meetings: %(follow_ups)d."
            )
            % {
                "actions": summary.action_count,
                "progress": EMPTY if summary.average_progress is None else summary.average_progress,
                "late": summary.late_count,
                "steps": len(account.late_steps),
                "follow_ups": summary.follow_up_count,
            }
            + " "
            + (
                _("Plan adopted on %(date)s.") % {"date": _date(adopted.adopted_on)}
                if adopted is not None
                else _("The plan has not been adopted yet.")
            )
        )
        if account.actions:
            writer.table(
                [_("Action"), _("Status"), _("Progress"), _("Ends on")],
                [
                    (a.title, a.get_status_display(), f"{a.progress_percent} %", _date(a.ends_on))
                    for a in account.actions
                ],
            )
        if account.late_steps:
            writer.paragraph(_("Steps late at the end of the period:"))
            writer.bullets(
                [
                    _("%(action)s — %(step)s (due on %(date)s)")
                    % {"action": action, "step": step, "date": _date(due)}
                    for action, step, due in account.late_steps
                ]
            )
    charts = 0
    chart = team_chart(account)
    if chart is not None:
        writer.chart(chart)
        charts += 1
    writer.heading(_("Funding"), 3)
    line = account.funding
    if line.applications:
        writer.paragraph(
            _(
                "Applications: %(applications)d (granted: %(granted)d); requested: %(requested)s; "
                "granted: %(obtained)s; paid: %(paid)s; leverage on the funded actions' budget: %(leverage)s."
            )
            % {
                "applications": line.applications,
                "granted": line.granted_count,
                "requested": money(line.requested),
                "obtained": money(line.obtained),
                "paid": money(line.paid),
                "leverage": EMPTY if line.leverage_percent is None else f"{line.leverage_percent} %",
            }
        )
    else:
        writer.note(_("No funding application for this team's actions."))
    writer.heading(_("Greenhouse-gas balance of its projects"), 3)
    if account.balances:
        writer.table(
            [_("Project evaluated"), _("Net balance (tCO2e a year)"), _("Range (5th–95th percentile)")],
            [
                (
                    title,
                    number((balance.central_kg or 0) / 1000),
                    EMPTY
                    if balance.p5_kg is None or balance.p95_kg is None
                    else f"{number(balance.p5_kg / 1000)} … {number(balance.p95_kg / 1000)}",
                )
                for title, balance in account.balances
            ],
        )
    else:
        writer.note(_("No computed greenhouse-gas balance for this team's projects yet."))
    writer.heading(_("Difficulties and how they were handled"), 3)
    if account.difficulties:
        writer.table(
            [_("Action"), _("Difficulty"), _("Status"), _("Answer or resolution")],
            [row[1:3] + row[4:] for row in map(_difficulty_row, account.difficulties)],
        )
    else:
        writer.note(_("No difficulty recorded for this team up to the end of the period."))
    return charts


def _write_teams(writer: ReportWriter, figures: ProgrammeFigures) -> int:
    """The per-team sections; returns the number of charts written."""
    writer.heading(_("Account of each project team"))
    if not figures.team_accounts:
        writer.note(_("No project team has been formed yet."))
        return 0
    return sum(_write_team(writer, account, figures.today) for account in figures.team_accounts)


def _lessons(figures: ProgrammeFigures) -> list[ExperienceNote]:
    return list(
        ExperienceNote.objects.filter(programme=figures.programme, held_on__lte=figures.today).order_by(
            "held_on", "pk"
        )
    )


def data_recommendations(figures: ProgrammeFigures) -> list[str]:
    """Lessons and recommendations read from the records: lessons learned at the collective sessions,
    how the difficulties were handled, the most shared barrier, and the results obtained."""
    lines = [
        _("Lesson shared on %(date)s (%(topic)s): %(lesson)s")
        % {"date": _date(note.held_on), "topic": note.topic, "lesson": " ".join(note.lesson.split())}
        for note in _lessons(figures)
    ]
    for difficulty in figures.difficulties:
        team = difficulty.action.plan.team.name
        if difficulty.resolution.strip():
            lines.append(
                _("%(team)s — %(difficulty)s: handled by “%(resolution)s”; a way to reuse in other teams.")
                % {"team": team, "difficulty": difficulty.title, "resolution": difficulty.resolution.strip()}
            )
        elif difficulty.is_open:
            lines.append(
                _("%(team)s — %(difficulty)s: still open at the end of the period; to follow up%(raised)s.")
                % {
                    "team": team,
                    "difficulty": difficulty.title,
                    "raised": _(" with ADEME, to whom it was raised") if difficulty.is_raised else "",
                }
            )
    if figures.barriers:
        top = figures.barriers[0]
        lines.append(
            _(
                "The barrier most widely shared is “%(category)s” (companies: %(companies)d): plan support "
                "on it from the diagnostics onwards."
            )
            % {"category": top.label, "companies": top.companies}
        )
    late = sum(len(account.late_steps) for account in figures.team_accounts)
    if late:
        lines.append(
            _("Steps late at the end of the period: %(count)d; review their dates at the next follow-up.")
            % {"count": late}
        )
    total = figures.funding.total
    if total.applications:
        lines.append(
            _(
                "Funding obtained: %(obtained)s of %(requested)s requested; leverage on the funded actions: %(lev)s."
            )
            % {
                "obtained": money(total.obtained),
                "requested": money(total.requested),
                "lev": EMPTY if total.leverage_percent is None else f"{total.leverage_percent} %",
            }
        )
    avoided = [a.balance_t for a in figures.team_accounts if a.balance_t is not None]
    if avoided:
        lines.append(
            _(
                "Net greenhouse-gas balance of the projects evaluated: %(tonnes)s tCO2e a year (teams: %(teams)d)."
            )
            % {"tonnes": number(sum(avoided)), "teams": len(avoided)}
        )
    rated = [survey.rating for survey in figures.surveys if survey.rating is not None]
    if rated:
        lines.append(
            _("Average satisfaction of the participants: %(rating)s out of 5 (surveys: %(count)d).")
            % {"rating": number(sum(rated) / len(rated)), "count": len(rated)}
        )
    return lines


def _write_programme_charts(writer: ReportWriter, figures: ProgrammeFigures, charts: ReviewCharts) -> None:
    writer.heading(_("The programme in charts"))
    for chart in [*programme_charts(figures), *charts.time, *charts.satisfaction]:
        writer.chart(chart)


def _write_phases(writer: ReportWriter, figures: ProgrammeFigures) -> None:
    for phase in phases(figures):
        writer.heading(phase.title, 2)
        writer.table(
            [_("Deliverable"), _("Key figures")],
            [(f"{code} — {title}", sentence) for code, title, sentence in phase.figures],
        )
        writer.table([_("Meetings"), _("Held")], phase.meetings)
        writer.paragraph(_("Days of support recorded on this phase: %(days)s.") % {"days": _days(phase.days)})


def _write_barriers(writer: ReportWriter, figures: ProgrammeFigures) -> None:
    writer.heading(_("Barriers noted in the diagnostics"), 2)
    if figures.barriers:
        writer.table(
            [_("Category"), _("Companies"), _("Occurrences"), _("Examples")],
            [(b.label, b.companies, b.count, "; ".join(b.examples)) for b in figures.barriers],
        )
    else:
        writer.note(_("No barrier has been noted in the diagnostics yet."))
    writer.heading(_("Difficulties met in the action plans and follow-ups"), 2)
    if figures.difficulties:
        writer.table(
            [_("Team"), _("Action"), _("Difficulty"), _("Noted at"), _("Status"), _("Answer or resolution")],
            [_difficulty_row(d) for d in figures.difficulties],
        )
    else:
        writer.note(_("No difficulty has been recorded in the action plans yet."))


def _difficulty_row(difficulty: Difficulty) -> tuple[str, ...]:
    noted = (
        str(difficulty.follow_up)
        if difficulty.follow_up
        else _date(timezone.localdate(difficulty.created_at))
    )
    answer = " ".join(part for part in (difficulty.ademe_answer, difficulty.resolution) if part.strip())
    return (
        difficulty.action.plan.team.name,
        difficulty.action.title,
        difficulty.title,
        noted,
        difficulty.get_status_display(),
        answer or EMPTY,
    )


def _write_satisfaction(writer: ReportWriter, figures: ProgrammeFigures, charts: Sequence[Chart]) -> None:
    if not figures.surveys:
        writer.note(_("No satisfaction survey has been run yet."))
        return
    writer.table(
        [
            _("Meeting"),
            _("Date"),
            _("People asked"),
            _("Answers"),
            _("Response rate"),
            _("Rating /5"),
            _("Score /10"),
        ],
        [
            (
                s.meeting.title,
                _date(s.meeting.starts_on),
                s.invited,
                s.responded,
                EMPTY if s.response_rate is None else f"{s.response_rate} %",
                EMPTY if s.rating is None else number(s.rating),
                EMPTY if s.score is None else number(s.score),
            )
            for s in figures.surveys
        ],
    )
    for chart in charts:
        writer.chart(chart)


def _write_time(writer: ReportWriter, figures: ProgrammeFigures, charts: Sequence[Chart]) -> None:
    if not figures.time_entries:
        writer.note(_("No time has been recorded yet."))
        return
    writer.table(
        [_("Phase"), _("Days spent")], [(total.label, _days(total.days)) for total in figures.axis_days]
    )
    writer.table(
        [
            _("Capped work"),
            _("Objects"),
            _("Days spent"),
            _("Cap per object"),
            _("Cap × objects"),
            _("Over the cap"),
        ],
        [
            (w.label, w.objects, _days(w.days), _days(w.cap), _days(w.envelope), w.over_cap)
            for w in figures.capped_work
        ],
    )
    for chart in charts:
        writer.chart(chart)


def _narrative(writer: ReportWriter, text: str, missing: str) -> None:
    if text_lines(text):
        writer.lines(text)
    else:
        writer.note(missing)


# --- L4.3: synthesis report and internal presentation ---------------------------------------------


class SlideDeck:
    """A plain 4:3 presentation on python-pptx's default template: titles, bullets and pictures."""

    def __init__(self) -> None:
        self.presentation = Presentation()

    def title_slide(self, title: str, subtitle: str) -> None:
        slide = self.presentation.slides.add_slide(self.presentation.slide_layouts[0])
        slide.shapes.title.text = title
        slide.placeholders[1].text = subtitle

    def titled(self, slide: Any, title: str) -> None:
        """The slide's title at a size that keeps two lines within the title area."""
        slide.shapes.title.text = title
        for paragraph in slide.shapes.title.text_frame.paragraphs:
            paragraph.font.size = TITLE_SIZE

    def bullets(self, title: str, items: Sequence[str]) -> None:
        """One slide per `BULLETS_PER_SLIDE` items; later slides say they continue the first."""
        chunks = [items[i : i + BULLETS_PER_SLIDE] for i in range(0, len(items), BULLETS_PER_SLIDE)] or [[]]
        for index, chunk in enumerate(chunks):
            slide = self.presentation.slides.add_slide(self.presentation.slide_layouts[1])
            self.titled(slide, title if index == 0 else _("%(title)s (continued)") % {"title": title})
            frame = slide.placeholders[1].text_frame
            size = Pt(16 if sum(len(item) for item in chunk) < 500 else 12)
            for position, item in enumerate(chunk):
                paragraph = frame.paragraphs[0] if position == 0 else frame.add_paragraph()
                paragraph.text = item
                paragraph.font.size = size

    def picture(self, title: str, png: bytes, alt: str) -> None:
        slide = self.presentation.slides.add_slide(self.presentation.slide_layouts[5])
        self.titled(slide, title)
        self.fit_picture(slide, png, alt, Inches(0.5), Inches(1.5), Inches(9), Inches(5.7))

    @staticmethod
    def fit_picture(slide: Any, image: bytes, alt: str, left: int, top: int, width: int, height: int) -> None:
        """The image fitted in the box, keeping its proportions, with its text alternative."""
        with Image.open(io.BytesIO(image)) as opened:
            pixels_wide, pixels_high = opened.size
        scale = min(width / pixels_wide, height / pixels_high)
        picture = slide.shapes.add_picture(
            io.BytesIO(image),
            left,
            top,
            width=Emu(int(pixels_wide * scale)),
            height=Emu(int(pixels_high * scale)),
        )
        picture._element.nvPicPr.cNvPr.set("descr", alt)

    def bytes(self) -> bytes:
        buffer = io.BytesIO()
        self.presentation.save(buffer)
        return buffer.getvalue()


def _l43_row(programme: Programme) -> Deliverable:
    row = _registry_row(programme, "L4.3")
    if row is None or not text_lines(row.recommendations):
        raise MissingData([_("Write the recommendations to ADEME first.")])
    return row


def _narrative_lines(programme: Programme, row: Deliverable, field_name: str) -> list[str]:
    """The consultant's text for L4.3, or else what the progress reports said (validated by the COPIL)."""
    own = text_lines(getattr(row, field_name))
    if own:
        return own
    reports = Deliverable.objects.filter(
        programme=programme, code__in=["REPORT_M6", "REPORT_M12", "REPORT_M18"]
    ).order_by("code")
    return [line for report in reports for line in text_lines(getattr(report, field_name))]


def _synthesis_docx(
    ctx: GenerationContext, row: Deliverable, figures: ProgrammeFigures, charts: ReviewCharts, title: str
) -> bytes:
    programme = ctx.programme
    writer = ReportWriter(title, banner=programme.name)
    writer.cover(
        programme.name,
        [
            (_("Programme"), f"{programme.name} ({programme.region})"),
            (_("Programme period"), f"{_date(programme.starts_on)} → {_date(programme.ends_on)}"),
            (_("Figures as of"), _date(figures.today)),
            (_("Author"), ctx.author),
        ],
    )
    writer.heading(_("Analysis of each phase"))
    _write_phases(writer, figures)
    writer.heading(_("Strengths"))
    strengths = _narrative_lines(programme, row, "successes")
    if strengths:
        writer.bullets(strengths)
    else:
        writer.paragraph(_("The results recorded on the platform stand for the strengths:"))
        writer.bullets(_headline_figures(figures, with_amounts=True))
    writer.heading(_("Barriers met"))
    _write_barriers(writer, figures)
    writer.heading(_("Difficulties"))
    difficulties = _narrative_lines(programme, row, "difficulties")
    if difficulties:
        writer.bullets(difficulties)
    else:
        writer.paragraph(
            _("The difficulties below are those recorded in the action plans and the diagnostics.")
        )
    solutions = _narrative_lines(programme, row, "solutions")
    if solutions:
        writer.heading(_("Solutions brought"), 2)
        writer.bullets(solutions)
    writer.heading(_("Satisfaction of the participants"))
    _write_satisfaction(writer, figures, charts.satisfaction)
    writer.heading(_("Time spent per phase and contractual caps"))
    _write_time(writer, figures, charts.time)
    writer.heading(_("Lessons and recommendations drawn from the data"))
    recommendations = data_recommendations(figures)
    if recommendations:
        writer.bullets(recommendations)
    else:
        writer.note(_("No lesson, difficulty or result has been recorded yet to draw recommendations from."))
    writer.heading(_("Recommendations to ADEME"))
    writer.lines(row.recommendations)
    return writer.bytes()


def _synthesis_pptx(
    ctx: GenerationContext, row: Deliverable, figures: ProgrammeFigures, charts: ReviewCharts, title: str
) -> bytes:
    programme = ctx.programme
    deck = SlideDeck()
    deck.title_slide(title, f"{programme.name} — {_date(figures.today)}")
    deck.bullets(_("The programme in figures"), _headline_figures(figures, with_amounts=True))
    for phase in phases(figures):
        items = [f"{code} — {sentence}" for code, _title, sentence in phase.figures]
        items.append(_("Days of support recorded: %(days)s.") % {"days": _days(phase.days)})
        deck.bullets(phase.title, items)
    deck.bullets(_("Strengths"), _narrative_lines(programme, row, "successes") or [_("Not written yet.")])
    barriers = [
        _("%(category)s: companies %(companies)d, occurrences %(count)d")
        % {"category": b.label, "companies": b.companies, "count": b.count}
        for b in figures.barriers
    ]
    deck.bullets(_("Barriers noted in the diagnostics"), barriers or [_("None noted yet.")])
    difficulties = [
        f"{d.action.plan.team.name} — {d.title} ({d.get_status_display()})" for d in figures.difficulties
    ]
    narrative = _narrative_lines(programme, row, "difficulties")
    deck.bullets(_("Difficulties"), [*narrative, *difficulties] or [_("None recorded yet.")])
    for chart in charts.all:
        deck.picture(chart.title, chart.png, chart.alt)
    deck.bullets(
        _("Lessons and recommendations drawn from the data"),
        data_recommendations(figures) or [_("None recorded yet.")],
    )
    deck.bullets(_("Recommendations to ADEME"), text_lines(row.recommendations))
    return deck.bytes()


def _headline_figures(figures: ProgrammeFigures, *, with_amounts: bool) -> list[str]:
    """The programme's figures for a slide; amounts only when they may be shown (not to the public)."""
    members, outside = figures.member_organisations
    collective = figures.held(
        MeetingKind.WORKSHOP_1,
        MeetingKind.WORKSHOP_2,
        MeetingKind.WEBINAR,
        MeetingKind.ACTION_PLAN_WORKSHOP,
        MeetingKind.COLLECTIVE_SESSION,
        MeetingKind.RESTITUTION_EVENT,
    )
    lines = [
        _("Laureate SMEs: %(count)d, of which diagnosed: %(diagnosed)d")
        % {"count": figures.laureates, "diagnosed": figures.diagnosed},
        _("Project teams: %(teams)d, with %(members)d member organisations (outside structures: %(outside)d)")
        % {"teams": len(figures.team_summaries), "members": members, "outside": outside},
        _("Actions in the priority action plans: %(actions)d") % {"actions": len(figures.actions)},
        _("Collective meetings held (workshops, webinars, sessions, events): %(count)d")
        % {"count": len(collective)},
        _("Projects evaluated with Empreinte Projet: %(count)d") % {"count": len(figures.evaluations)},
    ]
    if with_amounts:
        lines.append(
            _("Funding obtained: %(obtained)s") % {"obtained": money(figures.funding.total.obtained)}
        )
    return lines


def synthesis_report(ctx: GenerationContext) -> list[GeneratedFile]:
    """L4.3: the synthesis report (Word) and the internal presentation (PowerPoint)."""
    row = _l43_row(ctx.programme)
    figures = ProgrammeFigures(ctx.programme, _today(ctx))
    charts = review_charts(figures)
    report_title = _("Synthesis report — %(programme)s") % {"programme": ctx.programme.name}
    slides_title = _("Internal presentation — %(programme)s") % {"programme": ctx.programme.name}
    return [
        _file(ctx, "L4.3", report_title, _synthesis_docx(ctx, row, figures, charts, report_title), "docx"),
        _file(ctx, "L4.3", slides_title, _synthesis_pptx(ctx, row, figures, charts, slides_title), "pptx"),
    ]


# --- L4.4: communication support ------------------------------------------------------------------


def _light_image(field_file: Any) -> bytes:
    """A published image scaled down for a slide; PNG stays PNG (drawings), photos become JPEG."""
    with field_file.open("rb") as stream, Image.open(stream) as image:
        image.thumbnail((IMAGE_MAX_PIXELS, IMAGE_MAX_PIXELS))
        out = io.BytesIO()
        if image.format == "PNG":
            image.save(out, format="PNG", optimize=True)
        else:
            image.convert("RGB").save(out, format="JPEG", quality=80, optimize=True)
    return out.getvalue()


def _project_slide(deck: SlideDeck, page: ShowcasePage, language: str) -> None:
    text = page.localised(language)
    slide = deck.presentation.slides.add_slide(deck.presentation.slide_layouts[5])
    deck.titled(slide, str(text["title"]))
    has_image = bool(page.image)
    width = Inches(5.4 if has_image else 9)
    box = slide.shapes.add_textbox(Inches(0.5), Inches(1.5), width, Inches(5.5))
    frame = box.text_frame
    frame.word_wrap = True
    summary = str(text["summary"])
    lines: list[tuple[str, bool]] = [
        (_("Sobriety solution: %(solution)s") % {"solution": page.get_solution_display()}, True),
        (_("Project team: %(team)s") % {"team": page.team.name}, True),
        (summary, False),
        (_("Key results"), True),
        *[(f"• {result}", False) for result in text["key_results"]],  # type: ignore[attr-defined]
        *[(f"• {line}", False) for line in showcase_lines(project_figures(page.team), with_amounts=False)],
    ]
    written = sum(len(line) for line, _bold in lines)
    body = Pt(14 if written < 500 else 12 if written < 800 else 10)
    for position, (line, bold) in enumerate(lines):
        paragraph = frame.paragraphs[0] if position == 0 else frame.add_paragraph()
        paragraph.text = line
        paragraph.font.size = body
        paragraph.font.bold = bold
        if bold and position:
            paragraph.space_before = Pt(10)
    if has_image:
        deck.fit_picture(
            slide,
            _light_image(page.image),
            str(text["image_alt"]),
            Inches(6.1),
            Inches(1.5),
            Inches(3.5),
            Inches(5),
        )


def showcase_lines(figures: ProjectFigures, *, with_amounts: bool) -> list[str]:
    """A project's figures and partners, as the public page shows them (amounts only when asked)."""
    lines = []
    if figures.avoided_t is not None:
        lines.append(
            _("Greenhouse-gas emissions avoided: %(tonnes)s tCO2e a year (Empreinte Projet evaluation)")
            % {"tonnes": number(figures.avoided_t)}
        )
    if with_amounts and figures.requested_eur:
        lines.append(
            _("Public funding obtained: %(obtained)s of %(requested)s requested")
            % {"obtained": money(figures.obtained_eur), "requested": money(figures.requested_eur)}
        )
    if figures.progress is not None:
        lines.append(
            _("Progress of the action plan: %(progress)s %% on average (actions: %(count)d)")
            % {"progress": figures.progress, "count": figures.actions}
        )
    if figures.partners:
        lines.append(_("Partners: %(names)s") % {"names": ", ".join(figures.partners)})
    return lines


def communication_support(ctx: GenerationContext) -> list[GeneratedFile]:
    """L4.4: slides for outside audiences: the programme's figures and one slide per published project.

    Only what the COPIL validated for publication appears (published showcase pages) with the
    figures the public page shows (balance, progress, partners); no diagnostic detail and no amount.
    """
    programme = ctx.programme
    pages = list(
        ShowcasePage.objects.published()
        .filter(team__programme=programme)
        .select_related("team")
        .order_by("title", "pk")
    )
    if not pages:
        raise MissingData([_("No project page of the showcase has been published yet.")])
    figures = ProgrammeFigures(programme, _today(ctx))
    title = _("Sobr'Industrie projects — %(programme)s") % {"programme": programme.name}
    deck = SlideDeck()
    deck.title_slide(title, _("Producing better with less — %(region)s") % {"region": programme.region})
    headline = _headline_figures(figures, with_amounts=False)
    headline.append(_("Projects presented: %(count)d") % {"count": len(pages)})
    deck.bullets(_("The programme in figures"), headline)
    for page in pages:
        _project_slide(deck, page, ctx.language)
    return [_file(ctx, "L4.4", title, deck.bytes(), "pptx")]


# --- Progress reports and the provisional final report --------------------------------------------


@dataclass
class Annex:
    name: str
    title: str
    format: str
    size: int


@dataclass
class CarriedDeliverable:
    code: str
    title: str
    status: str
    version: int
    files: list[Annex]


def carried_deliverables(ctx: GenerationContext, codes: Sequence[str]) -> list[CarriedDeliverable]:
    """The deliverables a report carries: registry status and version, and the files to annex — those
    produced earlier in the same pack build when there are some, else the registry's latest ones."""
    rows = {
        row.code: row
        for row in Deliverable.objects.filter(programme=ctx.programme, code__in=list(codes)).order_by("code")
    }
    stored = _latest_files(ctx.programme, codes)
    carried = []
    for code in codes:
        row = rows.get(code)
        latest = stored.get(code, [])
        produced = ctx.produced.get(code)
        if produced:
            files = [Annex(f.name, f.title, f.format, len(f.content)) for f in produced]
        else:
            files = [Annex(f.name, f.title, f.format, f.size) for f in latest]
        carried.append(
            CarriedDeliverable(
                code,
                str(BY_CODE[code].title),
                row.get_status_display() if row else str(DeliverableStatus.TODO.label),
                latest[0].version if latest else 0,
                files,
            )
        )
    return carried


def _write_deliverables(
    writer: ReportWriter, carried: Sequence[CarriedDeliverable], figures: ProgrammeFigures
) -> None:
    writer.table(
        [_("Code"), _("Deliverable"), _("Status"), _("Latest version"), _("Files")],
        [(d.code, d.title, d.status, d.version or EMPTY, len(d.files)) for d in carried],
    )
    for deliverable in carried:
        writer.heading(f"{deliverable.code} — {deliverable.title}", 2)
        writer.paragraph(KEY_FIGURES[deliverable.code](figures))
        if deliverable.files:
            writer.bullets([f"{f.name} — {f.title}" for f in deliverable.files])
        else:
            writer.note(_("No file of this deliverable has been generated yet."))


def _write_annexes(writer: ReportWriter, carried: Sequence[CarriedDeliverable]) -> None:
    writer.heading(_("Annexes"))
    annexes = [
        (d.code, f.name, f.title, f.format.upper(), number(f.size / 1024)) for d in carried for f in d.files
    ]
    if annexes:
        writer.paragraph(_("The files below are delivered with this report."))
        writer.table([_("Deliverable"), _("File"), _("Title"), _("Format"), _("Size (kB)")], annexes)
    else:
        writer.note(_("No file is annexed: none of the deliverables carried has been generated yet."))


def _decision_rows(programme: Programme, until: dt.date) -> list[tuple[Any, ...]]:
    end = timezone.make_aware(dt.datetime.combine(until + dt.timedelta(days=1), dt.time.min))
    decisions = (
        Decision.objects.filter(programme=programme, meeting__starts_at__lt=end)
        .select_related("meeting", "owner")
        .order_by("number", "pk")
    )
    return [
        (
            decision.number,
            _date(decision.meeting.starts_on),
            decision.meeting.title,
            decision.get_kind_display(),
            decision.text,
            decision.owner_display or EMPTY,
            _date(decision.due_on),
            decision.get_status_display(),
        )
        for decision in decisions
    ]


def period_end(ctx: GenerationContext, due_on: dt.date) -> dt.date:
    """The day a report's figures are cut at: the end of its period, or today while it runs."""
    return min(due_on, _today(ctx))


def _report_cover(ctx: GenerationContext, writer: ReportWriter, due_on: dt.date) -> None:
    programme = ctx.programme
    writer.cover(
        programme.name,
        [
            (_("Programme"), f"{programme.name} ({programme.region})"),
            (_("Contract notified on"), _date(programme.notified_on)),
            (_("Period covered"), f"{_date(programme.notified_on)} → {_date(due_on)}"),
            (_("Report due on"), _date(due_on)),
            (_("Figures"), _("situation as of %(date)s") % {"date": _date(period_end(ctx, due_on))}),
            (_("Author"), ctx.author),
        ],
    )


def _progress_report(ctx: GenerationContext, code: str) -> list[GeneratedFile]:
    programme = ctx.programme
    kind = BY_CODE[code]
    row = _registry_row(programme, code)
    sections = ("successes", "difficulties", "solutions")
    if row is None or not any(text_lines(getattr(row, name)) for name in sections):
        raise MissingData(
            [
                _(
                    "The synthesis of successes, difficulties and solutions of the %(report)s is empty: "
                    "write it in the deliverables registry first."
                )
                % {"report": str(kind.title).lower()}
            ]
        )
    due_on = report_due_on(programme, code, _today(ctx))
    figures = ProgrammeFigures(programme, period_end(ctx, due_on))
    title = f"{kind.title} — {programme.name}"
    writer = ReportWriter(title, banner=programme.name)
    _report_cover(ctx, writer, due_on)

    writer.heading(_("Synthesis of successes, difficulties and solutions"))
    if row.copil_meeting is not None:
        writer.paragraph(
            _("Validated by the COPIL: %(meeting)s, %(date)s.")
            % {"meeting": row.copil_meeting.title, "date": _date(row.copil_meeting.starts_on)}
        )
    else:
        writer.note(_("This synthesis has not been validated by a COPIL meeting yet."))
    for label, name in (
        (_("Successes"), "successes"),
        (_("Difficulties met"), "difficulties"),
        (_("Solutions"), "solutions"),
    ):
        writer.heading(label, 2)
        _narrative(writer, getattr(row, name), _("Not written."))

    writer.heading(_("COPIL decision record"))
    decisions = _decision_rows(programme, due_on)
    if decisions:
        writer.table(
            [
                _("No."),
                _("Date"),
                _("Meeting"),
                _("Kind"),
                _("Decision or action"),
                _("Owner"),
                _("Due on"),
                _("Status"),
            ],
            decisions,
        )
    else:
        writer.note(_("No decision recorded up to %(date)s.") % {"date": _date(due_on)})

    if code != "REPORT_M6":  # from M12 on, the teams exist: an account of each, and the COPIL's charts
        _write_programme_charts(writer, figures, review_charts(figures))
        _write_teams(writer, figures)

    carried = carried_deliverables(ctx, REPORT_CONTENTS[code])
    writer.heading(_("Deliverables carried by this report"))
    _write_deliverables(writer, carried, figures)
    _write_annexes(writer, carried)
    return [_file(ctx, code, title, writer.bytes(), "docx")]


def progress_report_m6(ctx: GenerationContext) -> list[GeneratedFile]:
    """Progress report at 6 months (CCTP 3.2): every Axis 1 deliverable."""
    return _progress_report(ctx, "REPORT_M6")


def progress_report_m12(ctx: GenerationContext) -> list[GeneratedFile]:
    """Progress report at 12 months (CCTP 3.2): the Axis 2 and 3 deliverables."""
    return _progress_report(ctx, "REPORT_M12")


def progress_report_m18(ctx: GenerationContext) -> list[GeneratedFile]:
    """Progress report at 18 months (CCTP 3.2): the Axis 2 and 3 deliverables."""
    return _progress_report(ctx, "REPORT_M18")


def _write_methods(writer: ReportWriter, row: Deliverable, figures: ProgrammeFigures) -> None:
    writer.lines(row.methods)
    writer.heading(_("Diagnostic method"), 2)
    methods = (
        MethodVersion.objects.for_programme(figures.programme)
        .annotate(used=Count("diagnostics"))
        .order_by("code", "created_at", "pk")
    )
    method_rows = [
        (
            str(method),
            method.get_status_display(),
            _date(timezone.localdate(method.validated_at)) if method.validated_at else EMPTY,
            method.used,  # type: ignore[attr-defined]
        )
        for method in methods
    ]
    if method_rows:
        writer.table([_("Method"), _("Status"), _("Validated on"), _("Diagnostics")], method_rows)
    else:
        writer.note(_("No diagnostic method has been loaded."))
    writer.heading(_("Empreinte Projet evaluation grid"), 2)
    versions = Counter(version for _status, version in figures.evaluations)
    if versions:
        writer.table(
            [_("Grid"), _("Version"), _("Evaluations"), _("Source")],
            [
                (load_grid(v).display_name, v, count, load_grid(v).display_source)
                for v, count in sorted(versions.items())
            ],
        )
    else:
        writer.note(_("No Empreinte Projet evaluation has been made yet."))


def final_report(ctx: GenerationContext) -> list[GeneratedFile]:
    """The provisional final report (CCTP 3.2), in Word: synthesis of the work, methods, difficulties,
    all the deliverables of the four axes, with charts."""
    programme = ctx.programme
    row = _registry_row(programme, "REPORT_FINAL")
    if row is None or not text_lines(row.methods):
        raise MissingData(
            [
                _(
                    "Write the work and methods section of the provisional final report in the deliverables "
                    "registry first."
                )
            ]
        )
    due_on = report_due_on(programme, "REPORT_FINAL", _today(ctx))
    figures = ProgrammeFigures(programme, period_end(ctx, due_on))
    charts = review_charts(figures)
    title = f"{BY_CODE['REPORT_FINAL'].title} — {programme.name}"
    writer = ReportWriter(title, banner=programme.name)
    _report_cover(ctx, writer, due_on)

    writer.heading(_("Synthesis of the work"))
    if text_lines(row.successes):
        writer.heading(_("Successes"), 2)
        writer.lines(row.successes)
    _write_phases(writer, figures)
    writer.heading(_("Satisfaction of the participants"), 2)
    _write_satisfaction(writer, figures, charts.satisfaction)
    writer.heading(_("Time spent per phase and contractual caps"), 2)
    _write_time(writer, figures, charts.time)

    writer.heading(_("Methods"))
    _write_methods(writer, row, figures)

    _write_programme_charts(writer, figures, ReviewCharts([], []))
    _write_teams(writer, figures)

    writer.heading(_("Difficulties met"))
    if text_lines(row.difficulties):
        writer.lines(row.difficulties)
    else:
        writer.paragraph(
            _("The difficulties below are those recorded in the action plans and the diagnostics.")
        )
    if text_lines(row.solutions):
        writer.heading(_("Solutions brought"), 2)
        writer.lines(row.solutions)
    _write_barriers(writer, figures)

    writer.heading(_("Lessons and recommendations drawn from the data"))
    recommendations = data_recommendations(figures)
    if recommendations:
        writer.bullets(recommendations)
    else:
        writer.note(_("No lesson, difficulty or result has been recorded yet to draw recommendations from."))

    carried = carried_deliverables(ctx, REPORT_CONTENTS["REPORT_FINAL"])
    writer.heading(_("Deliverables"))
    _write_deliverables(writer, carried, figures)
    _write_annexes(writer, carried)
    return [_file(ctx, "REPORT_FINAL", title, writer.bytes(), "docx")]
