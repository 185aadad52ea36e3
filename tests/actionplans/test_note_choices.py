"""Which actions the lesson-learned form offers, and how, as the programme grows.

Up to CHECKBOX_CHOICES_LIMIT actions, every action is a checkbox (the real programme: 15 SMEs). Beyond,
the page lists a team's actions at a time, chosen by `?equipe=<pk>` (a plain GET form, HTMX
optional), plus the actions already chosen; every action the user sees stays a valid choice. A team
with more actions than the limit gets a list box.
"""

from __future__ import annotations

import re

import pytest
from django.conf import settings
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils.html import escape

from sobrindustrie.actionplans.models import Action, ExperienceNote
from sobrindustrie.teams.enums import MemberRole
from sobrindustrie.www.actionplans_views.forms import ExperienceNoteForm, NoteActionsTeamForm
from sobrindustrie.www.forms import CHECKBOX_CHOICES_LIMIT, MULTIPLE_SELECT_SIZE
from tests.actionplans.conftest import PlanWorld
from tests.actionplans.factories import (
    ActionFactory,
    ActionPlanFactory,
    MembershipFactory,
    ProjectTeamFactory,
)
from tests.actionplans.test_access import ALL_ROLES, PAGES
from tests.factories import OrganisationFactory, ProgrammeFactory

HTMX = {"HTTP_HX_REQUEST": "true"}


def _client(pw: PlanWorld, role: str) -> Client:
    """A client reading the interface in English, the language these assertions are written in."""
    client = pw.client(role)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def _team_with_actions(
    pw: PlanWorld, count: int, name: str = "Maintenance du Var"
) -> tuple[object, list[Action]]:
    team = ProjectTeamFactory(programme=pw.world.programme, name=name)
    lead = OrganisationFactory(programme=pw.world.programme)
    MembershipFactory(team=team, organisation=lead, role=MemberRole.PILOT)
    plan = ActionPlanFactory(team=team)
    return team, ActionFactory.create_batch(count, plan=plan, lead_organisation=lead)


def _url(pw: PlanWorld, note: ExperienceNote | None = None) -> str:
    if note is None:
        return reverse("www:experience_note_create", args=[pw.world.programme.slug])
    return reverse("www:experience_note_edit", args=[pw.world.programme.slug, note.pk])


def _listed(body: str) -> set[int]:
    """The actions offered by the page, as checkboxes or options of the list box."""
    boxes = re.findall(r'<input type="checkbox" name="actions" value="(\d+)"', body)
    select = re.search(r'<select name="actions".*?</select>', body, re.DOTALL)
    options = re.findall(r'<option value="(\d+)"', select.group(0)) if select else []
    return {int(pk) for pk in [*boxes, *options]}


def _ticked(body: str) -> set[int]:
    boxes = re.findall(r'<input type="checkbox" name="actions" value="(\d+)"[^>]*\bchecked\b', body)
    select = re.search(r'<select name="actions".*?</select>', body, re.DOTALL)
    options = re.findall(r'<option value="(\d+)" selected', select.group(0)) if select else []
    return {int(pk) for pk in [*boxes, *options]}


def _note_data(**overrides: object) -> dict[str, object]:
    data: dict[str, object] = {
        "held_on": "2026-09-22",
        "topic": "Planning partagé",
        "lesson": "Une convention simple évite les conflits d'usage.",
        "expected_version": "",
    }
    data.update(overrides)
    return data


def test_while_actions_are_few_every_one_is_a_checkbox_and_no_team_is_asked(plan_world: PlanWorld) -> None:
    pw = plan_world
    _team, others = _team_with_actions(pw, CHECKBOX_CHOICES_LIMIT - 1)  # the limit, with pw.action
    response = _client(pw, "consultant").get(_url(pw))
    body = response.content.decode()
    assert response.context["form"]["actions"].widget_type == "checkboxselectmultiple"
    assert _listed(body) == {pw.action.pk, *(a.pk for a in others)}
    assert response.context["team_filter"] is None
    assert 'name="equipe"' not in body


def test_beyond_the_limit_a_team_is_chosen_to_list_its_actions(plan_world: PlanWorld) -> None:
    pw = plan_world
    team, others = _team_with_actions(pw, CHECKBOX_CHOICES_LIMIT)
    ProjectTeamFactory(programme=pw.world.programme, name="Équipe sans plan")  # nothing to list: not offered
    client = _client(pw, "consultant")

    body = client.get(_url(pw)).content.decode()
    assert _listed(body) == set()
    assert f"{CHECKBOX_CHOICES_LIMIT + 1} actions: choose a team above to list its actions." in body
    filter_select = re.search(r'<select name="equipe".*?</select>', body, re.DOTALL).group(0)
    assert escape(pw.team.name) in filter_select and team.name in filter_select
    assert "Équipe sans plan" not in filter_select

    response = client.get(_url(pw), {"equipe": team.pk})
    body = response.content.decode()
    assert _listed(body) == {a.pk for a in others}
    assert response.context["form"]["actions"].widget_type == "checkboxselectmultiple"  # the limit exactly
    assert f'<option value="{team.pk}" selected>' in body
    assert "The actions of Maintenance du Var, and those already chosen." in body


def test_a_team_with_more_actions_than_the_limit_gets_a_list_box(plan_world: PlanWorld) -> None:
    pw = plan_world
    team, others = _team_with_actions(pw, CHECKBOX_CHOICES_LIMIT + 1)
    response = _client(pw, "consultant").get(_url(pw), {"equipe": team.pk})
    body = response.content.decode()
    assert response.context["form"]["actions"].widget_type == "selectmultiple"
    select = re.search(r"<select name=\"actions\"[^>]*>", body).group(0)
    assert " multiple" in select and f'size="{MULTIPLE_SELECT_SIZE}"' in select and "fr-select" in select
    assert '<label class="fr-label" for="id_actions">' in body
    assert "Ctrl-click (⌘-click on a Mac) to choose several." in body
    assert _listed(body) == {a.pk for a in others}


def test_an_action_not_listed_stays_a_valid_choice(plan_world: PlanWorld) -> None:
    """Narrowing changes what is listed, not what is accepted."""
    pw = plan_world
    team, others = _team_with_actions(pw, CHECKBOX_CHOICES_LIMIT)
    url = f"{_url(pw)}?equipe={team.pk}"
    response = _client(pw, "consultant").post(url, _note_data(actions=[pw.action.pk, others[0].pk]))
    assert response.status_code == 302
    note = ExperienceNote.objects.get()
    assert set(note.actions.all()) == {pw.action, others[0]}


def test_an_action_of_another_programme_is_still_refused(plan_world: PlanWorld) -> None:
    pw = plan_world
    _team_with_actions(pw, CHECKBOX_CHOICES_LIMIT)
    elsewhere = ActionFactory(plan=ActionPlanFactory(team=ProjectTeamFactory(programme=ProgrammeFactory())))
    response = _client(pw, "consultant").post(_url(pw), _note_data(actions=[elsewhere.pk]))
    assert response.status_code == 200
    assert "actions" in response.context["form"].errors
    assert not ExperienceNote.objects.exists()


def test_a_refused_lesson_keeps_what_was_typed_and_ticked(plan_world: PlanWorld) -> None:
    pw = plan_world
    team, others = _team_with_actions(pw, CHECKBOX_CHOICES_LIMIT)
    url = f"{_url(pw)}?equipe={team.pk}"
    data = _note_data(topic="Mon sujet tapé", lesson="", actions=[pw.action.pk, others[3].pk])
    response = _client(pw, "consultant").post(url, data)
    body = response.content.decode()
    assert response.status_code == 200 and "lesson" in response.context["form"].errors
    assert 'value="Mon sujet tapé"' in body
    assert _ticked(body) == {pw.action.pk, others[3].pk}
    # The team's actions stay listed, and the one chosen from another team too.
    assert _listed(body) == {pw.action.pk, *(a.pk for a in others)}
    assert f'<option value="{team.pk}" selected>' in body
    assert not ExperienceNote.objects.exists()


def test_a_refused_lesson_keeps_its_choices_in_a_list_box(plan_world: PlanWorld) -> None:
    pw = plan_world
    team, others = _team_with_actions(pw, CHECKBOX_CHOICES_LIMIT + 5)
    url = f"{_url(pw)}?equipe={team.pk}"
    data = _note_data(lesson="", actions=[others[0].pk, others[-1].pk])
    body = _client(pw, "consultant").post(url, data).content.decode()
    assert _ticked(body) == {others[0].pk, others[-1].pk}


def test_editing_a_lesson_keeps_its_actions_listed_whatever_the_team_shown(plan_world: PlanWorld) -> None:
    pw = plan_world
    team, others = _team_with_actions(pw, CHECKBOX_CHOICES_LIMIT)
    client = _client(pw, "consultant")
    client.post(_url(pw), _note_data(actions=[pw.action.pk]))
    note = ExperienceNote.objects.get()

    body = client.get(_url(pw, note)).content.decode()
    assert _listed(body) == _ticked(body) == {pw.action.pk}
    body = client.get(_url(pw, note), {"equipe": team.pk}).content.decode()
    assert _ticked(body) == {pw.action.pk}
    assert _listed(body) == {pw.action.pk, *(a.pk for a in others)}

    edit = f"{_url(pw, note)}?equipe={team.pk}"
    data = _note_data(actions=[pw.action.pk, others[1].pk], expected_version=note.version)
    assert client.post(edit, data).status_code == 302
    assert set(note.actions.all()) == {pw.action, others[1]}


def test_htmx_lists_another_team_and_keeps_the_actions_ticked(plan_world: PlanWorld) -> None:
    """With JavaScript, choosing a team swaps the list only (what was typed stays in the page); the
    actions ticked so far come along and stay ticked."""
    pw = plan_world
    team, others = _team_with_actions(pw, CHECKBOX_CHOICES_LIMIT)
    response = _client(pw, "consultant").get(_url(pw), {"equipe": team.pk, "actions": [pw.action.pk]}, **HTMX)
    body = response.content.decode()
    assert "<html" not in body and body.strip().startswith('<div id="note-actions">')
    assert _ticked(body) == {pw.action.pk}
    assert _listed(body) == {pw.action.pk, *(a.pk for a in others)}


def test_a_team_the_user_may_not_choose_lists_nothing(plan_world: PlanWorld) -> None:
    pw = plan_world
    _team_with_actions(pw, CHECKBOX_CHOICES_LIMIT)
    elsewhere = ActionFactory(plan=ActionPlanFactory(team=ProjectTeamFactory(programme=ProgrammeFactory())))
    client = _client(pw, "consultant")
    for value in (elsewhere.plan.team.pk, "abc"):
        response = client.get(_url(pw), {"equipe": value})
        assert response.status_code == 200
        assert _listed(response.content.decode()) == set()
        assert response.context["team_filter"].errors


def test_the_page_s_queries_do_not_grow_with_the_actions(plan_world: PlanWorld) -> None:
    pw = plan_world
    team, _ = _team_with_actions(pw, CHECKBOX_CHOICES_LIMIT)
    client = _client(pw, "consultant")
    with CaptureQueriesContext(connection) as few:
        client.get(_url(pw), {"equipe": team.pk})
    ActionFactory.create_batch(
        CHECKBOX_CHOICES_LIMIT,
        plan=team.action_plan,
        lead_organisation=Action.objects.last().lead_organisation,
    )
    _team_with_actions(pw, CHECKBOX_CHOICES_LIMIT, name="Troisième équipe")
    with CaptureQueriesContext(connection) as many:
        client.get(_url(pw), {"equipe": team.pk})
    assert len(many) == len(few)


# --- Whose actions: the form offers the actions its user sees -----------------------------------


def _offered(pw: PlanWorld, role: str) -> set[Action]:
    note = ExperienceNote(programme=pw.world.programme, author=pw.world.users[role])
    return set(ExperienceNoteForm(instance=note, user=pw.world.users[role]).fields["actions"].queryset)


def test_an_sme_member_or_a_partner_is_offered_their_own_teams_actions(plan_world: PlanWorld) -> None:
    """Today only the programme's consultants and staff write lessons (`can_write_experience_notes`);
    should SME members or partners ever write them, the form already offers them only the actions
    of the teams their organisation belongs to."""
    pw = plan_world
    _team, others = _team_with_actions(pw, 3)
    assert _offered(pw, "sme") == _offered(pw, "partner") == _offered(pw, "co_sme") == {pw.action}
    assert _offered(pw, "other_sme") == set()  # in no team
    assert _offered(pw, "consultant") == _offered(pw, "staff") == {pw.action, *others}


def test_the_team_filter_offers_the_user_s_teams_with_actions(plan_world: PlanWorld) -> None:
    pw = plan_world
    team, _ = _team_with_actions(pw, 3)

    def teams(role: str) -> set[object]:
        form = NoteActionsTeamForm(user=pw.world.users[role], programme=pw.world.programme)
        return set(form.fields["equipe"].queryset)

    assert teams("consultant") == {pw.team, team}
    assert teams("sme") == teams("partner") == {pw.team}
    assert teams("other_sme") == teams("outsider_consultant") == set()


# --- Every role, at scale and with a team chosen ------------------------------------------------


@pytest.mark.parametrize("htmx", [False, True], ids=["page", "htmx"])
@pytest.mark.parametrize("role_index,role", list(enumerate(ALL_ROLES)))
def test_each_role_gets_what_it_may_with_a_team_chosen(
    plan_world: PlanWorld, role_index: int, role: str, htmx: bool
) -> None:
    pw = plan_world
    team, _ = _team_with_actions(pw, CHECKBOX_CHOICES_LIMIT)
    headers = HTMX if htmx else {}
    response = pw.client(role).get(_url(pw), {"equipe": team.pk}, **headers)
    expected = PAGES["experience_note_create"][role_index]
    assert response.status_code == expected, role
    if expected == 302:
        assert response["Location"].startswith(reverse("www:login"))
    if expected == 200:
        assert b"INVALID_TEMPLATE_VARIABLE" not in response.content
