"""A small programme with one row of every kind the API serves, on top of the `world` fixture."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils import timezone

from sobrindustrie.api.models import ApiToken, TokenScope
from sobrindustrie.cooperation.models import CooperationAnalysis, DetectedOpportunity
from sobrindustrie.meetings.models import Decision
from tests.actionplans.factories import (
    ActionFactory,
    ActionPlanFactory,
    IndicatorFactory,
    MeasurementFactory,
    MembershipFactory,
    ProjectTeamFactory,
)
from tests.evaluation.factories import TripFactory
from tests.factories import ProductionMeansFactory
from tests.funding.factories import ApplicationFactory
from tests.meetings.factories import (
    DecisionFactory,
    InvitationFactory,
    MeetingFactory,
    MinutesFactory,
    TimeEntryFactory,
)


@dataclass
class ApiData:
    means: object
    team: object
    action: object
    indicator: object
    opportunity: object
    application: object
    meeting: object
    minutes: object
    decision: object
    time_entry: object
    trip: object


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
        wording="functional_economy",
        wording_params={
            "provider": "Provence Usinage",
            "receiver": "Var Plasturgie",
            "km": 12,
            "offered_hours": 200,
            "category": "cutting.laser",
            "wanted_hours": 100,
        },
        subject="laser",
    )
    application = ApplicationFactory(action=action, organisation=world.sme_org)  # type: ignore[attr-defined]
    # A past meeting the sme user was invited to, with validated minutes and a decision; a time
    # entry and a trip of the consultant (read by the programme's overseers only).
    meeting = MeetingFactory(programme=programme, past=True, teams=[team])
    meeting.organisations.add(world.sme_org)  # type: ignore[attr-defined]
    InvitationFactory(meeting=meeting, user=world.users["sme"])  # type: ignore[attr-defined]
    minutes = MinutesFactory(meeting=meeting, status="validated", validated_at=timezone.now())
    decision = DecisionFactory(
        meeting=meeting, number=Decision.objects.filter(programme=programme).count() + 1
    )
    consultant = world.users["consultant"]  # type: ignore[attr-defined]
    time_entry = TimeEntryFactory(programme=programme, consultant=consultant, description=f"Entry {suffix}")
    trip = TripFactory(programme=programme, traveller=consultant)
    return ApiData(
        means, team, action, indicator, opportunity, application, meeting, minutes, decision, time_entry, trip
    )


def bearer(user: object, name: str = "tests", scope: str = TokenScope.READ) -> dict[str, str]:
    _token, raw = ApiToken.issue(user, name, scope)  # type: ignore[arg-type]
    return {"HTTP_AUTHORIZATION": f"Bearer {raw}"}
