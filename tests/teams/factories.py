"""Factories of the teams area (teams, memberships, prospecting, partners' committee)."""

from __future__ import annotations

import datetime as dt

import factory

from sobrindustrie.teams.enums import ContactChannel, MemberRole, SoughtContribution
from sobrindustrie.teams.models import (
    CommitteeMember,
    CommitteeSubgroup,
    ProjectTeam,
    Prospect,
    ProspectContact,
    TeamMembership,
)
from tests.factories import OrganisationFactory, ProgrammeFactory, UserFactory

PAST = dt.date(2026, 3, 10)


class TeamFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ProjectTeam

    programme = factory.SubFactory(ProgrammeFactory)
    name = factory.Sequence(lambda n: f"Équipe {n}")
    theme = "pooling"
    objectives = "Mutualiser la découpe laser entre voisins."


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = TeamMembership

    team = factory.SubFactory(TeamFactory)
    organisation = factory.SubFactory(
        OrganisationFactory, programme=factory.SelfAttribute("..team.programme")
    )
    role = MemberRole.MEMBER
    joined_on = PAST


class ProspectFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Prospect

    team = factory.SubFactory(TeamFactory)
    organisation = factory.SubFactory(
        OrganisationFactory, outside=True, programme=factory.SelfAttribute("..team.programme")
    )
    sought = SoughtContribution.SKILL
    reason = "Compétences de rétrofit de commandes numériques absentes de l'équipe."


class ProspectContactFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ProspectContact

    prospect = factory.SubFactory(ProspectFactory)
    contacted_on = PAST
    channel = ContactChannel.PHONE
    made_by = factory.SubFactory(UserFactory)
    outcome = "Premier appel : intéressés, rappeler après leur salon."


class CommitteeMemberFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CommitteeMember

    programme = factory.SubFactory(ProgrammeFactory)
    organisation = factory.SubFactory(
        OrganisationFactory, outside=True, programme=factory.SelfAttribute("..programme")
    )
    expertise = "Rétrofit de machines-outils"
    solutions = factory.LazyFunction(lambda: ["retrofit"])
    joined_on = PAST


class SubgroupFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CommitteeSubgroup

    programme = factory.SubFactory(ProgrammeFactory)
    name = factory.Sequence(lambda n: f"Sous-groupe {n}")
    topic = "Financement des plans d'action"
    works_on = factory.LazyFunction(lambda: ["funding"])
