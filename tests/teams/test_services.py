"""Teams, memberships, prospecting and the committee: the rules and their refusals."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from sobrindustrie.teams import services
from sobrindustrie.teams.enums import MemberRole, ProspectStatus
from sobrindustrie.teams.models import TeamMembership
from sobrindustrie.teams.workflow import TRANSITIONS, check_transition, next_statuses
from tests.conftest import World
from tests.factories import OrganisationFactory, PersonFactory
from tests.teams.factories import PAST, CommitteeMemberFactory, ProspectFactory, TeamFactory


def tomorrow() -> dt.date:
    """Tomorrow when the test runs, not when it was collected: a run that crosses midnight in Paris
    would otherwise date "tomorrow" today."""
    return timezone.localdate() + dt.timedelta(days=1)


def test_create_teams_adopts_a_scenario_with_its_pilot(world: World) -> None:
    new = services.NewTeam(
        "Maintenance partagée",
        "inhouse_maintenance",
        (world.sme_org, world.other_sme_org),
        pilot=world.sme_org,
    )
    (team,) = services.create_teams(world.programme, [new], source="Scénario B")
    roles = dict(team.memberships.values_list("organisation__name", "role"))
    assert roles == {"Provence Usinage": MemberRole.PILOT, "Var Plasturgie": MemberRole.MEMBER}
    assert team.source == "Scénario B"


def test_create_teams_is_all_or_nothing(world: World) -> None:
    TeamFactory(programme=world.programme, name="Déjà là")
    teams = [
        services.NewTeam("Nouvelle", "pooling", (world.sme_org,)),
        services.NewTeam("déjà là", "pooling", (world.other_sme_org,)),
    ]
    with pytest.raises(ValidationError) as error:
        services.create_teams(world.programme, teams)
    assert "already exists" in str(error.value)
    assert not world.programme.teams.filter(name="Nouvelle").exists()


def test_an_organisation_cannot_be_added_twice(world: World) -> None:
    team = TeamFactory(programme=world.programme)
    services.add_member(team, world.sme_org, on=PAST)
    with pytest.raises(ValidationError) as error:
        services.add_member(team, world.sme_org)
    assert error.value.message_dict["organisation"] == [
        f"Provence Usinage is already a member of {team.name}."
    ]
    assert team.memberships.count() == 1


def test_people_must_work_for_the_member(world: World) -> None:
    team = TeamFactory(programme=world.programme)
    stranger = PersonFactory(organisation=world.other_sme_org, first_name="Zoé", last_name="Autre")
    with pytest.raises(ValidationError) as error:
        services.add_member(team, world.sme_org, people=[stranger])
    assert "Zoé Autre do not work for Provence Usinage" in str(error.value)
    assert not team.memberships.exists()


def test_membership_dates_cannot_be_in_the_future(world: World) -> None:
    team = TeamFactory(programme=world.programme)
    with pytest.raises(ValidationError) as error:
        services.add_member(team, world.sme_org, on=tomorrow())
    assert "joined_on" in error.value.message_dict
    membership = services.add_member(team, world.sme_org, on=PAST)
    with pytest.raises(ValidationError):
        services.remove_member(membership, on=tomorrow())
    with pytest.raises(ValidationError) as error:
        services.remove_member(membership, on=PAST - dt.timedelta(days=1))
    assert error.value.message_dict["left_on"] == ["A member cannot leave before joining."]


def test_removing_a_member_keeps_its_membership_and_history(world: World) -> None:
    team = TeamFactory(programme=world.programme)
    person = PersonFactory(organisation=world.sme_org)
    membership = services.add_member(team, world.sme_org, on=PAST, people=[person])
    services.remove_member(membership, on=PAST + dt.timedelta(days=30))
    membership.refresh_from_db()
    assert membership.left_on == PAST + dt.timedelta(days=30)
    assert list(membership.people.all()) == [person]  # who did the work stays attributed
    assert [h.history_type for h in membership.history.order_by("history_date")] == ["+", "~"]
    with pytest.raises(ValidationError):
        services.remove_member(membership)
    # It may come back later: a new, dated membership, the old one untouched.
    again = services.add_member(team, world.sme_org)
    assert again.pk != membership.pk
    assert TeamMembership.objects.filter(team=team, organisation=world.sme_org).count() == 2


def test_a_former_member_no_longer_sees_the_team(world: World) -> None:
    team = TeamFactory(programme=world.programme)
    membership = services.add_member(team, world.sme_org, on=PAST)
    from sobrindustrie.teams.models import ProjectTeam

    assert ProjectTeam.objects.visible_to(world.users["sme"]).filter(pk=team.pk).exists()
    services.remove_member(membership)
    assert not ProjectTeam.objects.visible_to(world.users["sme"]).filter(pk=team.pk).exists()


# --- Prospecting -------------------------------------------------------------------------------------


def _details(**values: object) -> services.ProspectDetails:
    return services.ProspectDetails(**{"sought": "skill", "reason": "Rétrofit de plieuse", **values})  # type: ignore[arg-type]


def test_a_new_structure_and_its_contact_are_created_on_the_fly(world: World) -> None:
    team = TeamFactory(programme=world.programme)
    prospect = services.add_prospect(
        team,
        services.NewStructure("Lycée Jean Perrin", "institution"),
        _details(next_step="Appeler le proviseur", next_step_due=PAST),
        services.NewPerson("Claire", "Martin", "Claire.Martin@example.org"),
    )
    assert prospect.organisation.slug == "lycee-jean-perrin"
    assert prospect.organisation.programme == world.programme
    assert prospect.contact_person.organisation == prospect.organisation
    assert prospect.contact_person.email == "claire.martin@example.org"
    assert prospect.status == ProspectStatus.TO_CONTACT


def test_prospecting_refuses_laureates_duplicates_and_members(world: World) -> None:
    team = TeamFactory(programme=world.programme)
    with pytest.raises(ValidationError) as error:
        services.add_prospect(team, world.other_sme_org, _details())
    assert "is a laureate SME" in error.value.message_dict["organisation"][0]
    services.add_prospect(team, world.partner_org, _details())
    with pytest.raises(ValidationError) as error:
        services.add_prospect(team, world.partner_org, _details())
    assert error.value.message_dict["organisation"] == [
        f"Maintenance Sud is already prospected for {team.name}."
    ]
    outside = OrganisationFactory(programme=world.programme, outside=True, name="Déjà membre")
    services.add_member(team, outside)
    with pytest.raises(ValidationError) as error:
        services.add_prospect(team, outside, _details())
    assert "already a member" in error.value.message_dict["organisation"][0]


def test_the_transition_table_refuses_shortcuts_clearly() -> None:
    assert next_statuses(ProspectStatus.TO_CONTACT) == [ProspectStatus.CONTACTED]
    assert next_statuses(ProspectStatus.CONTACTED) == ["interested", "committed", "declined"]
    with pytest.raises(ValidationError) as error:
        check_transition(ProspectStatus.TO_CONTACT, ProspectStatus.COMMITTED)
    assert error.value.messages == [
        "A structure cannot go from “To contact” to “Committed”. From “To contact” it may go to: Contacted."
    ]
    every_status_reachable = {t.target for t in TRANSITIONS} | {ProspectStatus.TO_CONTACT}
    assert every_status_reachable == set(ProspectStatus.values)


def test_committed_requires_a_contact_person_then_joins_the_team(world: World) -> None:
    prospect = ProspectFactory(team=TeamFactory(programme=world.programme), status=ProspectStatus.INTERESTED)
    with pytest.raises(ValidationError) as error:
        services.move_prospect(prospect, ProspectStatus.COMMITTED)
    assert error.value.message_dict["contact_person"] == [
        "A committed structure needs a contact person: choose one first."
    ]
    prospect.refresh_from_db()
    assert prospect.status == ProspectStatus.INTERESTED
    prospect.contact_person = PersonFactory(organisation=prospect.organisation)
    prospect.save()
    membership = services.move_prospect(prospect, ProspectStatus.COMMITTED)
    assert membership is not None
    assert membership.role == MemberRole.CONTRIBUTOR
    assert list(membership.people.all()) == [prospect.contact_person]
    # Withdrawing does not erase the membership: leaving the team is a dated decision of its own.
    assert services.move_prospect(prospect, ProspectStatus.DECLINED) is None
    assert membership.team.memberships.current().filter(pk=membership.pk).exists()


def test_a_contact_person_must_work_for_the_structure(world: World) -> None:
    prospect = ProspectFactory(team=TeamFactory(programme=world.programme))
    prospect.contact_person = PersonFactory(organisation=world.sme_org, first_name="Léa", last_name="Sme")
    with pytest.raises(ValidationError) as error:
        prospect.full_clean()
    assert error.value.message_dict["contact_person"] == [
        f"Léa Sme does not work for {prospect.organisation}."
    ]


def test_recording_a_contact_moves_to_contacted_and_refuses_the_future(world: World) -> None:
    prospect = ProspectFactory(team=TeamFactory(programme=world.programme))
    consultant = world.users["consultant"]
    with pytest.raises(ValidationError) as error:
        services.record_contact(
            prospect, contacted_on=tomorrow(), channel="phone", made_by=consultant, outcome="x"
        )
    assert "cannot be dated in the future" in error.value.message_dict["contacted_on"][0]
    assert not prospect.contacts.exists()
    services.record_contact(
        prospect, contacted_on=PAST, channel="phone", made_by=consultant, outcome="Rappeler"
    )
    prospect.refresh_from_db()
    assert prospect.status == ProspectStatus.CONTACTED
    services.record_contact(prospect, contacted_on=PAST, channel="email", made_by=consultant, outcome="Devis")
    prospect.refresh_from_db()
    assert prospect.status == ProspectStatus.CONTACTED
    assert prospect.contacts.count() == 2


def test_a_due_date_needs_a_step(world: World) -> None:
    prospect = ProspectFactory(team=TeamFactory(programme=world.programme), next_step_due=PAST)
    with pytest.raises(ValidationError) as error:
        prospect.full_clean()
    assert error.value.message_dict["next_step"] == ["Describe the next step to give it a due date."]


# --- Partners' committee -----------------------------------------------------------------------------


def test_a_structure_sits_once_on_the_committee(world: World) -> None:
    services.add_committee_member(world.programme, world.partner_org, "Maintenance", on=PAST)
    with pytest.raises(ValidationError) as error:
        services.add_committee_member(world.programme, world.partner_org, "Encore")
    assert error.value.message_dict["organisation"] == [
        "Maintenance Sud is already a member of the partners' committee."
    ]


def test_leaving_the_committee_is_dated(world: World) -> None:
    member = CommitteeMemberFactory(programme=world.programme, organisation=world.partner_org)
    services.remove_committee_member(member, on=PAST + dt.timedelta(days=3))
    assert member.left_on == PAST + dt.timedelta(days=3)
    services.add_committee_member(world.programme, world.partner_org, "De retour")
    with pytest.raises(ValidationError):
        services.remove_committee_member(member)


def test_unknown_solution_codes_are_refused(world: World) -> None:
    with pytest.raises(ValidationError) as error:
        services.add_committee_member(world.programme, world.partner_org, "x", solutions=["teleportation"])
    assert error.value.message_dict["solutions"] == ["Unknown solution codes: teleportation."]
