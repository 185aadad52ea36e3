from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class OrganisationKind(models.TextChoices):
    LAUREATE_SME = "laureate_sme", _("Laureate SME")
    COMPANY = "company", _("Company")
    INSTITUTION = "institution", _("Institution")
    ACADEMIC = "academic", _("Academic")
    FUNDER = "funder", _("Funder")
    PARTNER_NETWORK = "partner_network", _("Partner network")


class TurnoverBand(models.TextChoices):
    LT_2M = "lt_2m", _("Under €2M")
    FROM_2_TO_10M = "2_10m", _("€2M to €10M")
    FROM_10_TO_50M = "10_50m", _("€10M to €50M")
    GT_50M = "gt_50m", _("Over €50M")


class Condition(models.TextChoices):
    NEW = "new", _("New")
    GOOD = "good", _("Good")
    FAIR = "fair", _("Fair")
    POOR = "poor", _("Poor")
    OUT_OF_SERVICE = "out_of_service", _("Out of service")


class MaintenanceMode(models.TextChoices):
    INHOUSE = "inhouse", _("In-house")
    CONTRACTOR = "contractor", _("Contractor")
    NONE = "none", _("None")


class EnergyCarrier(models.TextChoices):
    ELECTRICITY = "electricity", _("Electricity")
    NATURAL_GAS = "natural_gas", _("Natural gas")
    DIESEL = "diesel", _("Diesel")
    LPG = "lpg", _("LPG")
    NONE = "none", _("None")


class MainMaterial(models.TextChoices):
    STEEL = "steel", _("Steel")
    ALUMINIUM = "aluminium", _("Aluminium")
    CAST_IRON = "cast_iron", _("Cast iron")
    MIXED = "mixed", _("Mixed")
    PLASTIC = "plastic", _("Plastic")


class PlannedAction(models.TextChoices):
    NONE = "none", _("Nothing planned")
    REPLACE = "replace", _("Replacement planned")
    PURCHASE = "purchase", _("Purchase planned")


class ExchangeKind(models.TextChoices):
    CAPACITY = "capacity", _("Machine capacity")
    SKILL = "skill", _("Skill")


class Skill(models.TextChoices):
    MAINTENANCE = "maintenance", _("Maintenance")
    RETROFIT = "retrofit", _("Retrofit")
    DESIGN = "design", _("Design")
    FABRICATION = "fabrication", _("Fabrication")
