"""Benchmark of the cooperation analysis and team formation (prints figures; not a test).

    .venv/bin/python benchmarks/teams_bench.py [--quick]

1. A 15-SME programme like the demo: opportunities detected from synthetic inventories, 5 teams of 2-4,
   one pre-formed pair (must-link), one refusal (cannot-link), solved to proven optimality.
2. 300 organisations into 60 teams of 3-7, weights from the same detection, a few must- and cannot-links,
   60 s time limit, 2 workers: objective, bound and gap.
3. Opportunity detection on 2,000 organisations and 40,000 production means.
For 1 and 2, the baselines a user might otherwise pick, on the same instance: greedy merging of the
strongest pairs, and networkx Louvain communities repaired to the size bounds; ratio of objectives.
Everything is seeded. Targets on the 2-core machine: demo < 1 s, 300/60 within 60 s, detection < 30 s.
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from pathlib import Path

import networkx as nx

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sobrindustrie.engines.teams import (
    DetectionStats,
    Machine,
    Need,
    Offer,
    Org,
    TeamProblem,
    detect_opportunities,
    greedy_partition,
    pair_weights,
    score_partition,
    solve_teams,
)

TOP_CATEGORIES = ("cutting", "forming", "welding", "machining", "surface", "assembly", "handling", "air")
SUB_CATEGORIES = [f"{top}.{sub}" for top in TOP_CATEGORIES for sub in ("a", "b", "c", "d", "e")]
SKILLS = ("maintenance", "retrofit", "design", "fabrication")


def synthetic_programme(
    n_orgs: int, machines_per_org: int, seed: int, areas: int = 12, exchange: float = 1.0
) -> tuple[list[Org], list[Machine], list[Need], list[Offer]]:
    """Organisations clustered around industrial areas of Provence-Alpes-Côte d'Azur, each with
    machines, and some needs and offers (`exchange` multiplies how many)."""
    rng = random.Random(seed)
    centres = [(rng.uniform(43.1, 44.3), rng.uniform(4.7, 7.4)) for _ in range(areas)]
    orgs, machines, needs, offers = [], [], [], []
    for i in range(n_orgs):
        lat, lon = rng.choice(centres)
        org = Org(f"O{i:04d}", f"Entreprise {i}", lat + rng.gauss(0, 0.1), lon + rng.gauss(0, 0.13))
        orgs.append(org)
        for j in range(machines_per_org):
            machines.append(_machine(rng, f"{org.id}-M{j:02d}", org.id))
        if rng.random() < 0.12 * exchange:
            offers.append(
                Offer(org.id, "skill", skill=rng.choice(SKILLS), hours_per_year=rng.choice([None, 200.0]))
            )
        if rng.random() < 0.05 * exchange:
            offers.append(
                Offer(org.id, "capacity", category=rng.choice(SUB_CATEGORIES), hours_per_year=400.0)
            )
        if rng.random() < 0.10 * exchange:
            needs.append(Need(org.id, "capacity", category=rng.choice(SUB_CATEGORIES), hours_per_year=300.0))
        if rng.random() < 0.05 * exchange:
            needs.append(Need(org.id, "skill", skill=rng.choice(SKILLS), hours_per_year=80.0))
    return orgs, machines, needs, offers


def _machine(rng: random.Random, machine_id: str, org_id: str) -> Machine:
    utilisation = rng.uniform(10, 95)
    hours = round(utilisation / 100 * 1800)
    contractor = rng.random() < 0.4
    return Machine(
        machine_id,
        org_id,
        rng.choice(SUB_CATEGORIES),
        f"Machine {machine_id}",
        round(rng.lognormvariate(10.5, 0.8)),
        mass_kg=rng.choice([None, round(rng.uniform(200, 8000))]),
        main_material=rng.choice([None, "steel", "aluminium"]),
        annual_operating_hours=hours,
        utilisation_rate=round(utilisation, 1),
        condition=rng.choices(("new", "good", "fair", "poor", "out_of_service"), (10, 45, 30, 12, 3))[0],
        maintenance_mode="contractor" if contractor else "inhouse",
        contractor_distance_km=round(rng.uniform(5, 200)) if contractor else None,
        planned_action=rng.choices(("none", "replace", "purchase"), (92, 5, 3))[0],
        sharing_hours_per_week=rng.choice([0, 0, 0, 4, 8]),
    )


def team_problem(
    n_orgs: int,
    machines_per_org: int,
    k: int,
    min_size: int,
    max_size: int,
    seed: int,
    areas: int = 12,
    exchange: float = 1.0,
) -> tuple[TeamProblem, float]:
    orgs, machines, needs, offers = synthetic_programme(n_orgs, machines_per_org, seed, areas, exchange)
    started = time.perf_counter()
    weights = pair_weights(detect_opportunities(orgs, machines, needs, offers))
    detection_s = time.perf_counter() - started
    rng = random.Random(seed + 1)
    ids = [org.id for org in orgs]
    must = tuple(tuple(rng.sample(ids, 2)) for _ in range(max(1, n_orgs // 40)))
    taken = {org for pair in must for org in pair}
    free = [org for org in ids if org not in taken]
    cannot = tuple(tuple(rng.sample(free, 2)) for _ in range(max(1, n_orgs // 30)))
    problem = TeamProblem(tuple(ids), tuple(weights), k, min_size, max_size, must, cannot)  # type: ignore[arg-type]
    return problem, detection_s


def louvain_partition(problem: TeamProblem, seed: int) -> list[list[str]] | None:
    """Louvain communities on the positive weights, communities larger than a team split by Louvain
    again (then cut if Louvain cannot split them), then merged and filled to k teams within the size
    bounds by the greedy repair."""
    # Integer nodes: networkx iterates sets of nodes, and integers hash the same in every run.
    names = list(problem.organisations)
    index = {name: i for i, name in enumerate(names)}
    graph = nx.Graph()
    graph.add_nodes_from(range(len(names)))
    graph.add_weighted_edges_from((index[p.a], index[p.b], p.weight) for p in problem.weights if p.weight > 0)
    pending = [sorted(graph.nodes)]
    communities: list[list[int]] = []
    while pending:
        community = pending.pop()
        if len(community) <= problem.max_size:
            communities.append(community)
            continue
        parts = nx.community.louvain_communities(graph.subgraph(community), weight="weight", seed=seed)
        if len(parts) == 1:
            communities.extend(
                community[i : i + problem.max_size] for i in range(0, len(community), problem.max_size)
            )
        else:
            pending.extend(sorted(part) for part in sorted(parts, key=min))
    communities.sort(key=lambda c: (-len(c), c))
    return greedy_partition(problem, improve=False, start=[[names[i] for i in c] for c in communities])


def report_baselines(problem: TeamProblem, objective: float, seed: int) -> None:
    for name in ("greedy merging", "Louvain + size repair"):
        started = time.perf_counter()
        if name == "greedy merging":
            partition = greedy_partition(problem, improve=False)
        else:
            partition = louvain_partition(problem, seed)
        elapsed = time.perf_counter() - started
        if partition is None:
            print(f"  baseline {name}: no partition meeting the constraints ({elapsed:.2f} s)")
            continue
        scored = score_partition(problem, partition)
        ratio = objective / scored.score if scored.score > 0 else float("inf")
        print(
            f"  baseline {name}: objective {scored.score:.2f} ({elapsed:.2f} s, feasible {scored.feasible}); "
            f"CP-SAT / baseline = {ratio:.3f}"
        )


def bench_demo(seed: int) -> None:
    print("1. Demo: 15 SMEs in 3 industrial areas, 5 teams of 2-4")
    problem, _ = team_problem(15, 15, 5, 2, 4, seed, areas=3, exchange=4.0)
    started, cpu = time.perf_counter(), time.process_time()
    solution = solve_teams(problem, time_limit_s=10)
    elapsed, cpu = time.perf_counter() - started, time.process_time() - cpu
    print(
        f"  {len(problem.weights)} weighted pairs; status {solution.status}, objective {solution.objective}, "
        f"bound {solution.bound}, {elapsed:.3f} s wall ({cpu:.3f} s CPU)"
    )
    for team in solution.teams:
        print(f"    {', '.join(team.members)}: {team.score:.2f}")
    report_baselines(problem, solution.objective or 0.0, seed)


def bench_large(seed: int, time_limit: float) -> None:
    print(f"2. Synthetic: 300 organisations, 60 teams of 3-7, time limit {time_limit:g} s, 2 workers")
    problem, _ = team_problem(300, 10, 60, 3, 7, seed)
    started = time.perf_counter()
    solution = solve_teams(problem, time_limit_s=time_limit, workers=2)
    elapsed = time.perf_counter() - started
    objective, bound = solution.objective or 0.0, solution.bound or 0.0
    gap = (bound - objective) / abs(bound) * 100 if bound else 0.0
    print(
        f"  {len(problem.weights)} weighted pairs, {len(problem.must_link)} must-link, "
        f"{len(problem.cannot_link)} cannot-link; status {solution.status}, objective {objective:.2f}, "
        f"bound {bound:.2f}, gap {gap:.1f} %, {elapsed:.1f} s"
    )
    report_baselines(problem, objective, seed)


def bench_detection(seed: int) -> None:
    print("3. Detection: 2,000 organisations, 40,000 production means")
    orgs, machines, needs, offers = synthetic_programme(2000, 20, seed)
    stats = DetectionStats()
    started, cpu = time.perf_counter(), time.process_time()
    found = detect_opportunities(orgs, machines, needs, offers, stats=stats)
    elapsed, cpu = time.perf_counter() - started, time.process_time() - cpu
    weights = pair_weights(found)
    by_solution: dict[str, int] = {}
    for opp in found:
        by_solution[opp.solution] = by_solution.get(opp.solution, 0) + 1
    print(
        f"  {len(machines)} machines, {len(needs)} needs, {len(offers)} offers: {len(found)} opportunities "
        f"({', '.join(f'{k} {v}' for k, v in sorted(by_solution.items()))}), {len(weights)} weighted pairs, "
        f"{elapsed:.2f} s wall ({cpu:.2f} s CPU)"
    )
    all_pairs = len(machines) * (len(machines) - 1) // 2
    print(
        f"  {stats.demands} demands, {stats.distance_evaluations} distance evaluations "
        f"(all pairs of machines would be {all_pairs:,})"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="10 s instead of 60 s for the 300/60 instance")
    parser.add_argument("--seed", type=int, default=2025)
    args = parser.parse_args()
    bench_demo(args.seed)
    bench_large(args.seed, 10 if args.quick else 60)
    bench_detection(args.seed)


if __name__ == "__main__":
    main()
