from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from sobrindustrie.cli import main as console
from sobrindustrie.engines.teams.cli import main

INSTANCE: dict[str, Any] = {
    "organisations": ["A", "B", "C", "D", "E"],
    "weights": [
        {"a": "A", "b": "B", "w": 3.5},
        {"a": "C", "b": "D", "w": 2},
        {"a": "A", "b": "E", "w": -1},
        {"a": "B", "b": "E", "w": 1},
    ],
    "k": 2,
    "min_size": 2,
    "max_size": 3,
    "must_link": [["C", "E"]],
    "cannot_link": [["A", "C"]],
}


def run(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], instance: object, *options: str
) -> tuple[int, str, str]:
    path = tmp_path / "instance.json"
    path.write_text(instance if isinstance(instance, str) else json.dumps(instance), encoding="utf-8")
    code = main(["solve", str(path), *options])
    out, err = capsys.readouterr()
    return code, out, err


def test_it_prints_the_optimal_teams(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(tmp_path, capsys, INSTANCE, "--time-limit", "10", "--alternatives", "2")
    assert code == 0, err
    result = json.loads(out)
    # {A, B} = 3.5 and {C, D, E} = 2; putting E with A and B would cost 1 - 1 = 0 but C, E must stay together.
    assert result["status"] == "OPTIMAL"
    assert result["objective"] == 5.5
    assert result["bound"] == 5.5
    assert result["gap"] == 0.0
    assert result["bound_method"] in {"capacity", "cp_sat"}
    assert result["teams"] == [["A", "B"], ["C", "D", "E"]]
    assert result["conflicts"] == []
    assert [alt["objective"] for alt in result["alternatives"]] == [3.5, 1.0]
    assert result["alternatives"][0]["teams"] == [["A", "B", "D"], ["C", "E"]]
    assert result["team_details"][0]["pairs"] == [{"a": "A", "b": "B", "w": 3.5}]


def test_it_reports_conflicts_as_infeasible(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(tmp_path, capsys, {**INSTANCE, "max_size": 2})
    result = json.loads(out)
    assert code == 0
    assert result["status"] == "INFEASIBLE"
    assert result["teams"] == []
    assert result["objective"] is None
    assert [c["kind"] for c in result["conflicts"]] == ["too_few_places"]


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"weights": [{"a": "A", "b": "Z", "w": 1}]}, "weights[0].b: unknown organisation 'Z'"),
        (
            {"weights": [{"a": "A", "b": "B", "w": 1}, {"a": "B", "b": "A", "w": 2}]},
            "weights[1]: duplicate pair 'B'-'A' (also weights[0])",
        ),
        ({"k": 6}, "k: 6 teams for 5 organisations"),
        ({"k": "2"}, "k: must be an integer, got a string"),
        ({"k": 2.5}, "k: must be an integer, got a number 2.5"),
        ({"min_size": True}, "min_size: must be an integer, got a boolean"),
        ({"weights": [{"a": "A", "b": "B", "w": "3"}]}, "weights[0].w: must be a number, got a string"),
        ({"weights": [{"a": "A", "b": "B"}]}, "weights[0].w: missing field"),
        ({"weights": {"a": "A"}}, "weights: must be an array, got an object"),
        ({"organisations": ["A", "A", "B", "C", "D"]}, "organisations[1]: duplicate organisation 'A'"),
        (
            {"organisations": ["A", 2, "C", "D", "E"]},
            "organisations[1]: must be a non-empty string, got a number",
        ),
        ({"must_link": [["A", "Q"]]}, "must_link[0][1]: unknown organisation 'Q'"),
        ({"cannot_link": [["A", "B", "C"]]}, "cannot_link[0]: must name exactly two organisations, got 3"),
    ],
)
def test_it_names_the_field_of_bad_input(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], change: dict[str, Any], message: str
) -> None:
    code, out, err = run(tmp_path, capsys, {**INSTANCE, **change})
    assert code == 2
    assert out == ""
    assert message in err


def test_it_refuses_nan_weights(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    text = json.dumps(INSTANCE).replace('"w": 3.5', '"w": NaN')
    code, _, err = run(tmp_path, capsys, text)
    assert code == 2
    assert "weights[0].w: must be a finite number, got nan" in err


def test_it_names_a_missing_field(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    instance = {key: value for key, value in INSTANCE.items() if key != "max_size"}
    code, _, err = run(tmp_path, capsys, instance)
    assert code == 2
    assert "max_size: missing field" in err


def test_it_reports_invalid_json_and_missing_files(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _, err = run(tmp_path, capsys, '{"organisations": [')
    assert code == 2
    assert "invalid JSON at line 1" in err
    assert main(["solve", str(tmp_path / "nowhere.json")]) == 2
    assert "cannot read" in capsys.readouterr().err


def test_it_warns_about_unknown_fields(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(tmp_path, capsys, {**INSTANCE, "mustlink": []})
    assert code == 0
    assert "ignoring unknown field 'mustlink'" in err


@pytest.mark.parametrize(
    "options", [["--time-limit", "0"], ["--alternatives", "-1"], ["--time-limit", "soon"]]
)
def test_it_refuses_bad_options(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], options: list[str]
) -> None:
    code, out, err = run(tmp_path, capsys, INSTANCE, *options)
    assert code == 2
    assert out == ""
    assert options[0] in err


def test_the_console_script_routes_teams_solve(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "instance.json"
    path.write_text(json.dumps(INSTANCE), encoding="utf-8")
    assert console(["teams", "solve", str(path)]) == 0
    assert json.loads(capsys.readouterr().out)["objective"] == 5.5


def test_it_honours_a_floor_on_team_scores(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(tmp_path, capsys, {**INSTANCE, "min_team_score": 2})
    assert code == 0, err
    assert json.loads(out)["objective"] == 5.5
    code, out, _ = run(tmp_path, capsys, {**INSTANCE, "min_team_score": 2.5})
    result = json.loads(out)
    # The weakest team of any partition scores at most 2 ({C, D, E} beside {A, B}).
    assert (code, result["status"]) == (0, "INFEASIBLE")
    assert result["conflicts"] == [
        {
            "kind": "floor_unreachable",
            "message": result["conflicts"][0]["message"],
            "organisations": ["C", "D", "E"],
            "params": {"floor": 2.5, "best_minimum": 2.0, "best_minimum_bound": 2.0},
        }
    ]


def test_it_refuses_a_floor_that_is_not_a_number(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(tmp_path, capsys, {**INSTANCE, "min_team_score": "high"})
    assert code == 2
    assert "min_team_score: must be a number, got a string" in err
