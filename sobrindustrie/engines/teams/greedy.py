"""Quick partitions: greedy agglomeration of groups into k teams, then local search (moves and swaps).
They seed CP-SAT as a hint, answer when CP-SAT finds nothing in time, and serve as a baseline."""

from __future__ import annotations

import heapq
import math
from collections import defaultdict
from collections.abc import Sequence

from sobrindustrie.engines.teams.groups import GroupProblem


def initial_clusters(
    reduced: GroupProblem, max_size: int, start: Sequence[Sequence[str]] | None
) -> list[list[int]]:
    """One cluster per group, or the groups of `start`'s communities cut into clusters of at most
    `max_size` that respect cannot-link; groups not in `start` stay alone."""
    if start is None:
        return [[g] for g in range(len(reduced.groups))]
    group_of = {org: g for g, members in enumerate(reduced.groups) for org in members}
    clusters: list[list[int]] = []
    placed: set[int] = set()
    for community in start:
        current: list[int] = []
        size = 0
        for org in community:
            g = group_of[org]
            if g in placed:
                continue
            placed.add(g)
            if current and (size + reduced.sizes[g] > max_size or not reduced.allowed_together(g, current)):
                clusters.append(current)
                current, size = [], 0
            current.append(g)
            size += reduced.sizes[g]
        if current:
            clusters.append(current)
    clusters.extend([g] for g in range(len(reduced.groups)) if g not in placed)
    return clusters


class Clusters:
    """Clusters of groups being merged, with the summed weights between clusters."""

    def __init__(self, reduced: GroupProblem, clusters: list[list[int]], max_size: int) -> None:
        self.reduced, self.max_size = reduced, max_size
        self.members: dict[int, list[int]] = {c: list(m) for c, m in enumerate(clusters)}
        self.size = {c: sum(reduced.sizes[g] for g in m) for c, m in self.members.items()}
        cluster_of = {g: c for c, m in self.members.items() for g in m}
        self.links: dict[int, dict[int, int]] = defaultdict(lambda: defaultdict(int))
        for (g, h), w in reduced.weights.items():
            a, b = cluster_of[g], cluster_of[h]
            if a != b:
                self.links[a][b] += w
                self.links[b][a] += w

    def mergeable(self, a: int, b: int, cap: int) -> bool:
        return self.size[a] + self.size[b] <= cap and all(
            self.reduced.allowed_together(g, self.members[b]) for g in self.members[a]
        )

    def merge(self, a: int, b: int) -> None:
        """Cluster b joins cluster a."""
        self.members[a].extend(self.members.pop(b))
        self.size[a] += self.size.pop(b)
        for other, w in self.links.pop(b, {}).items():
            del self.links[other][b]
            if other != a:
                self.links[a][other] += w
                self.links[other][a] += w

    def merge_strongest(self, k: int, cap: int) -> None:
        """Merge the pair of clusters with the largest positive link while more than k remain."""
        heap = [(-w, a, b) for a, row in self.links.items() for b, w in row.items() if a < b and w > 0]
        heapq.heapify(heap)
        while len(self.members) > k and heap:
            neg, a, b = heapq.heappop(heap)
            if a not in self.members or b not in self.members or self.links[a].get(b) != -neg:
                continue
            if not self.mergeable(a, b, cap):
                continue
            self.merge(a, b)
            for other, w in self.links[a].items():
                if w > 0:
                    heapq.heappush(heap, (-w, min(a, other), max(a, other)))

    def merge_smallest(self) -> bool:
        """Merge the smallest cluster that can merge into its best-linked partner."""
        for small in sorted(self.members, key=lambda c: (self.size[c], c)):
            options = [c for c in self.members if c != small and self.mergeable(small, c, self.max_size)]
            if options:
                row = self.links.get(small, {})
                best = max(options, key=lambda c: (row.get(c, 0), -self.size[c], -c))
                self.merge(best, small)
                return True
        return False


def greedy_groups(
    reduced: GroupProblem, k: int, min_size: int, max_size: int, clusters: list[list[int]]
) -> list[list[int]] | None:
    """Agglomerate clusters into k teams; first with clusters up to max_size, then, if that paints
    itself into a corner, only up to the average team size before the final merges."""
    total = sum(reduced.sizes)
    for cap in dict.fromkeys((max_size, max(min_size, -(-total // k)))):
        state = Clusters(reduced, clusters, max_size)
        state.merge_strongest(k, min(cap, max_size))
        while len(state.members) > k and state.merge_smallest():
            pass
        if len(state.members) == k:
            teams = fill_small_teams(
                reduced, [state.members[c] for c in sorted(state.members)], min_size, max_size
            )
            if teams is not None:
                return teams
    return None


def fill_small_teams(
    reduced: GroupProblem, teams: list[list[int]], min_size: int, max_size: int
) -> list[list[int]] | None:
    sizes = [sum(reduced.sizes[g] for g in team) for team in teams]
    for _ in range(len(reduced.groups) + 1):
        short = [t for t, s in enumerate(sizes) if s < min_size]
        if not short:
            return teams
        target = short[0]
        best: tuple[int, int, int] | None = None
        best_gain = -math.inf
        for source, team in enumerate(teams):
            if source == target:
                continue
            for g in team:
                s = reduced.sizes[g]
                if sizes[source] - s < min_size:
                    continue
                if sizes[target] + s > max_size or not reduced.allowed_together(g, teams[target]):
                    continue
                gain = reduced.link(g, teams[target]) - reduced.link(g, team)
                if gain > best_gain:
                    best, best_gain = (source, g, s), gain
        if best is None:
            return None
        source, g, s = best
        teams[source].remove(g)
        teams[target].append(g)
        sizes[source] -= s
        sizes[target] += s
    return None


def local_search(
    reduced: GroupProblem, teams: list[list[int]], min_size: int, max_size: int
) -> list[list[int]]:
    """Move single groups, then swap pairs of groups, while that raises the score (first improvement)."""
    team_of = {g: t for t, team in enumerate(teams) for g in team}
    sizes = [sum(reduced.sizes[g] for g in team) for team in teams]
    members = [set(team) for team in teams]

    def links_to(g: int) -> dict[int, int]:
        totals: dict[int, int] = defaultdict(int)
        for h, w in reduced.neighbours[g].items():
            totals[team_of[h]] += w
        return totals

    def fits(g: int, t: int, leaving: int | None = None) -> bool:
        others = members[t] - {leaving} if leaving is not None else members[t]
        return reduced.allowed_together(g, others)

    for _ in range(50):
        improved = False
        for g in range(len(reduced.groups)):
            src, s, totals = team_of[g], reduced.sizes[g], links_to(g)
            for t, w in sorted(totals.items(), key=lambda item: (-item[1], item[0])):
                if t == src or w <= totals.get(src, 0):
                    continue
                if sizes[src] - s >= min_size and sizes[t] + s <= max_size and fits(g, t):
                    members[src].discard(g)
                    members[t].add(g)
                    team_of[g], sizes[src], sizes[t] = t, sizes[src] - s, sizes[t] + s
                    improved = True
                    break
        for g in range(len(reduced.groups)):
            a, totals_g = team_of[g], links_to(g)
            for b, w_gb in totals_g.items():
                if b == a:
                    continue
                for h in sorted(members[b]):
                    totals_h = links_to(h)
                    w_gh = reduced.neighbours[g].get(h, 0)
                    gain = w_gb - totals_g.get(a, 0) + totals_h.get(a, 0) - totals_h.get(b, 0) - 2 * w_gh
                    sg, sh = reduced.sizes[g], reduced.sizes[h]
                    if gain <= 0 or not (min_size <= sizes[a] - sg + sh <= max_size):
                        continue
                    if (
                        not (min_size <= sizes[b] - sh + sg <= max_size)
                        or not fits(g, b, h)
                        or not fits(h, a, g)
                    ):
                        continue
                    members[a].remove(g)
                    members[b].remove(h)
                    members[a].add(h)
                    members[b].add(g)
                    team_of[g], team_of[h] = b, a
                    sizes[a], sizes[b] = sizes[a] - sg + sh, sizes[b] - sh + sg
                    improved = True
                    break
                if team_of[g] != a:
                    break
        if not improved:
            break
    return [sorted(team) for team in members]


def floor_seeded_groups(
    reduced: GroupProblem, k: int, min_size: int, max_size: int, floor: int
) -> list[list[int]] | None:
    """A partition built so that every team can reach a floor on its score: k seeds that reach it alone
    (groups whose inner weight does, then the heaviest disjoint pairs that do), the other groups added
    one by one to the seed they are most linked to (with room), then teams under min_size filled. None
    when fewer than k seeds exist or the sizes cannot be met."""
    seeds: list[list[int]] = [[g] for g in range(len(reduced.groups)) if reduced.inner[g] >= floor]
    seeds = seeds[:k]
    used = {g for seed in seeds for g in seed}
    for (g, h), w in sorted(reduced.weights.items(), key=lambda item: (-item[1], item[0])):
        if len(seeds) >= k:
            break
        fits = reduced.sizes[g] + reduced.sizes[h] <= max_size and (g, h) not in reduced.cannot
        if fits and g not in used and h not in used and w + reduced.inner[g] + reduced.inner[h] >= floor:
            seeds.append([g, h])
            used.update((g, h))
    if len(seeds) < k:
        return None
    sizes = [sum(reduced.sizes[g] for g in seed) for seed in seeds]
    rest = [g for g in range(len(reduced.groups)) if g not in used]
    # Most linked groups first, so that they find room beside their partners.
    rest.sort(key=lambda g: (-sum(max(0, w) for w in reduced.neighbours[g].values()), g))
    for g in rest:
        options = [
            t
            for t, team in enumerate(seeds)
            if sizes[t] + reduced.sizes[g] <= max_size and reduced.allowed_together(g, team)
        ]
        if not options:
            return None
        best = max(options, key=lambda t: (reduced.link(g, seeds[t]), -sizes[t], -t))
        seeds[best].append(g)
        sizes[best] += reduced.sizes[g]
    return fill_small_teams(reduced, seeds, min_size, max_size)


def repair_floor(
    reduced: GroupProblem, teams: list[list[int]], min_size: int, max_size: int, floor: int
) -> list[list[int]]:
    """Lift teams under a floor on their score with single moves and swaps of groups: for each team
    under it, the move or swap that most reduces the total shortfall (then costs the least score), as
    long as one reduces it. Cheap, so that the neighbourhood search starts near a floored partition."""
    teams = [list(team) for team in teams]
    team_of = {g: t for t, team in enumerate(teams) for g in team}
    sizes = [sum(reduced.sizes[g] for g in team) for team in teams]
    scores = reduced.team_scores(teams)

    def short(score: int) -> int:
        return max(0, floor - score)

    def link(g: int, t: int, without: int = -1) -> int:
        return sum(w for h, w in reduced.neighbours[g].items() if team_of[h] == t and h != without)

    for _ in range(len(reduced.groups)):
        best: tuple[int, int, int, int, int] | None = None  # (shortfall change, -score change, t, g, x)
        for t in (t for t in range(len(teams)) if scores[t] < floor):
            # Only groups that bring positive weight into the team can lift it.
            linked = {h for x in teams[t] for h, w in reduced.neighbours[x].items() if w > 0}
            linked.update(g for g in range(len(reduced.groups)) if reduced.inner[g] > 0)
            for g in sorted(linked):
                u = team_of[g]
                if u == t:
                    continue
                gain_t, loss_u = reduced.inner[g] + link(g, t), reduced.inner[g] + link(g, u)
                options = [(-1, gain_t, -loss_u)] if sizes[t] + reduced.sizes[g] <= max_size else []
                for x in teams[t]:
                    w = reduced.neighbours[g].get(x, 0)
                    out_t = reduced.inner[x] + link(x, t) + w
                    in_u = reduced.inner[x] + link(x, u) - w
                    options.append((x, gain_t - out_t, in_u - loss_u))
                for x, delta_t, delta_u in options:
                    size_x = reduced.sizes[x] if x >= 0 else 0
                    if not min_size <= sizes[u] - reduced.sizes[g] + size_x <= max_size:
                        continue
                    if not min_size <= sizes[t] + reduced.sizes[g] - size_x <= max_size:
                        continue
                    if not reduced.allowed_together(g, [h for h in teams[t] if h != x]):
                        continue
                    if x >= 0 and not reduced.allowed_together(x, [h for h in teams[u] if h != g]):
                        continue
                    change = (
                        short(scores[t] + delta_t)
                        + short(scores[u] + delta_u)
                        - short(scores[t])
                        - short(scores[u])
                    )
                    key = (change, -(delta_t + delta_u), t, g, x)
                    if change < 0 and (best is None or key < best):
                        best = key
        if best is None:
            break
        _, _, t, g, x = best
        u = team_of[g]
        teams[u].remove(g)
        teams[t].append(g)
        team_of[g] = t
        if x >= 0:
            teams[t].remove(x)
            teams[u].append(x)
            team_of[x] = u
        sizes = [sum(reduced.sizes[h] for h in team) for team in teams]
        scores = reduced.team_scores(teams)
    return [sorted(team) for team in teams]
