from __future__ import annotations

import copy
import json
from datetime import date
from typing import Any

import pytest
import yaml

from sobrindustrie.engines.footprint.errors import (
    FactorLibraryError,
    UnknownFactorError,
    UnknownTravelModeError,
)
from sobrindustrie.engines.footprint.factors import (
    DATA_DIR,
    DEFAULT_LIBRARY_FILE,
    FactorLibrary,
    parse_library,
)
from sobrindustrie.engines.footprint.units import KNOWN_UNITS


def _documents() -> tuple[dict[str, Any], dict[str, Any]]:
    library = yaml.safe_load((DATA_DIR / DEFAULT_LIBRARY_FILE).read_text(encoding="utf-8"))
    travel = json.loads((DATA_DIR / "travel_impactco2_v1.json").read_text(encoding="utf-8"))
    return library, travel


def test_it_gives_every_factor_a_source_a_unit_labels_and_an_uncertainty(library: FactorLibrary) -> None:
    for factor in library.factors.values():
        assert factor.source.name and factor.source.version and factor.source.identifier, factor.id
        assert factor.unit == f"kgCO2e/{factor.per_unit}" and factor.per_unit in KNOWN_UNITS, factor.id
        assert factor.label_fr and factor.label_en, factor.id
        assert factor.value >= 0 and factor.uncertainty.relative > 0, factor.id


@pytest.mark.parametrize(
    ("factor_id", "value", "unit"),
    [
        ("electricity.fr.consumption_mix", 0.052, "kgCO2e/kWh"),
        ("natural_gas.pci", 0.227, "kgCO2e/kWh"),
        ("diesel.b7", 3.16, "kgCO2e/L"),
        ("freight.road.rigid_26_32t", 0.105, "kgCO2e/t.km"),
        ("material.steel", 1.6, "kgCO2e/kg"),
        ("material.aluminium", 6.6, "kgCO2e/kg"),
        ("monetary.machinery_equipment", 273, "kgCO2e/k€"),
        ("travel.tgv", 0.00063 + 0.0023, "kgCO2e/passenger.km"),
    ],
)
def test_it_ships_the_cited_factors(library: FactorLibrary, factor_id: str, value: float, unit: str) -> None:
    factor = library.factor(factor_id)
    assert factor.value == pytest.approx(value, rel=1e-12)
    assert factor.unit == unit


def test_it_ships_every_category_the_balance_needs(library: FactorLibrary) -> None:
    categories = {factor.category for factor in library.factors.values()}
    assert categories == {"energy", "freight", "material", "monetary", "travel"}
    for needed in ("petrol.e10", "lpg.fuel", "propane.pci", "fuel_oil.heating.pci", "freight.road.light_van"):
        assert needed in library.factors
    for needed in ("material.cast_iron", "material.plastics_generic"):
        assert library.factor(needed).to_verify


def test_it_flags_the_monetary_ratio_to_verify(library: FactorLibrary) -> None:
    assert library.factor("monetary.machinery_equipment").to_verify


def test_it_holds_every_travel_mode_of_the_shipped_impactco2_data(library: FactorLibrary) -> None:
    _, travel = _documents()
    ids = {mode.impactco2_id for mode in library.travel_modes.values()}
    assert ids == {raw["impactco2_id"] for raw in travel["modes"]}
    assert len(library.travel_modes) == len(travel["modes"]) == 18


def test_it_holds_every_mode_of_impactco2s_own_file(
    library: FactorLibrary, impactco2_modes: list[dict[str, Any]]
) -> None:
    by_id = {mode.impactco2_id: mode for mode in library.travel_modes.values()}
    for raw in impactco2_modes:
        mode = by_id[raw["id"]]
        # Impact CO2's slug is kept, except for the kick scooter which shares the e-bike's slug there.
        assert mode.slug == raw["slug"] or raw["id"] == 17
        variants = raw.get("ecvs") or [raw]
        assert len(mode.bands) == len(variants)
        for band, variant in zip(mode.bands, variants, strict=True):
            expected = sum(part["value"] for part in variant.get("ecv", []))
            assert library.factor(band.factor_id).value == pytest.approx(expected, rel=1e-12, abs=0)


def test_it_splits_travel_factors_into_construction_use_and_contrails(library: FactorLibrary) -> None:
    plane = library.factor("travel.avion.court_courrier")
    assert dict(plane.components) == {"construction": 0.000372, "use": 0.1232, "contrails": 0.101}
    assert library.factor("travel.tgv").components["contrails"] == 0
    for factor in library.factors.values():
        if factor.category == "travel":
            assert sum(factor.components.values()) == pytest.approx(factor.value, rel=1e-12, abs=1e-15)


def test_it_names_the_kick_scooter_apart_from_the_e_bike(library: FactorLibrary) -> None:
    assert library.travel_mode("veloelectrique").impactco2_id == 8
    assert library.travel_mode("trottinetteelectrique").impactco2_id == 17


def test_it_records_its_version_and_a_fingerprint_of_its_data(library: FactorLibrary) -> None:
    assert library.version == "1.1.0"
    assert len(library.fingerprint) == 12
    assert library.reference == f"1.1.0+{library.fingerprint}"
    assert library.travel_source["commit"] == "8076a48"
    assert library.travel_source["repository"] == "incubateur-ademe/impactco2"


def test_it_knows_when_a_factor_is_out_of_its_validity_period(library: FactorLibrary) -> None:
    truck = library.factor("freight.road.rigid_26_32t")
    assert truck.is_valid_on(date(2024, 6, 1))
    assert not truck.is_valid_on(date(2026, 3, 1))


def test_it_suggests_close_ids_for_an_unknown_factor(library: FactorLibrary) -> None:
    with pytest.raises(
        UnknownFactorError, match=r"unknown emission factor 'material.stell'; did you mean material.steel"
    ):
        library.factor("material.stell")


def test_it_lists_valid_slugs_for_an_unknown_travel_mode(library: FactorLibrary) -> None:
    with pytest.raises(UnknownTravelModeError, match=r"unknown travel mode 'train'; valid modes are: .*tgv"):
        library.travel_mode("train")


def test_it_refuses_a_factor_without_a_source_naming_the_factor_and_field() -> None:
    library, travel = _documents()
    del library["factors"][0]["source"]["identifier"]
    with pytest.raises(
        FactorLibraryError, match=r"factor 'electricity.fr.consumption_mix', source: field 'identifier'"
    ):
        parse_library(library, travel)


def test_it_refuses_a_factor_unit_outside_the_known_units() -> None:
    library, travel = _documents()
    library["factors"][0]["unit"] = "kgCO2e/therm"
    with pytest.raises(FactorLibraryError, match=r"unit must be 'kgCO2e/<unit>'.*got 'kgCO2e/therm'"):
        parse_library(library, travel)


def test_it_refuses_an_unknown_distribution() -> None:
    library, travel = _documents()
    library["factors"][0]["uncertainty"]["distribution"] = "gaussian"
    with pytest.raises(FactorLibraryError, match=r"electricity.fr.consumption_mix.*uncertainty.*'gaussian'"):
        parse_library(library, travel)


def test_it_refuses_two_travel_modes_sharing_a_slug() -> None:
    library, travel = _documents()
    del library["travel"]["modes"][17]["slug"]
    with pytest.raises(FactorLibraryError, match=r"slug 'veloelectrique' is used by Impact CO2 ids 8 and 17"):
        parse_library(library, travel)


def test_it_refuses_an_impactco2_mode_the_library_does_not_classify() -> None:
    library, travel = _documents()
    extra = copy.deepcopy(travel["modes"][1])
    extra.update(impactco2_id=99, slug="hyperloop")
    travel["modes"].append(extra)
    with pytest.raises(FactorLibraryError, match=r"Impact CO2 mode ids \[99\] have no entry in travel.modes"):
        parse_library(library, travel)


def test_every_factor_to_verify_says_why_in_both_languages(library: FactorLibrary) -> None:
    to_verify = [factor for factor in library.factors.values() if factor.to_verify]
    assert len(to_verify) == 14
    for factor in to_verify:
        assert factor.verify_reason_fr and factor.verify_reason_en, factor.id


def test_travel_factors_cite_the_base_empreinte_element_impact_co2_names(library: FactorLibrary) -> None:
    assert library.factor("travel.tgv").base_empreinte_id == "43256"
    assert library.factor("travel.avion.court_courrier").base_empreinte_id == "43743"
    assert not library.factor("material.steel").base_empreinte_id


def test_the_first_library_version_still_loads_unchanged() -> None:
    from sobrindustrie.engines.footprint.factors import load_library

    first, current = load_library("factors_v1.yaml"), load_library()
    assert first.version == "1.0.0"
    assert {k: f.value for k, f in first.factors.items()} == {k: f.value for k, f in current.factors.items()}


def test_a_verify_reason_must_be_a_mapping() -> None:
    library, travel = _documents()
    library["factors"][0]["verify_reason"] = "just text"
    with pytest.raises(FactorLibraryError, match="verify_reason must map fr and en"):
        parse_library(library, travel)
