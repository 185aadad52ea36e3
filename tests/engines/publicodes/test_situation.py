from __future__ import annotations

import datetime

import pytest

from sobrindustrie.engines.publicodes.errors import CompanyError
from sobrindustrie.engines.publicodes.parser import compile_rules
from sobrindustrie.engines.publicodes.situation import (
    NAF_SECTIONS,
    Company,
    Interface,
    build_situation,
    naf_section,
    normalize_naf,
)

# A small interface shaped like Mission Transition Écologique's.
INTERFACE_RULES: dict[str, object] = {
    "entreprise": None,
    "entreprise . effectif": None,
    "entreprise . microentrepreneur": None,
    "entreprise . code NAF": None,
    "entreprise . code NAF niveau 1": {"avec": {f"est {letter}": None for letter in NAF_SECTIONS}},
    "région": None,
    "Bretagne": '"Bretagne"',
    "Provence-Alpes-Côte d'Azur": '"Provence-Alpes-Côte d\'Azur"',
    "questionnaire": None,
    "questionnaire . objectif prioritaire": {"avec": {"est eau": None, "est énergie": None}},
    "dispositif": {"avec": {"début de validité": None, "fin de validité": None}},
    "date du jour": None,
}
TODAY = datetime.date(2026, 7, 1)


@pytest.mark.parametrize(
    ("code", "section"),
    [
        ("01.11Z", "A"),
        ("03.22Z", "A"),
        ("05.10Z", "B"),
        ("09.90Z", "B"),
        ("10.11Z", "C"),
        ("25.62A", "C"),
        ("33.20A", "C"),
        ("35.11Z", "D"),
        ("36.00Z", "E"),
        ("39.00Z", "E"),
        ("41.10A", "F"),
        ("43.99E", "F"),
        ("45.11Z", "G"),
        ("47.11A", "G"),
        ("49.10Z", "H"),
        ("53.20Z", "H"),
        ("55.10Z", "I"),
        ("56.30Z", "I"),
        ("58.11Z", "J"),
        ("63.99Z", "J"),
        ("64.11Z", "K"),
        ("66.30Z", "K"),
        ("68.10Z", "L"),
        ("69.10Z", "M"),
        ("75.00Z", "M"),
        ("77.11A", "N"),
        ("82.99Z", "N"),
        ("84.11Z", "O"),
        ("85.10Z", "P"),
        ("86.10Z", "Q"),
        ("88.99B", "Q"),
        ("90.01Z", "R"),
        ("93.29Z", "R"),
        ("94.11Z", "S"),
        ("96.09Z", "S"),
        ("97.00Z", "T"),
        ("98.20Z", "T"),
        ("99.00Z", "U"),
    ],
)
def test_it_finds_the_section_of_a_naf_code_from_its_division(code: str, section: str) -> None:
    assert naf_section(code) == section


@pytest.mark.parametrize("code", ["04.00Z", "34.10Z", "40.00Z", "00.11Z", "2.5", "C25", ""])
def test_it_refuses_a_code_that_is_not_naf(code: str) -> None:
    with pytest.raises(CompanyError) as raised:
        naf_section(code)
    assert raised.value.field == "naf"


def test_it_writes_naf_codes_as_insee_does() -> None:
    assert normalize_naf("2562a") == "25.62A"
    assert normalize_naf(" 25.62A ") == "25.62A"
    assert normalize_naf("25") == "25"
    assert normalize_naf("25.6") == "25.6"


def test_it_reads_a_company_where_any_key_may_be_absent_or_null() -> None:
    assert Company.from_mapping({}) == Company()
    company = Company.from_mapping(
        {
            "region": "Bretagne",
            "workforce": 40,
            "micro_entrepreneur": False,
            "naf": "2562A",
            "objectives": ["eau"],
        }
    )
    assert company == Company("Bretagne", 40, False, "25.62A", ("eau",))
    assert Company.from_mapping({"workforce": None}).workforce is None


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"workfroce": 40}, "workfroce"),
        ({"workforce": -1}, "workforce"),
        ({"workforce": "40"}, "workforce"),
        ({"workforce": True}, "workforce"),
        ({"workforce": 12.5}, "workforce"),
        ({"micro_entrepreneur": "non"}, "micro_entrepreneur"),
        ({"region": 93}, "region"),
        ({"objectives": "eau"}, "objectives"),
        ({"naf": "25.62"}, None),
        ({"naf": "xx"}, "naf"),
    ],
)
def test_it_refuses_a_malformed_company_naming_the_key(data: dict[str, object], field: str | None) -> None:
    if field is None:
        Company.from_mapping(data)  # a class without sub-class letter is a valid NAF code
        return
    with pytest.raises(CompanyError) as raised:
        Company.from_mapping(data)
    assert raised.value.field == field


def test_it_reads_the_regions_and_objectives_the_interface_declares() -> None:
    interface = Interface.from_rules(INTERFACE_RULES)
    assert interface.regions == ("Bretagne", "Provence-Alpes-Côte d'Azur")
    assert interface.objectives == ("eau", "énergie")


def test_it_refuses_a_company_with_an_undeclared_region_or_objective() -> None:
    interface = Interface.from_rules(INTERFACE_RULES)
    with pytest.raises(CompanyError, match="unknown region 'Landes'"):
        interface.check(Company(region="Landes"))
    with pytest.raises(CompanyError, match="unknown objective 'air'"):
        interface.check(Company(objectives=("eau", "air")))


def test_it_builds_the_situation_the_readme_describes() -> None:
    rules = compile_rules(INTERFACE_RULES)
    company = Company("Provence-Alpes-Côte d'Azur", 40, False, "25.62A", ("énergie",))
    programme = {"début de validité": "06/02/2023", "fin de validité": "31/12/2026"}
    situation = build_situation(rules, company, TODAY, objectives=("eau", "énergie"), programme=programme)
    assert situation["région"] == "Provence-Alpes-Côte d'Azur"
    assert situation["entreprise . effectif"] == 40
    assert situation["entreprise . microentrepreneur"] == "non"
    assert situation["entreprise . code NAF"] == '"25.62A"'
    flags = {name[-1]: value for name, value in situation.items() if "niveau 1 . est" in name}
    assert flags == {letter: "oui" if letter == "C" else "non" for letter in NAF_SECTIONS}
    assert situation["questionnaire . objectif prioritaire . est eau"] == "non"
    assert situation["questionnaire . objectif prioritaire . est énergie"] == "oui"
    assert situation["date du jour"] == "01/07/2026"
    assert situation["dispositif . début de validité"] == "06/02/2023"
    assert situation["dispositif . fin de validité"] == "31/12/2026"


def test_an_unknown_company_sets_only_the_date() -> None:
    rules = compile_rules(INTERFACE_RULES)
    assert build_situation(rules, Company(), TODAY, objectives=("eau",)) == {"date du jour": "01/07/2026"}


def test_it_sets_only_names_that_exist_in_the_rules() -> None:
    rules = compile_rules({"entreprise": None, "entreprise . effectif": None, "x": "oui"})
    situation = build_situation(
        rules, Company("Bretagne", 3, True, "25.62A", ("eau",)), TODAY, objectives=("eau",)
    )
    assert situation == {"entreprise . effectif": 3}
