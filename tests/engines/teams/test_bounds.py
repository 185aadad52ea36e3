from __future__ import annotations

import itertools
import random

import pytest

from sobrindustrie.engines.teams import TeamProblem, score_partition
from sobrindustrie.engines.teams.bounds import (
    capacity_bound,
    capacity_cuts,
    lp_bound,
    most_pairs,
    star_cuts,
    triangle_cuts,
)
from sobrindustrie.engines.teams.groups import SCALE, GroupProblem
from tests.engines.teams.helpers import feasible_scores, partitions, random_problem


@pytest.mark.parametrize("seed", range(20))
def test_bounds_are_never_below_the_optimum(seed: int) -> None:
    problem = random_problem(seed)
    scores = feasible_scores(problem)
    if not scores:
        return
    groups = GroupProblem.of(problem.organisations, problem.weights, problem.must_link, problem.cannot_link)
    inside_groups = scores[0] * SCALE - groups_optimum_offset(problem, groups)
    lp = lp_bound(groups, problem.max_size, 5.0)
    assert lp is not None
    assert lp >= inside_groups - 1e-6
    assert capacity_bound(groups, problem.max_size) >= inside_groups - 1e-6


def groups_optimum_offset(problem: TeamProblem, groups: GroupProblem) -> float:
    """Scaled weight inside must-link groups, which the group problem leaves out."""
    group_of = {org: g for g, members in enumerate(groups.groups) for org in members}
    return sum(round(p.weight * SCALE) for p in problem.weights if group_of[p.a] == group_of[p.b])


def test_the_lp_bound_is_exact_on_a_triangle() -> None:
    # Three organisations linked pairwise, one team of three: the LP cannot do better than 6.
    problem = GroupProblem.of(("A", "B", "C"), [], [], [])
    problem = GroupProblem.build(
        problem.groups, problem.sizes, {(0, 1): 1000, (1, 2): 2000, (0, 2): 3000}, set()
    )
    assert lp_bound(problem, 3, 5.0) == pytest.approx(6000, rel=1e-3)
    assert capacity_bound(problem, 3) == 6000


def brute_most_pairs(sizes: tuple[int, ...], capacity: int) -> int:
    """most_pairs by trying every partition of the groups."""
    names = [str(g) for g in range(len(sizes))]
    best = 0
    for k in range(1, len(sizes) + 1):
        for parts in partitions(names, k):
            if all(sum(sizes[int(g)] for g in part) <= capacity for part in parts):
                best = max(best, sum(len(part) * (len(part) - 1) // 2 for part in parts))
    return best


@pytest.mark.parametrize(
    ("sizes", "capacity"),
    [((1,) * 8, 7), ((1,) * 6, 4), ((1, 1, 2, 2), 3), ((1, 1, 1, 2, 2), 4), ((2, 2, 2), 3), ((1, 3, 3), 4)],
)
def test_most_pairs_matches_brute_force(sizes: tuple[int, ...], capacity: int) -> None:
    assert most_pairs(sizes, capacity) == brute_most_pairs(sizes, capacity)


def team_indicator(groups: GroupProblem, teams: list[list[str]]) -> dict[tuple[int, int], float]:
    """y[g, h] = 1 when groups g and h share a team in the partition (of organisations) `teams`."""
    group_of = {org: g for g, members in enumerate(groups.groups) for org in members}
    team_of = {group_of[org]: t for t, members in enumerate(teams) for org in members}
    n = len(groups.groups)
    return {(g, h): float(team_of[g] == team_of[h]) for g in range(n) for h in range(g + 1, n)}


@pytest.mark.parametrize("seed", range(25))
def test_cuts_hold_for_every_feasible_partition(seed: int) -> None:
    # Cuts separated from arbitrary LP points (random y) never cut off a partition the rules allow.
    problem = random_problem(seed)
    groups = GroupProblem.of(problem.organisations, problem.weights, problem.must_link, problem.cannot_link)
    # LP points over every pair and over the weighted pairs only (the LP's variables start there: a
    # cut must still count the pairs its point leaves out).
    every = list(itertools.combinations(range(len(groups.groups)), 2))
    rng = random.Random(seed)
    cuts = []
    for support in (every, sorted(groups.weights), every, sorted(groups.weights), every):
        values = {p: rng.choice((0.0, 0.3, 0.5, 0.7, 1.0)) for p in support}
        seen: set[frozenset[int]] = set()
        cuts += (
            triangle_cuts(values)
            + star_cuts(values, seen)
            + capacity_cuts(groups, values, problem.max_size, seen)
        )
    partitions_checked = 0
    for candidate in partitions(list(problem.organisations), problem.k):
        if not score_partition(problem, candidate).feasible:
            continue
        partitions_checked += 1
        y = team_indicator(groups, candidate)
        for row, coefs, rhs in cuts:
            assert sum(c * y[p] for p, c in zip(row, coefs, strict=True)) <= rhs
    assert partitions_checked or not feasible_scores(problem)


def test_cuts_tighten_the_lp() -> None:
    # Seven organisations, teams of at most 3, nine links: the best partitions keep 5 of them (brute
    # force below). The plain LP reaches 5.5 with half-values; triangles and cuts bring it to 5.
    orgs = tuple("ABCDEFG")
    links = [(0, 3), (0, 4), (1, 3), (2, 3), (2, 4), (2, 5), (4, 5), (4, 6), (5, 6)]
    groups = GroupProblem.of(orgs, [], [], [])
    groups = GroupProblem.build(groups.groups, groups.sizes, dict.fromkeys(links, 1000), set())
    best = max(
        sum(any(str(a) in part and str(b) in part for part in parts) for a, b in links) * 1000
        for k in range(3, 8)
        for parts in partitions([str(g) for g in range(7)], k)
        if all(len(part) <= 3 for part in parts)
    )
    plain = lp_bound(groups, 3, 5.0, cut_rounds=0)
    cut = lp_bound(groups, 3, 5.0)
    assert plain is not None and cut is not None
    assert best == 5000
    assert plain == pytest.approx(5500, abs=5)
    assert cut == pytest.approx(5000, abs=5)
