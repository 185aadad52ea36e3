"""Every page of the teams area, requested by every kind of user.

The expected status for each (page, role) pair is written out in full, so that a change of
permissions shows up here as a diff a reviewer can read. In the fixture, the SME is the team's pilot,
the partner a contributor and a committee member; the other SME is in no team.
"""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests.conftest import ROLES
from tests.teams.conftest import TeamWorld

OK, NOT_FOUND, LOGIN = 200, 404, 302
MANAGE = [LOGIN, NOT_FOUND, OK, NOT_FOUND, NOT_FOUND, NOT_FOUND, OK, NOT_FOUND, NOT_FOUND]
OVERSEE = [LOGIN, OK, OK, NOT_FOUND, NOT_FOUND, NOT_FOUND, OK, NOT_FOUND, NOT_FOUND]
TEAM_MEMBERS = [LOGIN, OK, OK, OK, NOT_FOUND, OK, OK, NOT_FOUND, NOT_FOUND]

# role:               anon   ademe  consult sme    o_sme  partner staff  out_c  out_sme
PAGES = {
    "team_list": OVERSEE,
    "my_teams": [LOGIN, OK, OK, OK, OK, OK, OK, OK, OK],
    "team_create": MANAGE,
    "team_detail": TEAM_MEMBERS,
    "team_edit": MANAGE,
    "team_member_add": MANAGE,
    "team_member_edit": MANAGE,
    "team_member_remove": MANAGE,
    "team_sheet": TEAM_MEMBERS,
    "team_sheet_pdf": TEAM_MEMBERS,
    "team_sheet_docx": TEAM_MEMBERS,
    "prospect_board": OVERSEE,
    "prospect_create": MANAGE,
    "prospect_table": OVERSEE,
    "prospect_export": OVERSEE,
    "prospect_detail": OVERSEE,
    "prospect_edit": MANAGE,
    "committee": [LOGIN, OK, OK, NOT_FOUND, NOT_FOUND, OK, OK, NOT_FOUND, NOT_FOUND],
    "committee_export": OVERSEE,
    "committee_member_add": MANAGE,
    "committee_member_edit": MANAGE,
    "committee_member_remove": MANAGE,
    "subgroup_create": MANAGE,
    "subgroup_edit": MANAGE,
}


def _url(name: str, t: TeamWorld) -> str:
    team = t.team
    if name in {
        "team_list",
        "team_create",
        "prospect_table",
        "prospect_export",
        "committee",
        "committee_export",
        "committee_member_add",
        "subgroup_create",
    }:
        return reverse(f"www:{name}", args=[t.world.programme.slug])
    if name in {"team_member_edit", "team_member_remove"}:
        membership = team.memberships.get(organisation=t.world.sme_org)
        return reverse(f"www:{name}", args=[team.pk, membership.pk])
    if name in {"prospect_detail", "prospect_edit"}:
        return reverse(f"www:{name}", args=[t.prospect.pk])
    if name in {"committee_member_edit", "committee_member_remove"}:
        return reverse(f"www:{name}", args=[t.seat.pk])
    if name == "subgroup_edit":
        return reverse(f"www:{name}", args=[t.subgroup.pk])
    if name == "my_teams":
        return reverse(f"www:{name}")
    return reverse(f"www:{name}", args=[team.pk])


@pytest.mark.parametrize("page", PAGES)
@pytest.mark.parametrize("role_index,role", list(enumerate(ROLES)))
def test_each_role_gets_what_it_may(teams: TeamWorld, page: str, role_index: int, role: str) -> None:
    response = teams.client(role).get(_url(page, teams))
    assert response.status_code == PAGES[page][role_index], f"{page} as {role}"
    if response.status_code == LOGIN:
        assert response["Location"].startswith(reverse("www:login"))
    if response.status_code == OK and response["Content-Type"].startswith("text/html"):
        assert "INVALID_TEMPLATE_VARIABLE" not in response.content.decode(), f"{page} as {role}"


# The status move is a POST-only action: consultants and staff move, everyone else gets a 404.
# role:     anon   ademe      consult sme        o_sme      partner    staff out_c      out_sme
MOVE = [LOGIN, NOT_FOUND, 302, NOT_FOUND, NOT_FOUND, NOT_FOUND, 302, NOT_FOUND, NOT_FOUND]


@pytest.mark.parametrize("role_index,role", list(enumerate(ROLES)))
def test_only_managers_move_a_prospect(teams: TeamWorld, role_index: int, role: str) -> None:
    url = reverse("www:prospect_move", args=[teams.prospect.pk])
    response = teams.client(role).post(url, {"status": "contacted"})
    assert response.status_code == MOVE[role_index], role
    teams.prospect.refresh_from_db()
    assert teams.prospect.status == (
        "contacted" if MOVE[role_index] == 302 and role != "anonymous" else "to_contact"
    )


@pytest.mark.parametrize("role", ["ademe", "sme", "partner", "outsider_consultant"])
def test_who_cannot_manage_cannot_post_either(teams: TeamWorld, role: str) -> None:
    client = teams.client(role)
    team = teams.team
    membership = team.memberships.get(organisation=teams.world.sme_org)
    posts = [
        (
            reverse("www:team_edit", args=[team.pk]),
            {"name": "Piratée", "theme": "pooling", "status": "active"},
        ),
        (reverse("www:team_member_remove", args=[team.pk, membership.pk]), {"left_on": "2026-04-01"}),
        (reverse("www:prospect_detail", args=[teams.prospect.pk]), {"contacted_on": "2026-04-01"}),
        (reverse("www:committee_member_remove", args=[teams.seat.pk]), {"left_on": "2026-04-01"}),
    ]
    for url, data in posts:
        assert client.post(url, data).status_code == 404, url
    team.refresh_from_db()
    membership.refresh_from_db()
    teams.seat.refresh_from_db()
    assert team.name != "Piratée"
    assert membership.left_on is None
    assert teams.seat.left_on is None
    assert not teams.prospect.contacts.exists()
