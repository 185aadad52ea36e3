"""The CP-SAT model of team formation.

x[g][t] puts group g in team t; a pair variable y[g, h] exists for pairs of groups with a non-zero
weight (y <= "same team" for positive weights, y >= for negative ones; both for the pairs a no-good cut
names). Team labels are canonical (team t's first group comes before team t+1's), which removes the k!
relabelings of each partition. A degree cut (the groups sharing g's team weigh at most max_size minus
g's size) lifts the bound; small problems also get a variable for every pair with triangle and
team-size rows, which bound much more tightly at a cost cubic in the number of groups.

A floor on every team's score (`floor`, scaled) adds, per team, a variable for each weighted pair that
the team may hold (z[g, h, t] = x[g][t] and x[h][t], one-sided like y) and the row "inner weights plus
sum of w z >= floor".
"""

from __future__ import annotations

from collections.abc import Sequence

from ortools.sat.python import cp_model

from sobrindustrie.engines.teams.groups import GroupProblem, canonical_labels

EXACT_PAIRS_UP_TO = 40
"""Problems with at most this many groups get the exact pair model (and one worker by default)."""


def make_solver(time_limit_s: float, seed: int, workers: int) -> cp_model.CpSolver:
    """A CP-SAT solver with a time limit, a seed and a fixed number of workers. With one worker the
    search is deterministic whenever it ends before the time limit."""
    solver = cp_model.CpSolver()
    solver.parameters.max_time_in_seconds = time_limit_s
    solver.parameters.random_seed = seed
    solver.parameters.num_workers = workers
    return solver


class TeamModel:
    """The CP-SAT model of a reduced problem. With `exact_pairs` (small problems) every pair of groups
    gets a variable equal to "same team", with triangle and team-size rows: a much tighter bound, at a
    cost cubic in the number of groups."""

    def __init__(
        self,
        reduced: GroupProblem,
        k: int,
        min_size: int,
        max_size: int,
        exact_pairs: bool,
        floor: int | None = None,
    ) -> None:
        self.reduced, self.k = reduced, k
        model = self.model = cp_model.CpModel()
        n = len(reduced.groups)
        # Canonical labels: group g can only be in teams 0..g (team t's first group has index >= t).
        self.x = [[model.new_bool_var(f"x{g}_{t}") for t in range(min(k, g + 1))] for g in range(n)]
        for row in self.x:
            model.add_exactly_one(row)
        for t in range(k):
            ids = list(range(t, n))
            load = cp_model.LinearExpr.weighted_sum(
                [self.x[g][t] for g in ids], [reduced.sizes[g] for g in ids]
            )
            model.add_linear_constraint(load, min_size, max_size)
        self.opened: dict[tuple[int, int], cp_model.IntVar] = {}
        self._break_symmetry()
        for g, h in sorted(reduced.cannot):
            for t in range(min(len(self.x[g]), len(self.x[h]))):
                model.add_bool_or(~self.x[g][t], ~self.x[h][t])
        self.y: dict[tuple[int, int], cp_model.IntVar] = {}
        self._upper: set[tuple[int, int]] = set()
        self._lower: set[tuple[int, int]] = set()
        for pair, w in sorted(reduced.weights.items()):
            self.pair_var(pair, upper=w > 0, lower=w < 0)
        self._degree_cuts(max_size)
        if exact_pairs:
            self._triangles(min_size, max_size)
        pairs = sorted(reduced.weights)
        objective = cp_model.LinearExpr.weighted_sum(
            [self.y[p] for p in pairs], [reduced.weights[p] for p in pairs]
        )
        if floor is not None:
            for score in self.team_scores():
                model.add(score >= floor)
        model.maximize(objective)

    def team_scores(self) -> list[cp_model.LinearExpr]:
        """Each team's scaled score (inner weights of its groups plus the pairs it holds), as
        expressions over new per-team pair variables."""
        model, reduced, x = self.model, self.reduced, self.x
        scores = []
        for t in range(self.k):
            variables = [x[g][t] for g in range(len(x)) if t < len(x[g]) and reduced.inner[g] != 0]
            coefs = [reduced.inner[g] for g in range(len(x)) if t < len(x[g]) and reduced.inner[g] != 0]
            for (g, h), w in sorted(reduced.weights.items()):
                if t >= min(len(x[g]), len(x[h])):
                    continue
                z = model.new_bool_var(f"z{g}_{h}_{t}")
                if w > 0:
                    model.add_implication(z, x[g][t])
                    model.add_implication(z, x[h][t])
                else:
                    model.add_bool_or(~x[g][t], ~x[h][t], z)
                variables.append(z)
                coefs.append(w)
            scores.append(cp_model.LinearExpr.weighted_sum(variables, coefs))
        return scores

    def _break_symmetry(self) -> None:
        # opened[g, t]: team t may hold one of the groups 0..g (an upper bound is all that is needed);
        # team t >= 1 can take group g only if team t - 1 holds an earlier group.
        model, k = self.model, self.k
        previous: list[cp_model.IntVar] = []
        for g, row in enumerate(self.x):
            for t in range(1, len(row)):
                model.add_implication(row[t], previous[t - 1])
            current = []
            for t in range(min(len(row), k - 1)):
                opened = self.opened[(g, t)] = model.new_bool_var(f"open{g}_{t}")
                if t < len(previous):
                    model.add_bool_or(~opened, previous[t], row[t])
                else:
                    model.add_implication(opened, row[t])
                current.append(opened)
            previous = current

    def pair_var(self, pair: tuple[int, int], *, upper: bool, lower: bool) -> cp_model.IntVar:
        """y[g, h], linked to "g and h share a team": y <= same when `upper`, y >= same when `lower`."""
        g, h = pair
        y = self.y.get(pair)
        if y is None:
            y = self.y[pair] = self.model.new_bool_var(f"y{g}_{h}")
        if upper and pair not in self._upper:
            self._upper.add(pair)
            for t in range(self.k):
                xg = self.x[g][t] if t < len(self.x[g]) else None
                xh = self.x[h][t] if t < len(self.x[h]) else None
                for a, b in ((xg, xh), (xh, xg)):
                    if a is not None:
                        self.model.add_bool_or([~y, ~a] + ([b] if b is not None else []))
        if lower and pair not in self._lower:
            self._lower.add(pair)
            for t in range(min(len(self.x[g]), len(self.x[h]))):
                self.model.add_bool_or(~self.x[g][t], ~self.x[h][t], y)
        return y

    def _degree_cuts(self, max_size: int) -> None:
        # The groups sharing g's team weigh at most max_size - size(g): valid, and it lifts the LP bound.
        sizes = self.reduced.sizes
        for g, row in enumerate(self.reduced.neighbours):
            partners = [h for h, w in row.items() if w > 0]
            if sum(sizes[h] for h in partners) > max_size - sizes[g]:
                pairs = [(min(g, h), max(g, h)) for h in partners]
                load = cp_model.LinearExpr.weighted_sum(
                    [self.y[p] for p in pairs], [sizes[h] for h in partners]
                )
                self.model.add(load <= max_size - sizes[g])

    def _triangles(self, min_size: int, max_size: int) -> None:
        n, sizes = len(self.x), self.reduced.sizes
        y = {(g, h): self.pair_var((g, h), upper=True, lower=True) for g in range(n) for h in range(g + 1, n)}
        for g in range(n):
            for h in range(g + 1, n):
                for i in range(h + 1, n):
                    a, b, c = y[(g, h)], y[(h, i)], y[(g, i)]
                    self.model.add(a + b - c <= 1)
                    self.model.add(a - b + c <= 1)
                    self.model.add(b + c - a <= 1)
        for g in range(n):
            others = [h for h in range(n) if h != g]
            load = cp_model.LinearExpr.weighted_sum(
                [y[(min(g, h), max(g, h))] for h in others], [sizes[h] for h in others]
            )
            self.model.add_linear_constraint(load, min_size - sizes[g], max_size - sizes[g])

    def hint(self, teams: Sequence[Sequence[int]]) -> None:
        """Start the search from a partition (a complete, feasible hint)."""
        team_of = canonical_labels(teams)
        self.model.clear_hints()  # type: ignore[no-untyped-call]
        for g, row in enumerate(self.x):
            for t, var in enumerate(row):
                self.model.add_hint(var, team_of[g] == t)
        for (g, h), var in self.y.items():
            self.model.add_hint(var, team_of[g] == team_of[h])
        first: dict[int, int] = {}
        for g, t in sorted(team_of.items()):
            first.setdefault(t, g)
        for (g, t), var in self.opened.items():
            self.model.add_hint(var, first[t] <= g)

    def exclude(self, teams: Sequence[Sequence[int]]) -> None:
        """No-good cut: some pair that shares a team in `teams` must be apart (distinct partition)."""
        together = {(min(g, h), max(g, h)) for team in teams for g in team for h in team if g != h}
        variables = [self.pair_var(pair, upper=True, lower=True) for pair in sorted(together)]
        self.model.add(sum(variables) <= len(variables) - 1)

    def teams_of(self, solver: cp_model.CpSolver) -> list[list[int]]:
        teams: list[list[int]] = [[] for _ in range(self.k)]
        for g, row in enumerate(self.x):
            teams[next(t for t, var in enumerate(row) if solver.boolean_value(var))].append(g)
        return teams


def shortfall(reduced: GroupProblem, teams: Sequence[Sequence[int]], floor: int | None) -> int:
    """Total scaled amount by which teams fall short of the floor (0 without a floor)."""
    if floor is None:
        return 0
    return sum(max(0, floor - score) for score in reduced.team_scores(teams))


def quality(reduced: GroupProblem, teams: Sequence[Sequence[int]], floor: int | None) -> tuple[int, int]:
    """Comparable quality of a partition: least shortfall below the floor first, then the score."""
    return -shortfall(reduced, teams, floor), reduced.value(teams)
