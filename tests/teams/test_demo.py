"""The demo's teams, prospecting history and committee: realistic, valid, and idempotent."""

from __future__ import annotations

from typing import Any

import pytest

from sobrindustrie.demo import teams as demo_teams
from sobrindustrie.demo.loader import load_demo, read_demo_data
from sobrindustrie.programmes.models import Programme
from sobrindustrie.teams.enums import MemberRole, ProspectStatus
from sobrindustrie.teams.models import (
    CommitteeMember,
    CommitteeSubgroup,
    ProjectTeam,
    Prospect,
    ProspectContact,
    TeamMembership,
)

MODELS = [ProjectTeam, TeamMembership, Prospect, ProspectContact, CommitteeMember, CommitteeSubgroup]


def _counts() -> dict[str, tuple[int, int]]:
    return {m.__name__: (m.objects.count(), m.history.count()) for m in MODELS}


@pytest.fixture
def programme(db: object) -> Programme:
    load_demo(password="demo-test-1")
    programme = Programme.objects.get(slug="sobrindustrie-paca-2025")
    demo_teams.load(programme)
    return programme


def test_five_teams_cover_the_fifteen_laureates_once(programme: Programme) -> None:
    data = read_demo_data()
    teams = list(ProjectTeam.objects.for_programme(programme).prefetch_related("memberships__organisation"))
    assert len(teams) == 5
    laureates: list[str] = []
    team_of: dict[str, int] = {}
    for team in teams:
        members = [m for m in team.memberships.all() if m.left_on is None]
        assert sum(m.role == MemberRole.PILOT for m in members) == 1
        for m in members:
            if m.organisation.is_laureate:
                laureates.append(m.organisation.slug)
                team_of[m.organisation.slug] = team.pk
    assert len(laureates) == len(set(laureates)) == 15
    groups: dict[str, set[int]] = {}
    for raw in data["organisations"]:
        if raw.get("preformed_group"):
            groups.setdefault(raw["preformed_group"], set()).add(team_of[raw["key"]])
    assert all(len(t) == 1 for t in groups.values())
    for a, b in data["cannot_link"]:
        assert team_of[a] != team_of[b]


def test_outside_structures_contribute_and_every_status_appears(programme: Programme) -> None:
    contributors = TeamMembership.objects.filter(team__programme=programme, role=MemberRole.CONTRIBUTOR)
    assert contributors.count() >= 2
    assert not any(m.organisation.is_laureate for m in contributors)
    statuses = set(Prospect.objects.filter(team__programme=programme).values_list("status", flat=True))
    assert statuses == set(ProspectStatus.values)
    for prospect in Prospect.objects.filter(team__programme=programme, status=ProspectStatus.COMMITTED):
        assert prospect.contact_person is not None
        assert prospect.team.memberships.current().filter(organisation=prospect.organisation).exists()
    assert ProspectContact.objects.filter(prospect__team__programme=programme).count() >= 10


def test_the_committee_has_two_subgroups(programme: Programme) -> None:
    assert CommitteeMember.objects.for_programme(programme).current().count() >= 5
    subgroups = CommitteeSubgroup.objects.for_programme(programme)
    assert subgroups.count() == 2
    assert all(s.members.exists() for s in subgroups)


def test_every_row_is_valid(programme: Programme) -> None:
    for model in MODELS:
        for row in model.objects.all():
            row.full_clean()


def test_loading_twice_changes_nothing(programme: Programme) -> None:
    before = _counts()
    demo_teams.load(programme)
    assert _counts() == before


def test_without_the_optimiser_the_fixed_partition_is_used(db: object, monkeypatch: Any) -> None:
    load_demo(password="demo-test-1")
    programme = Programme.objects.get(slug="sobrindustrie-paca-2025")
    laureates = set(programme.organisations.laureates().values_list("slug", flat=True))
    assert demo_teams._valid([spec.members for spec in demo_teams.TEAMS], laureates, read_demo_data())
    monkeypatch.setattr(demo_teams, "_partition", lambda *args: None)
    demo_teams.load(programme)
    for spec in demo_teams.TEAMS:
        team = ProjectTeam.objects.get(programme=programme, name=spec.name)
        laureates = {m.organisation.slug for m in team.memberships.all() if m.organisation.is_laureate}
        assert laureates == set(spec.members)
        assert team.source == demo_teams.SOURCE_FIXED
