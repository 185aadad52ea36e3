"""Writes on teams, prospecting and the partners' committee, each in one transaction.

Views and the demo loader go through these functions, so that each rule (no organisation twice in a
team, dated departures, the prospecting transition table, committed structures joining the team) is
enforced in one place.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from sobrindustrie.accounts.models import User
from sobrindustrie.organisations.models import Commune, Organisation, Person
from sobrindustrie.programmes.models import Programme
from sobrindustrie.teams.enums import MemberRole, ProspectStatus
from sobrindustrie.teams.models import (
    CommitteeMember,
    ProjectTeam,
    Prospect,
    ProspectContact,
    TeamMembership,
)
from sobrindustrie.teams.workflow import check_transition


def _clean_or_undo(instance: Any, field_name: str, previous: object) -> None:
    """Validate after a change; on refusal put the old value back, so the caller's object still
    matches the database."""
    try:
        instance.full_clean()
    except ValidationError:
        setattr(instance, field_name, previous)
        raise


# --- Teams and their members ---------------------------------------------------------------------------


@dataclass(frozen=True)
class NewTeam:
    name: str
    theme: str
    members: tuple[Organisation, ...]
    objectives: str = ""
    pilot: Organisation | None = None


@transaction.atomic
def create_teams(programme: Programme, teams: Iterable[NewTeam], source: str = "") -> list[ProjectTeam]:
    """Create several teams at once (adopting a scenario, or one team by hand); all or nothing."""
    today = timezone.localdate()
    created = []
    for new in teams:
        team = ProjectTeam(
            programme=programme, name=new.name, theme=new.theme, objectives=new.objectives, source=source
        )
        team.full_clean()
        team.save()
        for organisation in new.members:
            role = MemberRole.PILOT if organisation == new.pilot else MemberRole.MEMBER
            add_member(team, organisation, role=role, on=today)
        created.append(team)
    return created


def _check_people(people: Iterable[Person], organisation: Organisation, field_name: str) -> list[Person]:
    people = list(people)
    strangers = [person for person in people if person.organisation_id != organisation.pk]
    if strangers:
        raise ValidationError(
            {
                field_name: _("%(people)s do not work for %(organisation)s.")
                % {"people": ", ".join(map(str, strangers)), "organisation": organisation}
            }
        )
    return people


@transaction.atomic
def add_member(
    team: ProjectTeam,
    organisation: Organisation,
    role: str = MemberRole.MEMBER,
    on: dt.date | None = None,
    people: Iterable[Person] = (),
    note: str = "",
) -> TeamMembership:
    """Add an organisation to a team; refused when it is already a current member."""
    if team.memberships.current().filter(organisation=organisation).exists():
        raise ValidationError(
            {
                "organisation": _("%(organisation)s is already a member of %(team)s.")
                % {"organisation": organisation, "team": team}
            }
        )
    people = _check_people(people, organisation, "people")
    membership = TeamMembership(
        team=team, organisation=organisation, role=role, joined_on=on or timezone.localdate(), note=note
    )
    membership.full_clean()
    membership.save()
    membership.people.set(people)
    return membership


@transaction.atomic
def update_member(membership: TeamMembership, role: str, people: Iterable[Person], note: str = "") -> None:
    if membership.left_on is not None:
        raise ValidationError(_("This membership is closed: add the organisation again instead."))
    people = _check_people(people, membership.organisation, "people")
    membership.role = role
    membership.note = note
    membership.full_clean()
    membership.save()
    membership.people.set(people)


def remove_member(membership: TeamMembership, on: dt.date | None = None) -> TeamMembership:
    """Close a membership; its history and past contributions stay attributed."""
    if membership.left_on is not None:
        raise ValidationError(_("This membership is already closed."))
    membership.left_on = on or timezone.localdate()
    _clean_or_undo(membership, "left_on", None)
    membership.save()
    return membership


# --- Prospecting -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class NewStructure:
    """An outside structure not yet on the platform, created while prospecting it."""

    name: str
    kind: str
    commune: Commune | None = None


@dataclass(frozen=True)
class NewPerson:
    first_name: str
    last_name: str
    email: str = ""
    phone: str = ""
    job_title: str = ""


@dataclass
class ProspectDetails:
    sought: str
    reason: str
    solution: str = ""
    next_step: str = ""
    next_step_due: dt.date | None = None
    followed_by: User | None = None


def _unique_slug(programme: Programme, name: str) -> str:
    base = slugify(name)[:70] or "structure"
    slug, index = base, 2
    while Organisation.objects.filter(programme=programme, slug=slug).exists():
        slug, index = f"{base}-{index}", index + 1
    return slug


def create_structure(programme: Programme, new: NewStructure) -> Organisation:
    organisation = Organisation(
        programme=programme,
        name=new.name.strip(),
        kind=new.kind,
        slug=_unique_slug(programme, new.name),
        commune=new.commune,
    )
    if new.commune is not None:
        organisation.postcode = new.commune.main_postcode
    organisation.full_clean()
    organisation.save()
    return organisation


def create_person(organisation: Organisation, new: NewPerson) -> Person:
    person = Person(
        organisation=organisation,
        first_name=new.first_name.strip(),
        last_name=new.last_name.strip(),
        email=new.email.strip().lower(),
        phone=new.phone.strip(),
        job_title=new.job_title.strip(),
    )
    person.full_clean()
    person.save()
    return person


@transaction.atomic
def add_prospect(
    team: ProjectTeam,
    structure: Organisation | NewStructure,
    details: ProspectDetails,
    contact: Person | NewPerson | None = None,
) -> Prospect:
    """Start prospecting a structure for a team, creating the structure and its contact if new."""
    organisation = (
        create_structure(team.programme, structure) if isinstance(structure, NewStructure) else structure
    )
    if team.memberships.current().filter(organisation=organisation).exists():
        raise ValidationError(
            {
                "organisation": _("%(organisation)s is already a member of %(team)s.")
                % {"organisation": organisation, "team": team}
            }
        )
    person = create_person(organisation, contact) if isinstance(contact, NewPerson) else contact
    prospect = Prospect(
        team=team,
        organisation=organisation,
        contact_person=person,
        sought=details.sought,
        reason=details.reason,
        solution=details.solution,
        next_step=details.next_step,
        next_step_due=details.next_step_due,
        followed_by=details.followed_by,
    )
    prospect.full_clean()
    prospect.save()
    return prospect


@transaction.atomic
def move_prospect(prospect: Prospect, target: str, on: dt.date | None = None) -> TeamMembership | None:
    """Move a prospect along the pipeline (see `workflow.TRANSITIONS`).

    A structure that commits joins the team as a contributor, with its contact person, unless it is
    already a member; the new membership is returned.
    """
    check_transition(prospect.status, target)
    if target == ProspectStatus.COMMITTED and prospect.contact_person_id is None:
        raise ValidationError(
            {"contact_person": _("A committed structure needs a contact person: choose one first.")}
        )
    source = prospect.status
    prospect.status = target
    _clean_or_undo(prospect, "status", source)
    prospect.save()
    if target != ProspectStatus.COMMITTED:
        return None
    if prospect.team.memberships.current().filter(organisation_id=prospect.organisation_id).exists():
        return None
    return add_member(
        prospect.team,
        prospect.organisation,
        role=MemberRole.CONTRIBUTOR,
        on=on,
        people=[prospect.contact_person] if prospect.contact_person else [],
        note=_("Joined through prospecting."),
    )


@transaction.atomic
def record_contact(
    prospect: Prospect,
    *,
    contacted_on: dt.date,
    channel: str,
    made_by: User,
    outcome: str,
    person: Person | None = None,
) -> ProspectContact:
    """Record a contact made; a structure still "to contact" becomes "contacted"."""
    contact = ProspectContact(
        prospect=prospect,
        contacted_on=contacted_on,
        channel=channel,
        made_by=made_by,
        outcome=outcome,
        person=person,
    )
    contact.full_clean()
    contact.save()
    if prospect.status == ProspectStatus.TO_CONTACT:
        move_prospect(prospect, ProspectStatus.CONTACTED)
    return contact


# --- Partners' committee -----------------------------------------------------------------------------


@transaction.atomic
def add_committee_member(
    programme: Programme,
    organisation: Organisation,
    expertise: str,
    people: Sequence[Person] = (),
    solutions: Sequence[str] = (),
    on: dt.date | None = None,
) -> CommitteeMember:
    """Seat a structure on the committee; refused when it already sits on it."""
    member = CommitteeMember(
        programme=programme,
        organisation=organisation,
        expertise=expertise,
        solutions=list(solutions),
        joined_on=on or timezone.localdate(),
    )
    member.full_clean()
    people = _check_people(people, organisation, "people")
    member.save()
    member.people.set(people)
    return member


def remove_committee_member(member: CommitteeMember, on: dt.date | None = None) -> CommitteeMember:
    """Close a seat; the member's past work in sub-groups stays on record."""
    if member.left_on is not None:
        raise ValidationError(_("This member has already left the committee."))
    member.left_on = on or timezone.localdate()
    _clean_or_undo(member, "left_on", None)
    member.save()
    return member
