"""Upper bounds on the best partition's objective, for problems too large for CP-SAT to bound well.

The LP bound relaxes "y[g, h] = 1 when g and h share a team" to 0 <= y <= 1 over the weighted pairs and
the pairs two positive links apart, with the rows every partition satisfies: triangles through each
group's positive neighbours (y[g, h] + y[h, i] - y[g, i] <= 1), the team capacity seen from each group
(sum of partner sizes <= max_size - own size) and y = 0 on cannot-link pairs. PDLP solves it roughly;
the bound reported is recomputed from its row duals (weak duality with the variables' box), so it is
valid however early the solver stops.
"""

from __future__ import annotations

from collections import defaultdict

from ortools.linear_solver.python import model_builder

from sobrindustrie.engines.teams.groups import GroupProblem

Pair = tuple[int, int]


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


def lp_bound(problem: GroupProblem, max_size: int, time_limit_s: float) -> float | None:
    """Scaled bound from the triangle LP (module docstring), or None when the solver returns no duals."""
    pairs = _pairs(problem)
    rows = _rows(problem, pairs, max_size)
    model = model_builder.Model()  # type: ignore[no-untyped-call]
    y = {
        p: model.new_num_var(0.0, 0.0 if p in problem.cannot else 1.0, f"y{p[0]}_{p[1]}")
        for p in sorted(pairs)
    }
    constraints = [
        model.add(
            model_builder.LinearExpr.weighted_sum([y[p] for p in row], [float(c) for c in coefs]) <= rhs
        )
        for row, coefs, rhs in rows
    ]
    weighted = sorted(problem.weights)
    model.maximize(
        model_builder.LinearExpr.weighted_sum(
            [y[p] for p in weighted], [problem.weights[p] for p in weighted]
        )
    )
    solver = model_builder.Solver("PDLP")
    if not solver.solver_is_supported():
        return None
    solver.set_time_limit_in_seconds(time_limit_s)
    # A loose tolerance is enough: the bound is recomputed exactly from whatever duals come back.
    solver.set_solver_specific_parameters(
        "termination_criteria { simple_optimality_criteria { eps_optimal_relative: 1e-3 "
        "eps_optimal_absolute: 1e-3 } } num_threads: 1"
    )
    solver.solve(model)
    try:
        duals = [float(d) for d in solver.dual_values(constraints)]
    except (TypeError, ValueError):
        return None
    if any(d != d for d in duals):  # NaN: no dual solution
        return None
    return _dual_bound(problem, pairs, rows, duals)


def _pairs(problem: GroupProblem) -> set[Pair]:
    pairs = set(problem.weights)
    for row in problem.neighbours:
        positive = sorted(h for h, w in row.items() if w > 0)
        for i, h in enumerate(positive):
            pairs.update((h, other) for other in positive[i + 1 :])
    return pairs


def _rows(problem: GroupProblem, pairs: set[Pair], max_size: int) -> list[tuple[list[Pair], list[int], int]]:
    def key(a: int, b: int) -> Pair:
        return (a, b) if a < b else (b, a)

    rows: list[tuple[list[Pair], list[int], int]] = []
    for middle, row in enumerate(problem.neighbours):
        positive = sorted(h for h, w in row.items() if w > 0)
        for i, a in enumerate(positive):
            for b in positive[i + 1 :]:
                rows.append(([key(a, middle), key(middle, b), (a, b)], [1, 1, -1], 1))
    partners: dict[int, list[int]] = defaultdict(list)
    for g, h in sorted(pairs):
        partners[g].append(h)
        partners[h].append(g)
    for g, others in sorted(partners.items()):
        rows.append(
            ([key(g, h) for h in others], [problem.sizes[h] for h in others], max_size - problem.sizes[g])
        )
    return rows


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
