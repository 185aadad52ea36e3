"""Upper bounds on the best partition's objective, for problems too large for CP-SAT to bound well.

The LP bound relaxes "y[g, h] = 1 when g and h share a team" to 0 <= y <= 1, with the rows every
partition satisfies: the team capacity seen from each group (sum of partner sizes <= max_size - own
size), triangles (y[g, a] + y[g, b] - y[a, b] <= 1), y = 0 on cannot-link pairs and, when the number
of teams is given, the most pairs of organisations k teams can hold (`pair_capacity`) and, for each group
smaller than min_size, the team-mates it must still have (those it has no pair variable with make a
filler variable whose pairs count in that total: see `_PairLP`). It starts from the weighted pairs; a
pair of groups gets its variable when a row first names it (a triangle whose third pair is not yet in
the LP, a cut), and triangles enter only once the LP point violates them. GLOP's dual simplex solves it,
each round warm-started from the previous basis. The bound reported is recomputed from the row duals
(weak duality with the variables' box), so it is valid whatever the solver's tolerances or time limit.

Every row counts every pair it needs, in the LP or not: a cut that left out a pair of groups absent from
the LP (as 2-partition cuts did when only pairs two links apart had variables) could exclude a team
every rule allows, and the bound could fall below the optimum.

Alone, that LP is weak on sparse weights: a hub spreads y = 0.3 to a dozen partners that share no pair
among themselves, which triangles and the capacity row allow. Cutting planes fix it: rounds add the
rows the LP point violates, of two families that every partition satisfies, and re-solve:

- 2-partition inequalities (Groetschel and Wakabayashi): for a group g and a set H of its partners,
  sum of y[g, h] over H - sum of y over the pairs of H <= 1 (if g's team holds t groups of H, the left
  side is t - t(t-1)/2). Triangles are the case |H| = 2. They cut the hubs.
- capacity cuts: for a set W of groups too large for one team, sum of y over the pairs of W is at most
  the most pairs teams of at most max_size can hold (a clique of 8 organisations in teams of 7 holds 21
  of its 28 pairs). They cut dense clusters.
- local cuts (in the spirit of Applegate, Bixby, Chvatal and Cook's for the TSP): for a group and its
  LOCAL_CUT_SIZE - 1 partners of largest y, a small LP finds the inequality on the pairs of that set W
  that the LP point violates most among those every partition of W into parts of at most max_size
  organisations satisfies; coefficients are rounded to integers and the right-hand side recomputed
  exactly over those partitions, so the row holds for every partition of the groups (restricted to W,
  it is one of them). They cut what 2-partition and capacity cuts leave: overlapping fractional teams.
"""

from __future__ import annotations

import pickle
import subprocess
import sys
import time
from collections import defaultdict
from datetime import timedelta
from functools import lru_cache

import numpy as np
import numpy.typing as npt
from ortools.linear_solver import pywraplp
from ortools.math_opt.python import mathopt

from sobrindustrie.engines.teams.groups import GroupProblem

Pair = tuple[int, int]

CUT_ROUNDS = 60
"""At most this many rounds of cuts are added to the pair LP (each round re-solves it; the time limit
and the lack of violated cuts usually end them first)."""

STAR_CUTS_PER_GROUP = 3
"""2-partition inequalities separated per group and round (each from the partners the previous left)."""

CUT_EXTRA = 3
"""Capacity cuts look at sets of groups up to this much larger than a team."""

CUT_EPSILON = 0.05
"""LP pair values below this are ignored when growing the sets of a capacity cut."""

CUT_VIOLATION = 0.05
"""A capacity cut enters when the LP point exceeds its right-hand side by more than this."""

LOCAL_CUT_SIZE = 8
"""Local cuts look at a group and its partners of largest y, this many groups in all (4,140 partitions)."""

LOCAL_CUT_SECONDS = 3.0
"""Time given to local cuts in each round."""

LOCAL_CUT_START = 0.2
"""Share of the time limit after which rounds add local cuts (earlier rounds get more from the cheap
families), unless these run out first."""

LOCAL_CUT_SCALE = 20
"""Local cut coefficients are the separating LP's, in [-1, 1], times this, rounded to integers."""

LOCAL_CUT_VIOLATION = 0.02
"""A local cut enters when the LP point exceeds it by more than this (per unit of its largest coefficient)."""

TRIANGLE_VIOLATION = 1e-6
"""A triangle row enters the LP when the point exceeds it by more than this."""


def capacity_bound(problem: GroupProblem, max_size: int) -> float:
    """Scaled bound: each group earns at most its best positive links that fit in a team (fractional
    knapsack on partner sizes), every pair counted from both ends."""
    total = 0.0
    for g, row in enumerate(problem.neighbours):
        room = float(max_size - problem.sizes[g])
        partners = sorted(
            ((h, w) for h, w in row.items() if w > 0), key=lambda p: -p[1] / problem.sizes[p[0]]
        )
        for h, w in partners:
            take = min(1.0, room / problem.sizes[h])
            if take <= 0:
                break
            total += w * take
            room -= problem.sizes[h] * take
    return total / 2


def lp_bound(
    problem: GroupProblem,
    max_size: int,
    time_limit_s: float,
    cut_rounds: int = CUT_ROUNDS,
    teams: tuple[int, int] | None = None,
) -> float | None:
    """Scaled bound from the triangle LP (module docstring) tightened by up to `cut_rounds` rounds of
    cuts, or None when the solver returns no duals. Each solve's bound is valid on its own (its rows
    hold for every partition): the smallest is returned. `teams` (k, min_size), when given, adds the
    row on the number of pairs k teams can hold (`pair_capacity`) and each small group's least
    team-mates, counted in it (`_PairLP`)."""
    deadline = time.monotonic() + time_limit_s
    lp = _PairLP(
        problem,
        max_size,
        None if teams is None else pair_capacity(problem, teams[0], teams[1], max_size),
        None if teams is None else teams[1],
    )
    local = LocalCuts(problem, max_size)
    best: float | None = None
    seen: set[frozenset[int]] = set()
    rounds = 0
    while True:
        remaining = deadline - time.monotonic()
        if remaining <= 0 and best is not None:
            break
        solved = lp.solve(max(0.1, remaining))
        if solved is None:
            break
        values, duals = solved
        bound = _dual_bound(problem, lp.pairs, lp.rows, duals)
        best = bound if best is None else min(best, bound)
        # Triangles are rows of the LP itself, added when the point violates them; cuts come on top.
        new = triangle_cuts(values)
        if rounds < cut_rounds:
            cuts = star_cuts(values, seen) + capacity_cuts(problem, values, max_size, seen)
            if not (new or cuts) or time.monotonic() > deadline - (1 - LOCAL_CUT_START) * time_limit_s:
                cuts += local.cuts(values, min(deadline, time.monotonic() + LOCAL_CUT_SECONDS))
            rounds += bool(cuts)
            new += cuts
        if not new:
            break
        for row in new:
            lp.add(row)
    return best


def pair_capacity(problem: GroupProblem, k: int, min_size: int, max_size: int) -> int:
    """The most pairs of organisations from different groups that k teams of min_size to max_size
    organisations can hold: sum s(s - 1)/2 over team sizes s is convex, so it is largest with the
    sizes as unequal as the bounds allow (teams filled to max_size one after another from min_size),
    less the pairs inside groups, which every partition holds."""
    left = sum(problem.sizes) - k * min_size
    pairs = 0
    for _ in range(k):
        size = min_size + max(0, min(max_size - min_size, left))
        left -= size - min_size
        pairs += size * (size - 1) // 2
    return pairs - sum(size * (size - 1) // 2 for size in problem.sizes)


APART_FROM = 10.0
"""`lp_bound_apart` runs the LP in a process of its own when given at least this many seconds (below,
the interpreter's start-up, about a second, costs more than the interpreter lock it spares)."""


def lp_bound_apart(
    problem: GroupProblem, max_size: int, time_limit_s: float, teams: tuple[int, int] | None = None
) -> float | None:
    """`lp_bound` in a child interpreter (`python -m sobrindustrie.engines.teams.bounds`), so that its
    cut separation, which is Python, does not share the interpreter lock with the caller's search:
    on two cores each gets one. The child gets the problem and an absolute deadline (wall clock) by
    standard input and answers on standard output. With less than APART_FROM seconds, or when the
    child cannot be started or answers nothing usable, the LP runs here instead (in the time left)."""
    deadline = time.time() + time_limit_s
    if time_limit_s >= APART_FROM and sys.executable:
        try:
            child = subprocess.run(
                [sys.executable, "-m", "sobrindustrie.engines.teams.bounds"],
                input=pickle.dumps((problem, max_size, deadline, teams)),
                capture_output=True,
                timeout=time_limit_s + 30,
                check=True,
            )
            answer = pickle.loads(child.stdout)
            if answer is None or isinstance(answer, float):
                return answer
        except (OSError, subprocess.SubprocessError, pickle.UnpicklingError, EOFError):
            pass
    return lp_bound(problem, max_size, max(1.0, deadline - time.time()), teams=teams)


def _child() -> None:
    """The child of `lp_bound_apart`: reads (problem, max_size, deadline, teams), writes the bound."""
    problem, max_size, deadline, teams = pickle.loads(sys.stdin.buffer.read())
    bound = lp_bound(problem, max_size, max(1.0, deadline - time.time()), teams=teams)
    sys.stdout.buffer.write(pickle.dumps(None if bound is None else float(bound)))


FILL = -1
"""Second index of the pseudo-pair (g, FILL) naming group g's filler variable in the pair LP's rows."""


class _PairLP:
    """The pair LP solved by GLOP's dual simplex, each solve warm-started from the previous basis (the
    rows added since enter with their slack basic). It starts from the weighted pairs and each group's
    capacity row; a pair of groups gets its variable (and its terms in both capacity rows) when a row
    first names it: a pair in no other row would stay at 0 anyway.

    With `min_size`, each group g also gets a filler variable: the share of its room (max_size - its
    size) taken by team-mates it has no pair variable with, so that the rows can say what every
    partition does with a group that has few or no weighted partners: its team still holds min_size
    organisations (a row per group smaller than that), and those team-mates' pairs count in the pairs
    k teams can hold (`pair_capacity`). Without it, the LP leaves such groups alone at no cost, and
    spends the pairs they would take on its densest teams: at 300 organisations the bound fell by
    0.3 to 0.6 % with it (15,757 to 15,712 on the bench's instance, 14,372 to 14,285 on seed 2026's). Its rows name it as the pseudo-pair (g, FILL), whose weight is 0 and bound 1, which
    `_dual_bound` reads like any pair."""

    def __init__(
        self, problem: GroupProblem, max_size: int, pair_room: int | None = None, min_size: int | None = None
    ) -> None:
        self.problem = problem
        self.model = mathopt.Model()
        self.solver = mathopt.IncrementalSolver(self.model, mathopt.SolverType.GLOP)
        self.pairs: set[Pair] = set()
        self.y: dict[Pair, mathopt.Variable] = {}
        self.rows: list[tuple[list[Pair], list[int], int]] = []
        self.constraints: list[mathopt.LinearConstraint] = []
        self.capacity: list[tuple[mathopt.LinearConstraint, list[Pair], list[int]]] = []
        self.basis: mathopt.Basis | None = None
        self.total: tuple[mathopt.LinearConstraint, list[Pair], list[int]] | None = None
        for size in problem.sizes:
            constraint = self.model.add_linear_constraint(ub=float(max_size - size))
            row: tuple[list[Pair], list[int], int] = ([], [], max_size - size)
            self.capacity.append((constraint, row[0], row[1]))
            self.rows.append(row)
            self.constraints.append(constraint)
        if pair_room is not None:
            # Every pair of organisations of two groups sharing a team, at most pair_room in all, each
            # counted twice (a filler's pairs are counted once from each end).
            constraint = self.model.add_linear_constraint(ub=float(2 * pair_room))
            total: tuple[list[Pair], list[int], int] = ([], [], 2 * pair_room)
            self.total = (constraint, total[0], total[1])
            self.rows.append(total)
            self.constraints.append(constraint)
        self.least: dict[int, tuple[mathopt.LinearConstraint, list[Pair], list[int]]] = {}
        if min_size is not None:
            self._fillers(max_size, min_size)
        for p in sorted(problem.weights):
            self._variable(p)
        self.model.maximize(
            mathopt.LinearSum(problem.weights[p] * self.y[p] for p in sorted(problem.weights))
        )

    def _fillers(self, max_size: int, min_size: int) -> None:
        """Group g's filler f (0 to 1): its team-mates without a pair variable weigh f (max_size -
        size(g)) organisations, in g's capacity row and (their pairs) in the total; groups smaller than
        min_size get the row "team-mates weigh at least min_size - size(g)", as -(...) <= -(...)."""
        for g, size in enumerate(self.problem.sizes):
            room = max_size - size
            if room <= 0:
                continue
            fill = self.model.add_variable(lb=0.0, ub=1.0)
            self.pairs.add((g, FILL))
            terms = [(self.capacity[g], room)]
            if self.total is not None:
                terms.append((self.total, size * room))
            if size < min_size:
                constraint = self.model.add_linear_constraint(ub=float(size - min_size))
                row: tuple[list[Pair], list[int], int] = ([], [], size - min_size)
                self.least[g] = (constraint, row[0], row[1])
                self.rows.append(row)
                self.constraints.append(constraint)
                terms.append((self.least[g], -room))
            for (constraint, row_pairs, row_coefs), coef in terms:
                constraint.set_coefficient(fill, float(coef))
                row_pairs.append((g, FILL))
                row_coefs.append(coef)

    def _variable(self, p: Pair) -> mathopt.Variable:
        var = self.y.get(p)
        if var is None:
            var = self.model.add_variable(lb=0.0, ub=0.0 if p in self.problem.cannot else 1.0)
            self.y[p] = var
            self.pairs.add(p)
            for g, h in (p, p[::-1]):
                terms = [(self.capacity[g], self.problem.sizes[h])]
                if g in self.least:
                    terms.append((self.least[g], -self.problem.sizes[h]))
                for (constraint, row_pairs, row_coefs), coef in terms:
                    constraint.set_coefficient(var, float(coef))
                    row_pairs.append(p)
                    row_coefs.append(coef)
            if self.total is not None:
                constraint, row_pairs, row_coefs = self.total
                coef = 2 * self.problem.sizes[p[0]] * self.problem.sizes[p[1]]
                constraint.set_coefficient(var, float(coef))
                row_pairs.append(p)
                row_coefs.append(coef)
        return var

    def add(self, row: tuple[list[Pair], list[int], int]) -> None:
        pairs, coefs, rhs = row
        expr = mathopt.LinearSum(c * self._variable(p) for p, c in zip(pairs, coefs, strict=True))
        self.constraints.append(self.model.add_linear_constraint(expr <= rhs))
        self.rows.append(row)

    def solve(self, time_limit_s: float) -> tuple[dict[Pair, float], list[float]] | None:
        """Pair values and row duals, or None when GLOP returns no dual solution."""
        params = mathopt.SolveParameters(
            lp_algorithm=mathopt.LPAlgorithm.DUAL_SIMPLEX,
            presolve=mathopt.Emphasis.OFF,
            time_limit=timedelta(seconds=time_limit_s),
            threads=1,
        )
        model_params = None
        if self.basis is not None:
            variables = dict(self.basis.variable_status)
            for var in self.y.values():
                variables.setdefault(var, mathopt.BasisStatus.AT_LOWER_BOUND)
            constraints = dict(self.basis.constraint_status)
            for con in self.constraints:
                constraints.setdefault(con, mathopt.BasisStatus.BASIC)
            model_params = mathopt.ModelSolveParameters(
                initial_basis=mathopt.Basis(variable_status=variables, constraint_status=constraints)
            )
        result = self.solver.solve(params=params, model_params=model_params)
        if not result.has_dual_feasible_solution() and not result.solutions:
            return None
        try:
            duals = result.dual_values(self.constraints)
            values = result.variable_values(list(self.y.values()))
        except (ValueError, KeyError):
            return None
        if result.solutions and result.solutions[0].basis is not None:
            self.basis = result.solutions[0].basis
        point = {p: float(v) for p, v in zip(self.y, values, strict=True)}
        return point, [float(d) for d in duals]


def _key(a: int, b: int) -> Pair:
    return (a, b) if a < b else (b, a)


def triangle_cuts(values: dict[Pair, float]) -> list[tuple[list[Pair], list[int], int]]:
    """Rows "y[g, a] + y[g, b] - y[a, b] <= 1" that the LP point `values` violates (a pair absent from
    `values` is at 0), found from each group's partners with y above 0: whatever the pair (a, b), weighted,
    two links apart or not yet in the LP."""
    near: dict[int, list[tuple[float, int]]] = defaultdict(list)
    for (g, h), v in values.items():
        if v > TRIANGLE_VIOLATION:
            near[g].append((v, h))
            near[h].append((v, g))
    cuts: list[tuple[list[Pair], list[int], int]] = []
    for g in sorted(near):
        partners = sorted(near[g], reverse=True)
        for i, (va, a) in enumerate(partners):
            for vb, b in partners[i + 1 :]:
                if va + vb <= 1 + TRIANGLE_VIOLATION:
                    break
                if va + vb - values.get(_key(a, b), 0.0) > 1 + TRIANGLE_VIOLATION:
                    cuts.append(([_key(g, a), _key(g, b), _key(a, b)], [1, 1, -1], 1))
    return cuts


def star_cuts(
    values: dict[Pair, float], seen: set[frozenset[int]]
) -> list[tuple[list[Pair], list[int], int]]:
    """Rows "sum of y[g, h] over h in H - sum of y over the pairs of H <= 1" (2-partition inequalities:
    if g's team holds t groups of H, the left side is t - t(t-1)/2 <= 1) violated by `values`: from each
    group g, H takes its partners by decreasing y[g, h] while each adds more than it costs, then again
    from the partners left (at most STAR_CUTS_PER_GROUP sets per group). Each (g, H) once (`seen` holds H with -1 - g, apart from capacity cuts' sets)."""
    near: dict[int, dict[int, float]] = defaultdict(dict)
    for (g, h), v in values.items():
        if v > CUT_EPSILON:
            near[g][h] = v
            near[h][g] = v

    def key(a: int, b: int) -> Pair:
        return (a, b) if a < b else (b, a)

    cuts: list[tuple[list[Pair], list[int], int]] = []
    for g in sorted(near):
        left = sorted(near[g].items(), key=lambda item: (-item[1], item[0]))
        for _ in range(STAR_CUTS_PER_GROUP):
            chosen: list[int] = []
            total = 0.0
            for h, v in left:
                gain = v - sum(near[h].get(u, 0.0) for u in chosen)
                if gain > CUT_EPSILON:
                    chosen.append(h)
                    total += gain
            if len(chosen) < 3 or total <= 1 + CUT_VIOLATION:
                break
            left = [item for item in left if item[0] not in chosen]
            mark = frozenset([-1 - g, *chosen])
            if mark in seen:
                continue
            seen.add(mark)
            chosen.sort()
            inner = [key(a, b) for i, a in enumerate(chosen) for b in chosen[i + 1 :]]
            row = [key(g, h) for h in chosen] + inner
            cuts.append((row, [1] * len(chosen) + [-1] * len(inner), 1))
    return cuts


def capacity_cuts(
    problem: GroupProblem,
    values: dict[Pair, float],
    max_size: int,
    seen: set[frozenset[int]],
) -> list[tuple[list[Pair], list[int], int]]:
    """Rows "sum of y over the pairs of W <= most_pairs(W)" that the LP point `values` violates, for sets W
    of groups too large for one team (most_pairs: the most pairs of W that teams of at most max_size
    can hold together). From each group, W grows by the group most bound to it by the LP (the largest
    sum of y to its members); the most violated prefix is kept, once per set (`seen`)."""
    near: dict[int, dict[int, float]] = defaultdict(dict)
    for (g, h), v in values.items():
        if v > CUT_EPSILON:
            near[g][h] = v
            near[h][g] = v
    cuts: list[tuple[list[Pair], list[int], int]] = []
    for g in sorted(near):
        members, size, inside = [g], problem.sizes[g], 0.0
        ties = dict(near[g])
        best: tuple[float, list[int]] | None = None
        while ties and size <= max_size + CUT_EXTRA:
            h = max(ties, key=lambda u: (ties[u], -u))
            inside += ties.pop(h)
            members.append(h)
            size += problem.sizes[h]
            for u, v in near[h].items():
                if u not in members:
                    ties[u] = ties.get(u, 0.0) + v
            if size > max_size:
                violation = inside - most_pairs(tuple(sorted(problem.sizes[u] for u in members)), max_size)
                if violation > CUT_VIOLATION and (best is None or violation > best[0]):
                    best = (violation, list(members))
        if best is None or frozenset(best[1]) in seen:
            continue
        seen.add(frozenset(best[1]))
        ordered = sorted(best[1])
        row = [(a, b) for i, a in enumerate(ordered) for b in ordered[i + 1 :]]
        rhs = most_pairs(tuple(sorted(problem.sizes[u] for u in ordered)), max_size)
        cuts.append((row, [1] * len(row), rhs))
    return cuts


class LocalCuts:
    """Local cuts (module docstring), one separating LP per tuple of sizes, kept between rounds (GLOP
    re-solves it from the last basis when only the objective, the LP point, changes)."""

    def __init__(self, problem: GroupProblem, max_size: int) -> None:
        self.problem = problem
        self.max_size = max_size
        self.lps: dict[tuple[int, ...], tuple[pywraplp.Solver, list[pywraplp.Variable]]] = {}
        self.seen: set[tuple[frozenset[int], tuple[int, ...]]] = set()

    def cuts(self, values: dict[Pair, float], deadline: float) -> list[tuple[list[Pair], list[int], int]]:
        """Violated local cuts, from the groups whose LP pairs are the most fractional first, until the
        deadline."""
        near: dict[int, dict[int, float]] = defaultdict(dict)
        for (g, h), v in values.items():
            if v > TRIANGLE_VIOLATION:
                near[g][h] = v
                near[h][g] = v
        order = sorted(near, key=lambda g: (-sum(v * (1 - v) for v in near[g].values()), g))
        cuts: list[tuple[list[Pair], list[int], int]] = []
        for g in order:
            if time.monotonic() > deadline:
                break
            partners = sorted(near[g], key=lambda h: (-near[g][h], h))[: LOCAL_CUT_SIZE - 1]
            if len(partners) < 3:
                continue
            members = sorted([g, *partners], key=lambda u: (self.problem.sizes[u], u))
            cut = self.separate(members, values)
            if cut is not None:
                cuts.append(cut)
        return cuts

    def separate(
        self, members: list[int], values: dict[Pair, float]
    ) -> tuple[list[Pair], list[int], int] | None:
        """The row on the pairs of `members` (sorted by size) violated most by `values`, with integer
        coefficients and the exact right-hand side, or None."""
        sizes = tuple(self.problem.sizes[u] for u in members)
        if sizes not in self.lps:
            self.lps[sizes] = self._separating_lp(sizes)
        solver, coefficients = self.lps[sizes]
        pairs = [_key(a, b) for i, a in enumerate(members) for b in members[i + 1 :]]
        point = np.array([values.get(p, 0.0) for p in pairs])
        objective = solver.Objective()
        for var, v in zip(coefficients, point, strict=True):
            objective.SetCoefficient(var, float(v))
        if solver.Solve() != pywraplp.Solver.OPTIMAL or objective.Value() < LOCAL_CUT_VIOLATION:
            return None
        coefs = np.array(
            [round(var.solution_value() * LOCAL_CUT_SCALE) for var in coefficients], dtype=np.int64
        )
        if not coefs.any():
            return None
        rhs = int((partition_vectors(sizes, self.max_size) @ coefs).max())
        if float(point @ coefs) - rhs <= LOCAL_CUT_VIOLATION * float(np.abs(coefs).max()):
            return None
        mark = (frozenset(members), tuple(int(c) for c in coefs))
        if mark in self.seen:
            return None
        self.seen.add(mark)
        kept = [(p, int(c)) for p, c in zip(pairs, coefs, strict=True) if c]
        return [p for p, _ in kept], [c for _, c in kept], rhs

    def _separating_lp(self, sizes: tuple[int, ...]) -> tuple[pywraplp.Solver, list[pywraplp.Variable]]:
        """max point . a - t over a in [-1, 1]^pairs and t, with a . x <= t for every partition vector x."""
        solver = pywraplp.Solver.CreateSolver("GLOP")
        coefficients = [solver.NumVar(-1.0, 1.0, "") for _ in range(len(sizes) * (len(sizes) - 1) // 2)]
        top = solver.NumVar(-solver.infinity(), solver.infinity(), "")
        for vector in partition_vectors(sizes, self.max_size):
            row = solver.Constraint(-solver.infinity(), 0.0)
            row.SetCoefficient(top, -1.0)
            for var, x in zip(coefficients, vector, strict=True):
                if x:
                    row.SetCoefficient(var, 1.0)
        solver.Objective().SetCoefficient(top, -1.0)
        solver.Objective().SetMaximization()
        return solver, coefficients


@lru_cache(maxsize=64)
def partition_vectors(sizes: tuple[int, ...], capacity: int) -> npt.NDArray[np.int64]:
    """One row per partition of groups of the given sizes into parts of total size at most `capacity`:
    1 on the pairs (in the order (0, 1), (0, 2), ..., (1, 2), ...) that share a part."""
    n = len(sizes)
    rows: list[list[int]] = []
    label = [0] * n

    def place(i: int, parts: int, loads: list[int]) -> None:
        if i == n:
            rows.append([int(label[a] == label[b]) for a in range(n) for b in range(a + 1, n)])
            return
        for part in range(parts + 1):
            load = loads[part] if part < parts else 0
            if load + sizes[i] > capacity:
                continue
            label[i] = part
            if part < parts:
                loads[part] += sizes[i]
                place(i + 1, parts, loads)
                loads[part] -= sizes[i]
            else:
                place(i + 1, parts + 1, [*loads, sizes[i]])

    place(0, 0, [])
    return np.array(rows, dtype=np.int64).reshape(-1, n * (n - 1) // 2)


@lru_cache(maxsize=4096)
def most_pairs(sizes: tuple[int, ...], capacity: int) -> int:
    """The most pairs of groups (of the given sorted sizes) that parts of total size at most `capacity`
    hold together, over every way of splitting the groups into such parts."""
    if len(sizes) < 2:
        return 0
    first, rest = sizes[0], sizes[1:]
    best = most_pairs(rest, capacity)  # the first group alone
    # The first group's part: the others in it, chosen as counts of each size (sizes repeat).
    counts: dict[int, int] = defaultdict(int)
    for s in rest:
        counts[s] += 1
    kinds = sorted(counts)

    def parts(i: int, room: int) -> list[tuple[int, ...]]:
        if i == len(kinds):
            return [()]
        out = []
        for c in range(min(counts[kinds[i]], room // kinds[i]) + 1):
            out += [(c, *tail) for tail in parts(i + 1, room - c * kinds[i])]
        return out

    for choice in parts(0, capacity - first):
        taken = sum(choice)
        if not taken:
            continue
        left: list[int] = []
        for kind, c in zip(kinds, choice, strict=True):
            left += [kind] * (counts[kind] - c)
        together = taken + 1
        best = max(best, together * (together - 1) // 2 + most_pairs(tuple(left), capacity))
    return best


def _dual_bound(
    problem: GroupProblem, pairs: set[Pair], rows: list[tuple[list[Pair], list[int], int]], duals: list[float]
) -> float:
    """max c.y s.t. A y <= b, 0 <= y <= u is at most b.l + sum(max(0, c - A'l) u) for any l >= 0."""
    reduced = {p: float(problem.weights.get(p, 0)) for p in pairs}
    bound = 0.0
    for (row, coefs, rhs), dual in zip(rows, duals, strict=True):
        dual = max(0.0, dual)
        bound += dual * rhs
        for p, c in zip(row, coefs, strict=True):
            reduced[p] -= dual * c
    bound += sum(max(0.0, c) for p, c in reduced.items() if p not in problem.cannot)
    # Guard against rounding in the sums above.
    return bound * (1 + 1e-9) + 1e-6


if __name__ == "__main__":
    _child()
