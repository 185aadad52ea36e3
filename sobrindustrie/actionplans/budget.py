"""The budget of a plan split by member and by funding source, from the actions and the funding
applications recorded on them (nothing estimated).

- By member: each action's budget (investment + operating, € excl. VAT) and funding need count for
  its lead organisation, the only owner of an action's budget the data records; the amounts each
  member requested and obtained come from its own applications. Every current member has a row
  (zero when it leads nothing); a former member still leading an action keeps its row.
- By funding source: the amount obtained (granted or paid) and requested from each scheme, and the
  members' own funds: the budget less everything obtained. The sources therefore add up to the
  plan's budget, as the member rows do.

Abandoned actions and their applications are left out; refused and withdrawn applications count
in no amount requested.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from sobrindustrie.actionplans.enums import ActionStatus
from sobrindustrie.actionplans.models import ActionPlan

ZERO = Decimal(0)


@dataclass
class MemberBudget:
    organisation: Any
    investment_eur: Decimal = ZERO
    operating_eur: Decimal = ZERO
    funding_need_eur: Decimal = ZERO
    requested_eur: Decimal = ZERO
    obtained_eur: Decimal = ZERO
    actions: int = 0

    @property
    def total_eur(self) -> Decimal:
        return self.investment_eur + self.operating_eur


@dataclass
class SourceBudget:
    scheme: Any  # None for the members' own funds
    requested_eur: Decimal = ZERO
    obtained_eur: Decimal = ZERO
    applications: int = 0


@dataclass
class PlanBudget:
    members: list[MemberBudget] = field(default_factory=list)
    sources: list[SourceBudget] = field(default_factory=list)
    #: Obtained beyond the budget (the own funds would be negative): shown, never hidden.
    over_funded: bool = False

    @property
    def total_eur(self) -> Decimal:
        return sum((m.total_eur for m in self.members), ZERO)

    @property
    def investment_eur(self) -> Decimal:
        return sum((m.investment_eur for m in self.members), ZERO)

    @property
    def operating_eur(self) -> Decimal:
        return sum((m.operating_eur for m in self.members), ZERO)

    @property
    def funding_need_eur(self) -> Decimal:
        return sum((m.funding_need_eur for m in self.members), ZERO)

    @property
    def requested_eur(self) -> Decimal:
        return sum((s.requested_eur for s in self.sources), ZERO)

    @property
    def obtained_eur(self) -> Decimal:
        return sum((s.obtained_eur for s in self.sources if s.scheme is not None), ZERO)

    @property
    def own_funds_eur(self) -> Decimal:
        return self.total_eur - self.obtained_eur

    @property
    def sources_total_eur(self) -> Decimal:
        """The obtained amounts plus the members' own funds: equals `total_eur` by construction."""
        return sum((s.obtained_eur for s in self.sources), ZERO)


def plan_budget(plan: ActionPlan) -> PlanBudget:
    """The plan's budget by member and by funding source, in three queries."""
    from sobrindustrie.funding.enums import ApplicationStatus
    from sobrindustrie.funding.models import FundingApplication
    from sobrindustrie.organisations.models import Organisation

    kept = plan.actions.exclude(status=ActionStatus.ABANDONED)
    current = Organisation.objects.filter(
        team_memberships__team_id=plan.team_id, team_memberships__left_on__isnull=True
    ).order_by("name")
    members: dict[int, MemberBudget] = {o.pk: MemberBudget(o) for o in current}
    for action in kept.select_related("lead_organisation"):
        row = members.setdefault(action.lead_organisation_id, MemberBudget(action.lead_organisation))
        row.actions += 1
        row.investment_eur += action.investment_budget_eur or ZERO
        row.operating_eur += action.operating_budget_eur or ZERO
        row.funding_need_eur += action.funding_need_eur or ZERO
    sources: dict[int, SourceBudget] = {}
    applications = (
        FundingApplication.objects.filter(action__in=kept)
        .select_related("scheme", "organisation")
        .order_by("scheme__title", "pk")
    )
    dropped = {ApplicationStatus.REFUSED, ApplicationStatus.WITHDRAWN}
    for application in applications:
        requested = ZERO if application.status in dropped else application.amount_requested_eur or ZERO
        obtained = application.obtained_eur
        source = sources.setdefault(application.scheme_id, SourceBudget(application.scheme))
        source.applications += 1
        source.requested_eur += requested
        source.obtained_eur += obtained
        member = members.setdefault(application.organisation_id, MemberBudget(application.organisation))
        member.requested_eur += requested
        member.obtained_eur += obtained
    budget = PlanBudget(members=list(members.values()), sources=list(sources.values()))
    budget.sources.append(SourceBudget(None, obtained_eur=budget.own_funds_eur))
    budget.over_funded = budget.own_funds_eur < 0
    return budget
