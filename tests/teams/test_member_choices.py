"""Creating a team by hand as the programme grows: up to CHECKBOX_CHOICES_LIMIT organisations, one
checkbox each; beyond, a native list box, labelled, with a hint on choosing several. Only the widget
changes: the same data creates the team, the same refusals keep what was typed."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from sobrindustrie.organisations.models import Organisation
from sobrindustrie.teams.enums import MemberRole
from sobrindustrie.teams.models import ProjectTeam
from sobrindustrie.www.forms import CHECKBOX_CHOICES_LIMIT, MULTIPLE_SELECT_SIZE
from tests.conftest import ROLES
from tests.factories import CommuneFactory, OrganisationFactory
from tests.teams.conftest import TeamWorld
from tests.teams.test_access import PAGES

HINT = "Ctrl-click (⌘-click on a Mac) to choose several."


def _grow_to(t: TeamWorld, total: int) -> list[Organisation]:
    """Active organisations of the programme up to `total`; the ones added."""
    programme = t.world.programme
    missing = total - Organisation.objects.for_programme(programme).active().count()
    return OrganisationFactory.create_batch(missing, programme=programme, commune=CommuneFactory())


def _url(t: TeamWorld) -> str:
    return reverse("www:team_create", args=[t.world.programme.slug])


def _members_select(body: str) -> str:
    return re.search(r'<select name="members".*?</select>', body, re.DOTALL).group(0)


def test_up_to_the_limit_each_organisation_is_a_checkbox(teams: TeamWorld) -> None:
    _grow_to(teams, CHECKBOX_CHOICES_LIMIT)
    response = teams.client("consultant").get(_url(teams))
    body = response.content.decode()
    assert response.context["form"]["members"].widget_type == "checkboxselectmultiple"
    assert body.count('type="checkbox" name="members"') == CHECKBOX_CHOICES_LIMIT
    assert '<select name="members"' not in body and HINT not in body


def test_beyond_the_limit_the_organisations_are_a_labelled_list_box(teams: TeamWorld) -> None:
    _grow_to(teams, CHECKBOX_CHOICES_LIMIT + 1)
    response = teams.client("consultant").get(_url(teams))
    body = response.content.decode()
    assert response.context["form"]["members"].widget_type == "selectmultiple"
    assert 'type="checkbox" name="members"' not in body
    select = _members_select(body)
    opening = select.split(">", 1)[0]
    assert " multiple" in opening and f'size="{MULTIPLE_SELECT_SIZE}"' in opening and "fr-select" in opening
    assert select.count("<option") == CHECKBOX_CHOICES_LIMIT + 1
    label = re.search(r'<label class="fr-label" for="id_members">.*?</label>', body, re.DOTALL).group(0)
    assert "Members" in label and HINT in label
    assert "Outside structures can be added afterwards" in label  # the field's own help stays


def test_a_team_is_created_from_the_list_box(teams: TeamWorld) -> None:
    added = _grow_to(teams, CHECKBOX_CHOICES_LIMIT + 10)
    data = {
        "name": "Maintenance du Var",
        "theme": "inhouse_maintenance",
        "members": [added[0].pk, added[-1].pk],
        "pilot": added[-1].pk,
    }
    response = teams.client("consultant").post(_url(teams), data)
    team = ProjectTeam.objects.get(name="Maintenance du Var")
    assert response["Location"] == team.get_absolute_url()
    assert {m.organisation for m in team.memberships.all()} == {added[0], added[-1]}
    assert team.memberships.get(organisation=added[-1]).role == MemberRole.PILOT


@pytest.mark.parametrize("extra", [0, 1], ids=["checkboxes", "list-box"])
def test_a_refused_team_keeps_the_members_chosen(teams: TeamWorld, extra: int) -> None:
    added = _grow_to(teams, CHECKBOX_CHOICES_LIMIT + extra)
    data = {
        "name": "Maintenance du Var",
        "theme": "pooling",
        "objectives": "Mes objectifs tapés",
        "members": [added[0].pk, added[1].pk],
        "pilot": added[2].pk,  # not among the members
    }
    response = teams.client("consultant").post(_url(teams), data)
    body = response.content.decode()
    assert response.status_code == 200
    assert "The pilot must be one of the members chosen above." in body
    assert "Mes objectifs tapés" in body and 'value="Maintenance du Var"' in body
    if extra:
        chosen = re.findall(r'<option value="(\d+)" selected>', _members_select(body))
    else:
        chosen = re.findall(r'<input type="checkbox" name="members" value="(\d+)"[^>]*\bchecked\b', body)
    assert sorted(map(int, chosen)) == sorted([added[0].pk, added[1].pk])
    assert not ProjectTeam.objects.filter(name="Maintenance du Var").exists()


@pytest.mark.parametrize("role_index,role", list(enumerate(ROLES)))
def test_each_role_gets_what_it_may_at_scale(teams: TeamWorld, role_index: int, role: str) -> None:
    _grow_to(teams, CHECKBOX_CHOICES_LIMIT + 1)
    response = teams.client(role).get(_url(teams))
    assert response.status_code == PAGES["team_create"][role_index], role
    if response.status_code == 200:
        assert b"INVALID_TEMPLATE_VARIABLE" not in response.content
        assert b'<select name="members"' in response.content
