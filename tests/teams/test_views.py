"""Pages of the teams area: forms, refusals shown to the user, the HTMX board, visibility."""

from __future__ import annotations

import datetime as dt

from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from sobrindustrie.teams.enums import MemberRole, ProspectStatus
from sobrindustrie.teams.models import ProjectTeam, Prospect
from tests.factories import OrganisationFactory, PersonFactory
from tests.teams.conftest import TeamWorld
from tests.teams.factories import MembershipFactory, ProspectFactory, TeamFactory


def test_a_consultant_creates_a_team_by_hand(teams: TeamWorld) -> None:
    world = teams.world
    url = reverse("www:team_create", args=[world.programme.slug])
    data = {
        "name": "Maintenance du Var",
        "theme": "inhouse_maintenance",
        "objectives": "Former deux techniciens.",
        "members": [world.other_sme_org.pk, world.partner_org.pk],
        "pilot": world.other_sme_org.pk,
    }
    response = teams.client("consultant").post(url, data)
    team = ProjectTeam.objects.get(name="Maintenance du Var")
    assert response["Location"] == team.get_absolute_url()
    assert team.memberships.get(organisation=world.other_sme_org).role == MemberRole.PILOT
    assert team.source == "Created by hand"


def test_a_taken_team_name_is_refused_and_the_form_kept(teams: TeamWorld) -> None:
    url = reverse("www:team_create", args=[teams.world.programme.slug])
    data = {"name": teams.team.name, "theme": "pooling", "objectives": "Mes objectifs tapés"}
    response = teams.client("consultant").post(url, data)
    body = response.content.decode()
    assert response.status_code == 200
    assert "already exists in this programme" in body
    assert "Mes objectifs tapés" in body
    assert ProjectTeam.objects.count() == 1


def test_adding_a_member_twice_is_refused_clearly(teams: TeamWorld) -> None:
    url = reverse("www:team_member_add", args=[teams.team.pk])
    data = {
        "organisation": teams.world.sme_org.pk,
        "role": "member",
        "joined_on": "2026-04-01",
        "note": "tapé",
    }
    response = teams.client("consultant").post(url, data)
    body = response.content.decode()
    assert response.status_code == 200
    assert escape(f"Provence Usinage is already a member of {teams.team.name}.") in body
    assert 'value="tapé"' in body
    assert teams.team.memberships.count() == 2


def test_adding_a_member_then_choosing_its_people(teams: TeamWorld) -> None:
    client = teams.client("consultant")
    person = PersonFactory(organisation=teams.world.other_sme_org)
    PersonFactory(organisation=teams.world.sme_org, first_name="Pas", last_name="Moi")
    response = client.post(
        reverse("www:team_member_add", args=[teams.team.pk]),
        {"organisation": teams.world.other_sme_org.pk, "role": "member", "joined_on": "2026-04-01"},
    )
    membership = teams.team.memberships.get(organisation=teams.world.other_sme_org)
    edit_url = reverse("www:team_member_edit", args=[teams.team.pk, membership.pk])
    assert response["Location"] == edit_url
    page = client.get(edit_url).content.decode()
    assert str(person) in page and "Pas Moi" not in page  # only that organisation's people
    client.post(edit_url, {"role": "pilot", "people": [person.pk]})
    membership.refresh_from_db()
    assert membership.role == MemberRole.PILOT
    assert list(membership.people.all()) == [person]


def test_a_future_date_is_refused_on_the_form(teams: TeamWorld) -> None:
    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    response = teams.client("consultant").post(
        reverse("www:team_member_add", args=[teams.team.pk]),
        {"organisation": teams.world.other_sme_org.pk, "role": "member", "joined_on": tomorrow.isoformat()},
    )
    assert "Joined on: a membership cannot start in the future." in response.content.decode()
    assert not teams.team.memberships.filter(organisation=teams.world.other_sme_org).exists()


def test_removing_a_member_keeps_it_as_a_former_member(teams: TeamWorld) -> None:
    client = teams.client("consultant")
    membership = teams.team.memberships.get(organisation=teams.world.partner_org)
    url = reverse("www:team_member_remove", args=[teams.team.pk, membership.pk])
    assert client.post(url, {"left_on": "2026-05-02"}).status_code == 302
    page = client.get(teams.team.get_absolute_url()).content.decode()
    assert "Former members" in page and "02/05/2026" in page
    assert teams.client("partner").get(teams.team.get_absolute_url()).status_code == 404


def test_the_workspace_shows_only_real_sections(teams: TeamWorld) -> None:
    body = teams.client("sme").get(teams.team.get_absolute_url()).content.decode()
    assert "Provence Usinage" in body and "Maintenance Sud" in body
    assert "Prospecting outside structures" not in body  # not for SME members
    assert '<h2 class="fr-h4">Meetings</h2>' not in body  # none for this team
    consultant_page = teams.client("consultant").get(teams.team.get_absolute_url()).content.decode()
    assert "Open the prospecting board" in consultant_page
    assert teams.subgroup.name in consultant_page


# --- Prospecting -------------------------------------------------------------------------------------


def _move(teams: TeamWorld, prospect: Prospect, status: str) -> str:
    url = reverse("www:prospect_move", args=[prospect.pk])
    response = teams.client("consultant").post(
        url, {"status": status, "from": "board"}, HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 200
    return response.content.decode()


def test_the_board_moves_a_card_with_htmx(teams: TeamWorld) -> None:
    body = _move(teams, teams.prospect, ProspectStatus.CONTACTED)
    assert "<html" not in body and 'id="board"' in body
    assert "Rétrofit Provence: now “Contacted”." in body
    teams.prospect.refresh_from_db()
    assert teams.prospect.status == ProspectStatus.CONTACTED


def test_the_board_refuses_a_shortcut_and_says_why(teams: TeamWorld) -> None:
    body = _move(teams, teams.prospect, ProspectStatus.COMMITTED)
    assert 'role="alert"' in body
    assert "cannot go from “To contact” to “Committed”" in body
    teams.prospect.refresh_from_db()
    assert teams.prospect.status == ProspectStatus.TO_CONTACT


def test_the_board_refuses_committed_without_contact_person(teams: TeamWorld) -> None:
    Prospect.objects.filter(pk=teams.prospect.pk).update(status=ProspectStatus.INTERESTED)
    body = _move(teams, teams.prospect, ProspectStatus.COMMITTED)
    assert "A committed structure needs a contact person: choose one first." in body
    teams.prospect.refresh_from_db()
    assert teams.prospect.status == ProspectStatus.INTERESTED
    assert not teams.team.memberships.filter(organisation=teams.prospect.organisation).exists()


def test_without_htmx_the_move_redirects_with_a_message(teams: TeamWorld) -> None:
    url = reverse("www:prospect_move", args=[teams.prospect.pk])
    response = teams.client("consultant").post(url, {"status": "contacted"}, follow=True)
    assert "Rétrofit Provence: now “Contacted”." in response.content.decode()


def test_prospecting_a_new_structure_with_a_new_contact(teams: TeamWorld) -> None:
    url = reverse("www:prospect_create", args=[teams.team.pk])
    data = {
        "new_name": "Université d'Avignon",
        "new_kind": "academic",
        "new_commune": "aix-en-provence",
        "new_first_name": "Inès",
        "new_last_name": "Haddad",
        "new_email": "ines@example.org",
        "sought": "expertise",
        "reason": "Analyse de cycle de vie des bâtis",
        "solution": "local_fabrication",
        "next_step": "Envoyer la fiche projet",
        "next_step_due": "2026-06-01",
    }
    response = teams.client("consultant").post(url, data)
    assert response.status_code == 302, response.content.decode()
    prospect = Prospect.objects.get(organisation__name="Université d'Avignon")
    assert prospect.organisation.kind == "academic"
    assert prospect.organisation.commune.name == "Aix-en-Provence"
    assert str(prospect.contact_person) == "Inès Haddad"


def test_prospect_form_refusals_name_the_field(teams: TeamWorld) -> None:
    url = reverse("www:prospect_create", args=[teams.team.pk])
    data = {
        "organisation": teams.prospect.organisation.pk,
        "new_name": "Et aussi une autre",
        "new_commune": "Atlantis",
        "sought": "skill",
        "reason": "Mon texte",
        "next_step_due": "2026-06-01",
    }
    body = teams.client("consultant").post(url, data).content.decode()
    assert "Choose an existing structure or name a new one, not both." in body
    assert "New structure: commune: no single commune is named “Atlantis”" in body
    assert "Describe the next step to give it a due date." in body
    assert "Mon texte" in body
    assert Prospect.objects.count() == 1


def test_a_contact_dated_in_the_future_is_refused(teams: TeamWorld) -> None:
    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    url = reverse("www:prospect_detail", args=[teams.prospect.pk])
    data = {"contacted_on": tomorrow.isoformat(), "channel": "phone", "outcome": "Ce que j'ai tapé"}
    body = teams.client("consultant").post(url, data).content.decode()
    assert "Date: a contact cannot be dated in the future" in body
    assert "Ce que j&#x27;ai tapé" in body
    assert not teams.prospect.contacts.exists()


def test_a_contact_is_recorded_by_its_author(teams: TeamWorld) -> None:
    url = reverse("www:prospect_detail", args=[teams.prospect.pk])
    data = {"contacted_on": "2026-04-02", "channel": "visit", "outcome": "Visite de l'atelier"}
    response = teams.client("consultant").post(url, data)
    assert response.status_code == 302
    contact = teams.prospect.contacts.get()
    assert contact.made_by == teams.world.users["consultant"]
    teams.prospect.refresh_from_db()
    assert teams.prospect.status == ProspectStatus.CONTACTED


def test_the_table_filters_with_htmx(teams: TeamWorld) -> None:
    other = ProspectFactory(team=teams.team, status=ProspectStatus.DECLINED)
    url = reverse("www:prospect_table", args=[teams.world.programme.slug])
    body = teams.client("ademe").get(url, {"status": "declined"}, HTTP_HX_REQUEST="true").content.decode()
    assert "<html" not in body
    assert other.organisation.name in body and "Rétrofit Provence" not in body


# --- Visibility --------------------------------------------------------------------------------------


def test_a_partner_sees_only_its_teams(teams: TeamWorld) -> None:
    world = teams.world
    elsewhere = TeamFactory(programme=world.programme, name="Équipe sans le partenaire")
    MembershipFactory(team=elsewhere, organisation=world.other_sme_org)
    client = teams.client("partner")
    body = client.get(reverse("www:my_teams")).content.decode()
    assert escape(teams.team.name) in body
    assert elsewhere.name not in body
    assert client.get(elsewhere.get_absolute_url()).status_code == 404
    assert client.get(reverse("www:team_sheet", args=[elsewhere.pk])).status_code == 404
    assert client.get(reverse("www:team_list", args=[world.programme.slug])).status_code == 404


def test_a_committee_partner_sees_the_committee_but_not_the_roster(teams: TeamWorld) -> None:
    client = teams.client("partner")
    body = client.get(reverse("www:committee", args=[teams.world.programme.slug])).content.decode()
    assert "Maintenance Sud" in body and teams.subgroup.name in body
    assert "Roster (XLSX)" not in body and "Add a structure" not in body


def test_a_laureate_outside_the_committee_does_not_see_it(teams: TeamWorld) -> None:
    other = OrganisationFactory(programme=teams.world.programme, outside=True)
    assert other.committee_memberships.count() == 0
    assert (
        teams.client("sme").get(reverse("www:committee", args=[teams.world.programme.slug])).status_code
        == 404
    )


def test_the_workspace_links_the_action_plan_when_that_area_exists(teams: TeamWorld) -> None:
    from django.urls import NoReverseMatch

    try:
        url = reverse("www:action_plan", args=[teams.team.pk])
    except NoReverseMatch:  # pragma: no cover - the action plans area is optional here
        return
    consultant_page = teams.client("consultant").get(teams.team.get_absolute_url()).content.decode()
    assert url in consultant_page and "Start the team's action plan" in consultant_page
    member_page = teams.client("sme").get(teams.team.get_absolute_url()).content.decode()
    assert url not in member_page  # no plan yet: nothing to show a member
