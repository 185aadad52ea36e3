"""List pages make a fixed number of queries, however many teams, structures or members there are."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.factories import PersonFactory, UserFactory
from tests.teams.conftest import TeamWorld
from tests.teams.factories import (
    CommitteeMemberFactory,
    MembershipFactory,
    ProspectContactFactory,
    ProspectFactory,
    SubgroupFactory,
    TeamFactory,
)


def _more_teams(t: TeamWorld) -> None:
    for _ in range(4):
        team = TeamFactory(programme=t.world.programme)
        MembershipFactory(team=team, organisation=t.world.partner_org)
        MembershipFactory.create_batch(2, team=team)


def _more_prospects(t: TeamWorld) -> None:
    consultant = t.world.users["consultant"]
    for status in ("contacted", "interested", "declined", "to_contact"):
        prospect = ProspectFactory(team=t.team, status=status, followed_by=consultant)
        prospect.contact_person = PersonFactory(organisation=prospect.organisation)
        prospect.save()
        ProspectContactFactory.create_batch(2, prospect=prospect, made_by=UserFactory())


def _more_committee(t: TeamWorld) -> None:
    for _ in range(4):
        member = CommitteeMemberFactory(programme=t.world.programme)
        member.people.set(PersonFactory.create_batch(2, organisation=member.organisation))
        SubgroupFactory(programme=t.world.programme).members.add(member, t.seat)


CASES: dict[str, tuple[str, str, Callable[[TeamWorld], None]]] = {
    "team_list": ("consultant", "programme", _more_teams),
    "my_teams": ("partner", "", _more_teams),
    "prospect_table": ("ademe", "programme", _more_prospects),
    "prospect_board": ("consultant", "team", _more_prospects),
    "committee": ("consultant", "programme", _more_committee),
}


@pytest.mark.parametrize("page", CASES)
def test_list_pages_make_a_fixed_number_of_queries(teams: TeamWorld, page: str) -> None:
    role, arg, grow = CASES[page]
    args = {"programme": [teams.world.programme.slug], "team": [teams.team.pk], "": []}[arg]
    url = reverse(f"www:{page}", args=args)
    client = teams.client(role)
    client.get(url)
    with CaptureQueriesContext(connection) as few:
        assert client.get(url).status_code == 200
    grow(teams)
    with CaptureQueriesContext(connection) as many:
        assert client.get(url).status_code == 200
    assert len(many) == len(few), "\n".join(q["sql"] for q in many.captured_queries)
