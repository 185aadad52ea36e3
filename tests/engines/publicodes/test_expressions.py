from __future__ import annotations

import pytest

from sobrindustrie.engines.publicodes.errors import PublicodesError
from sobrindustrie.engines.publicodes.expressions import parse_expression


def test_it_parses_a_comparison_of_a_name_and_a_number() -> None:
    assert parse_expression("effectif >= 50") == ("op", ">=", ("ref", "effectif"), ("number", 50.0))


def test_it_reads_names_with_accents_apostrophes_hyphens_and_dots() -> None:
    tree = parse_expression("région = Provence-Alpes-Côte d'Azur")
    assert tree == ("op", "=", ("ref", "région"), ("ref", "Provence-Alpes-Côte d'Azur"))
    assert parse_expression("code NAF niveau 1 . est C") == ("ref", "code NAF niveau 1 . est C")
    assert parse_expression("^ . effectif") == ("ref", "^ . effectif")


def test_it_reads_oui_and_non_as_booleans_but_not_longer_names() -> None:
    assert parse_expression("oui") == ("boolean", True)
    assert parse_expression("non") == ("boolean", False)
    assert parse_expression("non applicable") == ("ref", "non applicable")


def test_it_normalizes_dates_and_reads_month_year_as_the_first_day() -> None:
    assert parse_expression("1/2/2024") == ("date", "01/02/2024")
    assert parse_expression("03/2025") == ("date", "01/03/2025")


def test_it_refuses_a_day_that_does_not_exist() -> None:
    with pytest.raises(PublicodesError, match="31/02/2024 does not exist"):
        parse_expression("date du jour <= 31/02/2024", rule="r")


def test_it_reads_quoted_strings_up_to_the_last_quote_like_the_reference() -> None:
    assert parse_expression("'25.62A'") == ("string", "25.62A")
    assert parse_expression('"l\'eau"') == ("string", "l'eau")
    # The reference engine's string token is greedy: this is one string, not a comparison.
    assert parse_expression('"a" = "b"') == ("string", 'a" = "b')


def test_it_gives_multiplication_priority_and_keeps_operations_left_associative() -> None:
    assert parse_expression("a + b * 2") == (
        "op",
        "+",
        ("ref", "a"),
        ("op", "*", ("ref", "b"), ("number", 2.0)),
    )
    assert parse_expression("a - b - c") == ("op", "-", ("op", "-", ("ref", "a"), ("ref", "b")), ("ref", "c"))
    assert parse_expression("(a + b) * 2") == (
        "op",
        "*",
        ("op", "+", ("ref", "a"), ("ref", "b")),
        ("number", 2.0),
    )


def test_it_reads_a_minus_sign_as_zero_minus() -> None:
    assert parse_expression("-5") == ("op", "-", ("number", 0.0), ("number", 5.0))


def test_it_joins_lines_of_a_folded_expression() -> None:
    assert parse_expression("effectif\n  >= 50") == parse_expression("effectif >= 50")


@pytest.mark.parametrize(
    ("expression", "message"),
    [
        ("effectif>=50", "operator surrounded by spaces"),
        ("50 salariés", "units are not supported"),
        ("(effectif >= 50", r"expected '\)'"),
        ("effectif >= )", "a constant, a reference"),
        (
            "^ . ^ . effectif",
            "the end of the expression",
        ),  # only the first part may climb, as in the reference
        ("effectif ’s", "the end of the expression"),
    ],
)
def test_it_refuses_invalid_expressions_naming_the_rule(expression: str, message: str) -> None:
    with pytest.raises(PublicodesError, match=message) as raised:
        parse_expression(expression, rule="entreprise . est éligible")
    assert raised.value.rule == "entreprise . est éligible"
