"""A project team with a plan on top of the shared `world`.

The team holds the world's SME (pilot, leads the action), the world's partner (outside structure),
and a second SME of the programme, `co_sme`, member of the team but neither leading nor
contributing to the action: it sees the plan and may not edit that action. `other_sme` stays
outside the team.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from django.utils import translation

from sobrindustrie.accounts.enums import Role
from sobrindustrie.teams.enums import MemberRole
from tests.actionplans.factories import (
    ActionFactory,
    ActionPlanFactory,
    MembershipFactory,
    ProjectTeamFactory,
)
from tests.conftest import World
from tests.factories import OrganisationFactory, PersonFactory, UserFactory


@dataclass
class PlanWorld:
    world: World
    team: object
    plan: object
    action: object
    co_sme_org: object
    lead: object = None  # Laurent Giraud, of the world's SME: leads the action, may own steps

    def client(self, role: str):  # type: ignore[no-untyped-def]
        return self.world.client(role)


@pytest.fixture
def plan_world(world: World) -> PlanWorld:
    team = ProjectTeamFactory(programme=world.programme, name="Découpe partagée de l'Arc")
    MembershipFactory(team=team, organisation=world.sme_org, role=MemberRole.PILOT)
    MembershipFactory(team=team, organisation=world.partner_org, role=MemberRole.CONTRIBUTOR)
    co_sme_org = OrganisationFactory(programme=world.programme, name="Alpes Chaudronnerie")
    MembershipFactory(team=team, organisation=co_sme_org)
    world.users["co_sme"] = UserFactory(role=Role.SME, organisation=co_sme_org)
    plan = ActionPlanFactory(team=team)
    lead = PersonFactory(organisation=world.sme_org, first_name="Laurent", last_name="Giraud")
    action = ActionFactory(
        plan=plan, lead_organisation=world.sme_org, lead_person=lead, title="Mutualiser la découpe laser"
    )
    return PlanWorld(world, team, plan, action, co_sme_org, lead)


@pytest.fixture(autouse=True)
def english() -> Iterator[None]:
    """Messages checked outside requests are read in English (the msgids), so that the French
    translations can change without breaking these tests; pages stay French."""
    with translation.override("en"):
        yield
