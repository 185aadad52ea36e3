"""The condition language and the rule evaluation: pure functions, no database."""

from __future__ import annotations

from typing import Any

import pytest

from sobrindustrie.diagnostics.methods.conditions import (
    AllOf,
    AnswerTest,
    AnyOf,
    Context,
    FlagTest,
    InventoryTest,
    MeansTest,
    Not,
    compare,
    holds,
)
from sobrindustrie.diagnostics.methods.evaluate import evaluate, visible_answers
from sobrindustrie.diagnostics.methods.facts import DiagnosticFacts, MeansFacts, inventory_metrics
from sobrindustrie.diagnostics.methods.loader import load_method_file
from sobrindustrie.diagnostics.methods.vocabulary import PARAMETERS

METHOD = load_method_file()


@pytest.mark.parametrize(
    "actual,op,expected,result",
    [
        (3, ">=", 3, True),
        (2, ">", 3, False),
        (None, ">", 3, False),
        (None, "not_answered", None, True),
        ("x", "answered", None, True),
        (True, "==", True, True),
        (True, ">", 0, False),  # booleans are not numbers
        ("a", "in", ["a", "b"], True),
        ("c", "not_in", ["a", "b"], True),
        (5.0, "<", 10, True),
        (float("nan"), "<", 10, False),
    ],
)
def test_compare(actual: Any, op: str, expected: Any, result: bool) -> None:
    assert compare(actual, op, expected) is result


def test_combinators_and_missing_values() -> None:
    context = Context(
        answers={"a": True, "n": 12}, inventory={"share_under_utilised": 0.5}, flags=frozenset({"f"})
    )
    yes = AnswerTest("a", "==", True)
    big = AnswerTest("n", ">", 10)
    missing = AnswerTest("zzz", "==", True)
    assert holds(AllOf((yes, big)), context)
    assert not holds(AllOf((yes, missing)), context)
    assert holds(AnyOf((missing, big)), context)
    assert holds(Not(missing), context)  # a comparison on a missing answer is false, so its negation holds
    assert holds(InventoryTest("share_under_utilised", ">", 0), context)
    assert not holds(InventoryTest("unknown_metric", ">", 0), context)
    assert holds(FlagTest("f"), context) and not holds(FlagTest("g"), context)


def test_per_means_answers_with_quantifiers() -> None:
    context = Context(
        means_answers={"q": {"1": True, "2": False}},
        means_ids=("1", "2"),
        means={"id": "2", "utilisation_rate": 20.0},
    )
    assert holds(AnswerTest("q", "==", True, per_means=True, quantifier="any"), context)
    assert not holds(AnswerTest("q", "==", True, per_means=True, quantifier="all"), context)
    assert not holds(AnswerTest("q", "==", True, per_means=True), context)  # this means (2) says no
    assert holds(MeansTest("utilisation_rate", "<", 40), context)
    empty = Context(means_answers={"q": {}}, means_ids=())
    assert not holds(AnswerTest("q", "==", True, per_means=True, quantifier="all"), empty)


def _means(id: str, **values: Any) -> MeansFacts:
    base: dict[str, Any] = {"name": f"M{id}", "category": "cutting.laser", "top_category": "cutting"}
    return MeansFacts(id=id, **{**base, **values})


def test_inventory_metrics() -> None:
    means = [
        _means(
            "1",
            utilisation_rate=20,
            annual_consumption_kwh=60000,
            maintenance_mode="contractor",
            contractor_distance_km=300,
        ),
        _means(
            "2",
            utilisation_rate=80,
            annual_consumption_kwh=10000,
            energy_carrier="natural_gas",
            maintenance_mode="inhouse",
        ),
        _means(
            "3", utilisation_rate=None, condition="out_of_service", planned_action="replace", age_years=20
        ),
    ]
    figures = inventory_metrics(means, PARAMETERS)
    assert figures["means_count"] == 3
    assert figures["under_utilised_count"] == 1
    assert figures["share_under_utilised"] == 0.5
    assert figures["mean_utilisation_rate"] == 50
    assert figures["annual_consumption_kwh"] == 70000
    assert figures["electricity_kwh"] == 60000 and figures["natural_gas_kwh"] == 10000
    assert figures["energy_intensive_count"] == 1
    assert figures["far_contractor_count"] == 1
    assert figures["share_contractor_maintained"] == pytest.approx(2 / 3)
    assert figures["poor_condition_count"] == 1
    assert figures["old_means_count"] == 1
    assert figures["planned_replacement_count"] == 1
    assert inventory_metrics([], PARAMETERS)["share_under_utilised"] is None


def test_an_idle_machine_open_to_sharing_is_a_pooling_opportunity() -> None:
    facts = DiagnosticFacts(
        answers={"pool_willing": "oui", "pool_insurance_concern": True},
        means=(
            _means(
                "7",
                utilisation_rate=25,
                sharing_hours_per_week=10,
                mass_kg=3000,
                annual_consumption_kwh=10000,
            ),
        ),
    )
    result = evaluate(METHOD, facts)
    pooling = next(o for o in result.opportunities if o.rule_id == "pooling_idle_machine")
    assert pooling.solution == "pooling" and pooling.means_ids == ("7",)
    assert pooling.material_kg_per_year == 200.0  # 3 000 kg avoided over 15 years
    assert "idle_capacity" in result.flags
    offer = next(c for c in result.cooperation if c.rule_id == "pooling_idle_machine")
    assert (offer.direction, offer.kind, offer.category) == ("offers", "capacity", "cutting.laser")
    # The insurance rule reads the flag set by the pooling rule, so it runs after it.
    assert ("pooling_insurance", "regulatory") in {(rule, b.category) for rule, b in result.barriers}
    assert "pooling_legal_frame" in {issue.id for issue in result.issues}


def test_a_company_that_refuses_to_share_gets_no_pooling_but_a_cultural_barrier() -> None:
    facts = DiagnosticFacts(
        answers={"pool_willing": "non"}, means=(_means("7", utilisation_rate=25, sharing_hours_per_week=10),)
    )
    result = evaluate(METHOD, facts)
    assert "pooling_idle_machine" not in result.fired
    assert ("pooling_reluctance", "cultural") in {(rule, b.category) for rule, b in result.barriers}


def test_energy_estimates_and_savings_follow_the_carriers() -> None:
    facts = DiagnosticFacts(
        answers={"use_peak_scheduling": False},
        means=(
            _means("1", annual_consumption_kwh=100000),
            _means("2", annual_consumption_kwh=200000, energy_carrier="natural_gas"),
        ),
    )
    result = evaluate(METHOD, facts)
    opportunity = next(o for o in result.opportunities if o.rule_id == "usage_energy_intensive")
    assert opportunity.energy_kwh_by_carrier == {"electricity": 8000.0, "natural_gas": 16000.0}
    assert opportunity.euros_per_year == round(8000 * 0.18 + 16000 * 0.08)


def test_a_flag_from_a_per_means_rule_silences_the_company_wide_rule() -> None:
    means = (_means("1", annual_consumption_kwh=30000),)
    per_machine = DiagnosticFacts(
        answers={"use_idle_off": "jamais"}, means_answers={"pm_standby_off": {"1": False}}, means=means
    )
    fired = evaluate(METHOD, per_machine).fired
    assert "usage_standby_machine" in fired and "usage_standby_company" not in fired
    company_only = DiagnosticFacts(answers={"use_idle_off": "jamais"}, means=means)
    fired = evaluate(METHOD, company_only).fired
    assert "usage_standby_machine" not in fired and "usage_standby_company" in fired


def test_answers_to_questions_not_asked_are_ignored() -> None:
    answers = {"acq_planned": False, "acq_budget": 10000}
    assert "acq_budget" not in visible_answers(METHOD, answers)
    assert "retrofit_small_budget" not in evaluate(METHOD, DiagnosticFacts(answers=answers)).fired
    answers["acq_planned"] = True
    assert "retrofit_small_budget" in evaluate(METHOD, DiagnosticFacts(answers=answers)).fired


def test_evaluation_is_deterministic() -> None:
    facts = DiagnosticFacts(
        answers={"ctx_energy_tracking": False, "mnt_preventive": False, "pool_willing": "oui"},
        means=(_means("1", utilisation_rate=10, sharing_hours_per_week=4, condition="poor", age_years=25),),
    )
    assert evaluate(METHOD, facts) == evaluate(METHOD, facts)
