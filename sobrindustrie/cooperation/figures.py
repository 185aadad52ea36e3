"""How each figure of a cooperation opportunity was computed, worded for the page that opens it.

The engine returns numbers and a `basis` of codes and inputs (`engines.teams.opportunities`); this
module writes, in the reader's language, each figure's formula with its numbers, so that a figure
shown in a COPIL can be opened and checked by hand. The lines add up to the stored figures: a test
checks it on every opportunity of the demo.
"""

from __future__ import annotations

import dataclasses
import math
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.utils.formats import number_format
from django.utils.translation import gettext as _

from sobrindustrie.engines.teams import DetectionParameters

if TYPE_CHECKING:
    from sobrindustrie.cooperation.models import DetectedOpportunity


@dataclass(frozen=True)
class FigureLine:
    """One figure: what it is, its formula with the numbers, and its result."""

    label: str
    formula: str
    result: str
    note: str = ""


def _n(value: float, decimals: int = 0) -> str:
    return number_format(round(value, decimals), decimal_pos=decimals, use_l10n=True, force_grouping=True)


def _pct(share: float) -> str:
    return f"{_n(share * 100, 0 if float(share * 100).is_integer() else 1)} %"


def analysis_parameters(parameters: dict[str, Any] | None) -> DetectionParameters:
    """The parameters an analysis ran with; defaults for those it did not store (older analyses)."""
    known = {f.name for f in dataclasses.fields(DetectionParameters)}
    stored = {k: v for k, v in (parameters or {}).items() if k in known}
    if "material_kgco2e_per_kg" in stored:
        stored["material_kgco2e_per_kg"] = tuple(tuple(pair) for pair in stored["material_kgco2e_per_kg"])
    return DetectionParameters(**stored)


def _purchase_note(solution: str, params: DetectionParameters) -> str:
    if solution == "retrofit":
        return _("A retrofit costs %(share)s of a new machine: the rest of the price is avoided.") % {
            "share": _pct(params.retrofit_cost_share)
        }
    if solution == "local_fabrication":
        return _(
            "A tool built locally still costs %(share)s of the catalogue price: only the difference is avoided."
        ) % {"share": _pct(params.local_fabrication_cost_share)}
    return _("The purchase is avoided in full.")


def _embodied_formula(basis: dict[str, float]) -> str:
    if "mass_kg" in basis:
        return _("%(mass)s kg × %(factor)s kgCO2e/kg (main material)") % {
            "mass": _n(basis["mass_kg"]),
            "factor": _n(basis["material_kgco2e_per_kg"], 1),
        }
    return _("%(price)s € / 1,000 × %(ratio)s kgCO2e per k€ (monetary ratio for machinery)") % {
        "price": _n(basis["purchase_value_eur"]),
        "ratio": _n(basis["monetary_kgco2e_per_keur"]),
    }


def figure_lines(opportunity: DetectedOpportunity, params: DetectionParameters) -> list[FigureLine]:
    """The formula of every figure of the opportunity, in the order they add up to its value."""
    o, basis = opportunity, dict(opportunity.basis or {})
    lines = [
        FigureLine(
            _("Distance"),
            _("%(gc)s km great-circle × %(factor)s (road detour factor, no road network)")
            % {"gc": _n(o.distance_km / params.road_factor, 1), "factor": _n(params.road_factor, 1)},
            f"{_n(o.distance_km, 1)} km",
        )
    ]
    if basis:
        lines.append(
            FigureLine(
                _("Avoided purchase"),
                f"{_n(basis['purchase_value_eur'])} € × {_pct(basis['purchase_share'])}",
                f"{_n(o.avoided_purchase_eur)} €",
                _purchase_note(o.solution, params),
            )
        )
        lines.append(
            FigureLine(
                _("Embodied emissions of that machine"),
                _embodied_formula(basis),
                f"{_n(basis['embodied_kgco2e'])} kgCO2e",
            )
        )
        lines.append(
            FigureLine(
                _("Embodied emissions avoided"),
                f"{_n(basis['embodied_kgco2e'])} kgCO2e × {_pct(basis['embodied_share'])}",
                f"{_n(o.avoided_kgco2e)} kgCO2e",
            )
        )
    if o.hours_shared_per_year:
        lines.append(
            FigureLine(
                _("Machine time or skilled work shared"),
                _("%(hours)s h/year × %(rate)s €/h")
                % {"hours": _n(o.hours_shared_per_year), "rate": _n(params.hour_value_eur)},
                f"{_n(o.hours_shared_per_year * params.hour_value_eur)} €",
            )
        )
    if o.km_avoided_per_year:
        lines.append(
            FigureLine(
                _("Contractor trips avoided"),
                _("%(km)s km/year × %(rate)s €/km")
                % {"km": _n(o.km_avoided_per_year), "rate": _n(params.km_value_eur, 2)},
                f"{_n(o.km_avoided_per_year * params.km_value_eur)} €",
            )
        )
        lines.append(
            FigureLine(
                _("Travel emissions avoided"),
                _("%(km)s km/year × %(factor)s kgCO2e/km (thermal car)")
                % {"km": _n(o.km_avoided_per_year), "factor": _n(params.travel_kgco2e_per_km, 3)},
                f"{_n(o.avoided_travel_kgco2e_per_year)} kgCO2e",
            )
        )
    carbon = (o.avoided_kgco2e + o.avoided_travel_kgco2e_per_year) / 1000 * params.carbon_value_eur_per_tonne
    if carbon:
        lines.append(
            FigureLine(
                _("Value of the emissions avoided"),
                _(
                    "(%(embodied)s + %(travel)s) kgCO2e / 1,000 × %(value)s €/t (value of climate action, 2030)"
                )
                % {
                    "embodied": _n(o.avoided_kgco2e),
                    "travel": _n(o.avoided_travel_kgco2e_per_year),
                    "value": _n(params.carbon_value_eur_per_tonne),
                },
                f"{_n(carbon)} €",
            )
        )
    lines.append(FigureLine(_("Gross value"), _("Sum of the euro figures above"), f"{_n(o.value_eur)} €"))
    lines.append(
        FigureLine(
            _("Score"),
            _("%(value)s € / 1,000 × fit %(fit)s × e^(−%(km)s / %(decay)s)")
            % {
                "value": _n(o.value_eur),
                "fit": _n(o.fit, 3),
                "km": _n(o.distance_km, 1),
                "decay": _n(params.distance_decay_km),
            },
            _n(o.score, 1),
        )
    )
    return lines


def value_from_parts(opportunity: DetectedOpportunity, params: DetectionParameters) -> float:
    """The value the lines add up to (a check that they explain the stored figure)."""
    o = opportunity
    return (
        o.avoided_purchase_eur
        + o.hours_shared_per_year * params.hour_value_eur
        + o.km_avoided_per_year * params.km_value_eur
        + (o.avoided_kgco2e + o.avoided_travel_kgco2e_per_year) / 1000 * params.carbon_value_eur_per_tonne
    )


def score_from_parts(opportunity: DetectedOpportunity, params: DetectionParameters) -> float:
    o = opportunity
    return o.value_eur / 1000 * o.fit * math.exp(-o.distance_km / params.distance_decay_km)
