from __future__ import annotations

import json
from pathlib import Path

import pytest

from sobrindustrie.engines.footprint.cli import main
from sobrindustrie.engines.footprint.factors import DATA_DIR
from tests.engines.footprint.shared_data import SHARED_DEPLACEMENT


def test_it_prints_the_kgco2e_of_a_trip(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["travel", "--mode", "tgv", "--km", "250"]) == 0
    assert capsys.readouterr().out == "0.7325\n"


def test_it_counts_passengers(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["travel", "--mode", "ter", "--km", "80", "--passengers", "2"]) == 0
    assert float(capsys.readouterr().out) == pytest.approx(2 * 80 * (0.00479 + 0.0229))


def test_it_prints_the_detail_as_json(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["travel", "--mode", "avion", "--km", "1500", "--json"]) == 0
    detail = json.loads(capsys.readouterr().out)
    assert detail["factor_id"] == "travel.avion.moyen_courrier"
    assert detail["band"] == "medium haul"
    assert detail["kg_co2e"] == pytest.approx(1500 * (0.000361 + 0.1013 + 0.083))
    assert set(detail["components_kg_co2e"]) == {"construction", "use", "contrails"}


def test_it_lists_the_valid_slugs_on_stderr_for_an_unknown_mode(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["travel", "--mode", "train", "--km", "10"]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert "unknown travel mode 'train'; valid modes are: autocar, avion" in captured.err


def test_it_refuses_a_negative_distance_on_stderr(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["travel", "--mode", "tgv", "--km", "-5"]) == 2
    assert "km: the distance must be ≥ 0 km, got -5" in capsys.readouterr().err


def test_it_reports_usage_errors_with_exit_code_2(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["travel", "--km", "10"]) == 2
    assert "--mode" in capsys.readouterr().err
    assert main([]) == 2


def test_it_lists_the_factor_library(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["factors"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("sobrindustrie-emission-factors 1.1.0+")
    assert "electricity.fr.consumption_mix" in out and "travel.avion.long_courrier" in out


def test_it_lists_one_category_as_json(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["factors", "--category", "material", "--json"]) == 0
    listing = json.loads(capsys.readouterr().out)
    assert [factor["id"] for factor in listing["factors"]] == [
        "material.steel", "material.aluminium", "material.cast_iron", "material.plastics_generic"
    ]  # fmt: skip
    assert listing["factors"][0]["source"]["name"] == "ADEME Base Carbone documentation"


def test_it_runs_a_balance_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    balance = {
        "reference_scenario": "Each SME buys its own press",
        "lines": [
            {"label": "Press not bought", "kind": "avoided_purchase", "effect": "avoided", "quantity": 3,
             "unit": "t", "factor_id": "material.steel", "years": 15},
            {"label": "Diesel", "kind": "energy", "effect": "added", "quantity": 150, "unit": "L",
             "factor_id": "diesel.b7"},
        ],
    }  # fmt: skip
    path = tmp_path / "balance.json"
    path.write_text(json.dumps(balance), encoding="utf-8")
    assert main(["balance", str(path), "--seed", "3", "--draws", "500"]) == 0
    out = capsys.readouterr().out
    assert "Net balance: 154.0 kgCO2e/yr (central)" in out  # -320 + 474
    assert main(["balance", str(path), "--seed", "3", "--draws", "500", "--json"]) == 0
    result = json.loads(capsys.readouterr().out)
    assert (result["seed"], result["draws"]) == (3, 500)


def test_it_reports_a_unit_mismatch_in_a_balance_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    balance = {
        "reference_scenario": "Gas boiler kept",
        "lines": [{"label": "Boiler", "kind": "energy", "effect": "avoided", "quantity": 5, "unit": "L",
                   "factor_id": "natural_gas.pci"}],
    }  # fmt: skip
    path = tmp_path / "balance.json"
    path.write_text(json.dumps(balance), encoding="utf-8")
    assert main(["balance", str(path)]) == 2
    assert "cannot convert 'L' (volume) to 'kWh' (energy)" in capsys.readouterr().err


def test_it_regenerates_the_shipped_travel_file(tmp_path: Path) -> None:
    if not SHARED_DEPLACEMENT.is_file():
        pytest.skip(f"Impact CO2's deplacement.json is not at {SHARED_DEPLACEMENT}")
    output = tmp_path / "travel.json"
    assert main(["import-impactco2", str(SHARED_DEPLACEMENT), "--output", str(output)]) == 0
    assert output.read_text(encoding="utf-8") == (DATA_DIR / "travel_impactco2_v1.json").read_text(
        encoding="utf-8"
    )


BASE_EMPREINTE_SAMPLE = Path(__file__).parent / "fixtures" / "base_empreinte_sample_v23_6.csv"


def test_it_lists_the_factors_of_a_base_empreinte_export(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check-base-empreinte", str(BASE_EMPREINTE_SAMPLE)]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0] == "8 emission factors (11 rows, 2 post rows and 1 other rows skipped, cp1252)"
    assert "43256" in out[6] and "0.00293" in out[6] and "±10 %" in out[6] and "TGV" in out[6]
    assert main(["check-base-empreinte", str(BASE_EMPREINTE_SAMPLE), "--json"]) == 0
    factors = json.loads(capsys.readouterr().out)["factors"]
    assert factors[0]["identifier"] == "990001" and factors[0]["uncertainty"] == pytest.approx(0.1)


def test_it_reports_a_faulty_export_line_by_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    faulty = tmp_path / "export.csv"
    faulty.write_bytes(BASE_EMPREINTE_SAMPLE.read_bytes().replace(b";0,227;", b";x;", 1))
    assert main(["check-base-empreinte", str(faulty)]) == 2
    assert "line 3, column 'Total poste non décomposé': not_a_number" in capsys.readouterr().err
    assert main(["check-base-empreinte", str(tmp_path / "missing.csv")]) == 2
