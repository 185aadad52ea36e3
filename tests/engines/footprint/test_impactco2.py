from __future__ import annotations

import copy
import json
from typing import Any

import pytest

from sobrindustrie.engines.footprint.errors import ImpactCO2ImportError
from sobrindustrie.engines.footprint.factors import DATA_DIR
from sobrindustrie.engines.footprint.impactco2 import (
    derive_travel_document,
    derive_travel_document_from_file,
    dump_travel_document,
)
from tests.engines.footprint.shared_data import SHARED_DEPLACEMENT

SHIPPED = DATA_DIR / "travel_impactco2_v1.json"

TGV: dict[str, Any] = {
    "id": 2,
    "slug": "tgv",
    "name": "TGV",
    "type": "rail",
    "ecv": [{"id": 5, "value": 0.00063}, {"id": 6, "value": 0.0023}],
}
PLANE: dict[str, Any] = {
    "id": 1,
    "slug": "avion",
    "name": "Avion",
    "type": "plane",
    "display": {"min": 500},
    "ecvs": [
        {
            "display": {"min": 500, "max": 1000},
            "subtitle": "Court courrier",
            "ecv": [{"id": 5, "value": 0.1}, {"id": 7, "value": 0.2}],
        },
        {"display": {"min": 1001}, "subtitle": "Long courrier", "ecv": [{"id": 6, "value": 0.3}]},
    ],
}


def test_the_shipped_travel_file_is_what_the_importer_derives_from_impactco2s_file(
    impactco2_modes: list[dict[str, Any]],
) -> None:
    derived = derive_travel_document_from_file(SHARED_DEPLACEMENT)
    assert json.loads(SHIPPED.read_text(encoding="utf-8")) == derived
    assert SHIPPED.read_text(encoding="utf-8") == dump_travel_document(derived)


def test_the_shipped_travel_file_carries_the_mit_notice() -> None:
    source = json.loads(SHIPPED.read_text(encoding="utf-8"))["source"]
    assert source["license"] == "MIT"
    assert "Copyright (c) 2022 Datagir" in source["license_text"]


def test_it_keeps_each_life_cycle_part_of_a_mode() -> None:
    mode = derive_travel_document([TGV])["modes"][0]
    assert mode["bands"] == [
        {
            "subtitle": None,
            "empreinte_id": None,
            "max_km": None,
            "construction": 0.00063,
            "use": 0.0023,
            "contrails": 0.0,
        }
    ]


def test_it_keeps_the_planes_hauls_with_their_distance_limits() -> None:
    bands = derive_travel_document([PLANE])["modes"][0]["bands"]
    assert [(band["subtitle"], band["max_km"]) for band in bands] == [
        ("Court courrier", 1000),
        ("Long courrier", None),
    ]
    assert bands[0]["contrails"] == 0.2


def test_it_keeps_the_carpool_flag_and_a_zero_total() -> None:
    car = {
        "id": 4,
        "slug": "voiturethermique",
        "name": "Voiture",
        "type": "car",
        "carpool": 1,
        "ecv": [{"id": 6, "value": 0.192}],
    }
    walk = {"id": 7, "slug": "velo", "name": "Vélo ou marche", "type": "foot", "total": 0}
    car_mode, walk_mode = derive_travel_document([car, walk])["modes"]
    assert car_mode["carpool"] is True
    assert walk_mode["bands"][0] == {
        "subtitle": None, "empreinte_id": None, "max_km": None, "construction": 0.0, "use": 0.0, "contrails": 0.0
    }  # fmt: skip


def test_it_refuses_an_unknown_life_cycle_part() -> None:
    broken = copy.deepcopy(TGV)
    broken["ecv"].append({"id": 8, "value": 0.1})
    with pytest.raises(ImpactCO2ImportError, match=r"mode #0 \(tgv\): unknown ecv id 8"):
        derive_travel_document([broken])


def test_it_refuses_a_haul_without_a_limit_before_the_last() -> None:
    broken = copy.deepcopy(PLANE)
    del broken["ecvs"][0]["display"]["max"]
    with pytest.raises(
        ImpactCO2ImportError, match=r"avion\), ecvs\[0\]: only the last haul may have no display.max"
    ):
        derive_travel_document([broken])


def test_it_refuses_a_mode_without_figures() -> None:
    broken = {key: value for key, value in TGV.items() if key != "ecv"}
    with pytest.raises(ImpactCO2ImportError, match=r"has none of 'ecv', 'ecvs' or a zero 'total'"):
        derive_travel_document([broken])


def test_it_refuses_a_negative_value() -> None:
    broken = copy.deepcopy(TGV)
    broken["ecv"][0]["value"] = -1
    with pytest.raises(ImpactCO2ImportError, match=r"ecv 5 value must be a number ≥ 0"):
        derive_travel_document([broken])


def test_it_refuses_something_other_than_a_list() -> None:
    with pytest.raises(ImpactCO2ImportError, match="non-empty list"):
        derive_travel_document({"modes": []})
