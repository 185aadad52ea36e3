"""A bound that proves, for problems too large for the pair model: set partitioning by column generation.

The partition problem is rewritten over columns (a column is a team: groups whose sizes add up to
[min_size, max_size], no cannot-link pair inside, worth the weights between its groups):

    maximise  sum_S c_S l_S   subject to   sum_{S containing g} l_S = 1 for every group g,
                                           sum_S l_S = k,   l_S in {0, 1}.

Its linear relaxation is tight for clustering with size limits (a fractional solution must spread the
count k and every group's unit over whole teams, which the pair model's rows cannot express), but has
a column per possible team. Column generation keeps a few: GLOP solves the restricted master, its duals
(pi per group, mu for the count) price the missing teams (reduced cost c_S - pi(S) - mu), a greedy
pricing from every group adds the teams that pay, and CP-SAT prices exactly when the greedy finds none.

The bound is a Lagrangian one, valid for any duals: every partition has exactly k teams, so its value is
sum_S c_S = sum_g pi_g + k mu + sum_S (c_S - pi(S) - mu) <= sum_g pi_g + k mu + k * R, where R is any
upper bound on the largest reduced cost over all teams. R comes from CP-SAT's own bound on the pricing
problem (proven or not, with the duals rounded down so that rounding can only raise it), so the bound
holds whenever the search stops. At the end of column generation R <= 0 and the bound is the LP optimum.

The columns found also make a restricted integer master: CP-SAT chooses k of them covering every group
once, hinted with the incumbent, which often improves on it. For problems too large for the exact
pricing, `price_columns` runs column generation on the set-partitioning LP itself with the greedy
pricing only, to give the integer master the columns close to the LP optimum (`promising_columns`):
at 300 organisations it recombines them into better partitions than tabu search finds alone.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field

from ortools.linear_solver import pywraplp
from ortools.sat.python import cp_model

from sobrindustrie.engines.teams.groups import GroupProblem

Column = tuple[int, ...]

PRICE_TOLERANCE = 0.5
"""A column enters when its reduced cost exceeds this (scaled units: 0.0005 of a weight unit)."""

UNIT = 1000.0
"""The master works in weight units (scaled weights / UNIT): GLOP is better conditioned."""

EXACT_RESERVE = 0.35
"""Share of column generation's time kept for the exact pricing that bounds."""

CP_SAT_PRICING_UP_TO = 60
"""Problems of at most this many groups are priced by CP-SAT (exact arithmetic), larger ones by SCIP
(its LP-based search proves the pricing problem much faster there)."""

USEFUL_GAP = 0.05
"""Once the reserve is reached, the exact pricing runs only when the columns the greedy finds could
raise the LP by at most this share (k times the best reduced cost): a bound further off is worth less
than more rounds."""

PIECES = 25
"""Pieces of each size combined two by two when greedy growth finds no column."""

POLISHED = 150
"""When greedy growth finds nothing, this many of its closest misses are polished by local search."""

NEW_COLUMNS_PER_ROUND = 400
"""At most this many columns enter the master per round (the best reduced costs first)."""


@dataclass
class ColumnResult:
    """What column generation found: `bound` (scaled, a valid upper bound on the weight between groups
    of any partition; None if no exact pricing ended), the last restricted master's LP value, the
    columns (for the integer master) and counts of rounds and exact pricings."""

    bound: float | None
    lp: float | None
    columns: list[Column] = field(default_factory=list)
    duals: tuple[list[float], float] | None = None
    rounds: int = 0
    exact_pricings: int = 0
    converged: bool = False


class Master:
    """The restricted master LP (GLOP): a row per group (covered exactly once) and the count row."""

    def __init__(self, reduced: GroupProblem, k: int, max_size: int, *, over_cover: bool = True) -> None:
        self.reduced, self.k, self.max_size, self.over_cover = reduced, k, max_size, over_cover
        self.columns: list[Column] = []
        self.known: set[Column] = set()
        self.rebuild()

    def rebuild(self) -> None:
        """A new GLOP model holding the slacks and every column known: its next solve starts from
        scratch (and may end on another optimal vertex of this degenerate LP)."""
        reduced, k, max_size = self.reduced, self.k, self.max_size
        solver = pywraplp.Solver.CreateSolver("GLOP")
        if solver is None:  # pragma: no cover - GLOP ships with OR-Tools
            raise RuntimeError("GLOP is not available")
        # GLOP calls a solution whose residuals exceed its tolerances IMPRECISE (ABNORMAL here), which on
        # the degenerate set-partitioning master of 300 organisations happened from scratch as
        # warm-started, and stopped column generation and the dive with nothing. Its values and duals
        # are still usable: duals only price (any duals give a valid bound, see the module docstring).
        solver.SetSolverSpecificParametersAsString("change_status_to_imprecise: false")
        self.solver = solver
        self.cover = [solver.Constraint(1.0, 1.0, f"g{g}") for g in range(len(reduced.groups))]
        self.count = solver.Constraint(float(k), float(k), "count")
        self.objective = solver.Objective()
        self.objective.SetMaximization()
        self.variables: list[pywraplp.Variable] = []
        # Artificial slacks, dearer than any team can pay a group, keep the master feasible whatever
        # columns it holds, so that every new column can enter (their duals bound as well as any).
        groups = range(len(reduced.groups))
        penalty = 1.0 + max((_best_links(reduced, g, max_size - 1) for g in groups), default=0) / UNIT
        slacks = [(row, 1.0, penalty) for row in self.cover]
        slacks += [(self.count, 1.0, penalty * k), (self.count, -1.0, penalty * k)]
        if self.over_cover:
            # Over-covering g costs twice what g can bring to a team (its best max_size - 1 positive
            # weights): a relaxation (the bound stays valid, the LP rarely uses it) that caps the duals
            # of this very degenerate master, so that new columns start paying sooner. Without it
            # (`over_cover` False), the master is the set-partitioning LP itself, whose duals price
            # the columns the integer master needs (see `price_columns`).
            slacks += [
                (row, -1.0, 1.0 + 2 * _best_links(reduced, g, max_size - 1) / UNIT)
                for g, row in enumerate(self.cover)
            ]
        for row, sign, cost in slacks:
            slack = solver.NumVar(0.0, solver.infinity(), "")
            row.SetCoefficient(slack, sign)
            self.objective.SetCoefficient(slack, -cost)
        for column in self.columns:
            self._variable(column)

    def add(self, column: Column) -> bool:
        if column in self.known:
            return False
        self.known.add(column)
        self.columns.append(column)
        self._variable(column)
        return True

    def _variable(self, column: Column) -> None:
        variable = self.solver.NumVar(0.0, self.solver.infinity(), f"c{len(self.variables)}")
        for g in column:
            self.cover[g].SetCoefficient(variable, 1.0)
        self.count.SetCoefficient(variable, 1.0)
        self.objective.SetCoefficient(variable, column_value(self.reduced, column) / UNIT)
        self.variables.append(variable)

    def solve(self, time_limit_s: float) -> tuple[float, list[float], float] | None:
        """LP value, duals per group and of the count row, or None when GLOP ends without optimum. A
        warm-started solve that ends abnormally (numerical trouble) is tried once more from scratch."""
        self.solver.SetTimeLimit(max(1, int(time_limit_s * 1000)))
        status = self.solver.Solve()
        if status == pywraplp.Solver.ABNORMAL:
            self.rebuild()
            self.solver.SetTimeLimit(max(1, int(time_limit_s * 1000)))
            status = self.solver.Solve()
        if status != pywraplp.Solver.OPTIMAL:
            return None
        pi = [row.dual_value() * UNIT for row in self.cover]
        return self.objective.Value() * UNIT, pi, self.count.dual_value() * UNIT


def _best_links(reduced: GroupProblem, g: int, count: int) -> int:
    """The sum of g's `count` largest positive weights."""
    return sum(sorted((w for w in reduced.neighbours[g].values() if w > 0), reverse=True)[:count])


def column_value(reduced: GroupProblem, column: Sequence[int]) -> int:
    """Scaled weight between the groups of a team."""
    members = set(column)
    return sum(w for g in column for h, w in reduced.neighbours[g].items() if h in members and g < h)


def column_generation(
    reduced: GroupProblem,
    k: int,
    sizes: tuple[int, int],
    start: Sequence[Sequence[int]],
    deadline: float,
    seed: int,
    target: float | None = None,
) -> ColumnResult:
    """Column generation from the teams of `start` (any teams within the size bounds) until the LP is
    optimal, the bound comes within `target` (scaled) or `deadline` (time.monotonic()) passes. The
    greedy pricing runs until it finds nothing, or until EXACT_RESERVE of the time is left and its
    columns pay little (USEFUL_GAP); the exact pricing then bounds (see the module docstring), and
    generation continues while it finds columns. No exact pricing, no bound (`bound` None)."""
    min_size, max_size = sizes
    master = Master(reduced, k, max_size)
    for team in start:
        master.add(tuple(sorted(team)))
    result = ColumnResult(None, None)
    reserve = deadline - EXACT_RESERVE * max(0.0, deadline - time.monotonic())
    while time.monotonic() < deadline:
        solved = master.solve(deadline - time.monotonic())
        if solved is None:
            break
        lp, pi, mu = solved
        result.lp, result.rounds, result.duals = lp, result.rounds + 1, (pi, mu)
        found = _greedy_columns(reduced, pi, mu, min_size, max_size)
        if time.monotonic() >= reserve and found and k * max(found)[0] <= USEFUL_GAP * abs(lp):
            # Time to bound; an exact pricing far from convergence would bound worse than the pair LP.
            found = []
        if not found:
            priced = exact_pricing(reduced, pi, mu, sizes, deadline)
            if priced is None:
                break
            upper, column, proven = priced
            result.exact_pricings += 1
            bound = sum(pi) + k * mu + k * upper
            if result.bound is None or bound < result.bound:
                result.bound = bound
            if column is None:
                # Nothing pays: the LP is optimal when SCIP proved it (the bound is then the LP's,
                # up to the margin), else time ran out.
                result.converged = proven
                break
            if target is not None and result.bound <= target:
                break
            found = [(0.0, column)]
        found.sort(reverse=True)
        for _, column in found[:NEW_COLUMNS_PER_ROUND]:
            master.add(column)
    result.columns = list(master.columns)
    return result


def price_columns(
    reduced: GroupProblem,
    k: int,
    sizes: tuple[int, int],
    start: Iterable[Sequence[int]],
    deadline: float,
) -> tuple[Master, tuple[list[float], float] | None]:
    """Columns for the integer master of large problems: column generation on the set-partitioning
    LP itself (no over-cover slack) from the teams of `start`, priced by the greedy pricing only (it
    bounds nothing: no exact pricing), then by `polished_pricing` when it finds nothing, until neither
    finds a column at the duals of a master solved from scratch, or `deadline` passes. Returns the
    master (its columns, and its LP to `dive` on) and the last duals (None if GLOP gave none)."""
    min_size, max_size = sizes
    master = Master(reduced, k, max_size, over_cover=False)
    for team in start:
        master.add(tuple(sorted(team)))
    duals: tuple[list[float], float] | None = None
    rebuilt = False
    while time.monotonic() < deadline:
        solved = master.solve(deadline - time.monotonic())
        if solved is None:
            break
        _, pi, mu = solved
        duals = (pi, mu)
        found = _greedy_columns(reduced, pi, mu, min_size, max_size) or polished_pricing(
            reduced, pi, mu, min_size, max_size, deadline
        )
        if not found:
            if rebuilt:
                break
            # The master is very degenerate: the vertex the simplex ended on is one of many optima,
            # and its duals may price nothing while another's do. A model solved from scratch ends on
            # another (at 300 organisations the LP then rose from 15,608 to 15,618 in 5 s).
            master.rebuild()
            rebuilt = True
            continue
        rebuilt = False
        found.sort(reverse=True)
        for _, column in found[:NEW_COLUMNS_PER_ROUND]:
            master.add(column)
    return master, duals


def dive(master: Master, deadline: float) -> list[Column] | None:
    """A partition read off the master's LP by diving: fix to 1 the column of largest fractional value
    and those at 1, solve again (warm-started), until the LP is integral. A step after which only the
    artificial slacks can cover every group (or make k teams) is undone and its column left out. None
    when no column is left to fix or `deadline` passes. The master is left with its fixes: dive on a
    master that is done."""
    n = len(master.reduced.groups)
    steps: list[tuple[int, list[int]]] = []
    held: set[int] = set()
    left_out: set[int] = set()
    while time.monotonic() < deadline:
        if master.solve(deadline - time.monotonic()) is None:
            return None
        values = [variable.solution_value() for variable in master.variables]
        cover = sum(value * len(column) for value, column in zip(values, master.columns, strict=True))
        if abs(cover - n) > 1e-6 or abs(sum(values) - master.k) > 1e-6:
            if not steps:
                return None
            pick, kept = steps.pop()
            for i in kept:
                master.variables[i].SetLb(0.0)
                held.discard(i)
            master.variables[pick].SetBounds(0.0, 0.0)
            held.discard(pick)
            left_out.add(pick)
            continue
        chosen = [i for i, value in enumerate(values) if value > 1 - 1e-6]
        if _covers(master, chosen):
            return [master.columns[i] for i in chosen]
        excluded = left_out | held
        fractional = [
            (value, i) for i, value in enumerate(values) if 1e-6 < value <= 1 - 1e-6 and i not in excluded
        ]
        if not fractional:
            return None
        _, pick = max(fractional)
        kept = [i for i in chosen if i not in held]
        for i in [pick, *kept]:
            master.variables[i].SetLb(1.0)
            held.add(i)
        steps.append((pick, kept))
    return None


def _covers(master: Master, chosen: Sequence[int]) -> bool:
    """Whether the chosen columns are k teams covering every group once."""
    covered = [g for i in chosen for g in master.columns[i]]
    return len(chosen) == master.k and sorted(covered) == list(range(len(master.reduced.groups)))


def promising_columns(
    reduced: GroupProblem, columns: Sequence[Column], duals: tuple[list[float], float] | None, count: int
) -> list[Column]:
    """The `count` columns of largest reduced cost at `duals` (all of them without duals): the
    integer master finds better partitions among the columns close to the LP optimum than among all,
    which it cannot search within its time."""
    if duals is None or len(columns) <= count:
        return list(columns)
    return sorted(columns, key=lambda column: (-reduced_cost(reduced, column, duals), column))[:count]


def reduced_cost(reduced: GroupProblem, column: Column, duals: tuple[list[float], float]) -> float:
    pi, mu = duals
    return column_value(reduced, column) - sum(pi[g] for g in column) - mu


def _greedy_columns(
    reduced: GroupProblem, pi: list[float], mu: float, min_size: int, max_size: int
) -> list[tuple[float, Column]]:
    """The greedy pricing from every group, then, if it finds nothing, from every weighted pair."""
    return greedy_pricing(reduced, pi, mu, min_size, max_size) or greedy_pricing(
        reduced, pi, mu, min_size, max_size, from_pairs=True
    )


def greedy_pricing(
    reduced: GroupProblem,
    pi: list[float],
    mu: float,
    min_size: int,
    max_size: int,
    *,
    from_pairs: bool = False,
) -> list[tuple[float, Column]]:
    """Teams of positive reduced cost grown greedily from every group (or, `from_pairs`, from every
    positively weighted pair): add the group of best marginal gain (its weight to the team less its
    dual) among the team's neighbours and the groups of lowest dual, keep the best prefix within the
    size bounds."""
    n = len(reduced.groups)
    cheap = sorted(range(n), key=lambda g: pi[g])[:8]
    if from_pairs:
        seeds = [
            [g, h] for (g, h), w in sorted(reduced.weights.items()) if w > 0 and (g, h) not in reduced.cannot
        ]
    else:
        seeds = [[g] for g in range(n)]
    apart = _apart(reduced)
    found: dict[Column, float] = {}
    near: list[tuple[float, Column]] = []
    pieces: dict[int, dict[Column, float]] | None = {} if from_pairs else None
    for seed_team in seeds:
        grown = _grow(reduced, pi, seed_team, cheap, (min_size, max_size), apart, pieces)
        if grown is not None and grown[0] - mu > PRICE_TOLERANCE:
            found[grown[1]] = grown[0] - mu
        elif grown is not None and from_pairs:
            near.append(grown)
    if pieces and not found:
        # The second level: two disjoint pieces that each pay their duals (the count's dual mu is paid
        # once), then the closest misses polished by moves and swaps.
        found.update(_combine(reduced, pieces, mu, (min_size, max_size), apart))
    if from_pairs and not found:
        for value, column in sorted(near, reverse=True)[:POLISHED]:
            value, column = _polish(reduced, pi, column, (min_size, max_size), apart)
            if value - mu > PRICE_TOLERANCE:
                found[column] = value - mu
    return [(cost, column) for column, cost in found.items()]


def polished_pricing(
    reduced: GroupProblem,
    pi: list[float],
    mu: float,
    min_size: int,
    max_size: int,
    deadline: float = math.inf,
) -> list[tuple[float, Column]]:
    """Teams of positive reduced cost that the greedy pricing misses: from every group, a greedy
    growth to the largest size (not its best prefix), then local search (`_polish`). Reduced costs are
    supermodular: a dense team of seven pays only once most of its members are in, so every prefix
    of its growth looks worse than it is (at 300 organisations, where the greedy pricing found
    nothing, this found teams paying 30 units, as much as SCIP's exact pricing proved possible).
    Stops growing from further groups once `deadline` (time.monotonic()) passes: what it found then."""
    apart = _apart(reduced)
    cheap = sorted(range(len(reduced.groups)), key=lambda g: pi[g])[:8]
    found: dict[Column, float] = {}
    for g in range(len(reduced.groups)):
        if time.monotonic() >= deadline:
            break
        grown = _grow(reduced, pi, [g], cheap, (min_size, max_size), apart, whole=True)
        if grown is None:
            continue
        value, column = _polish(reduced, pi, grown[1], (min_size, max_size), apart)
        if value - mu > PRICE_TOLERANCE:
            found[column] = value - mu
    return [(cost, column) for column, cost in found.items()]


def _apart(reduced: GroupProblem) -> dict[int, set[int]]:
    """Each group's cannot-link partners."""
    apart: dict[int, set[int]] = {}
    for g, h in reduced.cannot:
        apart.setdefault(g, set()).add(h)
        apart.setdefault(h, set()).add(g)
    return apart


def _combine(
    reduced: GroupProblem,
    pieces: dict[int, dict[Column, float]],
    mu: float,
    bounds: tuple[int, int],
    apart: dict[int, set[int]],
) -> dict[Column, float]:
    """Teams made of two disjoint pieces (the PIECES best of each size), with their reduced costs."""
    min_size, max_size = bounds
    best = {
        size: sorted(((v, c) for c, v in found.items()), reverse=True)[:PIECES]
        for size, found in pieces.items()
    }
    teams: dict[Column, float] = {}
    for size_a in best:
        for size_b in best:
            if size_b < size_a or not min_size <= size_a + size_b <= max_size:
                continue
            for value_a, a in best[size_a]:
                for value_b, b in best[size_b]:
                    if set(a) & set(b) or any(apart.get(g, set()) & set(b) for g in a):
                        continue
                    cross = sum(reduced.neighbours[g].get(h, 0) for g in a for h in b)
                    cost = value_a + value_b + cross - mu
                    if cost > PRICE_TOLERANCE:
                        teams[tuple(sorted(a + b))] = cost
    return teams


def _polish(
    reduced: GroupProblem,
    pi: list[float],
    column: Column,
    bounds: tuple[int, int],
    apart: dict[int, set[int]],
) -> tuple[float, Column]:
    """Best-improvement local search on a team's value less duals: add a neighbour, drop a member or
    swap one for a neighbour, within the size bounds and cannot-link, until no move improves."""
    min_size, max_size = bounds
    sizes, neighbours = reduced.sizes, reduced.neighbours
    team = set(column)
    while True:
        size = sum(sizes[g] for g in team)
        gain_in: dict[int, float] = {}
        for g in team:
            for h in neighbours[g]:
                if h not in team and h not in gain_in and not (apart.get(h, set()) & team):
                    gain_in[h] = reduced.link(h, team) - pi[h]
        gain_out = {m: pi[m] - reduced.link(m, team) for m in team}
        best: float = PRICE_TOLERANCE
        move: tuple[int | None, int | None] | None = None
        for h, gain in gain_in.items():
            if size + sizes[h] <= max_size and gain > best:
                best, move = gain, (None, h)
        for m, gain in gain_out.items():
            if size - sizes[m] >= min_size and gain > best:
                best, move = gain, (m, None)
        for m, out in gain_out.items():
            for h, into in gain_in.items():
                change = out + into - neighbours[m].get(h, 0)
                if change > best and min_size <= size - sizes[m] + sizes[h] <= max_size:
                    best, move = change, (m, h)
        if move is None:
            break
        if move[0] is not None:
            team.discard(move[0])
        if move[1] is not None:
            team.add(move[1])
    ordered = tuple(sorted(team))
    return column_value(reduced, ordered) - sum(pi[g] for g in ordered), ordered


def _grow(
    reduced: GroupProblem,
    pi: list[float],
    team: list[int],
    cheap: list[int],
    bounds: tuple[int, int],
    apart: dict[int, set[int]],
    pieces: dict[int, dict[Column, float]] | None = None,
    *,
    whole: bool = False,
) -> tuple[float, Column] | None:
    """The best team (value less duals, and its groups) among the prefixes of a greedy growth (with
    `whole`, the whole growth, if within the size bounds); `apart` maps each group to its cannot-link
    partners. Prefixes worth more than their duals are recorded in `pieces` by size (to combine
    disjoint pieces into a team)."""
    min_size, max_size = bounds
    sizes, neighbours = reduced.sizes, reduced.neighbours
    team = list(team)
    size = sum(sizes[g] for g in team)
    if size > max_size:
        return None
    value = column_value(reduced, team) - sum(pi[g] for g in team)
    blocked = set(team).union(*(apart.get(g, ()) for g in team))
    gains: dict[int, float] = {}
    for h in [h for g in team for h in neighbours[g]] + cheap:
        if h not in blocked and h not in gains:
            gains[h] = reduced.link(h, team) - pi[h]
    best_value, best_len = (value, len(team)) if size >= min_size else (-math.inf, 0)
    while size < max_size and gains:
        room = max_size - size
        choice, choice_gain = -1, -math.inf
        for h, gain in gains.items():
            if gain > choice_gain and sizes[h] <= room:
                choice, choice_gain = h, gain
        if choice < 0:
            break
        team.append(choice)
        size += sizes[choice]
        value += choice_gain
        del gains[choice]
        blocked.add(choice)
        for h in apart.get(choice, ()):
            blocked.add(h)
            gains.pop(h, None)
        for h, w in neighbours[choice].items():
            if h in gains:
                gains[h] += w
            elif h not in blocked:
                # Not a neighbour of the earlier members (it would be in gains): linked by w alone.
                gains[h] = w - pi[h]
        if size >= min_size and value > best_value:
            best_value, best_len = value, len(team)
        if pieces is not None and value > 0:
            pieces.setdefault(size, {})[tuple(sorted(team))] = value
    if whole:
        return (value, tuple(sorted(team))) if size >= min_size else None
    if not best_len:
        return None
    return best_value, tuple(sorted(team[:best_len]))


def exact_pricing(
    reduced: GroupProblem,
    pi: list[float],
    mu: float,
    sizes: tuple[int, int],
    deadline: float,
) -> tuple[float, Column | None, bool] | None:
    """An upper bound on the largest reduced cost of any team, the best team found (None if none pays)
    and whether SCIP proved it best, or None when the time is up before the solver answers.

    The pricing problem is a mixed-integer program solved by SCIP (shipped with OR-Tools): z[g] = 1 when
    group g is in the team, y[g, h] <= z[g], z[h] earns a positive weight (y >= z[g] + z[h] - 1 pays a
    negative one), the team's size within bounds, no cannot-link pair, and star rows (the groups sharing
    a team with g weigh at most max_size - size(g)) that make its LP tight enough to prove. The bound is
    SCIP's dual bound (valid however early it stops), raised by a margin for floating-point tolerances."""
    remaining = deadline - time.monotonic()
    if remaining <= 0.2:
        return None
    if len(reduced.groups) <= CP_SAT_PRICING_UP_TO:
        return _exact_pricing_cp_sat(reduced, pi, mu, sizes, remaining)
    solver = pywraplp.Solver.CreateSolver("SCIP")
    if solver is None:  # pragma: no cover - SCIP ships with OR-Tools' wheels
        return None
    n, group_sizes = len(reduced.groups), reduced.sizes
    z = [solver.BoolVar(f"z{g}") for g in range(n)]
    y: dict[tuple[int, int], pywraplp.Variable] = {}
    for (g, h), w in sorted(reduced.weights.items()):
        y[(g, h)] = solver.NumVar(0.0, 1.0, f"y{g}_{h}")
        if w > 0:
            solver.Add(y[(g, h)] <= z[g])
            solver.Add(y[(g, h)] <= z[h])
        else:
            solver.Add(y[(g, h)] >= z[g] + z[h] - 1)
    load = solver.Sum([group_sizes[g] * z[g] for g in range(n)])
    solver.Add(load >= sizes[0])
    solver.Add(load <= sizes[1])
    for g, h in sorted(reduced.cannot):
        solver.Add(z[g] + z[h] <= 1)
    for g, row in enumerate(reduced.neighbours):
        partners = [h for h, w in row.items() if w > 0]
        if sum(group_sizes[h] for h in partners) > sizes[1] - group_sizes[g]:
            star = solver.Sum([group_sizes[h] * y[(min(g, h), max(g, h))] for h in partners])
            solver.Add(star <= (sizes[1] - group_sizes[g]) * z[g])
    objective = solver.Objective()
    for (g, h), w in y.items():
        objective.SetCoefficient(w, reduced.weights[(g, h)] / UNIT)
    for g in range(n):
        objective.SetCoefficient(z[g], -pi[g] / UNIT)
    objective.SetMaximization()
    solver.SetTimeLimit(max(1, int(remaining * 1000)))
    status = solver.Solve()
    if status not in (pywraplp.Solver.OPTIMAL, pywraplp.Solver.FEASIBLE):
        return None
    # SCIP's bound holds to its tolerances (1e-6 on rows and integrality): a margin covers them.
    upper = objective.BestBound() * UNIT - mu
    upper += 1e-6 * (sum(abs(w) for w in reduced.weights.values()) + sum(abs(p) for p in pi)) + 1.0
    column = tuple(g for g in range(n) if z[g].solution_value() > 0.5)
    paying = reduced_cost(reduced, column, (pi, mu)) > PRICE_TOLERANCE
    return upper, (column if paying else None), status == pywraplp.Solver.OPTIMAL


def _exact_pricing_cp_sat(
    reduced: GroupProblem, pi: list[float], mu: float, sizes: tuple[int, int], time_limit_s: float
) -> tuple[float, Column | None, bool] | None:
    """`exact_pricing` by CP-SAT (small problems: exact integer arithmetic, no tolerance). The duals are
    rounded down to integers (scaled units), which can only raise the maximum: the bound stays valid."""
    n, group_sizes = len(reduced.groups), reduced.sizes
    model = cp_model.CpModel()
    z = [model.new_bool_var(f"z{g}") for g in range(n)]
    model.add_linear_constraint(cp_model.LinearExpr.weighted_sum(z, group_sizes), sizes[0], sizes[1])
    for g, h in sorted(reduced.cannot):
        model.add_bool_or(~z[g], ~z[h])
    y: dict[tuple[int, int], cp_model.IntVar] = {}
    for (g, h), w in sorted(reduced.weights.items()):
        y[(g, h)] = model.new_bool_var(f"y{g}_{h}")
        if w > 0:
            model.add_implication(y[(g, h)], z[g])
            model.add_implication(y[(g, h)], z[h])
        else:
            model.add_bool_or(~z[g], ~z[h], y[(g, h)])
    pairs = sorted(y)
    terms = [y[p] for p in pairs] + z
    coefs = [reduced.weights[p] for p in pairs] + [-math.floor(p) for p in pi]
    model.maximize(cp_model.LinearExpr.weighted_sum(terms, coefs))
    solver = cp_model.CpSolver()
    solver.parameters.max_time_in_seconds = time_limit_s
    solver.parameters.num_workers = 1
    status = solver.solve(model)
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return None
    upper = solver.best_objective_bound - mu
    column = tuple(g for g in range(n) if solver.boolean_value(z[g]))
    paying = reduced_cost(reduced, column, (pi, mu)) > PRICE_TOLERANCE
    return upper, (column if paying else None), status == cp_model.OPTIMAL


def integer_master(
    reduced: GroupProblem,
    k: int,
    columns: Sequence[Column],
    incumbent: Sequence[Sequence[int]],
    deadline: float,
    seed: int,
    workers: int,
    keep: Callable[[Column], bool] | None = None,
) -> list[list[int]] | None:
    """The best partition into k of the given columns (those `keep` accepts, and the incumbent's teams)
    found by CP-SAT before `deadline`, hinted with the incumbent; None if none beats it."""
    remaining = deadline - time.monotonic()
    if remaining <= 0.2:
        return None
    chosen = {tuple(sorted(team)) for team in incumbent}
    pool = sorted(chosen | {c for c in columns if keep is None or keep(c)})
    model = cp_model.CpModel()
    x = [model.new_bool_var(f"c{i}") for i in range(len(pool))]
    covering: list[list[cp_model.IntVar]] = [[] for _ in reduced.groups]
    for var, column in zip(x, pool, strict=True):
        for g in column:
            covering[g].append(var)
        model.add_hint(var, column in chosen)
    for row in covering:
        model.add_exactly_one(row)
    model.add(sum(x) == k)
    values = [column_value(reduced, column) for column in pool]
    model.maximize(cp_model.LinearExpr.weighted_sum(x, values))
    solver = cp_model.CpSolver()
    solver.parameters.max_time_in_seconds = remaining
    solver.parameters.random_seed = seed
    solver.parameters.num_workers = workers
    if solver.solve(model) not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return None
    teams = [list(column) for var, column in zip(x, pool, strict=True) if solver.boolean_value(var)]
    return teams if reduced.value(teams) > reduced.value(incumbent) else None
