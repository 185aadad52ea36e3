"""The shared `world`, with one team: the SME is its pilot, the partner a contributor; the other SME
is in no team. The partner's structure also sits on the partners' committee."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from django.conf import settings
from django.test import Client
from django.utils import translation

from sobrindustrie.teams.enums import MemberRole
from sobrindustrie.teams.models import CommitteeMember, CommitteeSubgroup, ProjectTeam, Prospect
from tests.conftest import World
from tests.factories import OrganisationFactory, PersonFactory
from tests.teams.factories import (
    CommitteeMemberFactory,
    MembershipFactory,
    ProspectFactory,
    SubgroupFactory,
    TeamFactory,
)


@dataclass
class TeamWorld:
    world: World
    team: ProjectTeam
    prospect: Prospect
    seat: CommitteeMember
    subgroup: CommitteeSubgroup

    def client(self, role: str) -> Client:
        """A client that reads the interface in English, the language the assertions are written in."""
        client = self.world.client(role)
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
        return client


@pytest.fixture(autouse=True)
def english() -> Iterator[None]:
    # Messages are asserted by their English msgids, which stay valid when French is translated.
    with translation.override("en"):
        yield


@pytest.fixture
def teams(world: World) -> TeamWorld:
    programme = world.programme
    team = TeamFactory(programme=programme, name="Découpe partagée du pays d'Aix")
    MembershipFactory(team=team, organisation=world.sme_org, role=MemberRole.PILOT)
    MembershipFactory(team=team, organisation=world.partner_org, role=MemberRole.CONTRIBUTOR)
    prospect = ProspectFactory(
        team=team,
        organisation=OrganisationFactory(programme=programme, outside=True, name="Rétrofit Provence"),
    )
    PersonFactory(organisation=prospect.organisation, first_name="Antoine", last_name="Vidal")
    seat = CommitteeMemberFactory(programme=programme, organisation=world.partner_org)
    subgroup = SubgroupFactory(programme=programme, team=team)
    subgroup.members.add(seat)
    return TeamWorld(world, team, prospect, seat, subgroup)


@pytest.fixture(autouse=True)
def interface_in_english(settings: Any) -> Iterator[None]:
    """These tests read the interface's English wording; French is checked by tests/www and e2e."""
    settings.LANGUAGE_CODE = "en"
    with translation.override("en"):
        yield
