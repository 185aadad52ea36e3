"""The workshop-2 flow through the pages: run the analysis, solve, move a company (HTMX), save,
compare, adopt; and what each kind of user is shown."""

from __future__ import annotations

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from sobrindustrie.cooperation.enums import ConstraintKind, ScenarioOrigin
from sobrindustrie.cooperation.models import (
    CooperationAnalysis,
    DetectedOpportunity,
    Scenario,
    TeamConstraint,
)
from sobrindustrie.teams.models import ProjectTeam
from tests.conftest import World
from tests.cooperation.factories import Cooperation, TeamConstraintFactory
from tests.cooperation.helpers import board_post, optimal_scenario
from tests.factories import OrganisationFactory, ProductionMeansFactory

HTMX = {"HTTP_HX_REQUEST": "true"}
SOLVE = {"k": "2", "min_size": "1", "max_size": "3", "time_limit_s": "5"}


def test_a_consultant_runs_the_analysis_from_the_page(world: World, coop: Cooperation) -> None:
    client = world.client("consultant")
    url = reverse("www:analysis_run", args=[world.programme.slug])
    response = client.post(url, {"radius_km": "50", "next": "https://evil.example/"}, follow=True)
    assert CooperationAnalysis.objects.count() == 1
    assert response.redirect_chain[-1][0] == reverse("www:opportunity_list", args=[world.programme.slug])
    assert "Découpeuse laser fibre" in response.content.decode()


def test_a_bad_radius_is_refused_with_the_rule(world: World, coop: Cooperation) -> None:
    url = reverse("www:analysis_run", args=[world.programme.slug])
    response = world.client("consultant").post(url, {"radius_km": "1"}, follow=True)
    assert CooperationAnalysis.objects.count() == 0
    assert "5" in response.content.decode()


def test_the_optimiser_shows_teams_with_their_reasons(
    world: World, coop: Cooperation, analysis: CooperationAnalysis
) -> None:
    url = reverse("www:team_solve", args=[world.programme.slug])
    response = world.client("consultant").post(url, SOLVE, **HTMX)
    body = response.content.decode()
    assert response.status_code == 200
    assert "<html" not in body and 'id="workspace"' in body
    assert 'id="board"' in body and 'name="token"' in body
    # One move control for the board, the partition in one field.
    assert body.count("<select") == 2 and 'name="move"' in body and 'name="to"' in body
    assert f'<option value="{world.sme_org.pk}">Provence Usinage</option>' in body
    partition = re.search(r'name="partition" value="([\d.-]*)"', body).group(1)
    assert sorted(int(pk) for pk in re.split(r"[.-]", partition)) == sorted(
        [world.sme_org.pk, world.other_sme_org.pk, coop.third_org.pk]
    )
    assert "Découpeuse laser fibre" in body  # the reason binding Provence Usinage and Var Plasturgie
    assert "INVALID_TEMPLATE_VARIABLE" not in body


def test_bad_parameters_are_refused_and_kept(world: World, analysis: CooperationAnalysis) -> None:
    url = reverse("www:team_solve", args=[world.programme.slug])
    response = world.client("consultant").post(url, {**SOLVE, "min_size": "4", "max_size": "2"})
    body = response.content.decode()
    assert "at least the minimum size (4)" in body
    assert 'value="4"' in body and 'id="board"' not in body


def test_infeasible_constraints_are_shown_in_words(
    world: World, coop: Cooperation, analysis: CooperationAnalysis
) -> None:
    TeamConstraintFactory(
        programme=world.programme, organisations=[world.sme_org, world.other_sme_org], reason="Concurrents"
    )
    TeamConstraintFactory(
        programme=world.programme,
        kind=ConstraintKind.MUST_LINK,
        organisations=[world.sme_org, world.other_sme_org],
    )
    url = reverse("www:team_solve", args=[world.programme.slug])
    body = world.client("consultant").post(url, SOLVE, **HTMX).content.decode()
    assert "Provence Usinage" in body and "Var Plasturgie" in body
    assert "cannot be in the same team, but must-link groups join them" in body
    assert 'id="board"' not in body


def test_moving_a_company_rescores_at_once(
    world: World, coop: Cooperation, analysis: CooperationAnalysis
) -> None:
    TeamConstraintFactory(programme=world.programme, organisations=[world.sme_org, coop.third_org])
    client = world.client("consultant")
    url = reverse("www:team_score", args=[world.programme.slug])
    sme, other, third = world.sme_org.pk, world.other_sme_org.pk, coop.third_org.pk
    optimal = client.post(url, board_post(analysis, [[sme, other], [third]]), **HTMX).content.decode()
    assert "<html" not in optimal and optimal.lstrip().startswith('<div id="board">')
    assert "reach the optimiser" in optimal and "Broken constraints" not in optimal
    moved = client.post(url, board_post(analysis, [[other], [sme, third]]), **HTMX).content.decode()
    assert "Broken constraints" in moved
    assert "Provence Usinage and Toulon Tôlerie cannot be in the same team" in moved
    assert "loss against that optimum" in moved


def test_a_forged_board_is_refused(world: World, coop: Cooperation, analysis: CooperationAnalysis) -> None:
    url = reverse("www:team_score", args=[world.programme.slug])
    data = board_post(analysis, [[world.sme_org.pk]])
    data["token"] = data["token"][:-2] + "xx"
    assert world.client("consultant").post(url, data, **HTMX).status_code == 400


def test_the_move_control_moves_a_company_with_and_without_javascript(
    world: World, coop: Cooperation, analysis: CooperationAnalysis
) -> None:
    TeamConstraintFactory(programme=world.programme, organisations=[world.sme_org, coop.third_org])
    client = world.client("consultant")
    url = reverse("www:team_score", args=[world.programme.slug])
    sme, other, third = world.sme_org.pk, world.other_sme_org.pk, coop.third_org.pk
    data = board_post(analysis, [[sme, other], [third]], move=str(sme), to="2", name="Brouillon")
    moved = client.post(url, data, **HTMX).content.decode()
    assert moved.lstrip().startswith('<div id="board">')
    assert "Provence Usinage moved to team 2." in moved and 'role="status"' in moved
    assert f'name="partition" value="{other}-{min(sme, third)}.{max(sme, third)}"' in moved
    assert "Provence Usinage and Toulon Tôlerie cannot be in the same team" in moved
    assert 'value="Brouillon"' in moved  # the scenario name being typed is kept
    assert " selected>" not in moved.split('id="board-move"')[1].split("</fieldset>")[0]  # reset
    # Without JavaScript the same button posts the form and the whole page comes back.
    page = client.post(url, {**data, "move": str(third), "to": "1"}).content.decode()
    assert "<html" in page and "Toulon Tôlerie moved to team 1." in page
    assert f'name="partition" value="{min(sme, other)}.{max(sme, other)}.{third}-"' in page


@pytest.mark.parametrize(
    ("move", "to", "error"),
    [
        ("sme", "", "Choose the team to move Provence Usinage to."),
        ("", "2", "Choose the organisation to move to team 2."),
        ("sme", "3", "Choose a team from 1 to 2."),
        ("999999", "1", "This organisation is not among the teams: choose one from the list."),
    ],
)
def test_an_incomplete_move_says_what_is_missing_and_keeps_the_choice(
    world: World, coop: Cooperation, analysis: CooperationAnalysis, move: str, to: str, error: str
) -> None:
    sme, other, third = world.sme_org.pk, world.other_sme_org.pk, coop.third_org.pk
    move = str(sme) if move == "sme" else move
    data = board_post(analysis, [[sme, other], [third]], move=move, to=to)
    url = reverse("www:team_score", args=[world.programme.slug])
    body = world.client("consultant").post(url, data, **HTMX).content.decode()
    assert error in body and "fr-fieldset--error" in body
    assert f'name="partition" value="{min(sme, other)}.{max(sme, other)}-{third}"' in body  # nothing moved
    if move == str(sme):
        assert f'<option value="{sme}" selected>' in body
    if to == "2":
        assert '<option value="2" selected>' in body


@pytest.mark.parametrize(
    "partition",
    [
        "{sme}.{other}-{third}-{sme}",
        "{sme}.{sme}-{third}",
        "{sme}-{other}-{third}",
        "{sme},{other}",
        "x-1",
        "²",
    ],
)
def test_an_altered_partition_is_refused(
    world: World, coop: Cooperation, analysis: CooperationAnalysis, partition: str
) -> None:
    """An organisation twice, more teams than the board has, anything but primary keys: refused."""
    pks = {"sme": world.sme_org.pk, "other": world.other_sme_org.pk, "third": coop.third_org.pk}
    data = board_post(analysis, [], partition=partition.format(**pks), name="Essai")
    client = world.client("consultant")
    assert (
        client.post(reverse("www:team_score", args=[world.programme.slug]), data, **HTMX).status_code == 400
    )
    assert client.post(reverse("www:scenario_save", args=[world.programme.slug]), data).status_code == 400
    assert not Scenario.objects.exists()


def test_an_organisation_left_out_of_the_partition_is_reported_missing(
    world: World, coop: Cooperation, analysis: CooperationAnalysis
) -> None:
    outsider = OrganisationFactory()  # another programme's: dropped, not scored
    data = board_post(analysis, [[world.sme_org.pk, outsider.pk], [world.other_sme_org.pk]])
    url = reverse("www:team_score", args=[world.programme.slug])
    body = world.client("consultant").post(url, data, **HTMX).content.decode()
    assert "Broken constraints" in body and "Toulon Tôlerie" in body
    assert outsider.name not in body


def test_saving_refuses_a_move_chosen_but_not_applied(
    world: World, coop: Cooperation, analysis: CooperationAnalysis
) -> None:
    sme, other, third = world.sme_org.pk, world.other_sme_org.pk, coop.third_org.pk
    data = board_post(analysis, [[sme, other], [third]], name="Essai", move=str(sme), to="2")
    url = reverse("www:scenario_save", args=[world.programme.slug])
    body = world.client("consultant").post(url, data).content.decode()
    assert not Scenario.objects.exists()
    assert "A move is chosen but not applied" in body and 'value="Essai"' in body
    assert f'<option value="{sme}" selected>' in body


def test_saving_keeps_what_the_server_computes(
    world: World, coop: Cooperation, analysis: CooperationAnalysis
) -> None:
    client = world.client("consultant")
    url = reverse("www:scenario_save", args=[world.programme.slug])
    sme, other, third = world.sme_org.pk, world.other_sme_org.pk, coop.third_org.pk
    response = client.post(url, board_post(analysis, [[sme, third], [other]], name="Essai", objective="9999"))
    scenario = Scenario.objects.get()
    assert response["Location"] == scenario.get_absolute_url()
    assert scenario.origin == ScenarioOrigin.HAND_MODIFIED
    assert scenario.teams == [[sme, third], [other]]
    assert scenario.objective < scenario.optimum
    assert scenario.created_by == world.users["consultant"]
    page = client.get(scenario.get_absolute_url()).content.decode()
    assert "Essai" in page and "Toulon Tôlerie" in page


def test_saving_without_a_name_keeps_the_board(
    world: World, coop: Cooperation, analysis: CooperationAnalysis
) -> None:
    url = reverse("www:scenario_save", args=[world.programme.slug])
    data = board_post(analysis, [[world.sme_org.pk, coop.third_org.pk], [world.other_sme_org.pk]], name="")
    body = world.client("consultant").post(url, data).content.decode()
    assert not Scenario.objects.exists()
    assert 'id="board"' in body and 'id="id_name-error"' in body


def test_compare_shows_who_moved_and_the_score_difference(
    world: World, coop: Cooperation, analysis: CooperationAnalysis
) -> None:
    a = optimal_scenario(analysis, "Optimum")
    client = world.client("consultant")
    sme, other, third = world.sme_org.pk, world.other_sme_org.pk, coop.third_org.pk
    client.post(
        reverse("www:scenario_save", args=[world.programme.slug]),
        board_post(analysis, [[sme, third], [other]], name="Variante"),
    )
    b = Scenario.objects.get(name="Variante")
    url = reverse("www:scenario_compare", args=[world.programme.slug])
    body = world.client("ademe").get(url, {"a": a.pk, "b": b.pk}).content.decode()
    assert "Provence Usinage: team" in body
    assert "score difference (B − A)" in body
    same = client.get(url, {"a": a.pk, "b": a.pk}).content.decode()
    assert "Choose two different scenarios." in same


def test_adoption_creates_teams_once_with_a_clear_message(
    world: World, coop: Cooperation, analysis: CooperationAnalysis
) -> None:
    scenario = optimal_scenario(analysis)
    client = world.client("consultant")
    url = reverse("www:scenario_adopt", args=[scenario.pk])
    confirm = client.get(url).content.decode()
    assert "Provence Usinage" in confirm and 'method="post"' in confirm
    response = client.post(url, follow=True)
    assert response.redirect_chain[-1][0] == reverse("www:team_list", args=[world.programme.slug])
    assert ProjectTeam.objects.filter(programme=world.programme).count() == 2
    again = client.post(url, follow=True).content.decode()
    assert "already adopted" in again
    other = optimal_scenario(analysis, "Autre")
    refused = client.post(reverse("www:scenario_adopt", args=[other.pk]), follow=True).content.decode()
    assert "already has 2 project teams" in refused
    assert ProjectTeam.objects.filter(programme=world.programme).count() == 2
    assert (
        "already has 2 project teams"
        in client.get(reverse("www:scenario_adopt", args=[other.pk])).content.decode()
    )


def test_constraints_are_added_with_clear_errors(world: World, coop: Cooperation) -> None:
    client = world.client("consultant")
    url = reverse("www:constraint_add", args=[world.programme.slug])
    orgs = [world.sme_org.pk, world.other_sme_org.pk, coop.third_org.pk]
    body = client.post(
        url, {"kind": ConstraintKind.CANNOT_LINK, "organisations": orgs, "reason": "x"}
    ).content.decode()
    assert "exactly two organisations (3 chosen)" in body
    assert not TeamConstraint.objects.exists()
    client.post(url, {"kind": ConstraintKind.MUST_LINK, "organisations": orgs, "reason": "Même site"})
    constraint = TeamConstraint.objects.get()
    assert set(constraint.organisations.all()) == {world.sme_org, world.other_sme_org, coop.third_org}
    page = client.get(reverse("www:team_formation", args=[world.programme.slug])).content.decode()
    assert "Même site" in page
    outsider = OrganisationFactory()
    body = client.post(
        url, {"kind": ConstraintKind.MUST_LINK, "organisations": [world.sme_org.pk, outsider.pk]}
    )
    assert TeamConstraint.objects.count() == 1
    assert body.status_code == 200


def test_an_sme_member_sees_only_opportunities_concerning_their_company(
    world: World, coop: Cooperation, analysis: CooperationAnalysis
) -> None:
    url = reverse("www:opportunity_list", args=[world.programme.slug])
    sme_page = world.client("sme").get(url).content.decode()
    assert "Découpeuse laser fibre" in sme_page  # Provence Usinage's pooling offer
    assert "Presse plieuse" not in sme_page  # Var Plasturgie's maintenance, not theirs
    assert 'name="organisation"' not in sme_page
    other_page = world.client("other_sme").get(url).content.decode()
    assert "Presse plieuse" in other_page and "Découpeuse laser fibre" in other_page
    reader_page = world.client("ademe").get(url).content.decode()
    assert 'name="organisation"' in reader_page and "Presse plieuse" in reader_page
    # An SME member cannot widen the list with the filter of another organisation.
    widened = world.client("sme").get(url, {"organisation": world.other_sme_org.pk}).content.decode()
    assert "Presse plieuse" not in widened


def test_the_opportunity_list_filters_with_an_htmx_fragment(
    world: World, coop: Cooperation, analysis: CooperationAnalysis
) -> None:
    url = reverse("www:opportunity_list", args=[world.programme.slug])
    client = world.client("consultant")
    body = client.get(url, {"solution": "inhouse_maintenance"}, **HTMX).content.decode()
    assert "<html" not in body and "Presse plieuse" in body and "Découpeuse laser fibre" not in body
    by_org = client.get(url, {"organisation": world.sme_org.pk}).content.decode()
    assert "Découpeuse laser fibre" in by_org and "Presse plieuse" not in by_org
    high = client.get(url, {"min_score": "100000"}).content.decode()
    assert "No opportunity matches these filters." in high
    bad = client.get(url, {"min_score": "-3"}).content.decode()
    assert "0" in bad and 'value="-3"' in bad


def test_the_opportunity_list_makes_a_fixed_number_of_queries(
    world: World, coop: Cooperation, analysis: CooperationAnalysis
) -> None:
    client = world.client("consultant")
    url = reverse("www:opportunity_list", args=[world.programme.slug])
    with CaptureQueriesContext(connection) as small:
        client.get(url)
    for index in range(8):
        org = OrganisationFactory(programme=world.programme, name=f"Acheteur {index}")
        ProductionMeansFactory(
            organisation=org, planned_action="purchase", utilisation_rate=None, planned_year=2026
        )
    CooperationAnalysis.objects.all().delete()
    from sobrindustrie.cooperation.services import run_analysis

    grown = run_analysis(world.programme)
    assert grown.opportunity_count > analysis.opportunity_count + 5
    with CaptureQueriesContext(connection) as large:
        client.get(url)
    assert len(large.captured_queries) == len(small.captured_queries)


def test_the_map_draws_links_and_lists_them(
    world: World, coop: Cooperation, analysis: CooperationAnalysis
) -> None:
    body = (
        world.client("ademe")
        .get(reverse("www:cooperation_map", args=[world.programme.slug]))
        .content.decode()
    )
    assert (
        body.count("<line ") == DetectedOpportunity.objects.values("provider", "receiver").distinct().count()
    )
    assert "<svg" in body
    assert ("Provence Usinage — Var Plasturgie" in body) or ("Var Plasturgie — Provence Usinage" in body)
    assert "http" not in body.split("<svg", 1)[1].split("</svg>", 1)[0].replace("http://www.w3.org", "")


def test_ademe_reads_the_formation_page_without_controls(
    world: World, coop: Cooperation, analysis: CooperationAnalysis
) -> None:
    optimal_scenario(analysis)
    body = (
        world.client("ademe").get(reverse("www:team_formation", args=[world.programme.slug])).content.decode()
    )
    assert "Optimum" in body
    assert reverse("www:team_solve", args=[world.programme.slug]) not in body
    assert reverse("www:analysis_run", args=[world.programme.slug]) not in body


def test_a_consultant_restarts_the_board_from_a_scenario(
    world: World, coop: Cooperation, analysis: CooperationAnalysis
) -> None:
    scenario = optimal_scenario(analysis)
    url = reverse("www:team_formation", args=[world.programme.slug])
    body = world.client("consultant").get(url, {"scenario": scenario.pk}).content.decode()
    assert 'id="board"' in body and "reach the optimiser" in body
