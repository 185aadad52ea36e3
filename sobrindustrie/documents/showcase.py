"""The figures a published project page (L4.4's material) shows beside the text the COPIL validated:
its partners, the progress of its action plan, the funding obtained and its greenhouse-gas balance,
read live from the team's records so that the public page never lags behind the programme."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import TYPE_CHECKING

from django.db.models import Sum

if TYPE_CHECKING:
    from sobrindustrie.teams.models import ProjectTeam


@dataclass(frozen=True)
class ProjectFigures:
    partners: list[str] = field(default_factory=list)  # current member organisations, by name
    actions: int = 0
    progress: int | None = None  # average progress of the actions not abandoned, in per cent
    requested_eur: Decimal = Decimal(0)
    obtained_eur: Decimal = Decimal(0)
    balance_t: float | None = None  # net tCO2e a year of its evaluated projects (negative: avoided)

    @property
    def avoided_t(self) -> float | None:
        return -self.balance_t if self.balance_t is not None and self.balance_t < 0 else None


def project_figures(team: ProjectTeam) -> ProjectFigures:
    from sobrindustrie.actionplans.enums import ActionStatus
    from sobrindustrie.actionplans.models import Action
    from sobrindustrie.evaluation.models import GhgBalance
    from sobrindustrie.funding.enums import OBTAINED_STATUSES, ApplicationStatus
    from sobrindustrie.funding.models import FundingApplication
    from sobrindustrie.teams.models import TeamMembership

    partners = list(
        TeamMembership.objects.current()
        .filter(team=team)
        .order_by("organisation__name")
        .values_list("organisation__name", flat=True)
    )
    progress = list(
        Action.objects.filter(plan__team=team)
        .exclude(status=ActionStatus.ABANDONED)
        .values_list("progress_percent", flat=True)
    )
    applications = FundingApplication.objects.for_team(team).exclude(status=ApplicationStatus.WITHDRAWN)
    requested = applications.aggregate(total=Sum("amount_requested_eur"))["total"] or Decimal(0)
    obtained = applications.filter(status__in=list(OBTAINED_STATUSES)).aggregate(
        total=Sum("amount_granted_eur")
    )["total"] or Decimal(0)
    balances = list(
        GhgBalance.objects.filter(evaluation__team=team, central_kg__isnull=False).values_list(
            "central_kg", flat=True
        )
    )
    return ProjectFigures(
        partners=partners,
        actions=len(progress),
        progress=round(sum(progress) / len(progress)) if progress else None,
        requested_eur=requested,
        obtained_eur=obtained,
        balance_t=sum(balances) / 1000 if balances else None,
    )
