"""Checks on the reference data and the demo programme shipped as plain files.

Pure Python (no Django): run with ``pytest tests/data -p no:django``. The Django loaders trust these
files, so every rule they rely on is pinned here.
"""

from __future__ import annotations

import csv
import datetime as dt
import math
import re
from collections import Counter
from functools import cache
from pathlib import Path
from typing import Any

import pytest
import yaml
from stdnum.fr import siren, siret

ROOT = Path(__file__).resolve().parents[2]
ORGANISATIONS_DATA = ROOT / "sobrindustrie" / "organisations" / "data"
DEMO_FILE = ROOT / "sobrindustrie" / "demo" / "data" / "demo_programme.yaml"

PACA_DEPARTMENTS = {"04", "05", "06", "13", "83", "84"}
PREFECTURES = {
    "04070": "Digne-les-Bains",
    "05061": "Gap",
    "06088": "Nice",
    "13055": "Marseille",
    "83137": "Toulon",
    "84007": "Avignon",
}
SUB_PREFECTURES = {
    "04019": "Barcelonnette",
    "04039": "Castellane",
    "04088": "Forcalquier",
    "05023": "Briançon",
    "06069": "Grasse",
    "13001": "Aix-en-Provence",
    "13004": "Arles",
    "13047": "Istres",
    "83023": "Brignoles",
    "83050": "Draguignan",
    "84003": "Apt",
    "84031": "Carpentras",
}
TOP_LEVEL_CATEGORIES = [
    "machining",
    "forming",
    "cutting",
    "joining",
    "surface_treatment",
    "thermal",
    "handling",
    "utilities",
    "additive",
    "measurement",
    "packaging",
    "other",
]
SOLUTIONS = {
    "pooling",
    "retrofit",
    "local_fabrication",
    "inhouse_maintenance",
    "usage_change",
    "functional_economy",
    "other_lowtech",
}
OUTSIDE_KINDS = {"company", "institution", "academic", "funder", "partner_network"}
# ARCEP's national numbering plan keeps these prefixes for audiovisual fiction (article 2.5.12).
FICTION_PHONE = re.compile(r"^\+33 (4 65 71|6 39 98) \d\d \d\d$")
POOLING_RADIUS_KM = 60


def great_circle_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    phi1, phi2 = math.radians(lat1), math.radians(lat2)
    half_chord = (
        math.sin((phi2 - phi1) / 2) ** 2
        + math.cos(phi1) * math.cos(phi2) * math.sin(math.radians(lon2 - lon1) / 2) ** 2
    )
    return 2 * 6371.0088 * math.asin(math.sqrt(half_chord))


def read_csv(name: str) -> list[dict[str, str]]:
    with (ORGANISATIONS_DATA / name).open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


@cache
def communes() -> dict[str, dict[str, str]]:
    return {row["insee_code"]: row for row in read_csv("communes_paca.csv")}


@cache
def naf_codes() -> set[str]:
    return {row["code"] for row in read_csv("naf_rev2.csv")}


@cache
def taxonomy() -> dict[str, Any]:
    with (ORGANISATIONS_DATA / "production_means_taxonomy.yaml").open(encoding="utf-8") as handle:
        return yaml.safe_load(handle)


@cache
def subcategory_codes() -> set[str]:
    return {sub["code"] for top in taxonomy()["categories"] for sub in top["subcategories"]}


@cache
def demo() -> dict[str, Any]:
    with DEMO_FILE.open(encoding="utf-8") as handle:
        return yaml.safe_load(handle)


def laureates() -> list[dict[str, Any]]:
    return [org for org in demo()["organisations"] if org["kind"] == "laureate_sme"]


def outside_structures() -> list[dict[str, Any]]:
    return [org for org in demo()["organisations"] if org["kind"] in OUTSIDE_KINDS]


def all_means() -> list[tuple[dict[str, Any], dict[str, Any]]]:
    return [(org, means) for org in demo()["organisations"] for means in org["production_means"]]


def top_level(category: str | None) -> str | None:
    return category.split(".")[0] if category else None


def org_distance_km(a: dict[str, Any], b: dict[str, Any]) -> float:
    return great_circle_km(a["latitude"], a["longitude"], b["latitude"], b["longitude"])


# ---------------------------------------------------------------- communes


def test_it_reads_communes_with_the_expected_columns() -> None:
    rows = read_csv("communes_paca.csv")
    assert list(rows[0]) == ["insee_code", "name", "postcodes", "department_code", "latitude", "longitude"]
    assert 80 <= len(rows) <= 150
    assert len(communes()) == len(rows), "INSEE codes must be unique"


@pytest.mark.parametrize("code", sorted(communes()))
def test_it_gives_each_commune_a_paca_code_postcodes_and_a_point_inside_paca(code: str) -> None:
    row = communes()[code]
    assert re.fullmatch(r"\d{5}", code)
    assert row["department_code"] in PACA_DEPARTMENTS
    assert code.startswith(row["department_code"])
    assert row["name"].strip() == row["name"] != ""
    for postcode in row["postcodes"].split(";"):
        assert re.fullmatch(r"\d{5}", postcode)
        assert postcode.startswith(row["department_code"])
    assert re.fullmatch(r"\d\d\.\d{4}", row["latitude"]) and re.fullmatch(r"\d\.\d{4}", row["longitude"])
    assert 42.9 <= float(row["latitude"]) <= 45.2
    assert 4.2 <= float(row["longitude"]) <= 7.8


def test_it_covers_every_department_its_prefecture_and_sub_prefectures() -> None:
    assert {row["department_code"] for row in communes().values()} == PACA_DEPARTMENTS
    for code, name in (PREFECTURES | SUB_PREFECTURES).items():
        assert communes()[code]["name"] == name


def test_it_keeps_french_accents_and_hyphens_in_names() -> None:
    names = {row["name"] for row in communes().values()}
    assert {"Berre-l'Étang", "Gémenos", "Château-Arnoux-Saint-Auban", "L'Isle-sur-la-Sorgue"} <= names


def test_it_lists_every_postcode_of_a_multi_postcode_city() -> None:
    assert communes()["13055"]["postcodes"] == ";".join(f"130{n:02d}" for n in range(1, 17))


def test_it_places_known_town_halls_where_they_are() -> None:
    # Marseille's Hôtel de Ville on the Vieux-Port and Avignon's on place de l'Horloge.
    assert (
        great_circle_km(
            43.2965, 5.3698, float(communes()["13055"]["latitude"]), float(communes()["13055"]["longitude"])
        )
        < 0.5
    )
    assert (
        great_circle_km(
            43.9493, 4.8055, float(communes()["84007"]["latitude"]), float(communes()["84007"]["longitude"])
        )
        < 0.5
    )


# ---------------------------------------------------------------- NAF


def test_it_has_all_732_naf_subclasses_well_formed_and_nested() -> None:
    rows = read_csv("naf_rev2.csv")
    assert list(rows[0]) == ["code", "label", "section", "division", "group", "class"]
    assert len(rows) == 732 == len(naf_codes())
    for row in rows:
        assert re.fullmatch(r"\d\d\.\d\d[A-Z]", row["code"]), row["code"]
        assert row["label"] and row["label"] == " ".join(row["label"].split())
        assert row["code"].startswith(row["class"]) and row["class"].startswith(row["group"])
        assert row["group"].startswith(row["division"]) and len(row["division"]) == 2


def test_it_puts_each_naf_division_in_the_section_whose_range_holds_it() -> None:
    sections = read_csv("naf_sections.csv")
    assert [row["letter"] for row in sections] == [chr(c) for c in range(ord("A"), ord("U") + 1)]
    ranges = {row["letter"]: (row["first_division"], row["last_division"]) for row in sections}
    for row in read_csv("naf_rev2.csv"):
        first, last = ranges[row["section"]]
        assert first <= row["division"] <= last, row["code"]
    assert {row["letter"]: row["label"] for row in sections}["C"] == "Industrie manufacturière"


def test_it_labels_known_naf_codes_as_insee_does() -> None:
    labels = {row["code"]: row["label"] for row in read_csv("naf_rev2.csv")}
    assert labels["25.62A"] == "Décolletage"
    assert labels["25.62B"] == "Mécanique industrielle"
    assert labels["22.29A"] == "Fabrication de pièces techniques à base de matières plastiques"


# ---------------------------------------------------------------- taxonomy


def test_it_has_the_twelve_top_level_categories_in_order() -> None:
    assert [top["code"] for top in taxonomy()["categories"]] == TOP_LEVEL_CATEGORIES
    labels = {top["code"]: top["label_fr"] for top in taxonomy()["categories"]}
    assert labels["utilities"] == "Air comprimé et utilités"
    assert labels["forming"] == "Formage / déformation"


def test_it_codes_subcategories_top_dot_sub_uniquely_with_both_labels() -> None:
    seen: list[str] = []
    for top in taxonomy()["categories"]:
        assert top["label_fr"] and top["label_en"]
        assert 3 <= len(top["subcategories"]) <= 10, top["code"]
        for sub in top["subcategories"]:
            assert re.fullmatch(rf"{top['code']}\.[a-z0-9_]+", sub["code"]), sub["code"]
            assert sub["label_fr"] and sub["label_en"]
            seen.append(sub["code"])
    assert len(seen) == len(set(seen))
    assert {"machining.cnc_milling", "cutting.laser", "forming.injection_moulding", "measurement.cmm"} <= set(
        seen
    )


# ---------------------------------------------------------------- demo programme


def test_it_describes_the_programme_with_its_contractual_caps() -> None:
    programme = demo()["programme"]
    assert programme["slug"] == "sobrindustrie-paca-2025"
    assert programme["notified_on"] == dt.date(2025, 10, 20) == programme["starts_on"]
    assert programme["ends_on"] == dt.date(2027, 10, 15)
    assert (programme["diagnostic_days_cap"], programme["funding_order_days_cap"]) == (5, 6)
    assert programme["evaluation_days_cap"] == 3.5 and programme["target_team_count"] == 5


def test_it_has_fifteen_laureates_over_the_six_departments() -> None:
    departments = Counter(communes()[org["commune"]]["department_code"] for org in laureates())
    assert len(laureates()) == 15
    assert set(departments) == PACA_DEPARTMENTS
    assert departments["13"] >= 3 and departments["84"] >= 3


def test_it_has_six_or_more_outside_structures_of_several_kinds() -> None:
    assert len(outside_structures()) >= 6
    assert len({org["kind"] for org in outside_structures()}) >= 4
    assert len(demo()["organisations"]) == len(laureates()) + len(outside_structures())


def test_it_uses_unique_keys_everywhere() -> None:
    organisations = demo()["organisations"]
    assert len({org["key"] for org in organisations}) == len(organisations)
    means_keys = [means["key"] for _, means in all_means()]
    assert len(means_keys) == len(set(means_keys))
    for org in organisations:
        site_keys = [site["key"] for site in org["sites"]]
        assert len(site_keys) == len(set(site_keys)), org["key"]


@pytest.mark.parametrize("org", demo()["organisations"], ids=lambda org: org["key"])
def test_it_gives_each_organisation_valid_identifiers_and_a_real_place(org: dict[str, Any]) -> None:
    assert siret.is_valid(org["siret"]) and siren.is_valid(org["siret"][:9])
    assert org["naf"] in naf_codes()
    assert org["turnover_band"] in {"lt_2m", "2_10m", "10_50m", "gt_50m"}
    assert org["workforce"] > 0 and org["name"] and org["description"] and org["address"]
    assert set(org["solution_interests"]) <= SOLUTIONS
    assert org["sites"], "the main site comes first"
    main = org["sites"][0]
    assert (main["latitude"], main["longitude"], main["commune"]) == (
        org["latitude"],
        org["longitude"],
        org["commune"],
    )
    for place in [org, *org["sites"]]:
        centre = communes()[place["commune"]]
        postcode = re.search(r"\b(\d{5}) ", place["address"])
        assert postcode and postcode.group(1) in centre["postcodes"].split(";"), place["address"]
        distance = great_circle_km(
            place["latitude"], place["longitude"], float(centre["latitude"]), float(centre["longitude"])
        )
        assert distance <= 5, f"{org['key']}: {distance:.1f} km from the centre of {centre['name']}"


@pytest.mark.parametrize("org", laureates(), ids=lambda org: org["key"])
def test_it_gives_each_laureate_a_manufacturing_profile(org: dict[str, Any]) -> None:
    assert 8 <= org["workforce"] <= 180
    assert 10 <= int(org["naf"][:2]) <= 33, "section C, manufacturing"
    assert 5 <= len(org["production_means"]) <= 12
    assert 1 <= len(org["people"]) <= 3
    assert any(person["account"] for person in org["people"])


def test_it_draws_laureate_naf_codes_mostly_from_divisions_22_to_33() -> None:
    assert sum(22 <= int(org["naf"][:2]) <= 33 for org in laureates()) >= 12


@pytest.mark.parametrize(("org", "means"), all_means(), ids=lambda item: item.get("key", ""))
def test_it_records_each_production_means_within_its_rules(
    org: dict[str, Any], means: dict[str, Any]
) -> None:
    assert means["site"] in {site["key"] for site in org["sites"]}
    assert means["category"] in subcategory_codes()
    assert all(isinstance(means[field], str) and means[field] for field in ("key", "name", "make", "model"))
    assert 1980 <= means["year"] <= 2025
    assert means["purchase_value_eur"] > 0 and means["mass_kg"] > 0 and means["rated_power_kw"] > 0
    assert means["main_material"] in {"steel", "aluminium", "cast_iron", "mixed", "plastic", None}
    assert 0 <= means["annual_operating_hours"] <= 8760
    assert 0 <= means["utilisation_rate"] <= 100
    assert means["energy_carrier"] in {"electricity", "natural_gas", "diesel", "lpg", "none"}
    assert 0 <= means["annual_consumption_kwh"] <= means["rated_power_kw"] * means["annual_operating_hours"]
    assert means["condition"] in {"new", "good", "fair", "poor", "out_of_service"}
    assert means["maintenance_mode"] in {"inhouse", "contractor", "none"}
    assert (means["maintenance_mode"] == "contractor") == (means["contractor_distance_km"] is not None)
    assert means["planned_action"] in {"none", "replace", "purchase"}
    assert (means["planned_action"] == "none") == (means["planned_year"] is None)
    assert means["planned_year"] is None or means["planned_year"] >= 2026
    assert 0 <= means["sharing_hours_per_week"] <= 40
    assert isinstance(means["notes"], str)


def test_it_inventories_at_least_a_hundred_production_means() -> None:
    assert sum(len(org["production_means"]) for org in laureates()) >= 100


@pytest.mark.parametrize("org", demo()["organisations"], ids=lambda org: org["key"])
def test_it_states_needs_and_offers_with_known_codes(org: dict[str, Any]) -> None:
    for item in org["needs"] + org["offers"]:
        assert item["kind"] in {"capacity", "skill"}
        assert item["category"] is None or item["category"] in subcategory_codes()
        assert item["skill"] in {"maintenance", "retrofit", "design", "fabrication", None}
        assert item["hours_per_year"] is None or item["hours_per_year"] > 0
        assert item["description"]
        if item["kind"] == "capacity":
            assert item["category"] is not None and item["skill"] is None
        else:
            assert item["skill"] is not None


@pytest.mark.parametrize("org", demo()["organisations"], ids=lambda org: org["key"])
def test_it_never_repeats_a_need_or_an_offer_of_the_same_kind_category_and_skill(org: dict[str, Any]) -> None:
    # The loader matches needs and offers on these three fields to stay idempotent.
    for items in (org["needs"], org["offers"]):
        signatures = [(item["kind"], item["category"], item["skill"]) for item in items]
        assert len(signatures) == len(set(signatures))


def test_it_gives_outside_structures_one_contact_and_partners_accounts() -> None:
    for org in outside_structures():
        assert len(org["people"]) == 1, org["key"]
    assert sum(org["people"][0]["account"] for org in outside_structures()) >= 2


def test_it_has_accounts_for_every_role() -> None:
    roles = Counter(account["role"] for account in demo()["accounts"])
    assert roles["ademe"] >= 2 and roles["consultant"] >= 2 and roles["staff"] >= 1
    assert set(roles) == {"ademe", "consultant", "staff"}


def test_it_uses_unique_fictional_contact_details() -> None:
    people = [person for org in demo()["organisations"] for person in org["people"]]
    emails = [account["email"] for account in demo()["accounts"]] + [person["email"] for person in people]
    assert len(emails) == len({email.lower() for email in emails})
    for email in emails:
        assert re.fullmatch(r"[a-z-]+\.[a-z-]+@[a-z0-9-]+\.example", email), email
    for person in people:
        assert FICTION_PHONE.match(person["phone"]), person["phone"]


def test_it_names_pre_formed_groups_and_one_refusal_between_laureates() -> None:
    groups = Counter(org["preformed_group"] for org in laureates() if org["preformed_group"])
    assert len(groups) >= 2 and all(2 <= size <= 3 for size in groups.values())
    laureate_keys = {org["key"] for org in laureates()}
    assert len(demo()["cannot_link"]) == 1
    for pair in demo()["cannot_link"]:
        assert len(pair) == 2 and set(pair) <= laureate_keys and pair[0] != pair[1]


# ---------------------------------------------------------------- built-in cooperation potential


def refused(a: dict[str, Any], b: dict[str, Any]) -> bool:
    return any({a["key"], b["key"]} == set(pair) for pair in demo()["cannot_link"])


def pooling_situations() -> list[tuple[str, str]]:
    """(under-used machine, laureate) pairs: the laureate, within reach, plans to buy or needs capacity of that kind."""
    situations = []
    for owner in laureates():
        for means in owner["production_means"]:
            if not (10 <= means["utilisation_rate"] <= 35 and means["sharing_hours_per_week"] > 0):
                continue
            kind = top_level(means["category"])
            for other in laureates():
                if (
                    other is owner
                    or refused(owner, other)
                    or org_distance_km(owner, other) > POOLING_RADIUS_KM
                ):
                    continue
                plans_purchase = any(
                    m["planned_action"] == "purchase" and top_level(m["category"]) == kind
                    for m in other["production_means"]
                )
                needs_capacity = any(
                    n["kind"] == "capacity" and top_level(n["category"]) == kind for n in other["needs"]
                )
                if plans_purchase or needs_capacity:
                    situations.append((means["key"], other["key"]))
    return situations


def test_it_builds_in_pooling_situations_between_neighbours() -> None:
    situations = pooling_situations()
    assert len(situations) >= 3
    assert ("pu-dmu65", "aero-composites") in situations
    assert ("dl-laser-6kw", "inox-process") in situations


def test_it_puts_maintenance_skills_near_machines_serviced_from_far_away() -> None:
    organisations = demo()["organisations"]
    served = set()
    for owner, means in all_means():
        if means["maintenance_mode"] == "contractor" and 150 <= means["contractor_distance_km"] <= 400:
            for other in organisations:
                offers_maintenance = any(offer["skill"] == "maintenance" for offer in other["offers"])
                if (
                    other is not owner
                    and offers_maintenance
                    and org_distance_km(owner, other) <= POOLING_RADIUS_KM
                ):
                    served.add(owner["key"])
    assert {"plasturgie-garlaban", "flaconnage-grasse", "luberon-emballages"} <= served


def test_it_puts_retrofit_and_fabrication_skills_near_worn_out_machines() -> None:
    organisations = demo()["organisations"]
    helped = set()
    for owner, means in all_means():
        if means["condition"] == "poor" or means["planned_action"] == "replace":
            for other in organisations:
                skills = {offer["skill"] for offer in other["offers"]}
                if (
                    other is not owner
                    and skills & {"retrofit", "design", "fabrication"}
                    and org_distance_km(owner, other) <= POOLING_RADIUS_KM
                ):
                    helped.add(means["key"])
    assert {"te-plieuse-amada", "le-palettiseur", "ms-moulurieres"} <= helped
