"""An evaluated team on top of the shared `world`.

The team holds the world's SME and the world's partner; `other_sme` stays outside it, so it must
not see the team's evaluation.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from django.utils import translation

from sobrindustrie.teams.enums import MemberRole
from tests.actionplans.factories import (
    ActionFactory,
    ActionPlanFactory,
    MembershipFactory,
    ProjectTeamFactory,
)
from tests.conftest import World
from tests.evaluation.factories import EvaluationFactory


@dataclass
class EvalWorld:
    world: World
    team: object
    action: object
    evaluation: object

    def client(self, role: str):  # type: ignore[no-untyped-def]
        return self.world.client(role)


@pytest.fixture
def eval_world(world: World) -> EvalWorld:
    team = ProjectTeamFactory(programme=world.programme, name="Presse partagée de l'Arc")
    MembershipFactory(team=team, organisation=world.sme_org, role=MemberRole.PILOT)
    MembershipFactory(team=team, organisation=world.partner_org, role=MemberRole.CONTRIBUTOR)
    plan = ActionPlanFactory(team=team)
    action = ActionFactory(
        plan=plan,
        lead_organisation=world.sme_org,
        title="Mutualiser la presse plieuse",
        expected_energy_kwh_per_year=12000,
        expected_material_kg_per_year=3000,
        expected_km_avoided_per_year=2000,
    )
    evaluation = EvaluationFactory(team=team, action=action)
    return EvalWorld(world, team, action, evaluation)


@pytest.fixture(autouse=True)
def english() -> Iterator[None]:
    """Messages checked outside requests are read in English (the msgids)."""
    with translation.override("en"):
        yield
