from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from sobrindustrie.organisations.reference import naf_codes, taxonomy
from sobrindustrie.organisations.validators import (
    is_in_france,
    normalise_naf,
    validate_category,
    validate_coordinates,
    validate_naf,
    validate_siret,
)
from tests.factories import valid_siret


def test_a_valid_siret_passes() -> None:
    validate_siret("73282932000074")  # a published SIRET (with valid keys)
    validate_siret(valid_siret(5))


@pytest.mark.parametrize(
    "value,code",
    [
        ("7328293200007", "siret_length"),
        ("7328293200007A", "siret_format"),
        ("73282932000075", "siret_checksum"),
    ],
)
def test_a_bad_siret_names_the_rule(value: str, code: str) -> None:
    with pytest.raises(ValidationError) as error:
        validate_siret(value)
    assert error.value.code == code


def test_naf_codes_come_from_the_official_nomenclature() -> None:
    assert len(naf_codes()) == 732
    validate_naf("25.62A")
    validate_naf("22.29b")  # case does not matter
    with pytest.raises(ValidationError):
        validate_naf("25.62Z")


def test_the_taxonomy_has_two_levels() -> None:
    validate_category("cutting.laser")
    with pytest.raises(ValidationError):
        validate_category("cutting")  # a top-level category is not precise enough
    tops = {c.code for c in taxonomy().values() if c.parent is None}
    assert tops == {
        "machining", "forming", "cutting", "joining", "surface_treatment", "thermal",
        "handling", "utilities", "additive", "measurement", "packaging", "other",
    }  # fmt: skip


@pytest.mark.parametrize(
    "lat,lon,inside",
    [(43.29, 5.37, True), (41.92, 8.74, True), (-20.88, 55.45, True), (40.4, -3.7, False), (0.0, 0.0, False)],
)
def test_coordinates_must_be_in_france(lat: float, lon: float, inside: bool) -> None:
    assert is_in_france(lat, lon) is inside


def test_coordinates_come_in_pairs() -> None:
    assert "longitude" in validate_coordinates(43.0, None)
    assert validate_coordinates(None, None) == {}


@pytest.mark.parametrize("typed", ["25.62A", "2562A", "2562a", " 25.62 a ", "25 62A"])
def test_a_naf_code_is_accepted_dotted_or_compact_and_normalised(typed: str) -> None:
    validate_naf(typed)
    assert normalise_naf(typed) == "25.62A"


def test_a_compact_naf_code_that_does_not_exist_is_refused() -> None:
    with pytest.raises(ValidationError) as raised:
        validate_naf("2599Z")
    assert raised.value.code == "naf_unknown"
