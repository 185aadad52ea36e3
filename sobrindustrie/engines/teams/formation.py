"""Optimal project teams: partition organisations into k teams whose sizes lie within bounds, keeping
must-link groups together and cannot-link pairs apart, so that the sum of pair weights inside teams is
as large as possible.

How `solve_teams` works:

1. Conflicts visible without searching (a must-link group larger than max_size, a must-link chain
   joining a cannot-link pair, k x max_size < n, k x min_size > n, k > n, fewer groups than teams) are
   reported at once, with status INFEASIBLE.
2. Must-link groups are merged (their inner weights are a constant) and weights resolved to 0.001.
3. A greedy partition improved by local search gives a starting point. Problems of EXACT_PAIRS_UP_TO
   groups or fewer go to step 4 with it. Larger ones, until TABU_END of the time limit, improve it by
   tabu search (see `tabu`: TABU_RUNS runs with different seeds); then, until COLUMNS_END, column
   generation on the set-partitioning LP prices new teams from those the search met (greedy and
   polished pricing, see `columns.price_columns`). Meanwhile a thread bounds: the pair model's LP (in a process of its
   own when given 10 s or more, see `bounds.lp_bound_apart`), tightened by rounds of cutting planes
   (2-partition, capacity and local inequalities and a row on the pairs k teams can hold, see
   `bounds`), then, up to COLUMNS_UP_TO groups, column generation with exact pricing (see
   `columns`), whose bound is valid whenever it stops; the smaller is kept. A dive on the
   set-partitioning LP (`columns.dive`) reads a partition off it; CP-SAT then picks the best k teams
   among the columns of largest reduced cost at the LP's last duals (MASTER_COLUMNS_PER_GROUP per
   group) and those of the bounding column generation, hinted with the better of the dive's and the
   search's partitions.
4. CP-SAT solves the whole pair model (see `search`), hinted with the starting point, in the time left
   (small problems; large ones only when at least GLOBAL_SHARE of the time is left, the tabu search
   having ended early for lack of progress, or no partition is
   known; skipped when a bound already proves the partition optimal). OPTIMAL means proven; FEASIBLE
   comes with the best bound known (CP-SAT's, column generation's, the pair LP's or a capacity bound,
   the smallest, named by `bound_method`). When CP-SAT finds nothing in time, the starting point is
   the answer.
5. If CP-SAT proves there is no partition, the constraints to blame are found with assumptions.

An optional floor on every team's score (`min_team_score`) makes the search maximise the total among
the partitions whose every team scores at least the floor. Floors that cannot be met are reported as
INFEASIBLE with a code and figures, found cheaply when they can be (`floor_conflicts`: fewer teams can
hold a positive cooperation than k, or k times the floor exceeds a bound on the total) and otherwise
after the search proves it, with the best minimum team score a partition can reach.

Determinism: a fixed seed and a fixed number of workers (one for small problems) give the same answer
for the same input whenever the search ends before the time limit, which is the case for workshop-sized
problems; a search cut by the time limit returns the best partition found so far, which can depend on
the machine's speed.
"""

from __future__ import annotations

import math
import time
from collections import defaultdict
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

from ortools.sat.python import cp_model

from sobrindustrie.engines.teams.bounds import capacity_bound, lp_bound_apart
from sobrindustrie.engines.teams.columns import (
    Column,
    ColumnResult,
    column_generation,
    column_value,
    dive,
    integer_master,
    price_columns,
    promising_columns,
)
from sobrindustrie.engines.teams.errors import TeamsInputError
from sobrindustrie.engines.teams.greedy import (
    floor_seeded_groups,
    greedy_groups,
    initial_clusters,
    local_search,
    repair_floor,
)
from sobrindustrie.engines.teams.groups import SCALE, GroupProblem, must_link_groups
from sobrindustrie.engines.teams.opportunities import PairWeight
from sobrindustrie.engines.teams.search import (
    EXACT_PAIRS_UP_TO,
    TeamModel,
    make_solver,
    quality,
    shortfall,
)
from sobrindustrie.engines.teams.tabu import tabu_search

TABU_END = 0.2
"""Share of the time limit by which large problems end tabu search (beside it, a thread bounds): its
partition matters less than the teams it meets, which seed column generation."""

TABU_RUNS = 2
"""Tabu search's time is shared by this many runs from the start partition with different seeds: the
integer master recombines the teams they meet."""

COLUMNS_END = 0.65
"""Share of the time limit by which large problems end the column generation that feeds the dive and
the integer master (from TABU_END on) and their bounds (from the start): the dive and CP-SAT then have
both cores."""

LP_SHARE = 0.6
"""On problems of at most COLUMNS_UP_TO groups, the pair LP's rounds of cuts end by this share of the
time limit at the latest, leaving the rest to column generation's bound; larger problems keep the pair
LP until COLUMNS_END (at 300 organisations it gains little after: on the bench's instance of seed 2026,
14,321 after 25 s, 14,292 after 39 s, 14,285 after 52 s)."""

DIVE_SHARE = 0.1
"""Share of the time limit the dive on the set-partitioning LP may take after COLUMNS_END (it usually
takes a second at 300 organisations)."""

BOUND_END = 0.85
"""On problems of at most COLUMNS_UP_TO groups, the bounding column generation (exact pricing) ends by
this share of the time limit; the integer master follows."""

COLUMNS_UP_TO = 150
"""Large problems of at most this many groups also get column generation's bound (after the pair
LP's); larger ones price too slowly for it to bound better within a minute."""

MASTER_COLUMNS_PER_GROUP = 40
"""The integer master of large problems chooses among this many columns per group, those of largest
reduced cost at the set-partitioning LP's last duals: at 300 organisations, 12,000 such columns give
CP-SAT a better partition in 12 s (15,591) than the 29,000 generated (15,319)."""

GLOBAL_SHARE = 0.2
"""Large problems try the global pair model only when at least this share of the time is left."""

FLOOR_PAIRS = 20_000
"""With a floor, the global model gets a variable per team and weighted pair: above this many, large
problems leave it out unless no partition meeting the floor is known."""

SOLVE_END = 0.97
"""Share of the time limit by which CP-SAT's choice among the columns ends (a margin for the answer's
assembly)."""

OPTIMAL, FEASIBLE, INFEASIBLE, UNKNOWN = "OPTIMAL", "FEASIBLE", "INFEASIBLE", "UNKNOWN"

CAPACITY, PAIR_LP, COLUMN_GENERATION, CP_SAT = "capacity", "pair_lp", "column_generation", "cp_sat"
"""Where the bound comes from (`TeamSolution.bound_method`): the capacity bound, the pair model's LP
with its cutting planes (`bounds`), column generation's Lagrangian bound (`columns`) or CP-SAT's own
bound."""


@dataclass(frozen=True)
class TeamProblem:
    """What to partition and under which rules. Pairs absent from `weights` weigh 0; weights may be
    negative (organisations better kept apart)."""

    organisations: tuple[str, ...]
    weights: tuple[PairWeight, ...]
    k: int
    min_size: int
    max_size: int
    must_link: tuple[tuple[str, ...], ...] = ()
    cannot_link: tuple[tuple[str, str], ...] = ()
    min_team_score: float | None = None
    """Every team must score at least this much (None: no floor)."""


@dataclass(frozen=True)
class Conflict:
    """A reason why the constraints cannot all hold, or a constraint a given partition breaks: `kind`
    is the code, `params` the figures behind it (name, value), for the interface to word."""

    kind: str
    message: str
    organisations: tuple[str, ...] = ()
    params: tuple[tuple[str, float], ...] = ()


@dataclass(frozen=True)
class Team:
    """A team's members (sorted), its score and the weighted pairs that bind it, strongest first."""

    members: tuple[str, ...]
    score: float
    pairs: tuple[PairWeight, ...]


@dataclass(frozen=True)
class Alternative:
    """Another partition, distinct from the best one and from the previous alternatives."""

    status: str
    objective: float
    teams: tuple[Team, ...]


@dataclass(frozen=True)
class TeamSolution:
    """The answer of `solve_teams`. `status` is OPTIMAL (proven best), FEASIBLE (best found within the
    time limit, `bound` caps what any partition can reach), INFEASIBLE (see `conflicts`) or UNKNOWN
    (no partition found in time, none proven impossible)."""

    status: str
    objective: float | None
    bound: float | None
    teams: tuple[Team, ...]
    alternatives: tuple[Alternative, ...] = ()
    conflicts: tuple[Conflict, ...] = ()
    wall_time_s: float = 0.0
    bound_method: str | None = None
    """Which bound `bound` is (CAPACITY, PAIR_LP, COLUMN_GENERATION or CP_SAT; the one that proves when
    OPTIMAL)."""

    @property
    def gap(self) -> float | None:
        """(bound - objective) / |bound|: 0 when proven, None without both figures."""
        if self.objective is None or self.bound is None:
            return None
        return 0.0 if self.bound == self.objective else (self.bound - self.objective) / abs(self.bound)


@dataclass(frozen=True)
class PartitionScore:
    """A hand-made partition scored against the problem: `loss` is the optimum less the score (when an
    optimum is given), `broken` the constraints it breaks."""

    score: float
    loss: float | None
    teams: tuple[Team, ...]
    broken: tuple[Conflict, ...]

    @property
    def feasible(self) -> bool:
        return not self.broken


# --- validation and conflicts ---------------------------------------------------------------------------


def validate_problem(problem: TeamProblem) -> None:
    """Raise TeamsInputError naming the field at fault: unknown or duplicate organisations, duplicate or
    self pairs, weights that are not finite numbers, sizes or k that are not positive integers."""
    known: set[str] = set()
    for i, org in enumerate(problem.organisations):
        _require(isinstance(org, str) and org != "", f"organisations[{i}]", "must be a non-empty string")
        _require(org not in known, f"organisations[{i}]", f"duplicate organisation {org!r}")
        known.add(org)
    for name in ("k", "min_size", "max_size"):
        value = getattr(problem, name)
        _require(
            isinstance(value, int) and not isinstance(value, bool) and value >= 1,
            name,
            f"must be a positive integer, got {value!r}",
        )
    floor = problem.min_team_score
    _require(
        floor is None
        or (isinstance(floor, int | float) and not isinstance(floor, bool) and math.isfinite(floor)),
        "min_team_score",
        f"must be a finite number, got {floor!r}",
    )
    seen: dict[frozenset[str], int] = {}
    for i, pair in enumerate(problem.weights):
        for end in ("a", "b"):
            _require(
                getattr(pair, end) in known,
                f"weights[{i}].{end}",
                f"unknown organisation {getattr(pair, end)!r}",
            )
        _require(pair.a != pair.b, f"weights[{i}]", f"pairs {pair.a!r} with itself")
        weight = pair.weight
        _require(
            isinstance(weight, int | float) and not isinstance(weight, bool) and math.isfinite(weight),
            f"weights[{i}].w",
            f"must be a finite number, got {weight!r}",
        )
        key = frozenset((pair.a, pair.b))
        _require(
            key not in seen,
            f"weights[{i}]",
            f"duplicate pair {pair.a!r}-{pair.b!r} (also weights[{seen.get(key)}])",
        )
        seen[key] = i
    for i, group in enumerate(problem.must_link):
        _require(len(group) >= 2, f"must_link[{i}]", "a group needs at least two organisations")
        for j, org in enumerate(group):
            _require(org in known, f"must_link[{i}][{j}]", f"unknown organisation {org!r}")
    for i, link in enumerate(problem.cannot_link):
        _require(len(link) == 2, f"cannot_link[{i}]", "must name exactly two organisations")
        for j, org in enumerate(link):
            _require(org in known, f"cannot_link[{i}][{j}]", f"unknown organisation {org!r}")
        _require(link[0] != link[1], f"cannot_link[{i}]", f"pairs {link[0]!r} with itself")


def find_conflicts(problem: TeamProblem) -> list[Conflict]:
    """The conflicts visible without searching: must-link groups larger than max_size, must-link groups
    (merged through shared members) holding a cannot-link pair, and counts that no partition can meet."""
    n, k = len(problem.organisations), problem.k
    conflicts: list[Conflict] = []
    if problem.min_size > problem.max_size:
        conflicts.append(
            Conflict("sizes", f"min_size {problem.min_size} is larger than max_size {problem.max_size}")
        )
    if k > n:
        conflicts.append(
            Conflict("too_many_teams", f"{k} teams need at least {k} organisations, there are {n}")
        )
    if k * problem.max_size < n:
        conflicts.append(
            Conflict(
                "too_few_places",
                f"{k} teams of at most {problem.max_size} hold {k * problem.max_size} of {n} organisations",
            )
        )
    if k * problem.min_size > n:
        conflicts.append(
            Conflict(
                "too_many_places",
                f"{k} teams of at least {problem.min_size} need {k * problem.min_size} organisations, there are {n}",
            )
        )
    groups = must_link_groups(problem.organisations, problem.must_link)
    index = {org: g for g, members in enumerate(groups) for org in members}
    for members in groups:
        if len(members) > problem.max_size:
            conflicts.append(
                Conflict(
                    "must_link_too_large",
                    f"must-link group {', '.join(members)} has {len(members)} members, max_size is {problem.max_size}",
                    members,
                )
            )
    for a, b in problem.cannot_link:
        if index[a] == index[b]:
            members = groups[index[a]]
            conflicts.append(
                Conflict(
                    "must_and_cannot_link",
                    f"{a} and {b} cannot be in the same team but must-link joins them (group {', '.join(members)})",
                    members,
                )
            )
    if len(groups) < k <= n:
        conflicts.append(
            Conflict("too_few_groups", f"must-link leaves {len(groups)} groups to fill {k} teams")
        )
    return conflicts


def _require(condition: bool, field: str, message: str) -> None:
    if not condition:
        raise TeamsInputError(field, message)


# --- scoring --------------------------------------------------------------------------------------------


def _teams_detail(problem: TeamProblem, teams: Sequence[Sequence[str]]) -> tuple[Team, ...]:
    """Teams with sorted members, their score and inner pairs; teams sorted by first member."""
    team_of = {org: t for t, members in enumerate(teams) for org in members}
    pairs: dict[int, list[PairWeight]] = defaultdict(list)
    for pair in problem.weights:
        t = team_of.get(pair.a)
        if t is not None and t == team_of.get(pair.b) and pair.weight != 0:
            a, b = sorted((pair.a, pair.b))
            pairs[t].append(PairWeight(a, b, pair.weight))
    detail = [
        Team(
            tuple(sorted(members)),
            round(float(sum(p.weight for p in pairs[t])), 6),
            tuple(sorted(pairs[t], key=lambda p: (-p.weight, p.a, p.b))),
        )
        for t, members in enumerate(teams)
    ]
    return tuple(sorted(detail, key=lambda team: team.members))


def score_partition(
    problem: TeamProblem, teams: Sequence[Sequence[str]], optimum: float | None = None
) -> PartitionScore:
    """Score a partition made by hand: the sum of weights inside teams, the loss against `optimum` (the
    objective of `solve_teams`, when given) and every constraint it breaks. Linear in the input size."""
    validate_problem(problem)
    broken: list[Conflict] = []
    known = set(problem.organisations)
    seen: dict[str, int] = {}
    for t, members in enumerate(teams):
        for org in members:
            if org not in known:
                broken.append(Conflict("unknown_organisation", f"{org} is not in the problem", (org,)))
            elif org in seen:
                broken.append(Conflict("duplicate", f"{org} is in more than one team", (org,)))
            seen.setdefault(org, t)
    missing = tuple(org for org in problem.organisations if org not in seen)
    if missing:
        broken.append(Conflict("missing", f"not in any team: {', '.join(missing)}", missing))
    if len(teams) != problem.k:
        broken.append(Conflict("team_count", f"{len(teams)} teams instead of {problem.k}"))
    for members in teams:
        if not problem.min_size <= len(members) <= problem.max_size:
            names = tuple(sorted(members))
            broken.append(
                Conflict(
                    "size",
                    f"team {', '.join(names)} has {len(members)} members, "
                    f"sizes must lie in [{problem.min_size}, {problem.max_size}]",
                    names,
                )
            )
    for group in problem.must_link:
        if len({seen.get(org) for org in group}) > 1:
            broken.append(Conflict("must_link", f"{', '.join(group)} must be in the same team", tuple(group)))
    for a, b in problem.cannot_link:
        if a in seen and seen[a] == seen.get(b):
            broken.append(Conflict("cannot_link", f"{a} and {b} cannot be in the same team", (a, b)))
    detail = _teams_detail(problem, [[org for org in members if org in known] for members in teams])
    floor = _scaled_floor(problem)
    for team in detail:
        if floor is not None and round(team.score * SCALE) < floor:
            broken.append(
                Conflict(
                    "below_floor",
                    f"team {', '.join(team.members)} scores {team.score:g}, below {problem.min_team_score}",
                    team.members,
                    (("score", team.score), ("floor", float(problem.min_team_score or 0))),
                )
            )
    score = round(float(sum(team.score for team in detail)), 6)
    loss = None if optimum is None else round(optimum - score, 6)
    return PartitionScore(score, loss, detail, tuple(broken))


# --- greedy partition (hint, fallback and baseline) -----------------------------------------------------


def greedy_partition(
    problem: TeamProblem, *, improve: bool = True, start: Sequence[Sequence[str]] | None = None
) -> list[list[str]] | None:
    """A quick partition meeting all constraints, or None if the greedy steps find none: merge the
    strongest pairs of clusters while more than k remain, merge the smallest clusters into their best
    partner, fill teams under min_size, then (with `improve`) move and swap organisations while the score
    rises. `start` gives initial clusters (split when larger than max_size), e.g. communities."""
    validate_problem(problem)
    if find_conflicts(problem):
        return None
    reduced = _group_problem(problem)
    average = -(-len(problem.organisations) // problem.k)
    teams = None
    # Communities are cut to fit a team; if merging then cannot reach k teams, cut them finer.
    for cap in dict.fromkeys((problem.max_size, max(problem.min_size, min(problem.max_size, average)))):
        clusters = initial_clusters(reduced, cap, start)
        teams = greedy_groups(reduced, problem.k, problem.min_size, problem.max_size, clusters)
        if teams is not None or start is None:
            break
    if teams is None:
        return None
    if improve:
        teams = local_search(reduced, teams, problem.min_size, problem.max_size)
    return reduced.organisations_of(teams)


# --- solving --------------------------------------------------------------------------------------------


def solve_teams(
    problem: TeamProblem,
    *,
    time_limit_s: float = 10.0,
    alternatives: int = 0,
    seed: int = 0,
    workers: int | None = None,
) -> TeamSolution:
    """Best partition of the organisations into `problem.k` teams (see the module docstring), with up to
    `alternatives` next-best partitions, distinct as partitions (not as relabelings). The time limit
    applies to each solve: the best partition, then each alternative. `workers` defaults to 1 for
    problems of up to EXACT_PAIRS_UP_TO groups, 2 above. When the constraints cannot all hold, status is
    INFEASIBLE and `conflicts` names them. Raises TeamsInputError on invalid input."""
    started = time.monotonic()
    validate_problem(problem)
    if not (isinstance(time_limit_s, int | float) and math.isfinite(time_limit_s) and time_limit_s > 0):
        raise TeamsInputError("time_limit", f"must be a positive number of seconds, got {time_limit_s!r}")
    if alternatives < 0:
        raise TeamsInputError("alternatives", f"must not be negative, got {alternatives!r}")
    conflicts = find_conflicts(problem)
    if conflicts:
        return TeamSolution(INFEASIBLE, None, None, (), (), tuple(conflicts), time.monotonic() - started)
    reduced = _group_problem(problem)
    floor = _scaled_floor(problem)
    bounds = {CAPACITY: capacity_bound(reduced, problem.max_size)}
    unreachable = floor_conflicts(problem, reduced, bounds[CAPACITY])
    if unreachable:
        return TeamSolution(INFEASIBLE, None, None, (), (), unreachable, time.monotonic() - started)
    small = len(reduced.groups) <= EXACT_PAIRS_UP_TO
    workers = workers or (1 if small else 2)
    proven, model = False, None
    if small:
        start = _start_partition(reduced, problem, seed, floor)
        best = start if start is not None and shortfall(reduced, start, floor) == 0 else None
    else:
        start, best = _large_phase(reduced, problem, bounds, (started, time_limit_s), seed, workers)
    # The global model: small problems; large ones when column generation ended early (it converged)
    # without proving, or no partition is known (CP-SAT may find one or prove there is none). With a
    # floor, it needs a variable per team and weighted pair: above FLOOR_PAIRS, only to find a first one.
    left = started + time_limit_s - time.monotonic()
    global_search = (
        small
        or best is None
        or (
            left > GLOBAL_SHARE * time_limit_s
            and (floor is None or len(reduced.weights) * problem.k <= FLOOR_PAIRS)
        )
    )
    if global_search and (best is None or reduced.value(best) < math.floor(min(bounds.values()))):
        model = _model(reduced, problem, small, floor, start)
        # A margin for CP-SAT's own overrun and the answer's assembly.
        solver = make_solver(max(0.1, started + 0.97 * time_limit_s - time.monotonic()), seed, workers)
        status = solver.solve(model.model)
        if status == cp_model.INFEASIBLE:
            core = _explain_infeasible(problem, reduced, time_limit_s, seed)
            return TeamSolution(INFEASIBLE, None, None, (), (), core, time.monotonic() - started)
        if status in (cp_model.OPTIMAL, cp_model.FEASIBLE):
            found = model.teams_of(solver)
            if best is None or reduced.value(found) >= reduced.value(best):
                best = found
            proven = status == cp_model.OPTIMAL
            bounds[CP_SAT] = solver.best_objective_bound
    if best is None:
        return TeamSolution(UNKNOWN, None, None, (), (), (), time.monotonic() - started)
    # The scaled objective is an integer: a bound below the next integer proves optimality too.
    method = CP_SAT if proven else min(bounds, key=lambda name: bounds[name])
    proven = proven or reduced.value(best) >= math.floor(min(bounds.values()))
    constant = _constant_weight(problem, reduced)
    teams = _teams_detail(problem, reduced.organisations_of(best))
    objective = round(float(sum(team.score for team in teams)), 6)
    bound = objective if proven else round(max(bounds[method] / SCALE + constant, objective), 6)
    extra: tuple[Alternative, ...] = ()
    if alternatives:
        model = model or _model(reduced, problem, small, floor, None)
        extra = _alternatives(problem, reduced, model, best, alternatives, time_limit_s, seed, workers)
    status_name = OPTIMAL if proven else FEASIBLE
    return TeamSolution(
        status_name, objective, bound, teams, extra, (), time.monotonic() - started, bound_method=method
    )


def _large_phase(
    reduced: GroupProblem,
    problem: TeamProblem,
    bounds: dict[str, float],
    clock: tuple[float, float],
    seed: int,
    workers: int,
) -> tuple[list[list[int]] | None, list[list[int]] | None]:
    """Large problems. Until TABU_END of the time limit, tabu search (`_search_partition`, module
    `tabu`) improves a greedy partition; then column generation on the set-partitioning LP, from the
    teams the search met, prices new teams by the greedy and polished pricings
    (`columns.price_columns`) until COLUMNS_END. Meanwhile a thread bounds: the pair LP tightened by cutting planes (module `bounds`,
    in a child process when the time allows), then, on problems of at most COLUMNS_UP_TO groups, column
    generation with exact pricing (module `columns`); both bounds join `bounds`. A dive on the LP
    (`columns.dive`, until DIVE_SHARE more of the time) may give a better partition than the search's.
    Then, unless a bound already proves the partition, CP-SAT picks the best k teams among the
    columns of largest reduced cost and those of the bounding column generation (with a floor, among
    the teams that reach it) until SOLVE_END, hinted with it. Returns the search's partition (a hint,
    possibly under the floor) and the best partition meeting every rule (None if none)."""
    started, time_limit_s = clock
    floor = _scaled_floor(problem)
    sizes = (problem.min_size, problem.max_size)
    columns_end = started + COLUMNS_END * time_limit_s
    solve_end = started + SOLVE_END * time_limit_s
    small = len(reduced.groups) <= COLUMNS_UP_TO
    met: set[tuple[int, ...]] = set()
    priced: list[Column] = []
    chosen: list[list[int]] | None = None

    def keep(column: Column) -> bool:
        return floor is None or sum(reduced.inner[g] for g in column) + column_value(reduced, column) >= floor

    with ThreadPoolExecutor(max_workers=1) as pool:
        if small:
            ends = (started + LP_SHARE * time_limit_s, started + BOUND_END * time_limit_s)
        else:
            ends = (columns_end, columns_end)
        bounding = pool.submit(_bound, reduced, problem, ends, seed)
        start = _search_partition(reduced, problem, started + TABU_END * time_limit_s, seed, floor, met)
        best = start if start is not None and shortfall(reduced, start, floor) == 0 else None
        if start is not None:
            master, duals = price_columns(reduced, problem.k, sizes, [*met, *start], columns_end)
            priced = promising_columns(
                reduced,
                [c for c in master.columns if keep(c)],
                duals,
                MASTER_COLUMNS_PER_GROUP * len(reduced.groups),
            )
            dived = dive(master, columns_end + DIVE_SHARE * time_limit_s)
            if dived is not None and shortfall(reduced, dived, floor) == 0:
                dived_teams = [list(team) for team in dived]
                if best is None or reduced.value(dived_teams) > reduced.value(best):
                    best = dived_teams
        if not small and best is not None:
            chosen = integer_master(reduced, problem.k, priced, best, solve_end, seed, workers, keep)
        lp, result = bounding.result()
    if lp is not None:
        bounds[PAIR_LP] = lp
    if result is not None and result.bound is not None:
        bounds[COLUMN_GENERATION] = result.bound
    if chosen is not None:
        best = chosen
    if not small or best is None or reduced.value(best) >= math.floor(min(bounds.values())):
        return start, best
    columns = sorted(set(priced).union(result.columns if result is not None else ()))
    chosen = integer_master(reduced, problem.k, columns, best, solve_end, seed, workers, keep)
    return start, (chosen if chosen is not None else best)


def _bound(
    reduced: GroupProblem, problem: TeamProblem, ends: tuple[float, float], seed: int
) -> tuple[float | None, ColumnResult | None]:
    """The pair LP's bound with its cutting planes until the first of `ends` (or sooner, when no cut is
    violated), then (problems of at most COLUMNS_UP_TO groups) column generation from a quick partition
    until the second."""
    lp_end, deadline = ends
    sizes = (problem.min_size, problem.max_size)
    lp = lp_bound_apart(
        reduced, problem.max_size, max(1.0, lp_end - time.monotonic()), teams=(problem.k, problem.min_size)
    )
    if len(reduced.groups) > COLUMNS_UP_TO or time.monotonic() >= deadline:
        return lp, None
    singletons = [[g] for g in range(len(reduced.groups))]
    quick = greedy_groups(reduced, problem.k, problem.min_size, problem.max_size, singletons)
    quick = None if quick is None else local_search(reduced, quick, problem.min_size, problem.max_size)
    return lp, column_generation(reduced, problem.k, sizes, quick or [], deadline, seed)


def _search_partition(
    reduced: GroupProblem,
    problem: TeamProblem,
    deadline: float,
    seed: int,
    floor: int | None,
    met: set[tuple[int, ...]],
) -> list[list[int]] | None:
    """The start partition (`_start_partition`), then TABU_RUNS runs of tabu search from it with
    different seeds, sharing the time left until `deadline`: the best partition found (least shortfall
    below the floor first). The teams the runs meet go to `met`."""
    start = _start_partition(reduced, problem, seed, floor)
    if start is None:
        return None
    sizes = (problem.min_size, problem.max_size)
    best = start
    for run in range(TABU_RUNS):
        now = time.monotonic()
        if now >= deadline:
            break
        found = tabu_search(
            reduced, start, sizes, now + (deadline - now) / (TABU_RUNS - run), seed + run, floor, pool=met
        )
        if quality(reduced, found, floor) > quality(reduced, best, floor):
            best = found
    return best


def _model(
    reduced: GroupProblem,
    problem: TeamProblem,
    small: bool,
    floor: int | None,
    hint: list[list[int]] | None,
) -> TeamModel:
    model = TeamModel(reduced, problem.k, problem.min_size, problem.max_size, small, floor=floor)
    if hint is not None:
        model.hint(hint)
    return model


def _scaled_floor(problem: TeamProblem) -> int | None:
    if problem.min_team_score is None:
        return None
    # Rounded first so that a floor given to 0.001 is not pushed up by binary fractions.
    return math.ceil(round(problem.min_team_score * SCALE, 6))


def floor_conflicts(problem: TeamProblem, reduced: GroupProblem, cross_bound: float) -> tuple[Conflict, ...]:
    """Floors on team scores that no partition can meet, seen without searching. Codes and figures:

    - ``floor_too_few_linked`` (teams, linked_teams_max): a positive floor needs, in each team, a group
      with positive inner weight or two groups joined by a positive weight; at most linked_teams_max
      disjoint teams can have one (per component of the positive links: its groups of positive inner
      weight alone, the others in pairs).
    - ``floor_above_total`` (floor, teams, total_bound, best_minimum_bound): k teams at the floor need
      k x floor, more than a bound on the total score; no team minimum can exceed total_bound / k.
    `cross_bound` is a scaled upper bound on the weight between groups inside teams."""
    floor = _scaled_floor(problem)
    if floor is None or floor <= 0:
        return ()
    k = problem.k
    linked = _linked_teams_max(reduced)
    conflicts = []
    if linked < k:
        conflicts.append(
            Conflict(
                "floor_too_few_linked",
                f"a floor of {problem.min_team_score} needs a cooperation in each of the {k} teams; "
                f"at most {linked} teams can hold one",
                params=(("teams", k), ("linked_teams_max", linked)),
            )
        )
    total = cross_bound + sum(reduced.inner)
    if k * floor > total:
        conflicts.append(
            Conflict(
                "floor_above_total",
                f"{k} teams of at least {problem.min_team_score} need {k * floor / SCALE:g}; "
                f"no partition scores more than {total / SCALE:.3f}",
                params=(
                    ("floor", float(problem.min_team_score or 0)),
                    ("teams", k),
                    ("total_bound", round(total / SCALE, 3)),
                    ("best_minimum_bound", round(total / SCALE / k, 3)),
                ),
            )
        )
    return tuple(conflicts)


def _linked_teams_max(reduced: GroupProblem) -> int:
    """At most how many disjoint teams can hold positive weight (module `floor_conflicts`)."""
    n = len(reduced.groups)
    parent = list(range(n))

    def root(g: int) -> int:
        while parent[g] != g:
            parent[g] = parent[parent[g]]
            g = parent[g]
        return g

    for (g, h), w in reduced.weights.items():
        if w > 0:
            parent[root(g)] = root(h)
    members: dict[int, list[int]] = defaultdict(list)
    for g in range(n):
        members[root(g)].append(g)
    count = 0
    for component in members.values():
        alone = sum(1 for g in component if reduced.inner[g] > 0)
        count += alone + (len(component) - alone) // 2 if len(component) > 1 else alone
    return count


def _explain_infeasible(
    problem: TeamProblem, reduced: GroupProblem, time_limit_s: float, seed: int
) -> tuple[Conflict, ...]:
    """Why the search found no partition: the floor, when the constraints hold without it (with the
    best minimum team score reachable), else the constraints to blame."""
    if problem.min_team_score is not None:
        singletons = [[g] for g in range(len(reduced.groups))]
        if greedy_groups(reduced, problem.k, problem.min_size, problem.max_size, singletons) is not None:
            return (_floor_unreachable(problem, reduced, time_limit_s, seed),)
        plain = TeamModel(reduced, problem.k, problem.min_size, problem.max_size, False)
        solver = make_solver(time_limit_s, seed, 1)
        if solver.solve(plain.model) in (cp_model.OPTIMAL, cp_model.FEASIBLE):
            return (_floor_unreachable(problem, reduced, time_limit_s, seed),)
    return _diagnose(problem, time_limit_s, seed)


def _floor_unreachable(
    problem: TeamProblem, reduced: GroupProblem, time_limit_s: float, seed: int
) -> Conflict:
    """``floor_unreachable`` (floor, best_minimum, best_minimum_bound): the largest minimum team score
    found by maximising the weakest team (proven when the two figures agree); the weakest team of that
    partition is named."""
    small = len(reduced.groups) <= EXACT_PAIRS_UP_TO
    model = TeamModel(reduced, problem.k, problem.min_size, problem.max_size, small)
    scores = model.team_scores()
    low = sum(min(0, w) for w in reduced.weights.values()) + sum(min(0, c) for c in reduced.inner)
    high = sum(max(0, w) for w in reduced.weights.values()) + sum(max(0, c) for c in reduced.inner)
    weakest = model.model.new_int_var(low, high, "weakest")
    for score in scores:
        model.model.add(score >= weakest)
    model.model.maximize(weakest)
    solver = make_solver(time_limit_s, seed, 1 if small else 2)
    status = solver.solve(model.model)
    params: list[tuple[str, float]] = [("floor", float(problem.min_team_score or 0))]
    names: tuple[str, ...] = ()
    if status in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        teams = model.teams_of(solver)
        team_scores = reduced.team_scores(teams)
        worst = min(range(len(teams)), key=lambda t: team_scores[t])
        names = tuple(sorted(org for g in teams[worst] for org in reduced.groups[g]))
        params.append(("best_minimum", team_scores[worst] / SCALE))
    params.append(("best_minimum_bound", math.floor(solver.best_objective_bound) / SCALE))
    return Conflict(
        "floor_unreachable",
        f"no partition gives every team at least {problem.min_team_score}; "
        + ", ".join(f"{name} {value:g}" for name, value in params[1:]),
        names,
        tuple(params),
    )


def _group_problem(problem: TeamProblem) -> GroupProblem:
    return GroupProblem.of(problem.organisations, problem.weights, problem.must_link, problem.cannot_link)


def _start_partition(
    reduced: GroupProblem, problem: TeamProblem, seed: int, floor: int | None
) -> list[list[int]] | None:
    """Greedy partition and local search (moves and swaps). Those ignore the floor: with one, the
    partition is repaired (moves and swaps that cut the shortfall) and, if teams still fall short,
    seeds that each reach the floor are grown instead; the better of the two is returned."""
    singletons = [[g] for g in range(len(reduced.groups))]
    teams = greedy_groups(reduced, problem.k, problem.min_size, problem.max_size, singletons)
    if teams is None:
        return None
    teams = local_search(reduced, teams, problem.min_size, problem.max_size)
    if floor is None or shortfall(reduced, teams, floor) == 0:
        return teams
    repaired = repair_floor(reduced, teams, problem.min_size, problem.max_size, floor)
    if shortfall(reduced, repaired, floor) == 0:
        return repaired
    seeded = floor_seeded_groups(reduced, problem.k, problem.min_size, problem.max_size, floor)
    candidates = [repaired] if seeded is None else [repaired, seeded]
    return max(candidates, key=lambda c: quality(reduced, c, floor))


def _constant_weight(problem: TeamProblem, reduced: GroupProblem) -> float:
    """Weights inside must-link groups: always earned, outside the CP-SAT objective."""
    group_of = {org: g for g, members in enumerate(reduced.groups) for org in members}
    return sum(p.weight for p in problem.weights if group_of[p.a] == group_of[p.b])


def _alternatives(
    problem: TeamProblem,
    reduced: GroupProblem,
    model: TeamModel,
    best: list[list[int]],
    count: int,
    time_limit_s: float,
    seed: int,
    workers: int,
) -> tuple[Alternative, ...]:
    found: list[Alternative] = []
    model.model.clear_hints()  # type: ignore[no-untyped-call]
    previous = best
    for _ in range(count):
        model.exclude(previous)
        solver = make_solver(time_limit_s, seed, workers)
        status = solver.solve(model.model)
        if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
            break
        previous = model.teams_of(solver)
        teams = _teams_detail(problem, reduced.organisations_of(previous))
        label = OPTIMAL if status == cp_model.OPTIMAL else FEASIBLE
        found.append(Alternative(label, round(float(sum(team.score for team in teams)), 6), teams))
    return tuple(found)


def _diagnose(problem: TeamProblem, time_limit_s: float, seed: int) -> tuple[Conflict, ...]:
    """Which constraints conflict, when the search proves there is no partition: solve a model whose
    size bounds, must-link groups and cannot-link pairs are switched on by assumption literals, take
    the set CP-SAT blames and drop the members that are not needed (deletion, within the time limit)."""
    orgs = problem.organisations
    position = {org: i for i, org in enumerate(orgs)}
    model = cp_model.CpModel()
    x = [[model.new_bool_var(f"x{i}_{t}") for t in range(problem.k)] for i in range(len(orgs))]
    for row in x:
        model.add_exactly_one(row)
    labels: list[tuple[cp_model.IntVar, Conflict]] = []

    def switch(conflict: Conflict) -> cp_model.IntVar:
        literal = model.new_bool_var(f"a{len(labels)}")
        labels.append((literal, conflict))
        return literal

    at_least = switch(Conflict("min_size", f"every team has at least {problem.min_size} members"))
    at_most = switch(Conflict("max_size", f"every team has at most {problem.max_size} members"))
    for t in range(problem.k):
        load = sum(row[t] for row in x)
        model.add(load >= 1)
        model.add(load >= problem.min_size).only_enforce_if(at_least)
        model.add(load <= problem.max_size).only_enforce_if(at_most)
    for group in problem.must_link:
        literal = switch(Conflict("must_link", f"{', '.join(group)} must be in the same team", tuple(group)))
        first = position[group[0]]
        for org in group[1:]:
            for t in range(problem.k):
                model.add(x[first][t] == x[position[org]][t]).only_enforce_if(literal)
    for a, b in problem.cannot_link:
        literal = switch(Conflict("cannot_link", f"{a} and {b} cannot be in the same team", (a, b)))
        for t in range(problem.k):
            model.add_bool_or(~x[position[a]][t], ~x[position[b]][t], ~literal)
    deadline = time.monotonic() + time_limit_s
    core = [literal for literal, _ in labels]

    def infeasible(assumed: list[cp_model.IntVar]) -> list[int] | None:
        model.clear_assumptions()
        model.add_assumptions(assumed)
        solver = cp_model.CpSolver()
        solver.parameters.max_time_in_seconds = max(0.1, deadline - time.monotonic())
        solver.parameters.random_seed = seed
        solver.parameters.num_workers = 1
        if solver.solve(model) != cp_model.INFEASIBLE:
            return None
        return list(solver.sufficient_assumptions_for_infeasibility())

    blamed = infeasible(core)
    if blamed is None:
        return (
            Conflict(
                "unsatisfiable", "no partition meets the size bounds, must-link and cannot-link together"
            ),
        )
    by_index = {literal.index: literal for literal, _ in labels}
    core = [by_index[i] for i in sorted(set(blamed))] or core
    for literal in list(core):
        if time.monotonic() >= deadline or len(core) == 1:
            break
        trial = [other for other in core if other is not literal]
        if infeasible(trial) is not None:
            core = trial
    kept = {literal.index for literal in core}
    parts = [conflict for literal, conflict in labels if literal.index in kept]
    orgs_involved = tuple(dict.fromkeys(org for c in parts for org in c.organisations))
    message = f"these constraints cannot all hold in {problem.k} teams: " + "; ".join(
        c.message for c in parts
    )
    return (Conflict("unsatisfiable", message, orgs_involved), *parts)
