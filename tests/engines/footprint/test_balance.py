"""The GHG balance, on the worked example of docs/methods/footprint.md (computed there by hand)."""

from __future__ import annotations

import json
import re
from datetime import date
from typing import Any

import pytest
import yaml

from sobrindustrie.engines.footprint.balance import (
    SIGN_CONVENTION,
    ActivityLine,
    BalanceResult,
    Effect,
    LineKind,
    compute_balance,
    compute_balance_from_dict,
    life_extension_line,
    life_extension_share,
    travel_line,
)
from sobrindustrie.engines.footprint.errors import BalanceInputError, UnitError, UnknownFactorError
from sobrindustrie.engines.footprint.factors import (
    DATA_DIR,
    DEFAULT_LIBRARY_FILE,
    FactorLibrary,
    parse_library,
)
from sobrindustrie.engines.footprint.uncertainty import Distribution, Uncertainty
from tests.engines.footprint.shared_data import PROJECT_ROOT

REFERENCE = "Each SME keeps buying, running and maintaining its own press brake"


def worked_example(library: FactorLibrary) -> list[ActivityLine]:
    return [
        ActivityLine(
            "Compressed-air leaks fixed", LineKind.ENERGY, Effect.AVOIDED, 12, "MWh",
            "electricity.fr.consumption_mix", Uncertainty(0.10, Distribution.NORMAL),
        ),
        ActivityLine(
            "Second press brake not bought (pooled)", LineKind.AVOIDED_PURCHASE, Effect.AVOIDED, 3, "t",
            "material.steel", years=15,
        ),
        life_extension_line(
            "Lathe kept 16 years instead of 10", factor_id="material.cast_iron", quantity=800, unit="kg",
            base_life_years=10, extended_life_years=16,
        ),
        ActivityLine(
            "Subcontracted deliveries avoided", LineKind.FREIGHT, Effect.AVOIDED, 6000, "t.km",
            "freight.road.rigid_26_32t", Uncertainty(0.20, Distribution.NORMAL),
        ),
        travel_line(
            "Maintenance technician's trips avoided", mode="voiturethermique", km_per_trip=120, trips_per_year=24,
            library=library,
        ),
        ActivityLine(
            "Retrofit parts bought", LineKind.OTHER, Effect.ADDED, 8, "k€", "monetary.machinery_equipment", years=10,
        ),
        ActivityLine(
            "Diesel to move the shared press", LineKind.ENERGY, Effect.ADDED, 150, "L", "diesel.b7",
            Uncertainty(0.30, Distribution.NORMAL),
        ),
    ]  # fmt: skip


# Hand computation (docs/methods/footprint.md): kgCO2e per year, negative = avoided.
HAND_LINES = [
    -12_000 * 0.052,  # -624
    -3_000 * 1.6 / 15,  # -320
    -800 * 1.5 * (1 - 10 / 16) / 10,  # -45
    -6_000 * 0.105,  # -630
    -24 * 120 * (0.192 + 0.0256),  # -626.688
    8 * 273 / 10,  # +218.4
    150 * 3.16,  # +474
]
HAND_NET = -1553.288


@pytest.fixture(scope="module")
def result(library: FactorLibrary) -> BalanceResult:
    return compute_balance(worked_example(library), reference_scenario=REFERENCE, library=library, seed=7)


def _library_with(changes: dict[str, dict[str, Any]]) -> FactorLibrary:
    document = yaml.safe_load((DATA_DIR / DEFAULT_LIBRARY_FILE).read_text(encoding="utf-8"))
    travel = json.loads((DATA_DIR / "travel_impactco2_v1.json").read_text(encoding="utf-8"))
    for factor in document["factors"]:
        factor.update(changes.get(factor["id"], {}))
    return parse_library(document, travel, "test")


def test_it_matches_the_hand_computed_worked_example(result: BalanceResult) -> None:
    assert sum(HAND_LINES) == pytest.approx(HAND_NET, rel=1e-12)
    assert result.central_kg_co2e_per_year == pytest.approx(HAND_NET, rel=1e-12)
    assert [line.central_kg_co2e_per_year for line in result.lines] == pytest.approx(HAND_LINES, rel=1e-12)


def test_avoided_lines_count_negative_and_added_lines_positive(result: BalanceResult) -> None:
    for line in result.lines:
        assert (line.central_kg_co2e_per_year < 0) is (line.effect is Effect.AVOIDED)
    assert result.sign_convention == SIGN_CONVENTION
    assert "negative = emissions avoided" in result.to_dict()["sign_convention"]


def test_it_converts_each_quantity_to_its_factors_unit(result: BalanceResult) -> None:
    assert result.lines[0].quantity_in_factor_unit == 12_000  # MWh -> kWh
    assert result.lines[1].quantity_in_factor_unit == 3_000  # t -> kg
    assert result.lines[4].quantity_in_factor_unit == 2_880  # passenger.km
    assert result.lines[4].factor_unit == "kgCO2e/passenger.km"


def test_it_is_deterministic_for_a_seed(library: FactorLibrary, result: BalanceResult) -> None:
    again = compute_balance(worked_example(library), reference_scenario=REFERENCE, library=library, seed=7)
    assert again.to_dict() == result.to_dict()
    other = compute_balance(worked_example(library), reference_scenario=REFERENCE, library=library, seed=8)
    assert other.spread.mean != result.spread.mean
    assert other.central_kg_co2e_per_year == result.central_kg_co2e_per_year


def test_its_90_percent_interval_contains_the_central_value(result: BalanceResult) -> None:
    spread = result.spread
    assert spread.p5 < spread.median < spread.p95
    assert spread.p5 < result.central_kg_co2e_per_year < spread.p95
    assert spread.p5 < spread.mean < spread.p95
    assert abs(spread.mean - HAND_NET) < 0.05 * abs(HAND_NET)
    assert result.to_dict()["interval_90"] == [spread.p5, spread.p95]


def test_the_lines_shares_of_variance_add_up_to_one(result: BalanceResult) -> None:
    assert sum(line.variance_share for line in result.lines) == pytest.approx(1.0, abs=1e-9)
    shares = [sensitivity.variance_share for sensitivity in result.sensitivities]
    assert sum(shares) == pytest.approx(1.0, abs=1e-9)
    assert shares == sorted(shares, reverse=True)


def test_it_records_the_library_seed_and_draws(library: FactorLibrary, result: BalanceResult) -> None:
    assert result.library_reference == library.reference
    assert result.library_name == "sobrindustrie-emission-factors"
    assert (result.seed, result.draws) == (7, 10_000)


def test_it_names_the_input_that_dominates_the_variance(library: FactorLibrary) -> None:
    lines = [
        ActivityLine("New machine", LineKind.OTHER, Effect.ADDED, 100, "k€", "monetary.machinery_equipment"),
        ActivityLine(
            "Lighting", LineKind.ENERGY, Effect.AVOIDED, 1000, "kWh", "electricity.fr.consumption_mix"
        ),
    ]
    result = compute_balance(lines, reference_scenario=REFERENCE, library=library)
    top = result.dominant_input
    assert top is not None and (top.kind, top.reference) == ("factor", "monetary.machinery_equipment")
    assert top.variance_share > 0.99 and top.rank_correlation > 0.99
    assert result.dominant_line is not None and result.dominant_line.position == 1


def test_a_factor_used_by_two_lines_is_drawn_once(library: FactorLibrary) -> None:
    lines = [
        ActivityLine("Saved", LineKind.ENERGY, Effect.AVOIDED, 1000, "kWh", "electricity.fr.consumption_mix"),
        ActivityLine("Added", LineKind.ENERGY, Effect.ADDED, 1000, "kWh", "electricity.fr.consumption_mix"),
    ]
    result = compute_balance(lines, reference_scenario=REFERENCE, library=library)
    assert result.spread.std == pytest.approx(0.0, abs=1e-9)  # the two lines cancel in every draw
    assert result.sensitivities == ()


def test_adding_a_line_leaves_the_other_lines_draws_unchanged(library: FactorLibrary) -> None:
    lines = worked_example(library)
    alone = compute_balance(lines[:1], reference_scenario=REFERENCE, library=library)
    together = compute_balance(lines, reference_scenario=REFERENCE, library=library)
    assert together.lines[0].spread == alone.lines[0].spread


def test_a_normal_uncertainty_is_a_95_percent_half_width() -> None:
    library = _library_with(
        {"electricity.fr.consumption_mix": {"uncertainty": {"relative": 0, "distribution": "normal"}}}
    )
    line = ActivityLine(
        "Saved", LineKind.ENERGY, Effect.AVOIDED, 10_000, "kWh", "electricity.fr.consumption_mix",
        Uncertainty(0.196, Distribution.NORMAL),
    )  # fmt: skip
    result = compute_balance([line], reference_scenario=REFERENCE, library=library, draws=40_000)
    # σ = 0.196 / 1.96 = 10 % of the central 520 kgCO2e.
    assert result.spread.std == pytest.approx(52.0, rel=0.03)
    assert result.spread.mean == pytest.approx(-520.0, rel=0.01)


def test_a_lognormal_uncertainty_keeps_the_median_and_skews_the_interval() -> None:
    library = _library_with({"diesel.b7": {"uncertainty": {"relative": 0.5, "distribution": "lognormal"}}})
    line = ActivityLine("Diesel", LineKind.ENERGY, Effect.ADDED, 100, "L", "diesel.b7")
    result = compute_balance([line], reference_scenario=REFERENCE, library=library, draws=40_000)
    assert result.spread.median == pytest.approx(316.0, rel=0.01)
    # P95 = median × 1.5^(1.645 / 1.96) ≈ 1.406 × median, P5 ≈ median / 1.406.
    assert result.spread.p95 == pytest.approx(316.0 * 1.5 ** (1.6449 / 1.96), rel=0.02)
    assert result.spread.p5 == pytest.approx(316.0 / 1.5 ** (1.6449 / 1.96), rel=0.02)


def test_it_refuses_litres_for_a_factor_in_kilowatt_hours_naming_the_line(library: FactorLibrary) -> None:
    line = ActivityLine("Heating", LineKind.ENERGY, Effect.AVOIDED, 500, "L", "natural_gas.pci")
    with pytest.raises(
        UnitError,
        match=r"line 1 \('Heating'\): cannot convert 'L' \(volume\) to 'kWh' \(energy\).*natural_gas.pci is in kgCO2e/kWh",
    ):
        compute_balance([line], reference_scenario=REFERENCE, library=library)


def test_it_refuses_an_empty_reference_scenario(library: FactorLibrary) -> None:
    with pytest.raises(
        BalanceInputError, match=r"reference_scenario: describe what happens without the project"
    ):
        compute_balance(worked_example(library), reference_scenario="  ", library=library)


def test_it_refuses_a_balance_without_lines(library: FactorLibrary) -> None:
    with pytest.raises(BalanceInputError, match=r"lines: a balance needs at least one activity line"):
        compute_balance([], reference_scenario=REFERENCE, library=library)


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"quantity": -5}, r"line 1 \('Lighting'\): quantity: must be ≥ 0, got -5"),
        ({"share": 1.5}, r"share: must lie between 0 and 1, got 1.5"),
        ({"years": 0}, r"years: must be > 0"),
        ({"factor_id": ""}, r"factor_id: name the emission factor"),
        ({"travel_mode": "tgv"}, r"travel_mode: only travel lines name a travel mode"),
        ({"occupancy": 2}, r"occupancy: only travel lines by car have an occupancy"),
        ({"label": ""}, r"label: give the line a name"),
    ],
)
def test_it_refuses_a_malformed_line_naming_the_field(
    library: FactorLibrary, changes: dict[str, Any], message: str
) -> None:
    values: dict[str, Any] = {
        "label": "Lighting", "kind": LineKind.ENERGY, "effect": Effect.AVOIDED, "quantity": 1000, "unit": "kWh",
        "factor_id": "electricity.fr.consumption_mix",
    }  # fmt: skip
    with pytest.raises(BalanceInputError, match=message):
        compute_balance([ActivityLine(**(values | changes))], reference_scenario=REFERENCE, library=library)


def test_it_refuses_an_unknown_factor_naming_the_line(library: FactorLibrary) -> None:
    line = ActivityLine("Copper", LineKind.MATERIAL, Effect.AVOIDED, 10, "kg", "material.copper")
    with pytest.raises(
        UnknownFactorError, match=r"line 1 \('Copper'\): unknown emission factor 'material.copper'"
    ):
        compute_balance([line], reference_scenario=REFERENCE, library=library)


def test_a_flight_line_needs_its_trip_distance_to_choose_the_haul(library: FactorLibrary) -> None:
    line = ActivityLine("Flights", LineKind.TRAVEL, Effect.AVOIDED, 4000, "passenger.km", travel_mode="avion")
    with pytest.raises(BalanceInputError, match=r"trip_km: the avion factor depends on the trip's distance"):
        compute_balance([line], reference_scenario=REFERENCE, library=library)
    flights = travel_line(
        "Paris flights", mode="avion", km_per_trip=660, trips_per_year=4, people=2, library=library
    )
    result = compute_balance([flights], reference_scenario=REFERENCE, library=library)
    assert result.lines[0].factor_id == "travel.avion.court_courrier"
    assert result.central_kg_co2e_per_year == pytest.approx(-660 * 4 * 2 * 0.224572, rel=1e-12)


def test_a_shared_car_counts_once(library: FactorLibrary) -> None:
    line = travel_line(
        "Car-pooled visits",
        mode="voiturethermique",
        km_per_trip=50,
        trips_per_year=10,
        people=3,
        library=library,
    )
    assert (line.quantity, line.occupancy) == (1500, 3.0)
    result = compute_balance([line], reference_scenario=REFERENCE, library=library)
    assert result.central_kg_co2e_per_year == pytest.approx(-500 * 0.2176, rel=1e-12)


def test_only_cars_are_shared(library: FactorLibrary) -> None:
    line = ActivityLine(
        "Train", LineKind.TRAVEL, Effect.AVOIDED, 100, "passenger.km", travel_mode="tgv", occupancy=2
    )
    with pytest.raises(
        BalanceInputError, match=r"occupancy: only cars are shared; tgv is counted per passenger"
    ):
        compute_balance([line], reference_scenario=REFERENCE, library=library)


def test_a_longer_life_avoids_the_difference_of_yearly_shares() -> None:
    share, years = life_extension_share(10, 16)
    assert (share, years) == (0.375, 10.0)
    # E × share / years = E × (1/10 − 1/16)
    assert share / years == pytest.approx(1 / 10 - 1 / 16)
    with pytest.raises(
        BalanceInputError, match=r"extended_life_years \(8\) must exceed base_life_years \(10\)"
    ):
        life_extension_share(10, 8)


def test_it_warns_about_factors_to_verify_or_out_of_their_period(library: FactorLibrary) -> None:
    line = ActivityLine(
        "Deliveries", LineKind.FREIGHT, Effect.AVOIDED, 6000, "t.km", "freight.road.rigid_26_32t"
    )
    result = compute_balance([line], reference_scenario=REFERENCE, library=library, on=date(2026, 6, 1))
    assert any("flagged 'to verify'" in warning.english for warning in result.warnings)
    assert any(
        "meant for … – 2024-12-31, not for 2026-06-01" in warning.english for warning in result.warnings
    )
    assert {warning.code.value for warning in result.warnings} == {"factor_to_verify", "factor_out_of_period"}
    assert {w["factor_id"] for w in result.to_dict()["warnings"]} == {"freight.road.rigid_26_32t"}


def test_it_reads_a_balance_from_plain_data(library: FactorLibrary, result: BalanceResult) -> None:
    data = {
        "reference_scenario": REFERENCE,
        "seed": 7,
        "lines": [
            {"label": "Compressed-air leaks fixed", "kind": "energy", "effect": "avoided", "quantity": 12,
             "unit": "MWh", "factor_id": "electricity.fr.consumption_mix",
             "uncertainty": {"relative": 0.10, "distribution": "normal"}},
            {"label": "Second press brake not bought (pooled)", "kind": "avoided_purchase", "effect": "avoided",
             "quantity": 3, "unit": "t", "factor_id": "material.steel", "years": 15},
            {"label": "Lathe kept 16 years instead of 10", "kind": "life_extension", "effect": "avoided",
             "quantity": 800, "unit": "kg", "factor_id": "material.cast_iron", "base_life_years": 10,
             "extended_life_years": 16},
            {"label": "Subcontracted deliveries avoided", "kind": "freight", "effect": "avoided", "quantity": 6000,
             "unit": "t.km", "factor_id": "freight.road.rigid_26_32t",
             "uncertainty": {"relative": 0.20, "distribution": "normal"}},
            {"label": "Maintenance technician's trips avoided", "kind": "travel", "effect": "avoided",
             "quantity": 2880, "unit": "passenger.km", "travel_mode": "voiturethermique", "trip_km": 120},
            {"label": "Retrofit parts bought", "kind": "other", "effect": "added", "quantity": 8, "unit": "k€",
             "factor_id": "monetary.machinery_equipment", "years": 10},
            {"label": "Diesel to move the shared press", "kind": "energy", "effect": "added", "quantity": 150,
             "unit": "L", "factor_id": "diesel.b7", "uncertainty": {"relative": 0.30, "distribution": "normal"}},
        ],
    }  # fmt: skip
    assert compute_balance_from_dict(data, library).to_dict() == result.to_dict()


def test_it_names_the_line_and_field_of_bad_plain_data(library: FactorLibrary) -> None:
    data = {
        "reference_scenario": REFERENCE,
        "lines": [{"label": "Oven", "kind": "energy", "effect": "saved"}],
    }
    with pytest.raises(BalanceInputError, match=r"line 1 \('Oven'\): 'saved' is not a valid Effect"):
        compute_balance_from_dict(data, library)
    data["lines"] = [
        {"label": "Oven", "kind": "energy", "effect": "avoided", "quantity": 1, "unit": "kWh", "colour": 1}
    ]
    with pytest.raises(BalanceInputError, match=r"line 1 \('Oven'\): unknown field\(s\) colour"):
        compute_balance_from_dict(data, library)


def test_the_docs_worked_example_gives_the_hand_computed_balance(library: FactorLibrary) -> None:
    text = (PROJECT_ROOT / "docs" / "methods" / "footprint.md").read_text(encoding="utf-8")
    block = re.search(r"```json\n(.*?)```", text, re.DOTALL)
    assert block is not None
    result = compute_balance_from_dict(json.loads(block.group(1)), library)
    assert result.central_kg_co2e_per_year == pytest.approx(HAND_NET, rel=1e-12)
    assert [line.central_kg_co2e_per_year for line in result.lines] == pytest.approx(HAND_LINES, rel=1e-12)
    assert result.spread.p5 < HAND_NET < result.spread.p95


def test_a_factor_is_drawn_from_the_uncertainty_given_for_it(library: FactorLibrary) -> None:
    line = ActivityLine(
        "Electricity saved", LineKind.ENERGY, Effect.AVOIDED, 10_000, "kWh", "electricity.fr.consumption_mix"
    )
    own = compute_balance([line], reference_scenario=REFERENCE, library=library)
    narrow = Uncertainty(0.01, Distribution.LOGNORMAL)
    given = compute_balance(
        [line], reference_scenario=REFERENCE, library=library,
        factor_uncertainties={"electricity.fr.consumption_mix": narrow},
    )  # fmt: skip
    assert own.central_kg_co2e_per_year == given.central_kg_co2e_per_year
    # ±10 % (the library's assumption) against ±1 %: the 90 % interval narrows about tenfold.
    own_width = own.spread.p95 - own.spread.p5
    given_width = given.spread.p95 - given.spread.p5
    assert given_width == pytest.approx(own_width / 10, rel=0.1)
    assert own.lines[0].factor_uncertainty == library.factor("electricity.fr.consumption_mix").uncertainty
    assert given.lines[0].factor_uncertainty == narrow
    assert given.to_dict()["lines"][0]["factor_uncertainty"] == {
        "relative": 0.01, "distribution": "lognormal", "basis": "assumed",
    }  # fmt: skip
