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


class HeadcountBracket(models.TextChoices):
    """INSEE's salaried-headcount brackets (`tranche_effectif_salarie` of the Sirene register), by
    their INSEE code, so that a value read from the company registry is stored as it is published."""

    NON_EMPLOYING = "NN", _("No salaried staff (non-employing unit)")
    NONE_AT_YEAR_END = "00", _("0 employees (none at 31 December)")
    FROM_1_TO_2 = "01", _("1 or 2 employees")
    FROM_3_TO_5 = "02", _("3 to 5 employees")
    FROM_6_TO_9 = "03", _("6 to 9 employees")
    FROM_10_TO_19 = "11", _("10 to 19 employees")
    FROM_20_TO_49 = "12", _("20 to 49 employees")
    FROM_50_TO_99 = "21", _("50 to 99 employees")
    FROM_100_TO_199 = "22", _("100 to 199 employees")
    FROM_200_TO_249 = "31", _("200 to 249 employees")
    FROM_250_TO_499 = "32", _("250 to 499 employees")
    FROM_500_TO_999 = "41", _("500 to 999 employees")
    FROM_1000_TO_1999 = "42", _("1,000 to 1,999 employees")
    FROM_2000_TO_4999 = "51", _("2,000 to 4,999 employees")
    FROM_5000_TO_9999 = "52", _("5,000 to 9,999 employees")
    FROM_10000 = "53", _("10,000 employees or more")
