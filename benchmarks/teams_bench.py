"""Benchmark of the cooperation analysis and team formation (prints figures; not a test).

    .venv/bin/python benchmarks/teams_bench.py [--quick] [--sizes 1000,2000] [--floor 1.0]
        [--time-limit 60] [--no-detection] [--no-demo-data] [--other-instances 3]

0. The demo itself (unless --no-demo-data): a fresh SQLite database in a temporary directory,
   migrated, the demo programme loaded, its instance written by `sobrindustrie teams instance --fresh`
   (the platform's own detection; the floor the workshop page uses by default, "every team holds at
   least one cooperation"), then solved to proven optimality with that floor and without it.
1. A 15-SME programme like the demo: opportunities detected from synthetic inventories, 5 teams of 2-4,
   one pre-formed pair (must-link), one refusal (cannot-link), solved to proven optimality, without and
   with a floor on every team's score (`min_team_score`).
2. 300 organisations into 60 teams of 3-7, weights from the same detection, a few must- and cannot-links,
   60 s time limit, 2 workers: incumbent, proven bound (and which: column generation's Lagrangian bound,
   the pair LP with its cutting planes or the capacity bound) and gap, wall and CPU time, without and
   with the floor.
3. The same generator with the next --other-instances seeds (default 3), no floor: the gap on instances
   the engine was not tuned on.
4. Opportunity detection at 1,000, 2,000, 5,000 and 10,000 organisations (20 production means each),
   spread as a national programme would be (see `synthetic_programme`); for comparison, 2,000
   organisations piled into the 1,000's 12 areas (twice the density: pairs within the radius x4).
For 1 and 2, the baselines a user might otherwise pick, on the same instance: greedy merging of the
strongest pairs, and the best of 12 networkx Louvain runs (3 resolutions x 4 seeds) repaired to the size
bounds; ratio of objectives. Everything is seeded. The summary prints one row per measure:
"BENCH | measure | target | measured | load X" (X: the 1-minute load average when it was measured; the
machine is shared).
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import math
import os
import random
import subprocess
import sys
import tempfile
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
    TeamSolution,
    detect_opportunities,
    greedy_partition,
    pair_weights,
    score_partition,
    solve_teams,
)
from sobrindustrie.engines.teams.cli import load_instance

ROOT = Path(__file__).resolve().parent.parent
DEMO_SLUG = "sobrindustrie-paca-2025"

TOP_CATEGORIES = ("cutting", "forming", "welding", "machining", "surface", "assembly", "handling", "air")
SUB_CATEGORIES = [f"{top}.{sub}" for top in TOP_CATEGORIES for sub in ("a", "b", "c", "d", "e")]
SKILLS = ("maintenance", "retrofit", "design", "fabrication")


# Where the industrial areas' centres are drawn: Provence-Alpes-Côte d'Azur (latitude, longitude).
REGION = ((43.1, 44.3), (4.7, 7.4))
ORGS_PER_AREA = 85
"""About 1,000 organisations in 12 areas: a regional programme's density, kept at national scale."""


def synthetic_programme(
    n_orgs: int,
    machines_per_org: int,
    seed: int,
    areas: int = 12,
    exchange: float = 1.0,
    national: bool = False,
) -> tuple[list[Org], list[Machine], list[Need], list[Offer]]:
    """Organisations clustered around industrial areas of Provence-Alpes-Côte d'Azur, each with
    machines, and some needs and offers (`exchange` multiplies how many).

    `national`: a programme larger than a region spreads over more land, not over the same areas. The
    number of areas grows with the organisations (one per `ORGS_PER_AREA`), and the land they are drawn
    on grows likewise (the region's box, scaled by sqrt(n / 1,000) in each direction towards the north
    and west: about half of mainland France at 10,000), so that each area and its surroundings keep a
    regional density. Piling 10,000 organisations into the 12 areas of one region would make the pairs
    within the radius, hence the work, grow with the square of their number, which no real programme
    does (metropolitan France has about 250,000 industrial firms over 550,000 km²)."""
    rng = random.Random(seed)
    (south, north), (west, east) = REGION
    if national:
        areas = max(areas, round(n_orgs / ORGS_PER_AREA))
        scale = max(1.0, math.sqrt(n_orgs / 1000))
        north = south + (north - south) * scale
        west = east - (east - west) * scale
    centres = [(rng.uniform(south, north), rng.uniform(west, east)) for _ in range(areas)]
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


def louvain_partition(problem: TeamProblem, seed: int, resolution: float = 1.0) -> list[list[str]] | None:
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
        parts = nx.community.louvain_communities(
            graph.subgraph(community), weight="weight", resolution=resolution, seed=seed
        )
        if len(parts) == 1:
            communities.extend(
                community[i : i + problem.max_size] for i in range(0, len(community), problem.max_size)
            )
        else:
            pending.extend(sorted(part) for part in sorted(parts, key=min))
    communities.sort(key=lambda c: (-len(c), c))
    return greedy_partition(problem, improve=False, start=[[names[i] for i in c] for c in communities])


LOUVAIN_RESOLUTIONS = (0.5, 1.0, 2.0)
LOUVAIN_SEEDS = (0, 1, 2, 3)
ROWS: list[tuple[str, str, str, str]] = []


def load() -> str:
    return "/".join(f"{x:.1f}" for x in os.getloadavg())


def row(measure: str, target: str, measured: str) -> None:
    one_minute = f"{os.getloadavg()[0]:.2f}"
    ROWS.append((measure, target, measured, one_minute))
    print(f"  >> {measure} | {target} | {measured} | load {one_minute}")


def best_louvain(problem: TeamProblem) -> tuple[float | None, float, str]:
    """Best score of the 12 Louvain runs with repair (None if none is feasible), time, best run."""
    started = time.perf_counter()
    best: float | None = None
    label = "none feasible"
    for resolution in LOUVAIN_RESOLUTIONS:
        for seed in LOUVAIN_SEEDS:
            partition = louvain_partition(problem, seed, resolution)
            if partition is None:
                continue
            scored = score_partition(problem, partition)
            if scored.feasible and (best is None or scored.score > best):
                best, label = scored.score, f"resolution {resolution:g}, seed {seed}"
    return best, time.perf_counter() - started, label


def report_baselines(problem: TeamProblem, objective: float) -> float | None:
    started = time.perf_counter()
    partition = greedy_partition(problem, improve=False)
    elapsed = time.perf_counter() - started
    if partition is None:
        print(f"  baseline greedy merging: no partition meeting the constraints ({elapsed:.2f} s)")
    else:
        scored = score_partition(problem, partition)
        print(
            f"  baseline greedy merging: objective {scored.score:.2f} ({elapsed:.2f} s, feasible "
            f"{scored.feasible}); engine / baseline = {objective / scored.score if scored.score > 0 else 0:.3f}"
        )
    louvain, elapsed, label = best_louvain(problem)
    if louvain is None:
        print(f"  baseline best of 12 Louvain + size repair: none feasible ({elapsed:.1f} s)")
        return None
    print(
        f"  baseline best of 12 Louvain + size repair: objective {louvain:.2f} ({label}; 12 runs in "
        f"{elapsed:.1f} s); engine / Louvain = {objective / louvain if louvain > 0 else 0:.3f}"
    )
    return louvain


def solve_and_print(
    problem: TeamProblem, time_limit: float, workers: int | None
) -> tuple[TeamSolution, float]:
    """The solution and the CPU time it took (this process and CP-SAT's threads)."""
    started, cpu = time.perf_counter(), time.process_time()
    solution = solve_teams(problem, time_limit_s=time_limit, workers=workers)
    elapsed, cpu = time.perf_counter() - started, time.process_time() - cpu
    objective, bound = solution.objective or 0.0, solution.bound or 0.0
    gap = (solution.gap or 0.0) * 100
    floor = "no floor" if problem.min_team_score is None else f"floor {problem.min_team_score:g}"
    weakest = min((team.score for team in solution.teams), default=0.0)
    print(
        f"  {floor}: status {solution.status}, incumbent {objective:.2f}, bound {bound:.2f} "
        f"({solution.bound_method}), gap {gap:.2f} %, weakest team {weakest:.2f}, {elapsed:.2f} s wall "
        f"({cpu:.2f} s CPU), load {load()}"
    )
    for conflict in solution.conflicts:
        print(f"    conflict {conflict.kind} {dict(conflict.params)}")
    return solution, cpu


def bench_formation(
    label: str, problem: TeamProblem, time_limit: float, workers: int | None, floor: float, target_s: str
) -> None:
    print(
        f"  {len(problem.weights)} weighted pairs, {len(problem.must_link)} must-link, {len(problem.cannot_link)} cannot-link"
    )
    plain, plain_cpu = solve_and_print(problem, time_limit, workers)
    floored, floored_cpu = solve_and_print(
        dataclasses.replace(problem, min_team_score=floor), time_limit, workers
    )
    report_floor_rows(label, plain, plain_cpu, floored, floored_cpu, floor, target_s)
    louvain = report_baselines(problem, plain.objective or 0.0)
    if louvain:
        row(
            f"teams {label}: engine / best of 12 Louvain + repair",
            ">= 1.10",
            f"{(plain.objective or 0) / louvain:.3f} ({plain.objective or 0:.2f} / {louvain:.2f})",
        )


def report_floor_rows(
    label: str,
    plain: TeamSolution,
    plain_cpu: float,
    floored: TeamSolution,
    floored_cpu: float,
    floor: float,
    target_s: str,
) -> None:
    """One row without the floor and one with it: score (incumbent), proven bound and gap, the
    weakest team, and the time the proof took."""
    for name, solution, cpu in (("no floor", plain, plain_cpu), (f"floor {floor:g}", floored, floored_cpu)):
        objective, bound = solution.objective or 0.0, solution.bound or 0.0
        gap = (solution.gap or 0.0) * 100
        weakest = min((team.score for team in solution.teams), default=0.0)
        row(
            f"teams {label}, {name}: score / bound (gap), time",
            target_s,
            f"{solution.status} {objective:.2f} / {bound:.2f} {solution.bound_method} ({gap:.2f} %), "
            f"weakest team {weakest:.2f}, {solution.wall_time_s:.2f} s wall, {cpu:.2f} s CPU",
        )


def demo_instance() -> dict[str, object]:
    """The demo programme's team-formation instance as `sobrindustrie teams instance` writes it, from
    a fresh SQLite database (the platform's own detection on the demo's inventories)."""
    with tempfile.TemporaryDirectory() as work:
        env = {**os.environ, "DATABASE_URL": f"sqlite:///{work}/demo.sqlite3"}
        manage = [sys.executable, "manage.py"]
        quiet = {"check": True, "env": env, "cwd": ROOT, "stdout": subprocess.DEVNULL}
        subprocess.run([*manage, "migrate", "--noinput", "-v", "0"], **quiet)  # type: ignore[call-overload]
        subprocess.run([*manage, "load_demo", "-v", "0"], **quiet)  # type: ignore[call-overload]
        output = Path(work) / "demo-instance.json"
        subprocess.run(  # type: ignore[call-overload]
            [*manage, "teams_instance", "--programme", DEMO_SLUG, "--fresh", "--output", str(output)], **quiet
        )
        return json.loads(output.read_text(encoding="utf-8"))  # type: ignore[no-any-return]


def bench_demo_data() -> None:
    """The demo itself, with the floor its instance carries (the workshop page's default) and without."""
    print("0. The demo programme: its instance from `sobrindustrie teams instance --fresh`")
    started = time.perf_counter()
    try:
        data = demo_instance()
    except (subprocess.CalledProcessError, OSError, ValueError) as error:
        print(f"  could not build the demo instance: {error}")
        return
    print(f"  demo database and instance in {time.perf_counter() - started:.0f} s")
    floored_problem = load_instance(data)
    floor = floored_problem.min_team_score
    plain_problem = dataclasses.replace(floored_problem, min_team_score=None)
    print(
        f"  {len(plain_problem.organisations)} organisations, {plain_problem.k} teams of "
        f"{plain_problem.min_size}-{plain_problem.max_size}, {len(plain_problem.weights)} weighted pairs, "
        f"floor {floor if floor is not None else 'none'}"
    )
    plain, plain_cpu = solve_and_print(plain_problem, 10, None)
    if floor is None:
        floor = 1.0
        floored_problem = dataclasses.replace(plain_problem, min_team_score=floor)
    floored, floored_cpu = solve_and_print(floored_problem, 10, None)
    report_floor_rows("demo programme", plain, plain_cpu, floored, floored_cpu, floor, "proven optimal < 1 s")


def bench_demo(seed: int, floor: float) -> None:
    print("1. Demo: 15 SMEs in 3 industrial areas, 5 teams of 2-4")
    problem, _ = team_problem(15, 15, 5, 2, 4, seed, areas=3, exchange=4.0)
    bench_formation("demo 15 / 5", problem, 10, None, floor, "proven optimal < 1 s")


def bench_large(seed: int, time_limit: float, floor: float) -> None:
    print(f"2. Synthetic: 300 organisations, 60 teams of 3-7, time limit {time_limit:g} s, 2 workers")
    problem, _ = team_problem(300, 10, 60, 3, 7, seed)
    bench_formation(
        "300 / 60", problem, time_limit, 2, floor, f"gap <= 1 % within {time_limit:g} s on 2 cores"
    )


def bench_detection(seed: int, sizes: list[int]) -> None:
    print(
        f"4. Detection: {', '.join(f'{n:,}' for n in sizes)} organisations, 20 production means each, "
        f"one industrial area per {ORGS_PER_AREA} organisations over land that grows with them"
    )
    previous: tuple[int, float] | None = None
    for n in sizes:
        orgs, machines, needs, offers = synthetic_programme(n, 20, seed, national=True)
        stats = DetectionStats()
        started, cpu = time.perf_counter(), time.process_time()
        found = detect_opportunities(orgs, machines, needs, offers, stats=stats)
        elapsed, cpu = time.perf_counter() - started, time.process_time() - cpu
        growth = ""
        if previous is not None:
            growth = f", x{cpu / previous[1]:.2f} for x{n / previous[0]:.2f} organisations"
        print(
            f"  {n:,} organisations, {len(machines):,} machines, {len(needs)} needs, {len(offers)} offers: "
            f"{len(found):,} opportunities, {len(pair_weights(found)):,} weighted pairs, {elapsed:.2f} s wall "
            f"({cpu:.2f} s CPU{growth}); {stats.demands:,} demands, {stats.distance_evaluations:,} distances "
            f"screened, {stats.candidates:,} supplies valued"
        )
        target = "< 60 s on 2 cores" if n >= 10_000 else "close to linear growth"
        row(f"detection {n:,} orgs / {len(machines):,} machines", target, f"{cpu:.2f} s CPU{growth}")
        previous = (n, cpu)
    if sizes:
        n = sizes[0] * 2
        orgs, machines, needs, offers = synthetic_programme(n, 20, seed)
        stats = DetectionStats()
        cpu = time.process_time()
        found = detect_opportunities(orgs, machines, needs, offers, stats=stats)
        cpu = time.process_time() - cpu
        print(
            f"  for comparison, {n:,} organisations in the same 12 areas (density x2): {len(found):,} "
            f"opportunities, {cpu:.2f} s CPU; {stats.distance_evaluations:,} distances screened, "
            f"{stats.candidates:,} supplies valued"
        )


def bench_other_instances(seed: int, time_limit: float, count: int) -> None:
    """The same generator with other seeds, no floor: whether the gap holds beyond one instance."""
    if count <= 0:
        return
    seeds = [seed + i for i in range(1, count + 1)]
    print(f"3. Other instances of 300 / 60 (seeds {', '.join(map(str, seeds))}), no floor")
    gaps = []
    for other in seeds:
        print(f"  seed {other}")
        problem, _ = team_problem(300, 10, 60, 3, 7, other)
        solution, _ = solve_and_print(problem, time_limit, 2)
        gaps.append((solution.gap or 0.0) * 100)
    row(
        f"teams 300 / 60, {count} other instances",
        f"gap <= 1 % within {time_limit:g} s on 2 cores",
        "gaps " + ", ".join(f"{gap:.2f} %" for gap in gaps),
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="10 s instead of 60 s, detection up to 2,000")
    parser.add_argument("--seed", type=int, default=2025)
    parser.add_argument("--floor", type=float, default=1.0, help="min_team_score of the floored runs")
    parser.add_argument("--sizes", help="detection sizes, comma-separated (default 1000,2000,5000,10000)")
    parser.add_argument("--time-limit", type=float, help="seconds for 300 / 60 (default 60, 10 with --quick)")
    parser.add_argument("--no-detection", action="store_true", help="team formation only")
    parser.add_argument(
        "--other-instances",
        type=int,
        default=3,
        help="300 / 60 instances of other seeds, no floor (default 3)",
    )
    parser.add_argument(
        "--no-demo-data", action="store_true", help="skip the demo programme's own instance (0.)"
    )
    args = parser.parse_args()
    sizes = [1000, 2000] if args.quick else [1000, 2000, 5000, 10000]
    if args.sizes:
        sizes = [int(n) for n in args.sizes.split(",") if n.strip()]
    if not args.no_demo_data:
        bench_demo_data()
    bench_demo(args.seed, args.floor)
    bench_large(args.seed, args.time_limit or (10 if args.quick else 60), args.floor)
    bench_other_instances(args.seed, args.time_limit or (10 if args.quick else 60), args.other_instances)
    if not args.no_detection:
        bench_detection(args.seed, sizes)
    print("\nBENCH | measure | target | measured | load (1-min load average at the measure)")
    for measure, target, measured, one_minute in ROWS:
        print(f"BENCH | {measure} | {target} | {measured} | load {one_minute}")


if __name__ == "__main__":
    main()
