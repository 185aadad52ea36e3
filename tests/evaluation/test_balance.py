"""The level-2 balance from hand-checked lines (docs/methods/footprint.md, section 4), unit refusals,
and the lines suggested from the actions' expected gains."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from sobrindustrie.engines.footprint import load_library
from sobrindustrie.evaluation import services
from sobrindustrie.evaluation.models import BalanceLine
from tests.evaluation.conftest import EvalWorld
from tests.evaluation.factories import BalanceFactory, BalanceLineFactory


def _worked_example(balance) -> None:  # type: ignore[no-untyped-def]
    lines = [
        ("Compressed-air leaks", "energy", "avoided", 12, "MWh", "electricity.fr.consumption_mix", 1, 1),
        ("Press brake not bought", "avoided_purchase", "avoided", 3, "t", "material.steel", 15, 1),
        ("Lathe kept 16 years", "life_extension", "avoided", 800, "kg", "material.cast_iron", 10, 0.375),
        ("Deliveries avoided", "freight", "avoided", 6000, "t.km", "freight.road.rigid_26_32t", 1, 1),
        ("Retrofit parts", "other", "added", 8, "k€", "monetary.machinery_equipment", 10, 1),
        ("Diesel to move the press", "energy", "added", 150, "L", "diesel.b7", 1, 1),
    ]
    for label, kind, effect, quantity, unit, factor, years, share in lines:
        BalanceLineFactory(
            balance=balance, label=label, kind=kind, effect=effect, quantity=quantity, unit=unit,
            factor_id=factor, years=years, share=share, uncertainty=0.1,
        )  # fmt: skip


def test_balance_matches_the_hand_computation(eval_world: EvalWorld) -> None:
    balance = BalanceFactory(evaluation=eval_world.evaluation)
    _worked_example(balance)
    services.compute(eval_world.evaluation)
    balance.refresh_from_db()
    # −624 − 320 − 45 − 630 + 218.4 + 474, by hand
    assert balance.central_kg == pytest.approx(-926.6, abs=1e-9)
    assert balance.p5_kg < balance.central_kg < balance.p95_kg
    assert balance.library_reference == load_library().reference
    assert balance.seed == 20251020
    assert balance.dominant_input
    assert balance.result["lines"][2]["central_kg_co2e_per_year"] == pytest.approx(-45.0)


def test_the_fixed_seed_gives_the_same_interval(eval_world: EvalWorld) -> None:
    balance = BalanceFactory(evaluation=eval_world.evaluation)
    _worked_example(balance)
    first = services.compute(eval_world.evaluation)
    interval = (first.p5_kg, first.p95_kg)
    second = services.compute(eval_world.evaluation)
    assert (second.p5_kg, second.p95_kg) == interval


def test_a_unit_that_does_not_match_the_factor_is_refused_by_name(eval_world: EvalWorld) -> None:
    line = BalanceLine(
        label="Gas", kind="energy", effect="avoided", quantity=100, unit="L",
        factor_id="electricity.fr.consumption_mix",
    )  # fmt: skip
    with pytest.raises(ValidationError) as refusal:
        services.check_line(line)
    assert "cannot convert 'L' (volume) to 'kWh' (energy)" in refusal.value.messages[0]


def test_compute_refuses_a_unit_mismatch_naming_the_line(eval_world: EvalWorld) -> None:
    balance = BalanceFactory(evaluation=eval_world.evaluation)
    BalanceLineFactory(balance=balance, label="Litres of power", unit="L")
    with pytest.raises(ValidationError, match=r"line 1 \('Litres of power'\).*'L' \(volume\)"):
        services.compute(eval_world.evaluation)
    balance.refresh_from_db()
    assert balance.central_kg is None


def test_compute_refuses_an_empty_reference_scenario(eval_world: EvalWorld) -> None:
    eval_world.evaluation.reference_scenario = ""
    eval_world.evaluation.save()
    BalanceLineFactory(balance=BalanceFactory(evaluation=eval_world.evaluation))
    with pytest.raises(ValidationError, match="reference scenario is empty"):
        services.compute(eval_world.evaluation)


def test_prefill_suggests_lines_from_expected_gains_once(eval_world: EvalWorld) -> None:
    assert services.prefill_balance(eval_world.evaluation) == 3
    assert services.prefill_balance(eval_world.evaluation) == 0
    lines = {line.factor_id: line for line in eval_world.evaluation.ghg_balance.lines.all()}
    assert lines["electricity.fr.consumption_mix"].quantity == 12000
    assert lines["material.steel"].unit == "kg"
    assert lines["freight.road.light_van"].quantity == 2000
    balance = services.compute(eval_world.evaluation)
    # 12 000 × 0.052 + 3 000 × 1.6 + 2 000 × 0.28, all avoided
    assert balance.central_kg == pytest.approx(-(624 + 4800 + 560))
