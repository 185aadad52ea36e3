"""A project team with an action needing funding, a stored interface and a few schemes.

The team holds the world's SME (leads the action), the partner (outside structure, member of the
team) and `co_sme`, a member SME that takes no part in the action. The action is an investment of
40 000 € with a need of 20 000 €.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from django.utils import translation

from sobrindustrie.accounts.enums import Role
from sobrindustrie.core.enums import Solution
from sobrindustrie.funding.importer import store_interface
from sobrindustrie.teams.enums import MemberRole
from tests.actionplans.factories import (
    ActionFactory,
    ActionPlanFactory,
    MembershipFactory,
    ProjectTeamFactory,
)
from tests.conftest import World
from tests.factories import OrganisationFactory, UserFactory
from tests.funding.factories import ApplicationFactory, SchemeFactory

PACKAGE_DATA = Path(__file__).resolve().parents[2] / "sobrindustrie" / "funding" / "data"
INTERFACE_FILE = PACKAGE_DATA / "mte" / "publicodes-interface.yaml"
SHARED_DATA = Path(__file__).resolve().parents[2].parent / "shared" / "data" / "mission-transition-ecologique"


@dataclass
class FundingWorld:
    world: World
    team: object
    plan: object
    action: object
    co_sme_org: object
    scheme: object
    application: object

    def client(self, role: str):  # type: ignore[no-untyped-def]
        return self.world.client(role)

    @property
    def programme(self):  # type: ignore[no-untyped-def]
        return self.world.programme


@pytest.fixture
def interface(db: object) -> object:
    row, _interface, _status = store_interface(INTERFACE_FILE)
    return row


@pytest.fixture
def funding_world(world: World, interface: object) -> FundingWorld:
    world.sme_org.solution_interests = [Solution.RETROFIT]
    world.sme_org.save()
    team = ProjectTeamFactory(programme=world.programme, name="Rétrofit de la vallée")
    MembershipFactory(team=team, organisation=world.sme_org, role=MemberRole.PILOT)
    MembershipFactory(team=team, organisation=world.partner_org, role=MemberRole.CONTRIBUTOR)
    co_sme_org = OrganisationFactory(programme=world.programme, name="Alpes Chaudronnerie")
    MembershipFactory(team=team, organisation=co_sme_org)
    world.users["co_sme"] = UserFactory(role=Role.SME, organisation=co_sme_org)
    plan = ActionPlanFactory(team=team)
    action = ActionFactory(plan=plan, lead_organisation=world.sme_org, title="Rétrofiter la presse plieuse")
    scheme = SchemeFactory(title="Investissement sobre des PME")
    application = ApplicationFactory(action=action, organisation=world.sme_org, scheme=scheme)
    return FundingWorld(world, team, plan, action, co_sme_org, scheme, application)


@pytest.fixture
def english(settings: Any) -> Iterator[None]:
    """For modules that assert the services' English wording (the msgids)."""
    settings.LANGUAGE_CODE = "en"
    with translation.override("en"):
        yield
