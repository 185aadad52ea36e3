"""``sobrindustrie teams solve INSTANCE.json [--time-limit SECONDS] [--alternatives N]``

Reads a team-formation instance (JSON), prints the solution as JSON on stdout. Bad input is reported on
stderr, naming the field, with exit code 2. Instance format::

    {"organisations": ["A", "B", ...], "weights": [{"a": "A", "b": "B", "w": 3.5}, ...],
     "k": 5, "min_size": 2, "max_size": 5,
     "must_link": [["A", "B"]], "cannot_link": [["C", "D"]], "min_team_score": 1.0}

Pairs not listed weigh 0, weights may be negative, must_link, cannot_link and min_team_score (a floor on
every team's score) are optional; keys of a weight other than a, b and w are ignored (room for notes).
A floor no partition can meet gives status INFEASIBLE with a conflict whose kind and params say why.
"""

from __future__ import annotations

import argparse
import json
import math
import sys
from pathlib import Path
from typing import Any

from sobrindustrie.engines.teams.errors import TeamsInputError
from sobrindustrie.engines.teams.formation import (
    Team,
    TeamProblem,
    TeamSolution,
    solve_teams,
    validate_problem,
)
from sobrindustrie.engines.teams.opportunities import PairWeight

REQUIRED = ("organisations", "weights", "k", "min_size", "max_size")
OPTIONAL = ("must_link", "cannot_link", "min_team_score")


def main(argv: list[str]) -> int:
    """Run ``teams`` with the arguments that follow it; return the exit code."""
    parser = _parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exit_:
        return int(exit_.code or 0)
    try:
        problem = load_instance(_read(args.instance))
        solution = solve_teams(
            problem,
            time_limit_s=args.time_limit,
            alternatives=args.alternatives,
            seed=args.seed,
            workers=args.workers,
        )
    except TeamsInputError as error:
        print(f"sobrindustrie teams: error: {args.instance}: {error}", file=sys.stderr)
        return 2
    print(json.dumps(solution_to_json(solution), ensure_ascii=False, indent=2))
    return 0 if solution.status != "UNKNOWN" else 1


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="sobrindustrie teams", description="Form optimal project teams.")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    solve = commands.add_parser("solve", help="partition organisations into teams (OR-Tools CP-SAT)")
    solve.add_argument("instance", metavar="INSTANCE.json", help="the instance file ('-' reads stdin)")
    solve.add_argument(
        "--time-limit", type=_positive_float, default=10.0, metavar="SECONDS", help="per solve (default 10)"
    )
    solve.add_argument(
        "--alternatives",
        type=_natural,
        default=0,
        metavar="N",
        help="next-best distinct partitions (default 0)",
    )
    solve.add_argument("--seed", type=_natural, default=0, help="CP-SAT random seed (default 0)")
    solve.add_argument(
        "--workers",
        type=_positive_int,
        default=None,
        help="CP-SAT workers (default 1 up to 40 groups, 2 above)",
    )
    return parser


def _positive_float(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number: {text!r}") from None
    if not (math.isfinite(value) and value > 0):
        raise argparse.ArgumentTypeError(f"must be a positive number of seconds, got {text!r}")
    return value


def _natural(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not an integer: {text!r}") from None
    if value < 0:
        raise argparse.ArgumentTypeError(f"must not be negative, got {text!r}")
    return value


def _positive_int(text: str) -> int:
    value = _natural(text)
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be at least 1, got {text!r}")
    return value


def _read(path: str) -> Any:
    try:
        text = sys.stdin.read() if path == "-" else Path(path).read_text(encoding="utf-8")
    except OSError as error:
        raise TeamsInputError("file", f"cannot read: {error.strerror}") from None
    except UnicodeDecodeError:
        raise TeamsInputError("file", "is not UTF-8 text") from None
    try:
        return json.loads(text)
    except json.JSONDecodeError as error:
        raise TeamsInputError(
            "file", f"invalid JSON at line {error.lineno}, column {error.colno}: {error.msg}"
        ) from None


def load_instance(data: Any) -> TeamProblem:
    """Check a parsed instance field by field and build the problem; raise TeamsInputError naming the
    field (missing, wrong type, unknown organisation, duplicate pair, non-finite weight, k larger than
    the number of organisations)."""
    if not isinstance(data, dict):
        raise TeamsInputError("instance", f"must be a JSON object, got {_json_type(data)}")
    for name in REQUIRED:
        if name not in data:
            raise TeamsInputError(name, "missing field")
    for name in sorted(set(data) - set(REQUIRED) - set(OPTIONAL)):
        print(f"sobrindustrie teams: warning: ignoring unknown field {name!r}", file=sys.stderr)
    organisations = _strings(data["organisations"], "organisations")
    problem = TeamProblem(
        organisations=tuple(organisations),
        weights=tuple(
            _weight(item, f"weights[{i}]") for i, item in enumerate(_list(data["weights"], "weights"))
        ),
        k=_integer(data["k"], "k"),
        min_size=_integer(data["min_size"], "min_size"),
        max_size=_integer(data["max_size"], "max_size"),
        must_link=tuple(
            tuple(_strings(group, f"must_link[{i}]"))
            for i, group in enumerate(_list(data.get("must_link", []), "must_link"))
        ),
        cannot_link=tuple(
            _pair(link, f"cannot_link[{i}]")
            for i, link in enumerate(_list(data.get("cannot_link", []), "cannot_link"))
        ),
        min_team_score=_floor(data.get("min_team_score")),
    )
    if not organisations:
        raise TeamsInputError("organisations", "must list at least one organisation")
    validate_problem(problem)
    if problem.k > len(organisations):
        raise TeamsInputError(
            "k",
            f"{problem.k} teams for {len(organisations)} organisations: k must be at most the number of organisations",
        )
    return problem


def _json_type(value: Any) -> str:
    names = {dict: "an object", list: "an array", str: "a string", bool: "a boolean", type(None): "null"}
    return names.get(type(value), "a number")


def _list(value: Any, field: str) -> list[Any]:
    if not isinstance(value, list):
        raise TeamsInputError(field, f"must be an array, got {_json_type(value)}")
    return value


def _strings(value: Any, field: str) -> list[str]:
    items = _list(value, field)
    for i, item in enumerate(items):
        if not isinstance(item, str) or not item:
            raise TeamsInputError(f"{field}[{i}]", f"must be a non-empty string, got {_json_type(item)}")
    return items


def _pair(value: Any, field: str) -> tuple[str, str]:
    items = _strings(value, field)
    if len(items) != 2:
        raise TeamsInputError(field, f"must name exactly two organisations, got {len(items)}")
    return items[0], items[1]


def _integer(value: Any, field: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise TeamsInputError(field, f"must be an integer, got {_json_type(value)} {json.dumps(value)}")
    return value


def _floor(value: Any) -> float | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise TeamsInputError("min_team_score", f"must be a number, got {_json_type(value)}")
    if not math.isfinite(value):
        raise TeamsInputError("min_team_score", f"must be a finite number, got {value}")
    return float(value)


def _weight(item: Any, field: str) -> PairWeight:
    if not isinstance(item, dict):
        raise TeamsInputError(
            field, f'must be an object {{"a": ..., "b": ..., "w": ...}}, got {_json_type(item)}'
        )
    for key in ("a", "b", "w"):
        if key not in item:
            raise TeamsInputError(f"{field}.{key}", "missing field")
    for key in ("a", "b"):
        if not isinstance(item[key], str) or not item[key]:
            raise TeamsInputError(
                f"{field}.{key}", f"must be a non-empty string, got {_json_type(item[key])}"
            )
    w = item["w"]
    if isinstance(w, bool) or not isinstance(w, int | float):
        raise TeamsInputError(f"{field}.w", f"must be a number, got {_json_type(w)}")
    if not math.isfinite(w):
        raise TeamsInputError(f"{field}.w", f"must be a finite number, got {w}")
    return PairWeight(item["a"], item["b"], float(w))


def _teams_json(teams: tuple[Team, ...]) -> list[list[str]]:
    return [list(team.members) for team in teams]


def solution_to_json(solution: TeamSolution) -> dict[str, Any]:
    """The JSON shape the command prints: status, objective, bound (where it comes from, and the relative
    gap to it), teams, alternatives, conflicts, and
    per team its score and the weighted pairs inside it."""
    return {
        "status": solution.status,
        "objective": solution.objective,
        "bound": solution.bound,
        "bound_method": solution.bound_method,
        "gap": None if solution.gap is None else round(solution.gap, 6),
        "teams": _teams_json(solution.teams),
        "alternatives": [
            {"status": alt.status, "objective": alt.objective, "teams": _teams_json(alt.teams)}
            for alt in solution.alternatives
        ],
        "conflicts": [
            {
                "kind": c.kind,
                "message": c.message,
                "organisations": list(c.organisations),
                "params": dict(c.params),
            }
            for c in solution.conflicts
        ],
        "team_details": [
            {
                "members": list(team.members),
                "score": team.score,
                "pairs": [{"a": p.a, "b": p.b, "w": p.weight} for p in team.pairs],
            }
            for team in solution.teams
        ],
        "wall_time_s": round(solution.wall_time_s, 3),
    }
