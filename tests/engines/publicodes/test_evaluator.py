"""Each construct on small hand-written rule sets, with answers worked out from publicodes 1.10.1."""

from __future__ import annotations

from collections.abc import Mapping

import pytest

from sobrindustrie.engines.publicodes.errors import PublicodesError
from sobrindustrie.engines.publicodes.evaluator import evaluate
from sobrindustrie.engines.publicodes.parser import compile_rules
from sobrindustrie.engines.publicodes.values import UNDEFINED, Value


def value_of(
    rules: Mapping[str, object], target: str = "x", situation: Mapping[str, object] | None = None
) -> Value:
    return evaluate(compile_rules(rules, "test.yaml"), target, situation)


# A rule that is non applicable, one that is unknown (empty, no situation), oui and non.
BASE: dict[str, object] = {
    "na": {"applicable si": "non", "valeur": "oui"},
    "inconnu": None,
    "vrai": "oui",
    "faux": "non",
}


@pytest.mark.parametrize(
    ("conditions", "expected"),
    [
        (["vrai", "vrai"], True),
        (["vrai", "faux"], False),
        (["inconnu", "vrai"], UNDEFINED),
        (["inconnu", "faux"], False),  # non wins over undefined
        (["na", "vrai"], False),  # a non applicable condition counts as non
        ([], True),
    ],
)
def test_all_conditions_are_false_on_any_non_then_undefined_on_any_unknown(
    conditions: list[str], expected: Value
) -> None:
    assert value_of({**BASE, "x": {"toutes ces conditions": conditions}}) is expected


@pytest.mark.parametrize(
    ("conditions", "expected"),
    [
        (["faux", "vrai"], True),
        (["faux", "faux"], False),
        (["inconnu", "faux"], UNDEFINED),
        (["inconnu", "vrai"], True),  # oui wins over undefined
        (["na", "faux"], False),
        ([], False),
    ],
)
def test_one_condition_is_true_on_any_oui_then_undefined_on_any_unknown(
    conditions: list[str], expected: Value
) -> None:
    assert value_of({**BASE, "x": {"une de ces conditions": conditions}}) is expected


def test_conditions_nest() -> None:
    rules = {**BASE, "x": {"toutes ces conditions": ["vrai", {"une de ces conditions": ["faux", "inconnu"]}]}}
    assert value_of(rules) is UNDEFINED
    assert value_of(rules, situation={"inconnu": "oui"}) is True


def test_applicable_si_makes_the_rule_non_applicable_ignoring_its_situation() -> None:
    rules = {"condition": None, "x": {"applicable si": "condition", "valeur": "oui"}}
    assert value_of(rules, situation={"condition": "oui"}) is True
    assert value_of(rules, situation={"condition": "non"}) is None
    assert value_of(rules, situation={"condition": "non", "x": "oui"}) is None
    assert value_of(rules) is UNDEFINED


def test_non_applicable_si_is_the_opposite() -> None:
    rules = {"condition": None, "x": {"non applicable si": "condition", "valeur": "oui"}}
    assert value_of(rules, situation={"condition": "oui"}) is None
    assert value_of(rules, situation={"condition": "non"}) is True
    assert value_of(rules) is UNDEFINED


def test_the_situation_replaces_a_rule_value() -> None:
    assert value_of({"x": "oui"}, situation={"x": "non"}) is False
    assert value_of({"x": None}) is UNDEFINED


def test_numbers_compare() -> None:
    rules = {"effectif": None, "x": "effectif >= 50"}
    assert value_of(rules, situation={"effectif": 50}) is True
    assert value_of(rules, situation={"effectif": 49}) is False
    assert value_of(rules) is UNDEFINED


def test_dates_compare_as_dates_not_as_text() -> None:
    # As text, "02/01/2024" < "31/12/2023"; as dates it is the other way round.
    rules = {"date du jour": None, "x": "date du jour > 31/12/2023"}
    assert value_of(rules, situation={"date du jour": "02/01/2024"}) is True
    assert value_of(rules, situation={"date du jour": "30/12/2023"}) is False
    assert value_of({"x": "'01/02/2024' = 1/2/2024"}) is True


def test_strings_compare() -> None:
    rules = {"code": None, "x": "code = '25.62A'"}
    assert value_of(rules, situation={"code": "'25.62A'"}) is True
    assert value_of(rules, situation={"code": '"47.11A"'}) is False


def test_a_comparison_with_a_non_applicable_side_is_non_applicable_but_equality_reads_it_as_non() -> None:
    assert value_of({**BASE, "x": "na < 3"}) is None
    assert value_of({**BASE, "x": "na = non"}) is True
    assert value_of({**BASE, "x": "na != oui"}) is True


def test_oui_is_not_one() -> None:
    assert value_of({"x": "oui = 1"}) is False


def test_a_name_is_resolved_in_its_namespace_before_the_root() -> None:
    rules = {
        "effectif": "1",
        "entreprise": None,
        "entreprise . effectif": "2",
        "entreprise . x": "effectif",
        "autre": None,
        "autre . x": "effectif",
    }
    assert value_of(rules, "entreprise . x") == 2.0
    assert value_of(rules, "autre . x") == 1.0


def test_a_rule_never_designates_itself_by_its_short_name() -> None:
    rules = {"effectif": "3", "entreprise": None, "entreprise . effectif": "effectif + 1"}
    assert value_of(rules, "entreprise . effectif") == 4.0


def test_a_rule_whose_boolean_parent_is_non_is_non_applicable() -> None:
    rules = {"parent": {"type": "booléen"}, "parent . enfant": "oui"}
    assert value_of(rules, "parent . enfant", {"parent": "non"}) is None
    assert value_of(rules, "parent . enfant", {"parent": "oui"}) is True
    # Whether a parent is boolean is decided from the rules alone, not from the situation.
    assert value_of({"parent": None, "parent . enfant": "oui"}, "parent . enfant", {"parent": "non"}) is True


def test_a_non_applicable_parent_disables_its_children() -> None:
    rules = {"condition": None, "parent": {"applicable si": "condition"}, "parent . enfant": "oui"}
    assert value_of(rules, "parent . enfant", {"condition": "non"}) is None
    assert value_of(rules, "parent . enfant", {"condition": "oui"}) is True
    assert value_of(rules, "parent . enfant") is True  # an undefined parent disables nothing


def test_an_empty_parent_disables_nothing() -> None:
    rules = {"entreprise": None, "entreprise . effectif": "12"}
    assert value_of(rules, "entreprise . effectif") == 12.0


def test_avec_declares_children() -> None:
    rules = {"objectif": {"avec": {"est eau": None, "est énergie": None}}, "x": "objectif . est eau"}
    assert value_of(rules, situation={"objectif . est eau": "oui"}) is True


def test_par_defaut_stands_in_for_an_undefined_value() -> None:
    rules = {"effectif": {"par défaut": "10"}, "x": "effectif > 5"}
    assert value_of(rules) is True
    assert value_of(rules, situation={"effectif": 1}) is False


def test_a_region_set_as_a_reference_resolves_to_its_string() -> None:
    rules = {"région": None, "Bretagne": "'Bretagne'", "Corse": "'Corse'", "x": "région = Bretagne"}
    assert value_of(rules, situation={"région": "Bretagne"}) is True
    assert value_of(rules, situation={"région": "Corse"}) is False


def test_est_defini_and_est_applicable() -> None:
    rules = {**BASE, "x": {"est défini": "inconnu"}, "y": {"est applicable": "na"}}
    assert value_of(rules) is False
    assert value_of(rules, situation={"inconnu": "3"}) is True
    assert value_of(rules, "y") is False


def test_arithmetic_follows_javascript() -> None:
    assert value_of({"x": "2 + 3 * 4"}) == 14.0
    assert value_of({"x": "'a' + 1"}) == "a1"


@pytest.mark.parametrize(
    ("rules", "message", "rule"),
    [
        ({"x": "Landes"}, "unknown reference 'Landes'", "x"),
        ({"x": "x + 1"}, "depends on itself: x → x", "x"),
        ({"x": "y", "y": "z", "z": "x"}, "depends on itself: x → y → z → x", "x"),
        ({"x": {"somme": ["1", "2"]}}, "`somme` is not supported", "x"),
        ({"x": {"valeur": {"frobnicate": "1"}}}, "unknown mechanism `frobnicate`", "x"),
        ({"x": {"toutes ces condition": ["oui"]}}, "unknown key `toutes ces condition`", "x"),
        ({"x": {"valeur": "1", "toutes ces conditions": ["oui"]}}, "same level", "x"),
        ({"x": {"toutes ces conditions": "oui"}}, "takes a list", "x"),
        ({"x": {"valeur": None}}, "a value is empty", "x"),
        ({"x": {"une possibilité": ["'a'"]}}, "`une possibilité` is not supported", "x"),
        ({"x": True}, "a rule must be empty", "x"),
        ({"x": {"avec": {"y": None}}, "x . y": None}, "defined twice", "x . y"),
    ],
)
def test_it_refuses_rules_naming_the_file_and_the_rule(
    rules: dict[str, object], message: str, rule: str
) -> None:
    with pytest.raises(PublicodesError, match=message) as raised:
        compile_rules(rules, "programme.yaml")
    assert raised.value.source == "programme.yaml"
    assert raised.value.rule == rule


def test_it_refuses_a_situation_on_a_rule_that_does_not_exist() -> None:
    with pytest.raises(PublicodesError, match="not a public rule"):
        value_of({"x": None}, situation={"y": "oui"})


def test_it_refuses_to_evaluate_a_rule_that_does_not_exist() -> None:
    with pytest.raises(PublicodesError, match="'y', does not exist"):
        value_of({"x": None}, target="y")


def test_it_refuses_a_condition_that_is_a_number() -> None:
    with pytest.raises(PublicodesError, match="condition must be oui or non"):
        value_of({"x": {"condition": {"si": "2", "alors": "oui", "sinon": "non"}}})
