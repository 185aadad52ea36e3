"""What a method is evaluated against: the answers and the inventory, as plain data."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass, field
from typing import Any


@dataclass(frozen=True)
class MeansFacts:
    """One production means as the diagnostic sees it: inventory figures, corrected by the
    consultant's observation where there is one (real utilisation, condition)."""

    id: str
    name: str
    category: str
    top_category: str
    utilisation_rate: float | None = None
    condition: str = "good"
    maintenance_mode: str = "contractor"
    contractor_distance_km: float | None = None
    planned_action: str = "none"
    sharing_hours_per_week: float = 0.0
    annual_consumption_kwh: float | None = None
    annual_operating_hours: float | None = None
    rated_power_kw: float | None = None
    energy_carrier: str = "electricity"
    age_years: float | None = None
    mass_kg: float | None = None
    retrofit_potential: str | None = None

    def as_mapping(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True)
class DiagnosticFacts:
    answers: Mapping[str, Any] = field(default_factory=dict)
    # question id -> means id -> value, for questions asked per production means
    means_answers: Mapping[str, Mapping[str, Any]] = field(default_factory=dict)
    means: Sequence[MeansFacts] = ()


def inventory_metrics(
    means: Sequence[MeansFacts], parameters: Mapping[str, float]
) -> dict[str, float | None]:
    """Figures over the whole inventory; shares are between 0 and 1, None when nothing is known."""
    working = [m for m in means if m.condition != "out_of_service"]
    known_rates = [m.utilisation_rate for m in working if m.utilisation_rate is not None]
    under = [r for r in known_rates if r < parameters["under_utilised_below_pct"]]
    contractor = [m for m in means if m.maintenance_mode == "contractor"]
    consumption = [m.annual_consumption_kwh or 0.0 for m in means]

    def share(part: int, whole: int) -> float | None:
        return part / whole if whole else None

    def carrier(code: str) -> float:
        return sum(m.annual_consumption_kwh or 0.0 for m in means if m.energy_carrier == code)

    return {
        "means_count": float(len(means)),
        "under_utilised_count": float(len(under)),
        "share_under_utilised": share(len(under), len(known_rates)),
        "mean_utilisation_rate": sum(known_rates) / len(known_rates) if known_rates else None,
        "total_sharing_hours_per_week": sum(m.sharing_hours_per_week for m in means),
        "annual_consumption_kwh": sum(consumption),
        "electricity_kwh": carrier("electricity"),
        "natural_gas_kwh": carrier("natural_gas"),
        "energy_intensive_count": float(
            sum(1 for m in means if (m.annual_consumption_kwh or 0) >= parameters["energy_intensive_kwh"])
        ),
        "contractor_maintained_count": float(len(contractor)),
        "share_contractor_maintained": share(len(contractor), len(means)),
        "far_contractor_count": float(
            sum(1 for m in contractor if (m.contractor_distance_km or 0) >= parameters["far_contractor_km"])
        ),
        "inhouse_maintained_count": float(sum(1 for m in means if m.maintenance_mode == "inhouse")),
        "poor_condition_count": float(sum(1 for m in means if m.condition in ("poor", "out_of_service"))),
        "old_means_count": float(
            sum(1 for m in means if m.age_years is not None and m.age_years >= parameters["old_age_years"])
        ),
        "planned_purchase_count": float(sum(1 for m in means if m.planned_action == "purchase")),
        "planned_replacement_count": float(sum(1 for m in means if m.planned_action == "replace")),
        "retrofit_potential_count": float(
            sum(1 for m in means if m.retrofit_potential in ("medium", "high"))
        ),
    }
