from __future__ import annotations

import json
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from sobrindustrie.cooperation.models import CooperationAnalysis
from sobrindustrie.engines.teams import cli as teams_cli
from tests.conftest import World
from tests.cooperation.factories import Cooperation, TeamConstraintFactory


def _instance(*args: str) -> dict[str, object]:
    out = StringIO()
    call_command("teams_instance", *args, stdout=out)
    return json.loads(out.getvalue())  # type: ignore[no-any-return]


def test_it_writes_the_instance_of_the_stored_analysis(
    world: World, coop: Cooperation, analysis: CooperationAnalysis
) -> None:
    TeamConstraintFactory(programme=world.programme, organisations=[world.sme_org, coop.third_org])
    data = _instance("--programme", world.programme.slug, "--k", "2", "--min-size", "1", "--max-size", "3")
    assert data["organisations"] == sorted(
        [world.sme_org.slug, world.other_sme_org.slug, coop.third_org.slug]
    )
    assert data["k"] == 2 and data["min_size"] == 1 and data["max_size"] == 3
    assert data["cannot_link"] == [sorted([world.sme_org.slug, coop.third_org.slug])]
    assert data["must_link"] == []
    pair = next(
        w for w in data["weights"] if {w["a"], w["b"]} == {world.sme_org.slug, world.other_sme_org.slug}
    )
    assert pair["w"] > 0


def test_the_engine_command_line_solves_it(
    world: World,
    coop: Cooperation,
    analysis: CooperationAnalysis,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    path = tmp_path / "instance.json"
    command = ["teams_instance", "--programme", world.programme.slug, "--k", "2", "--output", str(path)]
    call_command(*command)
    capsys.readouterr()
    # By default every team must hold a cooperation: with three laureates, a team of one cannot.
    assert json.loads(path.read_text())["min_team_score"] == 0.001
    teams_cli.main(["solve", str(path), "--time-limit", "5"])
    assert json.loads(capsys.readouterr().out)["status"] == "INFEASIBLE"
    call_command(*command, "--no-floor")
    assert "min_team_score" not in json.loads(path.read_text())
    capsys.readouterr()
    assert teams_cli.main(["solve", str(path), "--time-limit", "5"]) == 0
    solution = json.loads(capsys.readouterr().out)
    assert solution["status"] == "OPTIMAL"
    assert sorted(org for team in solution["teams"] for org in team) == sorted(
        json.loads(path.read_text())["organisations"]
    )


def test_without_a_stored_analysis_it_detects_on_the_fly(world: World, coop: Cooperation) -> None:
    data = _instance("--programme", world.programme.slug, "--include-outside")
    assert world.partner_org.slug in data["organisations"]
    assert data["weights"]
    assert not CooperationAnalysis.objects.exists()


def test_an_unknown_programme_is_named(world: World) -> None:
    with pytest.raises(CommandError, match="--programme: no programme 'nope'"):
        call_command("teams_instance", "--programme", "nope")
    with pytest.raises(CommandError, match="--k: must be at least 1"):
        call_command("teams_instance", "--programme", world.programme.slug, "--k", "0")


def test_the_console_script_maps_to_the_command(
    world: World, coop: Cooperation, capsys: pytest.CaptureFixture[str]
) -> None:
    from sobrindustrie.cli import main

    assert main(["teams", "instance", "--programme", world.programme.slug]) == 0
    assert json.loads(capsys.readouterr().out)["k"] == 3
