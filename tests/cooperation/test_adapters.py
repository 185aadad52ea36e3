from __future__ import annotations

import pytest

from sobrindustrie.cooperation import services
from sobrindustrie.cooperation.adapters import (
    FormationParameters,
    detection_inputs,
    team_problem,
)
from sobrindustrie.cooperation.enums import ConstraintKind
from sobrindustrie.cooperation.models import CooperationAnalysis
from sobrindustrie.diagnostics import evaluation
from sobrindustrie.engines.teams import Signal
from tests.conftest import World
from tests.cooperation.factories import Cooperation, TeamConstraintFactory
from tests.factories import OrganisationFactory


def test_inventory_needs_and_offers_become_engine_inputs(world: World, coop: Cooperation) -> None:
    world.sme_org.solution_interests = ["pooling"]
    world.sme_org.save()
    inputs = detection_inputs(world.programme)
    orgs = {org.id: org for org in inputs.orgs}
    assert set(orgs) == {
        world.sme_org.slug,
        world.other_sme_org.slug,
        world.partner_org.slug,
        coop.third_org.slug,
    }
    assert orgs[world.sme_org.slug].solution_interests == frozenset({"pooling"})
    machines = {m.id: m for m in inputs.machines}
    laser = machines[str(coop.laser.pk)]
    assert (laser.org_id, laser.category, laser.utilisation_rate) == (
        world.sme_org.slug,
        "cutting.laser",
        30.0,
    )
    assert laser.purchase_value_eur == 350000.0
    planned = machines[str(coop.planned_laser.pk)]
    assert (planned.planned_action, planned.utilisation_rate) == ("purchase", 0.0)
    assert machines[str(coop.far_machine.pk)].contractor_distance_km == 90.0
    assert [(n.org_id, n.kind, n.skill, n.category) for n in inputs.needs] == [
        (coop.third_org.slug, "skill", "retrofit", None)
    ]
    assert [(o.org_id, o.skill) for o in inputs.offers] == [(world.partner_org.slug, "maintenance")]
    assert inputs.signals == []


def test_an_organisation_without_location_is_left_out_and_reported(world: World, coop: Cooperation) -> None:
    lost = OrganisationFactory(programme=world.programme, commune=None, latitude=None, longitude=None)
    inputs = detection_inputs(world.programme)
    assert lost in inputs.skipped
    assert lost.slug not in {org.id for org in inputs.orgs}


def test_archived_and_other_programme_organisations_are_not_analysed(world: World, coop: Cooperation) -> None:
    OrganisationFactory(programme=world.programme, is_archived=True, slug="archivee")
    ids = {org.id for org in detection_inputs(world.programme).orgs}
    assert "archivee" not in ids
    assert world.users["outsider_sme"].organisation.slug not in ids


def test_diagnostic_signals_are_read_from_the_diagnostics(
    world: World, coop: Cooperation, monkeypatch: pytest.MonkeyPatch
) -> None:
    sme = str(world.sme_org.pk)
    found = [
        Signal(sme, "retrofit", "offers", None, "retrofit", 0.8),
        Signal(sme, "retrofit", "offers", "Not a category!", None, 0.8),  # refused by the engine: skipped
        Signal("999999", "pooling", "needs", "cutting.laser", None, 1.0),  # not in this programme
    ]
    monkeypatch.setattr(evaluation, "cooperation_signals", lambda programme: found)
    signals = detection_inputs(world.programme).signals
    assert signals == [Signal(world.sme_org.slug, "retrofit", "offers", None, "retrofit", 0.8)]


def test_a_diagnostic_signal_feeds_the_analysis(
    world: World, coop: Cooperation, monkeypatch: pytest.MonkeyPatch
) -> None:
    wanted = [Signal(str(world.sme_org.pk), "retrofit", "offers", None, "retrofit", 1.0)]
    monkeypatch.setattr(evaluation, "cooperation_signals", lambda programme: wanted)
    analysis = services.run_analysis(world.programme)
    assert analysis.signal_count == 1
    retrofit = analysis.opportunities.get(solution="retrofit")
    assert (retrofit.provider, retrofit.receiver) == (world.sme_org, coop.third_org)


def test_the_problem_holds_preformed_groups_constraints_and_weights(
    world: World, coop: Cooperation, analysis: CooperationAnalysis
) -> None:
    world.sme_org.preformed_group = "Vallée de l'Arc"
    world.sme_org.save()
    world.other_sme_org.preformed_group = "Vallée de l'Arc "
    world.other_sme_org.save()
    TeamConstraintFactory(
        programme=world.programme,
        kind=ConstraintKind.CANNOT_LINK,
        organisations=[coop.third_org, world.partner_org],
    )
    context = team_problem(analysis, FormationParameters(k=2, min_size=1, max_size=3))
    problem = context.problem
    assert set(problem.organisations) == {world.sme_org.slug, world.other_sme_org.slug, coop.third_org.slug}
    assert problem.must_link == (tuple(sorted([world.sme_org.slug, world.other_sme_org.slug])),)
    # The partner is not partitioned unless asked, so the cannot-link pair has one end left.
    assert problem.cannot_link == ()
    assert any({w.a, w.b} == {world.sme_org.slug, world.other_sme_org.slug} for w in problem.weights)
    with_outside = team_problem(
        analysis, FormationParameters(k=2, min_size=1, max_size=3, include_outside=True)
    )
    assert with_outside.problem.cannot_link == (tuple(sorted([coop.third_org.slug, world.partner_org.slug])),)


def test_default_parameters_follow_the_programme_target(world: World) -> None:
    world.programme.target_team_count = 5
    parameters = FormationParameters.defaults(world.programme, 15)
    assert (parameters.k, parameters.min_size, parameters.max_size) == (5, 2, 5)
    assert FormationParameters.defaults(world.programme, 2).k == 2
