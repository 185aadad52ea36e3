"""The floor on every team's score (`min_team_score`): optimal against brute force, INFEASIBLE with a
code and figures when no partition can meet it."""

from __future__ import annotations

import dataclasses
import random
import time

import pytest

from sobrindustrie.engines.teams import PairWeight, TeamProblem, formation, score_partition, solve_teams
from sobrindustrie.engines.teams.greedy import repair_floor
from tests.engines.teams.helpers import feasible_scores, partitions, random_problem

W = PairWeight
FLOOR_CODES = {"floor_too_few_linked", "floor_above_total", "floor_unreachable"}


def best_minimum(problem: TeamProblem) -> float | None:
    """The largest weakest-team score over the partitions meeting every rule but the floor."""
    plain = dataclasses.replace(problem, min_team_score=None)
    best = None
    for candidate in partitions(list(problem.organisations), problem.k):
        scored = score_partition(plain, candidate)
        if scored.feasible:
            weakest = min(team.score for team in scored.teams)
            best = weakest if best is None else max(best, weakest)
    return best


def with_floor(seed: int) -> TeamProblem:
    floor = random.Random(seed).choice([-2.0, 0.5, 2.0, 4.0, 8.0])
    return dataclasses.replace(random_problem(seed), min_team_score=floor)


def check_against_brute_force(problem: TeamProblem) -> None:
    scores = feasible_scores(problem)
    solution = solve_teams(problem, time_limit_s=5)
    if scores:
        assert solution.status == "OPTIMAL"
        assert solution.objective == pytest.approx(scores[0])
        assert all(team.score >= (problem.min_team_score or 0) - 1e-9 for team in solution.teams)
        assert score_partition(problem, [list(t.members) for t in solution.teams]).feasible
        return
    assert solution.status == "INFEASIBLE"
    reachable = best_minimum(problem)
    if reachable is None:
        return  # the other rules already conflict
    assert {c.kind for c in solution.conflicts} <= FLOOR_CODES
    params = [dict(c.params) for c in solution.conflicts]
    for conflict, figures in zip(solution.conflicts, params, strict=True):
        if conflict.kind == "floor_unreachable":
            assert figures["best_minimum"] == pytest.approx(reachable)
            assert figures["best_minimum_bound"] == pytest.approx(reachable)
        if conflict.kind == "floor_above_total":
            assert figures["best_minimum_bound"] >= reachable - 1e-9


@pytest.mark.parametrize("seed", range(60))
def test_it_matches_brute_force_with_a_floor(seed: int) -> None:
    check_against_brute_force(with_floor(seed))


@pytest.mark.parametrize("seed", range(60, 72))
def test_the_large_problem_path_honours_the_floor(seed: int, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(formation, "EXACT_PAIRS_UP_TO", 2)
    check_against_brute_force(with_floor(seed))


def test_a_floor_that_binds_nothing_keeps_the_optimum() -> None:
    problem = TeamProblem(tuple("ABCD"), (W("A", "B", 5), W("C", "D", -4), W("A", "C", 3)), 2, 2, 2)
    loose = dataclasses.replace(problem, min_team_score=-1000)
    assert (solve_teams(loose).status, solve_teams(loose).objective) == ("OPTIMAL", 3)
    assert solve_teams(problem).teams == solve_teams(loose).teams


def test_the_floor_spreads_the_cooperations() -> None:
    # The best total puts A-B-C-D together and leaves E-F with nothing; a floor of 1 splits them.
    problem = TeamProblem(
        tuple("ABCDEF"),
        (W("A", "B", 5), W("C", "D", 5), W("A", "C", 4), W("B", "D", 4), W("A", "E", 3), W("B", "F", 3)),
        2,
        2,
        4,
    )
    assert solve_teams(problem).objective == 18
    floored = dataclasses.replace(problem, min_team_score=1)
    solution = solve_teams(floored)
    assert (solution.status, solution.objective) == ("OPTIMAL", 16)
    assert feasible_scores(floored)[0] == 16
    assert [team.members for team in solution.teams] == [("A", "B", "E", "F"), ("C", "D")]


def test_it_names_the_team_that_cannot_reach_the_floor() -> None:
    problem = TeamProblem(
        tuple("ABCD"), (W("A", "B", 5), W("C", "D", 1), W("A", "C", 1)), 2, 2, 2, min_team_score=2
    )
    solution = solve_teams(problem)
    assert solution.status == "INFEASIBLE"
    (conflict,) = solution.conflicts
    assert conflict.kind == "floor_unreachable"
    assert dict(conflict.params) == {"floor": 2, "best_minimum": 1, "best_minimum_bound": 1}
    assert conflict.organisations in {("C", "D"), ("A", "C"), ("B", "D")}


def test_an_obviously_unreachable_floor_is_refused_at_once() -> None:
    # 300 organisations, 60 teams, only 40 pairs linked: at most 40 teams can hold a cooperation.
    orgs = tuple(f"O{i:03d}" for i in range(300))
    weights = tuple(W(orgs[2 * i], orgs[2 * i + 1], 3.0) for i in range(40))
    problem = TeamProblem(orgs, weights, 60, 3, 7, min_team_score=1)
    started = time.monotonic()
    solution = solve_teams(problem, time_limit_s=60)
    assert time.monotonic() - started < 2
    assert solution.status == "INFEASIBLE"
    assert [(c.kind, dict(c.params)) for c in solution.conflicts] == [
        ("floor_too_few_linked", {"teams": 60, "linked_teams_max": 40})
    ]


def test_a_floor_above_what_the_weights_allow_is_refused_at_once() -> None:
    orgs = tuple(f"O{i:02d}" for i in range(40))
    weights = tuple(W(orgs[i], orgs[i + 1], 1.0) for i in range(39))
    problem = TeamProblem(orgs, weights, 8, 3, 7, min_team_score=6)
    solution = solve_teams(problem, time_limit_s=30)
    assert solution.status == "INFEASIBLE"
    (conflict,) = solution.conflicts
    assert conflict.kind == "floor_above_total"
    figures = dict(conflict.params)
    assert figures["floor"] == 6 and figures["teams"] == 8
    assert figures["total_bound"] < 48
    assert figures["best_minimum_bound"] == pytest.approx(figures["total_bound"] / 8)


def test_score_partition_reports_a_team_below_the_floor() -> None:
    problem = TeamProblem(tuple("ABCD"), (W("A", "B", 5), W("C", "D", 1)), 2, 2, 2, min_team_score=2)
    scored = score_partition(problem, [["A", "B"], ["C", "D"]])
    assert [(c.kind, c.organisations, dict(c.params)) for c in scored.broken] == [
        ("below_floor", ("C", "D"), {"score": 1, "floor": 2})
    ]


def test_a_large_problem_meets_the_floor_from_neighbourhood_search(monkeypatch: pytest.MonkeyPatch) -> None:
    # 120 organisations in 6 areas, 24 teams of 3-7: above FLOOR_PAIRS, so the floor is met by seeding
    # and kept by neighbourhood search (no global model).
    monkeypatch.setattr(formation, "FLOOR_PAIRS", 5_000)
    rng = random.Random(4)
    orgs = tuple(f"O{i:03d}" for i in range(120))
    weights = tuple(
        W(a, b, round(rng.expovariate(0.2), 2))
        for i, a in enumerate(orgs)
        for b in orgs[i + 1 :]
        if int(a[1:]) % 6 == int(b[1:]) % 6 and rng.random() < 0.6
    )
    problem = TeamProblem(orgs, weights, 24, 3, 7, min_team_score=3)
    assert len(weights) * problem.k > formation.FLOOR_PAIRS
    solution = solve_teams(problem, time_limit_s=4)
    assert solution.status in ("OPTIMAL", "FEASIBLE")
    assert min(team.score for team in solution.teams) >= 3
    assert score_partition(problem, [list(t.members) for t in solution.teams]).feasible
    assert solution.bound is not None and solution.objective is not None
    assert solution.bound >= solution.objective


def test_repair_lifts_the_teams_under_the_floor_at_the_least_cost() -> None:
    # A-B-C-D hold everything, E-F nothing: of the single moves and swaps, A for F costs the least (18 to
    # 15: {A, E} keeps A-E, {B, C, D, F} keeps B-F); the best floored partition (16) is two swaps away,
    # for the neighbourhood search to find.
    problem = TeamProblem(
        tuple("ABCDEF"),
        (W("A", "B", 5), W("C", "D", 5), W("A", "C", 4), W("B", "D", 4), W("A", "E", 3), W("B", "F", 3)),
        2,
        2,
        4,
    )
    reduced = formation._group_problem(problem)
    repaired = repair_floor(reduced, [[0, 1, 2, 3], [4, 5]], 2, 4, 1000)
    assert min(reduced.team_scores(repaired)) >= 1000
    assert sorted(sorted(team) for team in repaired) == [[0, 4], [1, 2, 3, 5]]
    assert reduced.value(repaired) == 15_000
