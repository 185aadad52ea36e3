"""Factories and a small programme for the cooperation tests."""

from __future__ import annotations

from dataclasses import dataclass

import factory

from sobrindustrie.cooperation.enums import ConstraintKind
from sobrindustrie.cooperation.models import TeamConstraint
from sobrindustrie.organisations.enums import ExchangeKind, MaintenanceMode, PlannedAction, Skill
from tests.factories import (
    CommuneFactory,
    NeedFactory,
    OfferFactory,
    OrganisationFactory,
    ProductionMeansFactory,
    ProgrammeFactory,
)


class TeamConstraintFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = TeamConstraint
        skip_postgeneration_save = True

    programme = factory.SubFactory(ProgrammeFactory)
    kind = ConstraintKind.CANNOT_LINK
    reason = "Refus déclaré"

    @factory.post_generation
    def organisations(self, create: bool, extracted: list[object] | None, **kwargs: object) -> None:
        if create and extracted:
            self.organisations.set(extracted)


@dataclass
class Cooperation:
    """What `build_cooperation` adds to the `world` programme."""

    laser: object
    planned_laser: object
    far_machine: object
    third_org: object


def build_cooperation(world: object) -> Cooperation:
    """Provence Usinage (the `sme` user's company) has an under-used laser cutter; Var Plasturgie
    plans to buy one and has a press maintained by a contractor 90 km away; Maintenance Sud (the
    partner, an outside company) offers maintenance skills; a third laureate, Toulon Tôlerie, needs
    retrofit skills nobody offers. All in or near Aix-en-Provence."""
    laser = ProductionMeansFactory(organisation=world.sme_org, name="Découpeuse laser fibre")
    planned_laser = ProductionMeansFactory(
        organisation=world.other_sme_org,
        name="Laser à acheter",
        planned_action=PlannedAction.PURCHASE,
        planned_year=2026,
        utilisation_rate=None,
        annual_operating_hours=300.0,
        sharing_hours_per_week=0,
    )
    far_machine = ProductionMeansFactory(
        organisation=world.other_sme_org,
        category="forming.press_brake",
        name="Presse plieuse",
        utilisation_rate=80.0,
        sharing_hours_per_week=0,
        maintenance_mode=MaintenanceMode.CONTRACTOR,
        contractor_distance_km=90.0,
    )
    OfferFactory(organisation=world.partner_org, kind=ExchangeKind.SKILL, skill=Skill.MAINTENANCE)
    commune = CommuneFactory(
        insee_code="13071",
        name="Marseille",
        postcodes="13001",
        department_code="13",
        latitude=43.2965,
        longitude=5.3698,
    )
    third = OrganisationFactory(programme=world.programme, name="Toulon Tôlerie", commune=commune)
    NeedFactory(organisation=third, kind=ExchangeKind.SKILL, category="", skill=Skill.RETROFIT)
    return Cooperation(laser, planned_laser, far_machine, third)
