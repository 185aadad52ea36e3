from __future__ import annotations

import dataclasses

import pytest
from django.db.models import ProtectedError

from sobrindustrie.cooperation import services
from sobrindustrie.cooperation.adapters import FormationParameters, team_problem
from sobrindustrie.cooperation.enums import ConstraintKind, ScenarioOrigin
from sobrindustrie.cooperation.explain import describe_all
from sobrindustrie.cooperation.models import CooperationAnalysis, DetectedOpportunity, Scenario
from sobrindustrie.teams.models import ProjectTeam
from sobrindustrie.teams.services import NewTeam, create_teams
from tests.conftest import World
from tests.cooperation.factories import Cooperation, TeamConstraintFactory
from tests.factories import OrganisationFactory

PARAMETERS = FormationParameters(k=2, min_size=1, max_size=3)


def test_the_analysis_stores_each_opportunity_with_its_figures(
    world: World, coop: Cooperation, analysis: CooperationAnalysis
) -> None:
    assert analysis.run_by == world.users["consultant"]
    assert (analysis.organisation_count, analysis.machine_count) == (4, 3)
    assert analysis.parameters["road_factor"] == 1.3
    assert analysis.opportunity_count == analysis.opportunities.count() > 0
    pooling = analysis.opportunities.get(solution="pooling")
    assert (pooling.provider, pooling.receiver) == (world.sme_org, world.other_sme_org)
    assert set(pooling.production_means.all()) == {coop.laser, coop.planned_laser}
    assert pooling.avoided_purchase_eur == 350000.0
    assert pooling.avoided_kgco2e > 0 and pooling.hours_shared_per_year > 0 and pooling.score > 0
    assert "Découpeuse laser fibre" in pooling.sentence and "Var Plasturgie" in pooling.sentence
    maintenance = analysis.opportunities.get(solution="inhouse_maintenance")
    assert (maintenance.provider, maintenance.receiver) == (world.partner_org, world.other_sme_org)
    assert maintenance.km_avoided_per_year > 0
    assert list(maintenance.production_means.all()) == [coop.far_machine]


def test_a_machine_behind_a_stored_opportunity_cannot_be_deleted_silently(
    coop: Cooperation, analysis: CooperationAnalysis
) -> None:
    with pytest.raises(ProtectedError):
        coop.laser.delete()


def test_a_new_analysis_replaces_older_ones_no_scenario_uses(
    world: World, coop: Cooperation, analysis: CooperationAnalysis
) -> None:
    formation = services.form_teams(analysis, PARAMETERS)
    teams = formation.context.teams_as_pks([list(t.members) for t in formation.solution.teams])
    services.save_scenario(analysis, "Kept", teams, PARAMETERS, services.SolveSummary.of(formation.solution))
    second = services.run_analysis(world.programme)
    third = services.run_analysis(world.programme)
    assert set(CooperationAnalysis.objects.all()) == {analysis, third}
    assert not DetectedOpportunity.objects.filter(analysis=second.pk).exists()


def test_the_analysis_works_from_the_inventory_alone(world: World) -> None:
    analysis = services.run_analysis(world.programme)
    assert analysis.opportunity_count == 0
    assert analysis.signal_count == 0


def test_the_optimiser_keeps_cooperating_companies_together(
    world: World, coop: Cooperation, analysis: CooperationAnalysis
) -> None:
    formation = services.form_teams(analysis, PARAMETERS)
    solution = formation.solution
    assert solution.status == "OPTIMAL"
    assert solution.wall_time_s < 1.0
    together = next(t for t in solution.teams if world.sme_org.slug in t.members)
    assert world.other_sme_org.slug in together.members
    reasons = services.team_reasons(formation.context, together.members)
    assert {r.solution for r in reasons} == {"pooling"}


def test_conflicting_constraints_are_explained_with_names(
    world: World, coop: Cooperation, analysis: CooperationAnalysis
) -> None:
    TeamConstraintFactory(
        programme=world.programme,
        kind=ConstraintKind.MUST_LINK,
        organisations=[world.sme_org, world.other_sme_org, coop.third_org],
    )
    formation = services.form_teams(analysis, FormationParameters(k=2, min_size=1, max_size=2))
    assert formation.solution.status == "INFEASIBLE"
    assert any(
        "Provence Usinage" in text and "Toulon Tôlerie" in text and "maximum team size of 2" in text
        for text in formation.conflicts
    )


def test_a_hand_modified_scenario_records_its_loss_and_broken_constraints(
    world: World, coop: Cooperation, analysis: CooperationAnalysis
) -> None:
    TeamConstraintFactory(
        programme=world.programme, organisations=[world.sme_org, world.other_sme_org], reason="Concurrents"
    )
    formation = services.form_teams(analysis, PARAMETERS)
    summary = services.SolveSummary.of(formation.solution)
    together = [[world.sme_org.pk, world.other_sme_org.pk], [coop.third_org.pk]]
    scenario = services.save_scenario(analysis, "Essai", together, PARAMETERS, summary)
    assert scenario.origin == ScenarioOrigin.HAND_MODIFIED
    assert not scenario.is_optimal
    assert scenario.broken == ["Provence Usinage and Var Plasturgie cannot be in the same team"]
    assert scenario.objective > (scenario.optimum or 0)  # breaking the rule scores more, and is refused
    with pytest.raises(services.AdoptionRefused, match="breaks constraints"):
        services.adopt_scenario(scenario)


def _optimal_scenario(analysis: CooperationAnalysis) -> Scenario:
    formation = services.form_teams(analysis, PARAMETERS)
    teams = formation.context.teams_as_pks([list(t.members) for t in formation.solution.teams])
    return services.save_scenario(
        analysis, "Optimum", teams, PARAMETERS, services.SolveSummary.of(formation.solution)
    )


def test_adopting_creates_the_project_teams_once(
    world: World, coop: Cooperation, analysis: CooperationAnalysis
) -> None:
    scenario = _optimal_scenario(analysis)
    assert scenario.origin == ScenarioOrigin.OPTIMISER and scenario.is_optimal
    teams = services.adopt_scenario(scenario, world.users["consultant"])
    assert len(teams) == 2
    pooling_team = next(t for t in teams if t.memberships.filter(organisation=world.sme_org).exists())
    assert pooling_team.theme == "pooling"
    assert pooling_team.memberships.filter(organisation=world.other_sme_org).exists()
    assert "Optimum" in pooling_team.source
    assert "Découpeuse laser fibre" in pooling_team.objectives
    scenario.refresh_from_db()
    assert scenario.adopted_at is not None and scenario.adopted_by == world.users["consultant"]
    with pytest.raises(services.AdoptionRefused, match="already adopted"):
        services.adopt_scenario(scenario)
    assert ProjectTeam.objects.count() == 2


def test_adopting_is_refused_when_the_programme_already_has_teams(
    world: World, coop: Cooperation, analysis: CooperationAnalysis
) -> None:
    create_teams(world.programme, [NewTeam("Équipe existante", "pooling", (world.sme_org,))])
    scenario = _optimal_scenario(analysis)
    with pytest.raises(services.AdoptionRefused, match="already has 1 project teams"):
        services.adopt_scenario(scenario)
    assert ProjectTeam.objects.count() == 1


def test_comparing_two_scenarios_lists_who_moved(
    world: World, coop: Cooperation, analysis: CooperationAnalysis
) -> None:
    optimum = _optimal_scenario(analysis)
    formation = services.form_teams(analysis, PARAMETERS)
    summary = services.SolveSummary.of(formation.solution)
    moved = services.save_scenario(
        analysis,
        "Variante",
        [[world.sme_org.pk, coop.third_org.pk], [world.other_sme_org.pk]],
        PARAMETERS,
        summary,
    )
    comparison = services.compare_scenarios(optimum, moved)
    assert comparison.score_difference < 0
    # Matching teams by shared members, only Provence Usinage changed partners.
    assert [move.organisation for move in comparison.moves] == [world.sme_org]


def test_optimal_partition_runs_the_analysis_when_needed(world: World, coop: Cooperation) -> None:
    world.programme.target_team_count = 2
    world.programme.save()
    # By default every team must hold a cooperation: a team of one cannot, and the error says so.
    with pytest.raises(ValueError, match="Only 1 teams can hold a cooperation"):
        services.optimal_partition(world.programme)
    plain = dataclasses.replace(services.default_parameters(world.programme), cohesive=False)
    teams = services.optimal_partition(world.programme, plain)
    assert sorted(len(team) for team in teams) == [1, 2]
    assert any({world.sme_org, world.other_sme_org} == set(team) for team in teams)
    assert CooperationAnalysis.objects.count() == 1


def test_the_instance_data_follows_the_engine_format(
    world: World, coop: Cooperation, analysis: CooperationAnalysis
) -> None:
    OrganisationFactory(programme=world.programme, preformed_group="G", slug="g1")
    OrganisationFactory(programme=world.programme, preformed_group="G", slug="g2")
    data = services.instance_data(world.programme)
    assert set(data) == {
        "organisations",
        "weights",
        "k",
        "min_size",
        "max_size",
        "must_link",
        "cannot_link",
        "min_team_score",
    }
    assert data["must_link"] == [["g1", "g2"]]
    assert data["k"] == 5
    assert all(set(w) == {"a", "b", "w"} for w in data["weights"])


def test_scores_of_hand_made_partitions_name_what_breaks(
    world: World, coop: Cooperation, analysis: CooperationAnalysis
) -> None:
    context = team_problem(analysis, PARAMETERS)
    scored = services.score_teams(context, [[world.sme_org.slug], []], optimum=10.0)
    texts = describe_all(scored.broken, context)
    assert texts[0].startswith("Not in any team: Var Plasturgie ")
    assert texts[0].endswith(" Toulon Tôlerie.")
    assert "A team is empty; sizes must lie between 1 and 3." in texts
