"""Tabu search on partitions of groups into teams: the incumbent of large problems.

Each iteration applies the best move (one group to another team) or swap (two groups of two teams)
that the size bounds and cannot-link allow, even when it lowers the score, and forbids the groups it
moved to move again for a random number of iterations (their tenure); a move that would beat the best
partition found is allowed even so (aspiration). The neighbourhood: a group goes to a team it is linked
to, or swaps with a member of such a team (a group with no positive link in its own team tries every
team). After `STALL` iterations without a new best partition, the search starts again from the best
one, shaken by `KICK` random swaps between linked teams.

Links are kept up to date incrementally (`links[g][t]`: the weight between group g and team t), and so
is, per team, the most a member gains by going to each other team (`reach`): a swap is only scored
when that bound says it can beat the best candidate so far, which spares most of them (the floor
aside). With a floor on every team's score, the search maximises the score less a penalty larger than
any score for each unit by which teams fall short of the floor (the order of `search.quality`).
"""

from __future__ import annotations

import random
import time
from collections.abc import Sequence

from sobrindustrie.engines.teams.groups import GroupProblem

STALL = 500
"""Iterations without a new best partition before the search restarts from the best one, shaken."""

KICK = 6
"""Random swaps between linked teams that shake the best partition at each restart."""

QUIT_PER_GROUP = 20
"""The search ends after this many iterations per group (at least 2 x STALL) without a new best
partition: on small problems, whose best partition it has usually found long before, the time left
goes to proving it."""

POOL_EVERY = 10
"""Every this many iterations, the current partition's teams join the pool of teams the search
returns (for the integer master, which recombines teams of different partitions)."""

POOL_NEAR = 0.02
"""Partitions within this share of the best one's score also give their teams to the pool."""


def tabu_search(
    reduced: GroupProblem,
    teams: Sequence[Sequence[int]],
    sizes: tuple[int, int],
    deadline: float,
    seed: int,
    floor: int | None = None,
    max_iterations: int | None = None,
    pool: set[tuple[int, ...]] | None = None,
) -> list[list[int]]:
    """The best partition found from `teams` (a partition meeting the size bounds and cannot-link)
    before `deadline` (time.monotonic()) or after `max_iterations`. Deterministic for a given seed when
    stopped by the iteration count. `pool`, when given, receives the teams (sorted tuples of groups) of
    the partitions met on the way (every POOL_EVERY iterations and near the best, see POOL_NEAR)."""
    return _Search(reduced, teams, sizes, seed, floor).run(deadline, max_iterations, pool)


class _Search:
    def __init__(
        self,
        reduced: GroupProblem,
        teams: Sequence[Sequence[int]],
        sizes: tuple[int, int],
        seed: int,
        floor: int | None,
    ) -> None:
        self.reduced = reduced
        self.min_size, self.max_size = sizes
        self.rng = random.Random(seed)
        self.floor = floor
        n = len(reduced.groups)
        self.apart: list[set[int]] = [set() for _ in range(n)]
        for g, h in reduced.cannot:
            self.apart[g].add(h)
            self.apart[h].add(g)
        # Above any score: a unit of shortfall below the floor costs more than all the positive weight.
        self.penalty = (
            1 + sum(w for w in reduced.weights.values() if w > 0) + sum(c for c in reduced.inner if c > 0)
        )
        low = max(1, n // 15)
        self.tenure = (low, max(low + 1, n // 5))
        # For pruning swaps: twice a group's worst negative weight, the most the pair's own weight can
        # add to a swap (`repel`); per team, what its members gain by going to each other team (`reach`).
        self.repel = [2 * max([0, *(-w for w in row.values())]) for row in reduced.neighbours]
        self._load([list(team) for team in teams])

    def _load(self, teams: list[list[int]]) -> None:
        reduced = self.reduced
        n = len(reduced.groups)
        self.team_of = [0] * n
        for t, team in enumerate(teams):
            for g in team:
                self.team_of[g] = t
        self.members = [set(team) for team in teams]
        self.load = [sum(reduced.sizes[g] for g in team) for team in teams]
        self.links: list[dict[int, int]] = [{} for _ in range(n)]
        for g in range(n):
            row = self.links[g]
            for h, w in reduced.neighbours[g].items():
                t = self.team_of[h]
                row[t] = row.get(t, 0) + w
        self.scores = reduced.team_scores(teams)
        self.value = sum(self.scores) - self._shortfall_total() * self.penalty
        self.reach = [self._reach(t) for t in range(len(teams))]

    def _reach(self, t: int) -> tuple[int, dict[int, int]]:
        """For team t: the most a member gains by going to a team it has no link with, and per team
        u it is linked to, the most a member gains by going to u (link to u less link to t)."""
        links = self.links
        alone = -min(links[h].get(t, 0) for h in self.members[t]) if self.members[t] else 0
        toward: dict[int, int] = {}
        for h in self.members[t]:
            row = links[h]
            own = row.get(t, 0)
            for u, w in row.items():
                if u != t and w - own > toward.get(u, alone):
                    toward[u] = w - own
        return alone, toward

    def _shortfall_total(self) -> int:
        if self.floor is None:
            return 0
        return sum(max(0, self.floor - score) for score in self.scores)

    def _teams(self) -> list[list[int]]:
        return [sorted(team) for team in self.members]

    def run(
        self, deadline: float, max_iterations: int | None, pool: set[tuple[int, ...]] | None
    ) -> list[list[int]]:
        best_value, best = self.value, self._teams()
        near = int(POOL_NEAR * abs(best_value))
        tabu_until = [0] * len(self.team_of)
        iteration = last_best = last_new = 0
        quit_after = max(2 * STALL, QUIT_PER_GROUP * len(self.team_of))
        while max_iterations is None or iteration < max_iterations:
            if time.monotonic() >= deadline or iteration - last_new > quit_after:
                break
            iteration += 1
            if iteration - last_best > STALL:
                self._load(best)
                self._kick(tabu_until, iteration)
                last_best = iteration
            chosen = self._best_move(tabu_until, iteration, best_value)
            if chosen is None:
                break
            delta, g, b, h = chosen
            a = self.team_of[g]
            self._move(g, b)
            if h is not None:
                self._move(h, a)
                tabu_until[h] = iteration + self.rng.randint(*self.tenure)
            tabu_until[g] = iteration + self.rng.randint(*self.tenure)
            self.value += delta
            if self.value > best_value:
                best_value, best, last_best = self.value, self._teams(), iteration
                last_new = iteration
                near = int(POOL_NEAR * abs(best_value))
            if pool is not None and (iteration % POOL_EVERY == 0 or self.value >= best_value - near):
                pool.update(tuple(sorted(team)) for team in self.members)
        if pool is not None:
            pool.update(tuple(team) for team in best)
        return best

    def _best_move(
        self, tabu_until: list[int], iteration: int, best_value: int
    ) -> tuple[int, int, int, int | None] | None:
        """(change of value, group, its new team, the group it swaps with or None), the best allowed."""
        sizes, neighbours = self.reduced.sizes, self.reduced.neighbours
        team_of, members, load, links = self.team_of, self.members, self.load, self.links
        low, high = self.min_size, self.max_size
        floored = self.floor is not None
        best: tuple[int, int, int, int | None] | None = None
        best_delta = None
        aspiration = best_value - self.value
        reach, repel = self.reach, self.repel
        for g, row in enumerate(links):
            a = team_of[g]
            own = row.get(a, 0)
            size_g = sizes[g]
            free_g = tabu_until[g] <= iteration
            can_leave = load[a] - size_g >= low
            # A team g has no link with can only do better when g has no positive link in its own.
            targets = row if own > 0 else {u: row.get(u, 0) for u in range(len(members))}
            for b, to_b in targets.items():
                if b == a:
                    continue
                gain = to_b - own
                if can_leave and load[b] + size_g <= high:
                    delta = self._floor_delta(g, a, b, None, gain) if floored else gain
                    if (
                        (best_delta is None or delta > best_delta)
                        and (free_g or delta > aspiration)
                        and self._fits(g, b, None)
                    ):
                        best, best_delta = (delta, g, b, None), delta
                if not floored and best_delta is not None:
                    alone, toward = reach[b]
                    if gain + toward.get(a, alone) + repel[g] <= best_delta:
                        continue  # no swap with a member of b does better (the floor's penalty aside)
                weights_g = neighbours[g]
                for h in members[b]:
                    size_h = sizes[h]
                    if not (
                        low <= load[a] - size_g + size_h <= high and low <= load[b] - size_h + size_g <= high
                    ):
                        continue
                    links_h = links[h]
                    swap = gain + links_h.get(a, 0) - links_h.get(b, 0) - 2 * weights_g.get(h, 0)
                    delta = self._floor_delta(g, a, b, h, swap) if floored else swap
                    if best_delta is not None and delta <= best_delta:
                        continue
                    if not ((free_g and tabu_until[h] <= iteration) or delta > aspiration):
                        continue
                    if self._fits(g, b, h) and self._fits(h, a, g):
                        best, best_delta = (delta, g, b, h), delta
        return best

    def _floor_delta(self, g: int, a: int, b: int, h: int | None, gain: int) -> int:
        """The change of score less penalised shortfall when g moves from a to b (and h from b to a)."""
        inner, floor = self.reduced.inner, self.floor
        assert floor is not None
        links = self.links
        old_a, old_b = self.scores[a], self.scores[b]
        new_a = old_a - inner[g] - links[g].get(a, 0)
        new_b = old_b + inner[g] + links[g].get(b, 0)
        if h is not None:
            w = self.reduced.neighbours[g].get(h, 0)
            new_a += inner[h] + links[h].get(a, 0) - w
            new_b += -inner[h] - links[h].get(b, 0) - w
        before = max(0, floor - old_a) + max(0, floor - old_b)
        after = max(0, floor - new_a) + max(0, floor - new_b)
        return gain - (after - before) * self.penalty

    def _fits(self, g: int, t: int, leaving: int | None) -> bool:
        apart = self.apart[g]
        return not apart or not any(h in self.members[t] and h != leaving for h in apart)

    def _move(self, g: int, b: int) -> None:
        a = self.team_of[g]
        reduced = self.reduced
        own, to_b = self.links[g].get(a, 0), self.links[g].get(b, 0)
        self.scores[a] -= reduced.inner[g] + own
        self.scores[b] += reduced.inner[g] + to_b
        self.members[a].discard(g)
        self.members[b].add(g)
        self.team_of[g] = b
        self.load[a] -= reduced.sizes[g]
        self.load[b] += reduced.sizes[g]
        for h, w in reduced.neighbours[g].items():
            row = self.links[h]
            left = row[a] - w
            if left:
                row[a] = left
            else:
                del row[a]
            row[b] = row.get(b, 0) + w
        team_of = self.team_of
        for t in {a, b, *(team_of[h] for h in reduced.neighbours[g])}:
            self.reach[t] = self._reach(t)

    def _kick(self, tabu_until: list[int], iteration: int) -> None:
        """KICK random swaps between a group and a member of a team it is linked to."""
        sizes, rng = self.reduced.sizes, self.rng
        n, done = len(self.team_of), 0
        low, high = self.min_size, self.max_size
        for _ in range(100 * KICK):
            if done == KICK:
                break
            g = rng.randrange(n)
            a = self.team_of[g]
            linked = sorted(b for b in self.links[g] if b != a)
            if not linked:
                continue
            b = rng.choice(linked)
            h = rng.choice(sorted(self.members[b]))
            if not (
                low <= self.load[a] - sizes[g] + sizes[h] <= high
                and low <= self.load[b] - sizes[h] + sizes[g] <= high
                and self._fits(g, b, h)
                and self._fits(h, a, g)
            ):
                continue
            self._move(g, b)
            self._move(h, a)
            tenure = self.rng.randint(*self.tenure)
            tabu_until[g] = tabu_until[h] = iteration + tenure
            done += 1
        self.value = sum(self.scores) - self._shortfall_total() * self.penalty
