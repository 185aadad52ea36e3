"""A small programme with one row of every kind the API serves, on top of the `world` fixture."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils import timezone

from sobrindustrie.api.models import ApiToken
from sobrindustrie.cooperation.models import CooperationAnalysis, DetectedOpportunity
from tests.actionplans.factories import (
    ActionFactory,
    ActionPlanFactory,
    IndicatorFactory,
    MeasurementFactory,
    MembershipFactory,
    ProjectTeamFactory,
)
from tests.factories import ProductionMeansFactory
from tests.funding.factories import ApplicationFactory


@dataclass
class ApiData:
    means: object
    team: object
    action: object
    indicator: object
    opportunity: object
    application: object


def build_api_data(world: object, suffix: str = "") -> ApiData:
    """The sme's company and the partner in a team (not the other SME), with an action led by the
    sme's company, an indicator, an opportunity between the two SMEs and a funding application.
    Call it again with another suffix to grow the data (query-count tests)."""
    programme = world.programme  # type: ignore[attr-defined]
    means = ProductionMeansFactory(organisation=world.sme_org, name=f"Presse {suffix}")  # type: ignore[attr-defined]
    team = ProjectTeamFactory(programme=programme)
    MembershipFactory(team=team, organisation=world.sme_org)  # type: ignore[attr-defined]
    MembershipFactory(team=team, organisation=world.partner_org)  # type: ignore[attr-defined]
    plan = ActionPlanFactory(team=team)
    action = ActionFactory(plan=plan, lead_organisation=world.sme_org)  # type: ignore[attr-defined]
    indicator = IndicatorFactory(action=action)
    MeasurementFactory(indicator=indicator)
    analysis = CooperationAnalysis.objects.create(programme=programme, run_at=timezone.now())
    opportunity = DetectedOpportunity.objects.create(
        analysis=analysis,
        solution="pooling",
        provider=world.sme_org,  # type: ignore[attr-defined]
        receiver=world.other_sme_org,  # type: ignore[attr-defined]
        distance_km=12.5,
        score=0.8,
        sentence="Provence Usinage could cut for Var Plasturgie.",
        subject="laser",
    )
    application = ApplicationFactory(action=action, organisation=world.sme_org)  # type: ignore[attr-defined]
    return ApiData(means, team, action, indicator, opportunity, application)


def bearer(user: object, name: str = "tests") -> dict[str, str]:
    _token, raw = ApiToken.issue(user, name)  # type: ignore[arg-type]
    return {"HTTP_AUTHORIZATION": f"Bearer {raw}"}
