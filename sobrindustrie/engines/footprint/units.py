"""Checked unit conversion for activity data, built on pint.

The platform accepts a closed list of unit spellings (`KNOWN_UNITS`): the ones people type in forms and
the ones the factor library uses. Each maps to a pint expression; pint checks dimensions and gives the
conversion factor. Keeping the list closed means a typo ("kwh") is refused with the list of valid
spellings instead of being guessed.

Two dimensions pint does not know are added: `passenger` (so passenger.km cannot be mixed up with a
vehicle's km) and `EUR` (money; no inflation or VAT adjustment is made, prices are taken as given).
"""

from __future__ import annotations

from functools import cache
from typing import Any

import pint

from sobrindustrie.engines.footprint.errors import UnitError

# Spelling used on the platform -> pint expression.
KNOWN_UNITS: dict[str, str] = {
    # energy
    "Wh": "watt_hour",
    "kWh": "kilowatt_hour",
    "MWh": "megawatt_hour",
    "GWh": "gigawatt_hour",
    "MJ": "megajoule",
    "GJ": "gigajoule",
    # volume
    "L": "liter",
    "hL": "hectoliter",
    "m3": "meter ** 3",
    # mass
    "g": "gram",
    "kg": "kilogram",
    "t": "tonne",
    # distance and transport work
    "m": "meter",
    "km": "kilometer",
    "t.km": "tonne * kilometer",
    "kg.km": "kilogram * kilometer",
    "passenger.km": "passenger * kilometer",
    # money
    "€": "EUR",
    "k€": "kEUR",
    "M€": "MEUR",
}

# What a person calls each dimension, with a unit of that dimension to recognise it by.
_KINDS: tuple[tuple[str, str], ...] = (
    ("energy", "kWh"),
    ("volume", "L"),
    ("mass", "kg"),
    ("distance", "km"),
    ("transport work (mass × distance)", "t.km"),
    ("passenger distance", "passenger.km"),
    ("money", "€"),
)


@cache
def _registry() -> pint.UnitRegistry[Any]:
    # Building a registry parses pint's definition file (a fraction of a second): do it once.
    registry: pint.UnitRegistry[Any] = pint.UnitRegistry()
    registry.define("passenger = [passenger]")
    registry.define("EUR = [currency]")
    return registry


def unit_kind(unit: str) -> str:
    """Name what `unit` measures ("energy", "volume", "money"...), for error messages and forms."""
    registry = _registry()
    dimensionality = registry.Quantity(1.0, KNOWN_UNITS[check_unit(unit)]).dimensionality
    for kind, reference in _KINDS:
        if registry.Quantity(1.0, KNOWN_UNITS[reference]).dimensionality == dimensionality:
            return kind
    return str(dimensionality)


def check_unit(unit: str) -> str:
    """Return `unit` if it is one of `KNOWN_UNITS`, else raise `UnitError` listing the valid spellings."""
    if unit not in KNOWN_UNITS:
        valid = ", ".join(KNOWN_UNITS)
        raise UnitError(f"unknown unit {unit!r}; valid units are: {valid}")
    return unit


@cache
def conversion_factor(from_unit: str, to_unit: str) -> float:
    """Return the number by which a quantity in `from_unit` is multiplied to express it in `to_unit`.

    Raises `UnitError` naming both units when either is unknown or their dimensions differ (energy in
    kWh cannot become litres).
    """
    check_unit(from_unit)
    check_unit(to_unit)
    registry = _registry()
    try:
        one = registry.Quantity(1.0, KNOWN_UNITS[from_unit])
        factor = float(one.to(KNOWN_UNITS[to_unit]).magnitude)
    except pint.DimensionalityError:
        raise UnitError(
            f"cannot convert {from_unit!r} ({unit_kind(from_unit)}) to {to_unit!r} ({unit_kind(to_unit)}): "
            f"the quantity and the factor measure different things"
        ) from None
    # pint chains float operations (m3 -> dm3 -> L gives 999.9999999999999): drop that noise, which
    # lies far below any emission factor's precision.
    return float(f"{factor:.12g}")


def convert(quantity: float, from_unit: str, to_unit: str) -> float:
    """Express `quantity` given in `from_unit` in `to_unit` (see `conversion_factor`)."""
    return quantity * conversion_factor(from_unit, to_unit)
