"""Brute-force helpers for the team-formation tests."""

from __future__ import annotations

import itertools
import random
from collections.abc import Iterator, Sequence

from sobrindustrie.engines.teams import PairWeight, TeamProblem, score_partition


def partitions(items: Sequence[str], k: int) -> Iterator[list[list[str]]]:
    """Every partition of `items` into exactly k non-empty blocks (brute force, for small tests)."""
    if not items:
        if k == 0:
            yield []
        return
    first, rest = items[0], items[1:]
    for smaller in partitions(rest, k):
        for i in range(len(smaller)):
            yield [*smaller[:i], [first, *smaller[i]], *smaller[i + 1 :]]
    for smaller in partitions(rest, k - 1):
        yield [[first], *smaller]


def feasible_scores(problem: TeamProblem) -> list[float]:
    """Scores of every feasible partition, best first."""
    scores = []
    for candidate in partitions(list(problem.organisations), problem.k):
        scored = score_partition(problem, candidate)
        if scored.feasible:
            scores.append(scored.score)
    return sorted(scores, reverse=True)


def random_problem(seed: int) -> TeamProblem:
    """A seeded problem of 3 to 8 organisations with random weights, sizes and links."""
    rng = random.Random(seed)
    n = rng.randint(3, 8)
    orgs = tuple("ABCDEFGH"[:n])
    k = rng.randint(1, max(1, n // 2))
    min_size = rng.randint(1, max(1, n // k))
    max_size = rng.randint(max(min_size, -(-n // k)), n)
    pairs = list(itertools.combinations(orgs, 2))
    weights = tuple(PairWeight(a, b, round(rng.uniform(-5, 10), 1)) for a, b in pairs if rng.random() < 0.6)
    must = tuple(p for p in pairs if rng.random() < 0.05)
    cannot = tuple(p for p in pairs if rng.random() < 0.1)
    return TeamProblem(orgs, weights, k, min_size, max_size, must, cannot)
