"""Column generation's bound (set partitioning, Lagrangian bound from the duals) checked against brute
force: never below the optimum, whatever the duals and however early it stops, and the gap the engine
reports is honest."""

from __future__ import annotations

import random
import time

import pytest

from sobrindustrie.engines.teams import PairWeight, TeamProblem, formation, score_partition, solve_teams
from sobrindustrie.engines.teams.columns import (
    _polish,
    column_generation,
    column_value,
    exact_pricing,
    greedy_pricing,
    integer_master,
)
from sobrindustrie.engines.teams.groups import SCALE
from tests.engines.teams.helpers import feasible_scores, random_problem

W = PairWeight


def optimum_and_reduced(seed: int) -> tuple[TeamProblem, float | None]:
    problem = random_problem(seed)
    scores = feasible_scores(problem)
    return problem, (scores[0] if scores else None)


def scaled_optimum(problem: TeamProblem, optimum: float) -> float:
    """The optimum as column generation sees it: scaled, without the weights inside must-link groups."""
    reduced = formation._group_problem(problem)
    return (optimum - formation._constant_weight(problem, reduced)) * SCALE


@pytest.mark.parametrize("seed", range(30))
def test_the_converged_bound_is_never_below_the_optimum(seed: int) -> None:
    problem, optimum = optimum_and_reduced(seed)
    if optimum is None or formation.find_conflicts(problem):
        return
    reduced = formation._group_problem(problem)
    sizes = (problem.min_size, problem.max_size)
    result = column_generation(reduced, problem.k, sizes, [], time.monotonic() + 10, 0)
    assert result.converged
    assert result.bound is not None
    assert result.bound >= scaled_optimum(problem, optimum) - 1e-6
    # The LP optimum bounds too, and the Lagrangian bound meets it at convergence.
    assert result.lp is not None and result.lp >= scaled_optimum(problem, optimum) - 1e-6
    # Up to rounding: the pricing rounds each member's dual down (under 1 scaled unit, 0.001, each).
    assert result.bound == pytest.approx(result.lp, abs=problem.k * (problem.max_size + 2.0))


@pytest.mark.parametrize("seed", range(30, 60))
def test_the_bound_holds_for_any_duals(seed: int) -> None:
    # The bound sum(pi) + k mu + k R (R bounding the pricing problem) is valid for arbitrary duals, which
    # is what makes it valid when column generation stops early.
    problem, optimum = optimum_and_reduced(seed)
    if optimum is None or formation.find_conflicts(problem):
        return
    reduced = formation._group_problem(problem)
    rng = random.Random(seed)
    for _ in range(5):
        pi = [rng.uniform(-8000, 12000) for _ in reduced.groups]
        mu = rng.uniform(-10000, 10000)
        priced = exact_pricing(reduced, pi, mu, (problem.min_size, problem.max_size), time.monotonic() + 5)
        assert priced is not None
        upper = priced[0]
        assert sum(pi) + problem.k * mu + problem.k * upper >= scaled_optimum(problem, optimum) - 1e-6


def test_an_early_stop_still_bounds() -> None:
    problem = clustered_problem(48, 12, 2, 5, seed=3)
    reduced = formation._group_problem(problem)
    start = formation._start_partition(reduced, problem, 0, None)
    assert start is not None
    # A single round of greedy pricing, then the exact pricing bounds with the first duals.
    result = column_generation(reduced, problem.k, (2, 5), start, time.monotonic() + 3, 0)
    assert result.bound is not None
    assert result.bound >= reduced.value(start)


def test_greedy_pricing_finds_the_team_that_pays() -> None:
    problem = TeamProblem(tuple("ABCDEF"), (W("A", "B", 5), W("B", "C", 5), W("A", "C", 5)), 2, 3, 3)
    reduced = formation._group_problem(problem)
    found = greedy_pricing(reduced, [0.0] * 6, 0.0, 3, 3)
    assert max(found)[1] == (0, 1, 2)
    assert max(found)[0] == pytest.approx(15_000)
    assert column_value(reduced, (0, 1, 2)) == 15_000


def test_polishing_swaps_a_member_for_a_better_neighbour() -> None:
    # {A, B, D} pays 5 + 1; swapping D for C (linked to A and B by 5) makes the triangle worth 15.
    problem = TeamProblem(
        tuple("ABCD"),
        (W("A", "B", 5), W("A", "C", 5), W("B", "C", 5), W("A", "D", 1)),
        1,
        3,
        3,
    )
    reduced = formation._group_problem(problem)
    value, column = _polish(reduced, [0.0] * 4, (0, 1, 3), (3, 3), {})
    assert column == (0, 1, 2)
    assert value == pytest.approx(15_000)


def test_the_integer_master_picks_the_best_partition_of_its_columns() -> None:
    problem = TeamProblem(
        tuple("ABCD"), (W("A", "B", 5), W("C", "D", 5), W("A", "C", 1), W("B", "D", 1)), 2, 2, 2
    )
    reduced = formation._group_problem(problem)
    columns = [(0, 1), (2, 3), (0, 2), (1, 3), (0, 3), (1, 2)]
    chosen = integer_master(reduced, 2, columns, [[0, 2], [1, 3]], time.monotonic() + 5, 0, 1)
    assert chosen is not None and sorted(chosen) == [[0, 1], [2, 3]]


@pytest.mark.parametrize("seed", range(60, 80))
def test_the_column_path_reports_an_honest_gap(seed: int, monkeypatch: pytest.MonkeyPatch) -> None:
    # Every problem takes the large-problem path (neighbourhood search, column generation, integer
    # master): the bound never falls below the optimum, OPTIMAL means optimal.
    monkeypatch.setattr(formation, "EXACT_PAIRS_UP_TO", 1)
    problem, optimum = optimum_and_reduced(seed)
    solution = solve_teams(problem, time_limit_s=3)
    if optimum is None:
        assert solution.status == "INFEASIBLE"
        return
    assert solution.objective is not None and solution.bound is not None
    assert solution.bound >= optimum - 1e-6
    assert solution.objective <= optimum + 1e-6
    if solution.status == "OPTIMAL":
        assert solution.objective == pytest.approx(optimum)
    assert score_partition(problem, [list(t.members) for t in solution.teams]).feasible


def clustered_problem(n: int, k: int, min_size: int, max_size: int, seed: int) -> TeamProblem:
    rng = random.Random(seed)
    orgs = tuple(f"O{i:03d}" for i in range(n))
    weights = tuple(
        W(a, b, round(rng.expovariate(0.2), 2))
        for i, a in enumerate(orgs)
        for b in orgs[i + 1 :]
        if int(a[1:]) % 6 == int(b[1:]) % 6 and rng.random() < 0.5
    )
    return TeamProblem(orgs, weights, k, min_size, max_size)


def test_a_mid_sized_problem_gets_a_bound_tighter_than_capacity() -> None:
    problem = clustered_problem(90, 18, 3, 7, seed=5)
    reduced = formation._group_problem(problem)
    solution = solve_teams(problem, time_limit_s=8)
    assert solution.status in ("OPTIMAL", "FEASIBLE")
    assert solution.bound is not None and solution.objective is not None
    assert solution.bound >= solution.objective
    capacity = formation.capacity_bound(reduced, problem.max_size) / SCALE
    assert solution.bound < capacity
