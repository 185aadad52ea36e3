"""The access model itself: the role table, the scopes, and who a user is resolved once."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from sobrindustrie.accounts.access import (
    ROLE_CAPABILITIES,
    Capability,
    Scope,
    access_of,
    roles_holding,
)
from sobrindustrie.accounts.enums import Role
from tests.actionplans.factories import MembershipFactory, ProjectTeamFactory
from tests.conftest import World


def test_every_role_has_a_row() -> None:
    assert set(ROLE_CAPABILITIES) == set(Role.values)


def test_overseeing_is_for_ademe_consultants_and_staff() -> None:
    assert roles_holding(Capability.OVERSEE_PROGRAMME) == {Role.ADEME, Role.CONSULTANT, Role.STAFF}


def test_programme_scope_reaches_only_the_programmes_worked_on(world: World) -> None:
    consultant = access_of(world.users["consultant"])
    outsider = access_of(world.users["outsider_consultant"])
    assert consultant.on_programme(Capability.MANAGE_PROGRAMME, world.programme.pk)
    assert not outsider.on_programme(Capability.MANAGE_PROGRAMME, world.programme.pk)
    assert not access_of(world.users["ademe"]).on_programme(Capability.MANAGE_PROGRAMME, world.programme.pk)


def test_organisation_scope_reaches_only_the_users_organisation(world: World) -> None:
    sme = access_of(world.users["sme"])
    programme = world.programme.pk
    assert sme.on_organisation(Capability.EDIT_ORGANISATION, world.sme_org.pk, programme)
    assert not sme.on_organisation(Capability.EDIT_ORGANISATION, world.other_sme_org.pk, programme)
    assert sme.on_programme(Capability.VIEW_PROGRAMME, programme)
    assert not sme.on_programme(Capability.OVERSEE_PROGRAMME, programme)


def test_team_scope_reaches_the_teams_of_the_organisation(world: World) -> None:
    team, other = ProjectTeamFactory(programme=world.programme), ProjectTeamFactory(programme=world.programme)
    MembershipFactory(team=team, organisation=world.sme_org)
    sme = access_of(world.users["sme"])
    assert sme.on_team(Capability.WORK_IN_TEAM, team.pk, world.programme.pk)
    assert not sme.on_team(Capability.WORK_IN_TEAM, other.pk, world.programme.pk)


def test_staff_reach_every_programme(world: World) -> None:
    staff = access_of(world.users["staff"])
    assert staff.scope(Capability.MANAGE_PROGRAMME) == Scope.ALL
    assert staff.on_programme(Capability.MANAGE_PROGRAMME, world.programme.pk)


def test_an_inactive_user_holds_nothing(world: World) -> None:
    user = world.users["consultant"]
    user.is_active = False
    assert not access_of(user).holds(Capability.SIGN_IN)


def test_access_is_resolved_once_per_user_object(world: World) -> None:
    user = world.users["consultant"]
    access_of(user).on_programme(Capability.VIEW_PROGRAMME, world.programme.pk)
    with CaptureQueriesContext(connection) as queries:
        for _ in range(5):
            access_of(user).on_programme(Capability.OVERSEE_PROGRAMME, world.programme.pk)
    assert len(queries) == 0


@pytest.mark.parametrize("role", ["ademe", "consultant", "sme", "partner", "staff"])
def test_a_request_resolves_access_once(world: World, role: str) -> None:
    """The middleware and the views share one resolution: the page's rule and its programme
    check cost at most one query for the programmes worked on."""
    response = world.client(role).get(f"/programmes/{world.programme.slug}/reunions/")
    assert response.status_code == 200
    assert hasattr(response.wsgi_request, "access")


def test_assigning_a_programme_refreshes_the_access(world: World) -> None:
    user = world.users["outsider_consultant"]
    assert not access_of(user).on_programme(Capability.MANAGE_PROGRAMME, world.programme.pk)
    user.programmes.add(world.programme)
    assert access_of(user).on_programme(Capability.MANAGE_PROGRAMME, world.programme.pk)
