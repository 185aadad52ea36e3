"""Codes a method may use. They mirror the platform's enums (a test keeps them in step) so that
this package stays free of Django imports."""

from __future__ import annotations

SOLUTIONS = (
    "pooling",
    "retrofit",
    "local_fabrication",
    "inhouse_maintenance",
    "usage_change",
    "functional_economy",
    "other_lowtech",
)
STAGES = ("design", "acquisition", "use", "maintenance", "disposal")
BARRIER_CATEGORIES = ("technical", "economic", "organisational", "regulatory", "skills", "cultural")
LEVELS = ("low", "medium", "high")
QUESTION_KINDS = ("yes_no", "choice", "number", "text")
DIRECTIONS = ("offers", "needs")
EXCHANGE_KINDS = ("capacity", "skill")
SKILLS = ("maintenance", "retrofit", "design", "fabrication")
CONDITIONS = ("new", "good", "fair", "poor", "out_of_service")
MAINTENANCE_MODES = ("inhouse", "contractor", "none")
PLANNED_ACTIONS = ("none", "replace", "purchase")
ENERGY_CARRIERS = ("electricity", "natural_gas", "diesel", "lpg", "none")
RETROFIT_POTENTIALS = ("none", "low", "medium", "high")

#: Figures computed over a company's whole inventory, usable as `{inventory: name, ...}`.
INVENTORY_METRICS = (
    "means_count",
    "under_utilised_count",
    "share_under_utilised",
    "mean_utilisation_rate",
    "total_sharing_hours_per_week",
    "annual_consumption_kwh",
    "electricity_kwh",
    "natural_gas_kwh",
    "energy_intensive_count",
    "contractor_maintained_count",
    "share_contractor_maintained",
    "far_contractor_count",
    "inhouse_maintained_count",
    "poor_condition_count",
    "old_means_count",
    "planned_purchase_count",
    "planned_replacement_count",
    "retrofit_potential_count",
)

#: Fields of one production means, usable as `{means: name, ...}` in a rule run per means.
#: Numeric fields compare with numbers; the others with codes from the vocabularies below.
MEANS_NUMERIC_FIELDS = (
    "utilisation_rate",
    "sharing_hours_per_week",
    "annual_consumption_kwh",
    "annual_operating_hours",
    "rated_power_kw",
    "contractor_distance_km",
    "age_years",
    "mass_kg",
)
MEANS_CODE_FIELDS: dict[str, tuple[str, ...] | None] = {
    "condition": CONDITIONS,
    "maintenance_mode": MAINTENANCE_MODES,
    "planned_action": PLANNED_ACTIONS,
    "energy_carrier": ENERGY_CARRIERS,
    "retrofit_potential": RETROFIT_POTENTIALS,
    "category": None,  # checked against the taxonomy when the loader is given it
    "top_category": None,
}

#: Parameters every method declares (thresholds used by the inventory metrics and estimates).
PARAMETERS: dict[str, float] = {
    "under_utilised_below_pct": 40.0,
    "far_contractor_km": 50.0,
    "old_age_years": 15.0,
    "energy_intensive_kwh": 50000.0,
    "electricity_price_eur_per_kwh": 0.18,
    "natural_gas_price_eur_per_kwh": 0.08,
}
