"""Benchmark of the workshop 2 pages at scale (issue #18): team formation in a programme of more than
5,000 organisations, on PostgreSQL behind gunicorn (prints figures; not a test).

    .venv/bin/python benchmarks/workshop_bench.py [--setup | --setup-if-missing] [--database NAME]
        [--smes 120] [--outside 4900] [--requests 30] [--solve-runs 3]

1. With --setup (or --setup-if-missing when the database does not hold a finished setup): (re)creates
   the PostgreSQL database `--database` (default `sobrindustrie_workshop_bench`, never `test`),
   migrates it, loads the communes and runs `generate_dataset` for one programme (`synth-1`) of
   `--smes` laureate SMEs with 10 production means each and `--outside` outside structures (a
   territory's company registry): 5,020 organisations by default. Then, through `manage.py shell`:
   20 target teams, 40 pre-formed candidacy pairs, two constraints, a capacity need per SME that
   another SME's shared machine can meet, and the cooperation analysis.
2. Starts gunicorn on 127.0.0.1 like benchmarks/load_bench.py (production settings, DEBUG off).
3. The programme's consultant logs in (untimed), then requests one after the other:
   - the team-formation page (`--requests` times);
   - a constraint search as HTMX sends it (`--requests` times, over several words);
   - the same search without JavaScript: the whole page with a search and two chosen organisations;
   - a solve round-trip: the parameters form posted as HTMX sends it, the programme's defaults with
     a 2 s time limit (`--solve-runs` times; its time is mostly the optimiser's, so it has its own
     target: the time limit plus one second).
4. Prints, per request kind: count, errors, p50, p95 and maximum in milliseconds (wall time of the
   request as the client sees it, on a shared machine: the load average is printed with each figure)
   and the page weight in KB (1 KB = 1,024 bytes of HTML as rendered, before gzip), then
   `BENCH | measure | target | measured | load …` lines that benchmarks/summary.py collects.
Only 127.0.0.1 is ever contacted.
"""

from __future__ import annotations

import argparse
import re
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import requests

sys.path.insert(0, str(Path(__file__).resolve().parent))

from load_bench import (  # a script beside this one
    _environment,
    _manage,
    free_port,
    load,
    log_in,
    percentile,
    start_server,
)

DATABASE = "sobrindustrie_bench_workshop"
"""The name `make bench` gives it (summary.py: its database, suffixed `_workshop`)."""
SLUG = "synth-1"
CONSULTANT = "consultant-1@synth.example"
TARGET_KB = 150
TARGET_P95_MS = 1000.0
SOLVE_TIME_LIMIT_S = 2.0
SEARCHES = ("usinage", "tôlerie rhône", "plasturgie", "extérieure 1-4", "fonderie var", "mécanique")

# Capacity needs that other SMEs' shared machines can meet, so that the analysis finds cooperations
# (generate_dataset makes machines, not needs).
NEEDS_SCRIPT = """
from sobrindustrie.accounts.models import User
from sobrindustrie.cooperation import services
from sobrindustrie.organisations.models import Need, Organisation, ProductionMeans
from sobrindustrie.programmes.models import Programme
programme = Programme.objects.get(slug={slug!r})
consultant = User.objects.get(email={consultant!r})
smes = list(Organisation.objects.filter(programme=programme, kind="laureate_sme").order_by("pk"))
shared = list(
    ProductionMeans.objects.filter(organisation__programme=programme, sharing_hours_per_week__gt=0)
    .order_by("pk").values_list("organisation_id", "category")
)
for index, sme in enumerate(smes):
    owner, category = shared[(7 * index + 3) % len(shared)]
    if owner != sme.pk:
        Need.objects.create(organisation=sme, kind="capacity", category=category, hours_per_year=300.0)
analysis = services.run_analysis(programme, consultant)
print(f"analysis: {{analysis.opportunity_count}} opportunities between {{analysis.organisation_count}} organisations")
"""

SETUP_SCRIPT = """
from sobrindustrie.accounts.models import User
from sobrindustrie.cooperation import services
from sobrindustrie.organisations.models import Organisation
from sobrindustrie.programmes.models import Programme
programme = Programme.objects.get(slug={slug!r})
programme.target_team_count = 20
programme.save(update_fields=["target_team_count"])
consultant = User.objects.get(email={consultant!r})
organisations = Organisation.objects.filter(programme=programme).order_by("pk")
smes = list(organisations.filter(kind="laureate_sme"))
outside = list(organisations.exclude(kind="laureate_sme")[:2])
for number in range(40):
    pair = [smes[2 * number].pk, smes[2 * number + 1].pk]
    Organisation.objects.filter(pk__in=pair).update(preformed_group=f"Candidature {{number + 1}}")
services.add_constraint(programme, "cannot_link", [smes[-1], smes[-2]], "Concurrents directs", consultant)
services.add_constraint(programme, "must_link", [smes[-3], outside[0]], "Même site", consultant)
"""


@dataclass
class Kind:
    label: str
    durations: list[float] = field(default_factory=list)
    sizes: list[int] = field(default_factory=list)
    errors: int = 0


def setup_database(env: dict[str, str], database: str, smes: int, outside: int) -> None:
    if not re.fullmatch(r"[a-z][a-z0-9_]{0,62}", database) or database.startswith("test"):
        raise SystemExit(f"refusing to recreate the database {database!r}")
    psql = ["psql", "-h", "127.0.0.1", "-U", "postgres", "-v", "ON_ERROR_STOP=1", "-q", "-c"]
    subprocess.run([*psql, f'DROP DATABASE IF EXISTS "{database}"'], check=True)
    subprocess.run([*psql, f'CREATE DATABASE "{database}"'], check=True)
    _manage(env, "migrate", "--verbosity", "0")
    _manage(env, "load_communes", "--verbosity", "0")
    sizes = {
        "--programmes": 1,
        "--smes-per-programme": smes,
        "--outside-per-programme": outside,
        "--means-per-sme": 10,
        "--teams-per-programme": 0,
        "--actions-per-team": 0,
        "--meetings-per-programme": 0,
    }
    arguments = [str(part) for pair in sizes.items() for part in pair]
    _manage(env, "generate_dataset", *arguments, "--password", "synthetic-sobrindustrie")
    for script in (SETUP_SCRIPT, NEEDS_SCRIPT):
        _manage(env, "shell", "--no-imports", "-c", script.format(slug=SLUG, consultant=CONSULTANT))


def dataset_ready(database: str) -> bool:
    """Whether the database holds a finished setup: the analysis is its last step."""
    query = (
        "SELECT count(*) FROM cooperation_cooperationanalysis a JOIN programmes_programme p "
        f"ON a.programme_id = p.id WHERE p.slug = '{SLUG}'"
    )
    probe = subprocess.run(
        ["psql", "-h", "127.0.0.1", "-U", "postgres", "-d", database, "-tAc", query],
        capture_output=True, text=True,
    )  # fmt: skip
    return probe.returncode == 0 and probe.stdout.strip() not in {"", "0"}


def organisation_count(database: str) -> int:
    query = (
        "SELECT count(*) FROM organisations_organisation o JOIN programmes_programme p "
        f"ON o.programme_id = p.id WHERE p.slug = '{SLUG}' AND NOT o.is_archived"
    )
    probe = subprocess.run(
        ["psql", "-h", "127.0.0.1", "-U", "postgres", "-d", database, "-tAc", query],
        capture_output=True, text=True, check=True,
    )  # fmt: skip
    return int(probe.stdout.strip())


def timed(kind: Kind, call: Callable[[], requests.Response], check: Callable[[str], bool]) -> str:
    started = time.perf_counter()
    try:
        response = call()
    except requests.RequestException as error:
        kind.durations.append((time.perf_counter() - started) * 1000)
        kind.errors += 1
        return type(error).__name__
    kind.durations.append((time.perf_counter() - started) * 1000)
    kind.sizes.append(len(response.content))
    if response.status_code != 200 or not check(response.text):
        kind.errors += 1
        return f"HTTP {response.status_code}"
    return response.text


def form_value(page: str, name: str) -> str:
    match = re.search(rf'name="{name}"[^>]*?value="([^"]*)"', page)
    if not match:
        raise SystemExit(f"the team-formation page has no {name} field: is the consultant managing it?")
    return match.group(1)


def run(base: str, session: requests.Session, count: int, solve_runs: int) -> list[Kind]:
    page_url = f"{base}/programmes/{SLUG}/cooperation/equipes/"
    search_url = f"{base}/programmes/{SLUG}/cooperation/contraintes/organisations/"
    solve_url = f"{base}/programmes/{SLUG}/cooperation/equipes/optimiser/"
    htmx = {"HX-Request": "true"}
    page, search, plain, solve = Kind("formation page"), Kind("constraint search"), Kind(""), Kind("")
    plain.label, solve.label = "search without JS", "solve round-trip"
    first = session.get(page_url, timeout=60)
    if first.status_code != 200:
        raise SystemExit(f"the team-formation page answered {first.status_code}")
    chosen = re.findall(r'name="add"\s+value="(\d+)"', session.get(page_url, params={"q": "usinage"}).text)
    for _ in range(count):
        timed(page, lambda: session.get(page_url, timeout=60), lambda text: 'id="constraint-q"' in text)
    for index in range(count):
        query = {"q": SEARCHES[index % len(SEARCHES)], "organisations": chosen[:1]}
        timed(
            search,
            lambda query=query: session.get(search_url, params=query, headers=htmx, timeout=60),  # type: ignore[misc]
            lambda text: 'id="constraint-selection"' in text,
        )
    for index in range(count):
        query = {"q": SEARCHES[index % len(SEARCHES)], "organisations": chosen[:2]}
        timed(
            plain,
            lambda query=query: session.get(page_url, params=query, timeout=60),  # type: ignore[misc]
            lambda text: 'name="add"' in text or "No organisation of the programme matches" in text,
        )
    token = form_value(first.text, "csrfmiddlewaretoken")
    data = {
        "csrfmiddlewaretoken": token,
        "k": form_value(first.text, "k"),
        "min_size": form_value(first.text, "min_size"),
        "max_size": form_value(first.text, "max_size"),
        "time_limit_s": str(SOLVE_TIME_LIMIT_S),
        "cohesive": "on",
        "distance_penalty": "0",
    }
    for _ in range(solve_runs):
        timed(
            solve,
            lambda: session.post(solve_url, data=data, headers={**htmx, "Referer": page_url}, timeout=120),
            lambda text: 'id="board"' in text or "cannot all hold" in text,
        )
    return [page, search, plain, solve]


def report(kinds: list[Kind], organisations: int) -> None:
    print(f"\n{'request':<22} {'count':>5} {'errors':>6} {'p50 ms':>8} {'p95 ms':>8} {'max ms':>8} {'KB':>8}")
    for kind in kinds:
        if not kind.durations:
            continue
        weight = max(kind.sizes, default=0) / 1024
        print(
            f"{kind.label:<22} {len(kind.durations):>5} {kind.errors:>6} {statistics.median(kind.durations):>8.0f} "
            f"{percentile(kind.durations, 0.95):>8.0f} {max(kind.durations):>8.0f} {weight:>8.1f}"
        )
    scale = f"{organisations:,} organisations"
    for kind in kinds:
        if not kind.durations:
            continue
        p95 = percentile(kind.durations, 0.95)
        weight = max(kind.sizes, default=0) / 1024
        detail = f"({len(kind.durations)} requests, {kind.errors} errors)"
        if kind.label == "solve round-trip":
            target = f"< {SOLVE_TIME_LIMIT_S + 1:g} s (time limit {SOLVE_TIME_LIMIT_S:g} s + 1 s)"
            print(f"BENCH | workshop {kind.label}, {scale} | {target} | {p95:.0f} ms p95 {detail} | load {load()}")  # fmt: skip
            # The answer is the board: the teams, the move control, the alternatives.
            print(f"BENCH | workshop solve answer weight, {scale} | < {TARGET_KB} KB | {weight:.1f} KB | load {load()}")  # fmt: skip
            continue
        print(f"BENCH | workshop {kind.label} p95, {scale} | < {TARGET_P95_MS:.0f} ms | {p95:.0f} ms {detail} | load {load()}")  # fmt: skip
        print(f"BENCH | workshop {kind.label} weight, {scale} | < {TARGET_KB} KB | {weight:.1f} KB | load {load()}")  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--setup", action="store_true", help="recreate and fill the benchmark database")
    parser.add_argument("--setup-if-missing", action="store_true", help="--setup unless it is done")
    parser.add_argument("--database", default=DATABASE, help=f"PostgreSQL database (default {DATABASE})")
    parser.add_argument("--smes", type=int, default=120, help="laureate SMEs of the programme")
    parser.add_argument("--outside", type=int, default=4900, help="outside structures of the programme")
    parser.add_argument("--requests", type=int, default=30, help="requests of each page kind")
    parser.add_argument("--solve-runs", type=int, default=3)
    parser.add_argument("--port", type=int, default=0, help="default: a free port")
    parser.add_argument("--start-timeout", type=float, default=300, help="seconds to wait for gunicorn")
    args = parser.parse_args()
    if not 1 <= args.requests <= 500 or not 0 <= args.solve_runs <= 20 or args.smes < 90:
        raise SystemExit("--requests 1-500, --solve-runs 0-20, --smes at least 90")
    port = args.port or free_port()
    with tempfile.TemporaryDirectory() as static_root:
        env = _environment(port, static_root, args.database)
        if args.setup or (args.setup_if_missing and not dataset_ready(args.database)):
            started = time.monotonic()
            setup_database(env, args.database, args.smes, args.outside)
            print(f"dataset generated in {time.monotonic() - started:.0f} s")
        organisations = organisation_count(args.database)
        print(f"{SLUG}: {organisations:,} active organisations; load average before the run: {load()}")
        server = start_server(
            env, port, workers=2, threads=1, timeout_s=args.start_timeout
        )  # one person is measured
        try:
            base = f"http://127.0.0.1:{port}"
            kinds = run(base, log_in(base, CONSULTANT), args.requests, args.solve_runs)
            report(kinds, organisations)
        finally:
            server.terminate()
            server.wait(timeout=30)


if __name__ == "__main__":
    main()
