"""Factories of the action-plan area (teams included, until the teams area ships its own)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import factory

from sobrindustrie.actionplans.enums import FundingNature, Priority
from sobrindustrie.actionplans.models import (
    Action,
    ActionContributor,
    ActionPlan,
    ActionStep,
    Indicator,
    Measurement,
)
from sobrindustrie.core.enums import Solution
from sobrindustrie.teams.enums import MemberRole
from sobrindustrie.teams.models import ProjectTeam, TeamMembership
from tests.factories import OrganisationFactory, ProgrammeFactory


class ProjectTeamFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ProjectTeam

    programme = factory.SubFactory(ProgrammeFactory)
    name = factory.Sequence(lambda n: f"Équipe {n}")
    theme = Solution.POOLING


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = TeamMembership

    team = factory.SubFactory(ProjectTeamFactory)
    organisation = factory.SubFactory(
        OrganisationFactory, programme=factory.SelfAttribute("..team.programme")
    )
    role = MemberRole.MEMBER
    joined_on = dt.date(2026, 1, 15)


class ActionPlanFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ActionPlan

    team = factory.SubFactory(ProjectTeamFactory)
    ambition = "Mutualiser les moyens de découpe de la vallée."


class ActionFactory(factory.django.DjangoModelFactory):
    """An action; its lead organisation must be a member of the plan's team (pass it)."""

    class Meta:
        model = Action

    plan = factory.SubFactory(ActionPlanFactory)
    position = factory.Sequence(lambda n: n + 1)
    title = factory.Sequence(lambda n: f"Mutualisation de la découpe laser {n}")
    solution = Solution.POOLING
    lead_organisation = factory.SubFactory(OrganisationFactory)
    starts_on = dt.date(2026, 3, 1)
    ends_on = dt.date(2027, 6, 30)
    priority = Priority.HIGH
    investment_budget_eur = Decimal("40000")
    operating_budget_eur = Decimal("5000")
    funding_need_eur = Decimal("20000")
    funding_nature = FundingNature.INVESTMENT


class StepFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ActionStep

    action = factory.SubFactory(ActionFactory)
    position = factory.Sequence(lambda n: n + 1)
    title = factory.Sequence(lambda n: f"Étape {n}")
    due_on = dt.date(2026, 9, 30)


class ContributorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ActionContributor

    action = factory.SubFactory(ActionFactory)
    organisation = factory.SubFactory(OrganisationFactory)
    role = "responsible"


class IndicatorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Indicator

    action = factory.SubFactory(ActionFactory)
    name = "Heures de découpe partagées"
    unit = "h/mois"
    baseline_value = 0.0
    target_value = 40.0


class MeasurementFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Measurement

    indicator = factory.SubFactory(IndicatorFactory)
    measured_on = dt.date(2026, 6, 1)
    value = 10.0
