from __future__ import annotations

import pytest

from sobrindustrie.engines.footprint.errors import UnitError
from sobrindustrie.engines.footprint.units import KNOWN_UNITS, conversion_factor, convert, unit_kind


@pytest.mark.parametrize(
    ("quantity", "from_unit", "to_unit", "expected"),
    [
        (12, "MWh", "kWh", 12_000),
        (1, "GJ", "kWh", 1e9 / 3.6e6),
        (2, "m3", "L", 2_000),
        (3, "t", "kg", 3_000),
        (5, "t.km", "kg.km", 5_000),
        (8, "k€", "€", 8_000),
        (250, "passenger.km", "passenger.km", 250),
        (1500, "m", "km", 1.5),
    ],
)
def test_it_converts_between_units_of_the_same_kind(
    quantity: float, from_unit: str, to_unit: str, expected: float
) -> None:
    assert convert(quantity, from_unit, to_unit) == pytest.approx(expected, rel=1e-11)


def test_it_gives_exact_round_numbers_despite_pint_float_chains() -> None:
    assert conversion_factor("m3", "L") == 1000.0


def test_it_refuses_litres_for_a_factor_in_kilowatt_hours_naming_both_units() -> None:
    with pytest.raises(UnitError, match=r"cannot convert 'L' \(volume\) to 'kWh' \(energy\)"):
        convert(100, "L", "kWh")


def test_it_keeps_passenger_km_apart_from_vehicle_km() -> None:
    with pytest.raises(UnitError, match=r"'km' \(distance\) to 'passenger.km' \(passenger distance\)"):
        convert(100, "km", "passenger.km")


def test_it_refuses_money_for_a_factor_per_kilogram() -> None:
    with pytest.raises(UnitError, match=r"'k€' \(money\) to 'kg' \(mass\)"):
        convert(1, "k€", "kg")


def test_it_refuses_an_unknown_spelling_and_lists_the_valid_ones() -> None:
    with pytest.raises(UnitError, match=r"unknown unit 'kwh'; valid units are: .*kWh.*passenger\.km"):
        convert(1, "kwh", "kWh")


def test_it_names_the_kind_of_every_known_unit() -> None:
    kinds = {unit: unit_kind(unit) for unit in KNOWN_UNITS}
    assert kinds["GJ"] == "energy"
    assert kinds["hL"] == "volume"
    assert kinds["t.km"] == "transport work (mass × distance)"
    assert kinds["M€"] == "money"
    assert not any(kind.startswith("[") for kind in kinds.values())
