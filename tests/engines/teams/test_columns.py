"""Column generation's bound (set partitioning, Lagrangian bound from the duals) checked against brute
force: never below the optimum, whatever the duals and however early it stops, and the gap the engine
reports is honest."""

from __future__ import annotations

import random
import time

import pytest

from sobrindustrie.engines.teams import PairWeight, TeamProblem, formation, score_partition, solve_teams
from sobrindustrie.engines.teams.columns import (
    Master,
    _greedy_columns,
    _polish,
    column_generation,
    column_value,
    dive,
    exact_pricing,
    greedy_pricing,
    integer_master,
    polished_pricing,
    price_columns,
    promising_columns,
    reduced_cost,
)
from sobrindustrie.engines.teams.groups import SCALE, GroupProblem
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


def clustered_start(seed: int) -> tuple[TeamProblem, GroupProblem, list[list[int]]]:
    """A clustered problem of 36 organisations in 8 teams of 3 to 6, its groups and a start partition."""
    problem = clustered_problem(36, 8, 3, 6, seed)
    reduced = formation._group_problem(problem)
    start = formation._start_partition(reduced, problem, seed, None)
    assert start is not None
    return problem, reduced, start


@pytest.mark.parametrize("seed", range(80, 100))
def test_priced_columns_are_teams_and_the_greedy_pricing_is_done_with_them(seed: int) -> None:
    problem, reduced, start = clustered_start(seed)
    master, duals = price_columns(reduced, problem.k, (3, 6), start, time.monotonic() + 20)
    columns = master.columns
    assert {tuple(sorted(team)) for team in start} <= set(columns)
    assert len(set(columns)) == len(columns)
    for column in columns:
        assert 3 <= sum(reduced.sizes[g] for g in column) <= 6
        assert reduced.allowed_together(column[0], column[1:])
    # It ended because nothing more pays at its last duals (20 s is far more than it needs).
    assert duals is not None
    pi, mu = duals
    assert greedy_pricing(reduced, pi, mu, 3, 6) == []
    assert greedy_pricing(reduced, pi, mu, 3, 6, from_pairs=True) == []
    assert polished_pricing(reduced, pi, mu, 3, 6) == []


def test_polished_pricing_finds_teams_the_greedy_pricing_misses() -> None:
    # Column generation with the greedy pricing alone stalls on this problem; dense teams of seven still
    # pay, which only a growth to full size then polished reaches.
    problem = clustered_problem(90, 18, 3, 7, 6)
    reduced = formation._group_problem(problem)
    start = formation._start_partition(reduced, problem, 6, None)
    assert start is not None
    master = Master(reduced, problem.k, 7, over_cover=False)
    for team in start:
        master.add(tuple(sorted(team)))
    while True:
        solved = master.solve(10)
        assert solved is not None
        _, pi, mu = solved
        found = _greedy_columns(reduced, pi, mu, 3, 7)
        if not found:
            break
        for _, column in sorted(found, reverse=True)[:400]:
            master.add(column)
    polished = polished_pricing(reduced, pi, mu, 3, 7)
    assert polished
    for cost, column in polished:
        assert 3 <= sum(reduced.sizes[g] for g in column) <= 7
        assert reduced.allowed_together(column[0], column[1:])
        assert cost == pytest.approx(reduced_cost(reduced, column, (pi, mu)))
        assert cost > 0.5
        assert column not in master.known
    # Out of time, it stops before the first group.
    assert polished_pricing(reduced, pi, mu, 3, 7, time.monotonic() - 1) == []


def test_promising_columns_are_those_of_largest_reduced_cost() -> None:
    problem, reduced, start = clustered_start(3)
    master, duals = price_columns(reduced, problem.k, (3, 6), start, time.monotonic() + 20)
    columns = master.columns
    assert duals is not None and len(columns) > 10
    chosen = promising_columns(reduced, columns, duals, 10)
    costs = sorted((reduced_cost(reduced, c, duals) for c in columns), reverse=True)
    assert len(chosen) == 10
    assert sorted((reduced_cost(reduced, c, duals) for c in chosen), reverse=True) == costs[:10]
    # Without duals, or with room for all, every column.
    assert promising_columns(reduced, columns, None, 10) == columns
    assert promising_columns(reduced, columns, duals, len(columns)) == columns


def test_a_rebuilt_master_solves_to_the_same_lp() -> None:
    problem, reduced, start = clustered_start(4)
    master = Master(reduced, problem.k, 6, over_cover=False)
    for team in start:
        master.add(tuple(sorted(team)))
    first = master.solve(10)
    master.rebuild()
    again = master.solve(10)
    assert first is not None and again is not None
    assert again[0] == pytest.approx(first[0])
    # Exact cover, start partition only: the LP is the partition's value.
    assert first[0] == pytest.approx(reduced.value(start))


@pytest.mark.parametrize("seed", range(100, 115))
def test_the_dive_reads_a_partition_off_the_lp(seed: int) -> None:
    problem, reduced, start = clustered_start(seed)
    master, _ = price_columns(reduced, problem.k, (3, 6), start, time.monotonic() + 20)
    solved = master.solve(10)
    assert solved is not None
    teams = dive(master, time.monotonic() + 20)
    # The start partition's columns are in the master: a partition always exists, and the dive finds
    # one (k teams covering every group once, all of them columns), worth at most the LP.
    assert teams is not None and len(teams) == problem.k
    assert sorted(g for team in teams for g in team) == list(range(len(reduced.groups)))
    assert set(teams) <= set(master.columns)
    assert reduced.value([list(t) for t in teams]) <= solved[0] + 1e-6


def test_a_dive_out_of_time_gives_nothing() -> None:
    problem, reduced, start = clustered_start(7)
    master, _ = price_columns(reduced, problem.k, (3, 6), start, time.monotonic() + 20)
    assert dive(master, time.monotonic() - 1) is None
