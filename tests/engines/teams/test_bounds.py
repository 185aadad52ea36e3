from __future__ import annotations

import itertools
import random
import subprocess
import time

import pytest

from sobrindustrie.engines.teams import PairWeight, TeamProblem, bounds, score_partition
from sobrindustrie.engines.teams.bounds import (
    LocalCuts,
    capacity_bound,
    capacity_cuts,
    lp_bound,
    lp_bound_apart,
    most_pairs,
    pair_capacity,
    partition_vectors,
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
    # With the row on the number of pairs k teams hold.
    counted = lp_bound(groups, problem.max_size, 5.0, teams=(problem.k, problem.min_size))
    assert counted is not None and counted >= inside_groups - 1e-6
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
        cuts += LocalCuts(groups, problem.max_size).cuts(values, time.monotonic() + 5.0)
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
    # Seven organisations, teams of at most 3, six links; the best partition keeps the triangle B-C-E
    # (3). The plain LP reaches 3.75 with quarter-values around it; triangles, 2-partition and capacity
    # cuts leave it there, local cuts on the five linked groups bring it to the optimum.
    orgs = tuple("ABCDEFG")
    weights = {(1, 2): 1000, (2, 3): 1000, (2, 5): 1000, (3, 5): 1000, (3, 6): 1000, (4, 5): 1000}
    groups = GroupProblem.of(orgs, [], [], [])
    groups = GroupProblem.build(groups.groups, groups.sizes, weights, set())
    plain = lp_bound(groups, 3, 5.0, cut_rounds=0)
    cut = lp_bound(groups, 3, 5.0)
    assert plain is not None and cut is not None
    assert plain == pytest.approx(3750, abs=5)
    assert cut == pytest.approx(3000, abs=5)


@pytest.mark.parametrize(
    ("sizes", "capacity", "count"),
    # Bell numbers, partitions into pairs and singletons (involutions), and sizes that exclude parts.
    [((1,) * 5, 5, 52), ((1,) * 8, 8, 4140), ((1,) * 5, 2, 26), ((1, 1, 2, 2), 3, 8), ((3, 3, 3), 5, 1)],
)
def test_partition_vectors_count_the_partitions(sizes: tuple[int, ...], capacity: int, count: int) -> None:
    vectors = partition_vectors(sizes, capacity)
    assert vectors.shape == (count, len(sizes) * (len(sizes) - 1) // 2)
    assert len({tuple(row) for row in vectors}) == count


def test_local_cuts_hold_for_every_partition_of_their_groups() -> None:
    # Random LP points on 7 groups of mixed sizes: every local cut holds for every partition of the
    # groups into parts of at most 4 organisations (brute force).
    sizes = [1, 1, 2, 1, 2, 1, 1]
    groups = GroupProblem.build([(str(g),) for g in range(7)], sizes, {(0, 1): 1000}, set())
    rng = random.Random(3)
    local = LocalCuts(groups, 4)
    cuts = []
    for _ in range(30):
        values = {p: rng.choice((0.0, 0.2, 0.5, 0.8, 1.0)) for p in itertools.combinations(range(7), 2)}
        cuts += local.cuts(values, time.monotonic() + 5.0)
    assert cuts
    names = [str(g) for g in range(7)]
    for k in range(1, 8):
        for parts in partitions(names, k):
            if any(sum(sizes[int(g)] for g in part) > 4 for part in parts):
                continue
            part_of = {int(g): i for i, part in enumerate(parts) for g in part}
            for row, coefs, rhs in cuts:
                assert sum(c for (a, b), c in zip(row, coefs, strict=True) if part_of[a] == part_of[b]) <= rhs


@pytest.mark.parametrize("seed", range(40))
def test_pair_capacity_holds_every_partition_and_is_reached(seed: int) -> None:
    # Brute force over every partition of a few groups (sizes 1 and 2) into k teams within the bounds:
    # the most cross-group pairs of organisations any of them holds is pair_capacity, or below it when
    # the groups cannot reach the most unequal team sizes.
    rng = random.Random(seed)
    sizes = [rng.choice((1, 1, 2)) for _ in range(rng.randint(3, 7))]
    min_size, max_size = rng.randint(1, 2), rng.randint(2, 4)
    k = rng.randint(1, len(sizes))
    groups = GroupProblem.build([(f"g{i}",) for i in range(len(sizes))], sizes, {}, set())
    most = None
    for labels in itertools.product(range(k), repeat=len(sizes)):
        loads = [sum(s for s, t in zip(sizes, labels, strict=True) if t == team) for team in range(k)]
        if not all(min_size <= load <= max_size for load in loads):
            continue
        cross = sum(
            sizes[a] * sizes[b]
            for a, b in itertools.combinations(range(len(sizes)), 2)
            if labels[a] == labels[b]
        )
        most = cross if most is None else max(most, cross)
    if most is None:
        return
    capacity = pair_capacity(groups, k, min_size, max_size)
    assert capacity >= most
    if all(size == 1 for size in sizes):
        assert capacity == most


def _clustered_groups() -> GroupProblem:
    rng = random.Random(11)
    orgs = [f"O{i:02d}" for i in range(24)]
    weights = tuple(
        PairWeight(a, b, round(rng.uniform(0.5, 9), 1))
        for i, a in enumerate(orgs)
        for b in orgs[i + 1 :]
        if int(a[1:]) % 4 == int(b[1:]) % 4 or rng.random() < 0.08
    )
    return GroupProblem.of(orgs, weights, (), ())


def test_the_lp_apart_bounds_as_the_lp_here(monkeypatch: pytest.MonkeyPatch) -> None:
    # The child process runs the same LP: on a problem whose cuts run out well before the time limit,
    # the same bound.
    groups = _clustered_groups()
    here = lp_bound(groups, 5, 20.0, teams=(6, 3))
    monkeypatch.setattr(bounds, "APART_FROM", 0.0)
    calls: list[list[str]] = []
    run = subprocess.run

    def spy(command: list[str], **kwargs: object) -> subprocess.CompletedProcess[bytes]:
        calls.append(command)
        return run(command, **kwargs)  # type: ignore[call-overload,no-any-return]

    monkeypatch.setattr(bounds.subprocess, "run", spy)
    apart = lp_bound_apart(groups, 5, 20.0, teams=(6, 3))
    assert calls and calls[0][1:] == ["-m", "sobrindustrie.engines.teams.bounds"]
    assert here is not None and apart == pytest.approx(here, rel=1e-9)


def test_the_lp_apart_falls_back_to_this_process(monkeypatch: pytest.MonkeyPatch) -> None:
    groups = _clustered_groups()
    here = lp_bound(groups, 5, 20.0)
    # No interpreter to start: the LP runs here.
    monkeypatch.setattr(bounds, "APART_FROM", 0.0)
    monkeypatch.setattr(bounds.sys, "executable", "/nonexistent/python")
    assert lp_bound_apart(groups, 5, 20.0) == pytest.approx(here)
    # A short time limit never starts a child.
    monkeypatch.setattr(bounds, "APART_FROM", 10.0)

    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("no child below APART_FROM")

    monkeypatch.setattr(bounds.subprocess, "run", refuse)
    assert lp_bound_apart(groups, 5, 5.0) == pytest.approx(here)


def test_groups_without_partners_still_take_pairs_of_the_teams_count() -> None:
    # Two cliques of five (weight 1 a pair) and two organisations linked to nobody, three teams of 3 to
    # 6: the lone two cannot make a team of their own, so one clique gives up members to theirs (the
    # best partition scores 16). The pairs three teams can hold (21) allowed both cliques whole (20
    # pairs) while the lone two stayed alone; counted, the team-mates they must have leave room for 19.
    cliques = [c for members in (range(5), range(5, 10)) for c in itertools.combinations(members, 2)]
    groups = GroupProblem.build(
        [(f"O{i:02d}",) for i in range(12)], [1] * 12, dict.fromkeys(cliques, 1000), set()
    )
    assert lp_bound(groups, 6, 5.0) == pytest.approx(20_000, rel=1e-6)
    assert lp_bound(groups, 6, 5.0, teams=(3, 3)) == pytest.approx(19_000, rel=1e-6)
