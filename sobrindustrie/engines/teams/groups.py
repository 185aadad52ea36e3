"""The team-formation problem on must-link groups: organisations that must share a team are merged into
one node, weights are summed between nodes and scaled to integers for CP-SAT."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from sobrindustrie.engines.teams.opportunities import PairWeight

SCALE = 1000
"""Weights are multiplied by SCALE and rounded: the solver works to 0.001."""


def must_link_groups(
    organisations: Sequence[str], must_link: Iterable[Sequence[str]]
) -> list[tuple[str, ...]]:
    """Organisations merged through must-link (union-find, so shared members merge groups), each group
    in input order, groups ordered by their first member. Organisations must be known."""
    position = {org: i for i, org in enumerate(organisations)}
    parent = list(range(len(organisations)))

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for group in must_link:
        first = root(position[group[0]])
        for org in group[1:]:
            other = root(position[org])
            if other != first:
                parent[max(first, other)] = min(first, other)
                first = min(first, other)
    members: dict[int, list[str]] = defaultdict(list)
    for i, org in enumerate(organisations):
        members[root(i)].append(org)
    return [tuple(m) for _, m in sorted(members.items())]


@dataclass
class GroupProblem:
    """Groups (merged must-link organisations), their sizes, scaled non-zero weights between groups
    (keys g < h), cannot-link pairs of groups, per group its weighted neighbours and its inner weight
    (the scaled weight between its own members, earned by whichever team holds it)."""

    groups: list[tuple[str, ...]]
    sizes: list[int]
    weights: dict[tuple[int, int], int]
    cannot: set[tuple[int, int]]
    neighbours: list[dict[int, int]] = field(default_factory=list)
    inner: list[int] = field(default_factory=list)

    @classmethod
    def build(
        cls,
        groups: list[tuple[str, ...]],
        sizes: list[int],
        weights: dict[tuple[int, int], int],
        cannot: set[tuple[int, int]],
        inner: list[int] | None = None,
    ) -> GroupProblem:
        kept = {pair: w for pair, w in weights.items() if w != 0}
        neighbours: list[dict[int, int]] = [{} for _ in groups]
        for (g, h), w in kept.items():
            neighbours[g][h] = w
            neighbours[h][g] = w
        return cls(groups, sizes, kept, cannot, neighbours, inner or [0] * len(groups))

    @classmethod
    def of(
        cls,
        organisations: Sequence[str],
        weights: Iterable[PairWeight],
        must_link: Iterable[Sequence[str]],
        cannot_link: Iterable[Sequence[str]],
    ) -> GroupProblem:
        groups = must_link_groups(organisations, must_link)
        index = {org: g for g, members in enumerate(groups) for org in members}
        summed: dict[tuple[int, int], int] = defaultdict(int)
        inner = [0] * len(groups)
        for pair in weights:
            g, h = index[pair.a], index[pair.b]
            if g != h:
                summed[(min(g, h), max(g, h))] += round(pair.weight * SCALE)
            else:
                inner[g] += round(pair.weight * SCALE)
        cannot = {(min(index[a], index[b]), max(index[a], index[b])) for a, b in cannot_link}
        return cls.build(groups, [len(m) for m in groups], dict(summed), cannot, inner)

    def subset(self, groups: Sequence[int]) -> GroupProblem:
        """The problem restricted to some groups, renumbered in the given order."""
        local = {g: i for i, g in enumerate(groups)}
        weights = {
            (local[g], local[h]): w
            for g in groups
            for h, w in self.neighbours[g].items()
            if h in local and local[g] < local[h]
        }
        cannot = {
            (min(local[g], local[h]), max(local[g], local[h]))
            for g, h in self.cannot
            if g in local and h in local
        }
        return GroupProblem.build(
            [self.groups[g] for g in groups],
            [self.sizes[g] for g in groups],
            weights,
            cannot,
            [self.inner[g] for g in groups],
        )

    def allowed_together(self, g: int, members: Iterable[int]) -> bool:
        return all((min(g, h), max(g, h)) not in self.cannot for h in members)

    def link(self, g: int, team: Iterable[int]) -> int:
        """Scaled weight between group g and the other groups of a team."""
        row = self.neighbours[g]
        return sum(row.get(h, 0) for h in team if h != g)

    def value(self, teams: Sequence[Sequence[int]]) -> int:
        """Scaled objective of a partition of the groups."""
        team_of = {g: t for t, team in enumerate(teams) for g in team}
        return sum(w for (g, h), w in self.weights.items() if team_of[g] == team_of[h])

    def team_scores(self, teams: Sequence[Sequence[int]]) -> list[int]:
        """Scaled score of each team: inner weights of its groups plus weights between them."""
        team_of = {g: t for t, team in enumerate(teams) for g in team}
        scores = [sum(self.inner[g] for g in team) for team in teams]
        for (g, h), w in self.weights.items():
            if team_of[g] == team_of[h]:
                scores[team_of[g]] += w
        return scores

    def organisations_of(self, teams: Sequence[Sequence[int]]) -> list[list[str]]:
        return [[org for g in team for org in self.groups[g]] for team in teams]


def canonical_labels(teams: Sequence[Sequence[int]]) -> dict[int, int]:
    """Group -> team label, teams numbered in the order of their smallest group."""
    ordered = sorted((sorted(team) for team in teams if team), key=lambda team: team[0])
    return {g: t for t, team in enumerate(ordered) for g in team}
