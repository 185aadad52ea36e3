"""A scenario applied to the programme's existing teams: the page shows who moves and which adopted
plans and led actions are touched, and applies everything in one transaction once confirmed."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import timezone

from sobrindustrie.actionplans.services import adopt_version, get_or_create_plan
from sobrindustrie.cooperation import services
from sobrindustrie.cooperation.models import CooperationAnalysis, Scenario
from sobrindustrie.teams.models import ProjectTeam, TeamMembership
from tests.actionplans.factories import ActionFactory
from tests.conftest import World
from tests.cooperation.factories import Cooperation
from tests.cooperation.helpers import PARAMETERS, optimal_scenario


def _variant(analysis: CooperationAnalysis, scenario: Scenario) -> Scenario:
    """The optimum with one organisation of the largest team moved to the other team."""
    teams = [list(team) for team in scenario.teams]
    largest = max(teams, key=len)
    other = next(team for team in teams if team is not largest)
    other.append(largest.pop())
    formation = services.form_teams(analysis, PARAMETERS)
    return services.save_scenario(
        analysis, "Variante", teams, PARAMETERS, services.SolveSummary.of(formation.solution)
    )


@pytest.fixture
def adopted(world: World, coop: Cooperation, analysis: CooperationAnalysis) -> Scenario:
    scenario = optimal_scenario(analysis)
    services.adopt_scenario(scenario, world.users["consultant"])
    return scenario


def test_once_teams_exist_adoption_points_to_applying(
    world: World, analysis: CooperationAnalysis, adopted: Scenario
) -> None:
    variant = _variant(analysis, adopted)
    page = world.client("consultant").get(reverse("www:scenario_detail", args=[variant.pk])).content.decode()
    assert "Apply it to the existing teams instead" in page
    assert reverse("www:scenario_apply", args=[variant.pk]) in page


def test_applying_moves_the_organisation_in_one_transaction(
    world: World, analysis: CooperationAnalysis, adopted: Scenario
) -> None:
    variant = _variant(analysis, adopted)
    application = services.application_plan(variant)
    assert application.refusal is None and len(application.moves) == 1
    move = application.moves[0]
    url = reverse("www:scenario_apply", args=[variant.pk])
    client = world.client("consultant")
    page = client.get(url).content.decode()
    assert move.organisation.name in page and move.joins.name in page
    response = client.post(url, follow=True)
    assert response.redirect_chain[-1][0] == reverse("www:team_list", args=[world.programme.slug])
    current = TeamMembership.objects.current().get(organisation=move.organisation)
    assert current.team == move.joins
    assert TeamMembership.objects.former().filter(organisation=move.organisation).exists()
    assert services.application_plan(variant).moves == []  # applied: nothing left to move


def test_an_adopted_plan_needs_a_confirmation_and_nothing_changes_before(
    world: World, analysis: CooperationAnalysis, adopted: Scenario
) -> None:
    variant = _variant(analysis, adopted)
    move = services.application_plan(variant).moves[0]
    assert move.leaves is not None
    plan = get_or_create_plan(move.leaves)
    action = ActionFactory(plan=plan, lead_organisation=move.organisation, title="Découpe partagée")
    adopt_version(plan, adopted_on=timezone.localdate(), user=None)
    url = reverse("www:scenario_apply", args=[variant.pk])
    client = world.client("consultant")
    page = client.get(url).content.decode()
    assert "Adopted action plans are affected" in page
    assert f"“{action.title}” is led by {move.organisation.name}" in page
    before = list(TeamMembership.objects.order_by("pk").values_list("pk", "left_on"))
    refused = client.post(url, follow=True).content.decode()
    assert "confirm to apply them" in refused
    assert list(TeamMembership.objects.order_by("pk").values_list("pk", "left_on")) == before
    client.post(url, {"confirm": "on"})
    assert TeamMembership.objects.current().get(organisation=move.organisation).team == move.joins


def test_a_scenario_with_another_number_of_teams_is_refused_with_the_reason(
    world: World, analysis: CooperationAnalysis, adopted: Scenario
) -> None:
    teams = [[pk] for team in adopted.teams for pk in team]
    formation = services.form_teams(analysis, PARAMETERS)
    three = services.save_scenario(
        analysis, "Trois", teams, PARAMETERS, services.SolveSummary.of(formation.solution)
    )
    page = world.client("consultant").get(reverse("www:scenario_apply", args=[three.pk])).content.decode()
    assert "The scenario has 3 teams and the programme 2 project teams" in page
    assert ProjectTeam.objects.filter(programme=world.programme).count() == 2


@pytest.mark.parametrize(
    ("role", "status"),
    [("consultant", 200), ("ademe", 404), ("sme", 404), ("partner", 404), ("outsider_consultant", 404)],
)
def test_who_may_apply(
    world: World, analysis: CooperationAnalysis, adopted: Scenario, role: str, status: int
) -> None:
    variant = _variant(analysis, adopted)
    assert world.client(role).get(reverse("www:scenario_apply", args=[variant.pk])).status_code == status
