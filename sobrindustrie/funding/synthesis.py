"""What the reports of Axe 3 say: the application grid (L3.2), the funding obtained (L3.3) and the
interviews with funders (L3.1). Plain data built from the records, shared by the HTML pages and the
XLSX, PDF and DOCX files so that every format says the same thing.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db.models import DecimalField, OuterRef, QuerySet, Subquery, Sum, Value
from django.db.models.functions import Coalesce
from django.utils.translation import gettext as _

from sobrindustrie.actionplans.models import Action
from sobrindustrie.core.enums import Solution
from sobrindustrie.funding.enums import OBTAINED_STATUSES, ApplicationStatus
from sobrindustrie.funding.models import FundingApplication
from sobrindustrie.meetings.enums import MeetingKind, TimeObjectKind
from sobrindustrie.meetings.models import Meeting, TimeEntry
from sobrindustrie.programmes.models import Programme

ZERO = Decimal(0)


# --- Application grid (L3.2) ----------------------------------------------------------------------


def with_days(applications: QuerySet[FundingApplication]) -> QuerySet[FundingApplication]:
    """Applications with `consultant_days` (time entries of kind funding order) and what a grid shows."""
    content_type = ContentType.objects.get_for_model(FundingApplication)
    days = (
        TimeEntry.objects.filter(
            content_type=content_type, object_id=OuterRef("pk"), object_kind=TimeObjectKind.FUNDING_ORDER
        )
        .order_by()
        .values("object_id")
        .annotate(total=Sum("days"))
        .values("total")
    )
    days_field = DecimalField(max_digits=7, decimal_places=2)
    return applications.select_related("action__plan__team__programme", "organisation", "scheme").annotate(
        consultant_days=Coalesce(
            Subquery(days, output_field=days_field), Value(ZERO), output_field=days_field
        )
    )


@dataclass
class GridRow:
    application: FundingApplication
    days: Decimal
    cap: Decimal

    @property
    def over_cap(self) -> bool:
        return self.days > self.cap


def grid_rows(applications: Iterable[FundingApplication]) -> list[GridRow]:
    """Applications (from `with_days`) with their days against the programme's cap per funding order."""
    return [
        GridRow(app, app.consultant_days, app.action.plan.team.programme.funding_order_days_cap)  # type: ignore[attr-defined]
        for app in applications
    ]


def application_grid(applications: QuerySet[FundingApplication]) -> list[GridRow]:
    """The grid's rows for `applications`: with their days, by team, then by action in the plan's
    order, then by applicant. The pages, their XLSX and deliverable L3.2 list applications alike."""
    return grid_rows(
        with_days(applications).order_by(
            "action__plan__team__name", "action__position", "action_id", "organisation__name", "pk"
        )
    )


def grid_table(rows: Sequence[GridRow]) -> list[list[object]]:
    """The grid as rows of typed cells (header first), for the spreadsheet."""
    yes, no = _("yes"), _("no")
    table: list[list[object]] = [
        [
            _("Team"), _("Action"), _("Solution"), _("Applicant"), _("Scheme"), _("Nature of the aid"),
            _("Funders"), _("Status"), _("Amount requested (€)"), _("Amount granted (€)"), _("Amount paid (€)"),
            _("Preparation started on"), _("Submitted on"), _("Decision on"), _("Paid on"),
            _("Consultant days"), _("Days cap per order"), _("Over the cap"), _("Funder's file number"), _("Notes"),
        ]
    ]  # fmt: skip
    for row in rows:
        app = row.application
        table.append(
            [
                app.action.plan.team.name, app.action.title, app.action.get_solution_display(),
                app.organisation.name, app.scheme.title, app.scheme.get_nature_display(), app.scheme.funder_label,
                app.get_status_display(), app.amount_requested_eur, app.amount_granted_eur, app.amount_paid_eur,
                app.preparation_started_on, app.submitted_on, app.decision_on, app.paid_on,
                row.days, row.cap, yes if row.over_cap else no, app.reference, app.notes,
            ]
        )  # fmt: skip
    return table


# --- Funding obtained (L3.3) ----------------------------------------------------------------------


@dataclass
class SynthesisLine:
    key: str
    label: str
    obtained: Decimal = ZERO
    requested: Decimal = ZERO
    paid: Decimal = ZERO
    budget: Decimal = ZERO
    applications: int = 0
    granted_count: int = 0
    action_ids: set[int] = field(default_factory=set)

    @property
    def leverage(self) -> Decimal | None:
        """Funding obtained ÷ budget of the actions concerned."""
        return (self.obtained / self.budget).quantize(Decimal("0.01")) if self.budget else None

    @property
    def leverage_percent(self) -> Decimal | None:
        return (self.obtained * 100 / self.budget).quantize(Decimal("1")) if self.budget else None


@dataclass
class FundingSynthesis:
    programme: Programme
    by_solution: list[SynthesisLine]
    by_funder: list[SynthesisLine]
    total: SynthesisLine
    status_counts: list[tuple[str, str, int]]
    today: dt.date

    @property
    def max_obtained(self) -> Decimal:
        return max([line.obtained for line in (*self.by_solution, *self.by_funder)] or [ZERO])


def _add(line: SynthesisLine, app: FundingApplication, budgets: dict[int, Decimal]) -> None:
    line.applications += 1
    line.requested += app.amount_requested_eur or ZERO
    if app.status in OBTAINED_STATUSES:
        line.obtained += app.amount_granted_eur or ZERO
        line.paid += app.amount_paid_eur or ZERO
        line.granted_count += 1
    if app.action_id not in line.action_ids:
        line.action_ids.add(app.action_id)
        line.budget += budgets.get(app.action_id, ZERO)


def funding_synthesis(programme: Programme, today: dt.date) -> FundingSynthesis:
    """Funding by type of action (solution) and by funder, with the leverage on the actions' budgets.

    The budget of a line is the total budget (investment + operating) of the actions that applied
    at least once within it: leverage says which share of what those actions cost public funding
    paid.
    """
    applications = list(
        FundingApplication.objects.for_programme(programme)
        .exclude(status=ApplicationStatus.WITHDRAWN)
        .select_related("scheme", "action")
        .order_by("pk")
    )
    budgets = {app.action_id: app.action.total_budget_eur or ZERO for app in applications}
    labels = dict(Solution.choices)
    by_solution: dict[str, SynthesisLine] = {}
    by_funder: dict[str, SynthesisLine] = {}
    total = SynthesisLine("total", _("All actions"))
    for app in applications:
        solution = app.action.solution
        line = by_solution.setdefault(solution, SynthesisLine(solution, str(labels.get(solution, solution))))
        _add(line, app, budgets)
        funder = app.scheme.funder_label
        _add(by_funder.setdefault(funder, SynthesisLine(funder, funder)), app, budgets)
        _add(total, app, budgets)
    order = list(labels)
    counts = dict.fromkeys(ApplicationStatus.values, 0)
    for status in FundingApplication.objects.for_programme(programme).values_list("status", flat=True):
        counts[status] += 1
    return FundingSynthesis(
        programme,
        sorted(by_solution.values(), key=lambda line: order.index(line.key) if line.key in order else 99),
        sorted(by_funder.values(), key=lambda line: (-line.obtained, line.label.casefold())),
        total,
        [(status, str(label), counts[status]) for status, label in ApplicationStatus.choices],
        today,
    )


def actions_needing_funding(programme: Programme) -> QuerySet[Action]:
    return (
        Action.objects.for_programme(programme)
        .filter(funding_need_eur__gt=0)
        .select_related("plan__team", "lead_organisation")
        .order_by("plan__team__name", "position", "pk")
    )


# --- Interviews with funders (L3.1) ---------------------------------------------------------------


def funder_interviews(meetings: QuerySet[Meeting]) -> list[Meeting]:
    """Funder interviews (meetings of kind funder_interview), with minutes and who attended."""
    return list(
        meetings.filter(kind=MeetingKind.FUNDER_INTERVIEW)
        .select_related("minutes")
        .prefetch_related("invitations__user", "guests")
        .order_by("starts_at", "pk")
    )


def money(value: Any) -> str:
    if value is None:
        return "—"
    return f"{value:,.0f} €".replace(",", "\u202f")
