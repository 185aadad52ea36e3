"""Runs the benchmarks one after the other and prints one table of issue #19's measures: measured
figure, target and the machine's load average when it was taken (`make bench`).

    .venv/bin/python benchmarks/summary.py [--only eligibility,teams,memory,deliverables,pages]
        [--quick] [--database NAME] [--log FILE]

Each script prints its own detail (passed through here, and kept in --log) and one line per measure,

    BENCH | measure | target | measured | load 1.20/0.90/0.70

which this collector gathers. A measure of the issue's table that no script reported (a script
failed, or was left out with --only) still gets its row, saying so, so the table always has every
row. Scripts, in order:

- eligibility: benchmarks/eligibility_bench.py (ours against publicodes 1.10.1 under node);
- teams: benchmarks/teams_bench.py (team formation gap to the proven bound, against the best of 12
  Louvain runs, and opportunity detection at 1,000 to 10,000 organisations);
- memory: benchmarks/memory_bench.py (a worker's peak memory under concurrent logins);
- deliverables: benchmarks/deliverables_bench.py (the demo's first, cold, deliverables build);
- pages: benchmarks/load_bench.py on PostgreSQL (national dataset, generated on the first run:
  --setup-if-missing; 20 users pausing 2 s, then saturation);
- workshop: benchmarks/workshop_bench.py on PostgreSQL (database `--database`_workshop: one
  programme of 5,020 organisations with its cooperation analysis, generated on the first run): the
  team-formation page, a constraint search and a solve round-trip (issue #18).

teams covers, for the demo itself and for 300 organisations / 60 teams, the score with and without
the floor on every team's score (`min_team_score`) and the time to prove it.

--quick shortens the slow parts (teams --quick, 100 companies, pages on the small dataset); its
figures do not answer the issue's targets.
"""

from __future__ import annotations

import argparse
import math
import os
import re
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BENCH_LINE = re.compile(r"^\s*(?:BENCH\s*\||>>)\s*(?P<fields>.+)$")
GROWTH = re.compile(r"x(?P<cost>\d+(?:\.\d+)?) for x(?P<size>\d+(?:\.\d+)?) organisations")


@dataclass(frozen=True)
class Script:
    name: str
    argv: list[str]


@dataclass(frozen=True)
class Expected:
    """A row of the issue's table: which script reports it, and a pattern its measure matches."""

    script: str
    pattern: str
    label: str
    target: str


EXPECTED = [
    Expected(
        "eligibility", r"eligibility.*(MTE|full)", "eligibility, full MTE catalogue", "≥ 50× the reference"
    ),
    Expected(
        "teams",
        r"demo programme, no floor",
        "team formation, the demo, no floor: score, time to prove it",
        "proven optimal < 1 s",
    ),
    Expected(
        "teams",
        r"demo programme, floor",
        "team formation, the demo, every team at least the floor: score, time to prove it",
        "proven optimal < 1 s",
    ),
    Expected(
        "teams",
        r"^(?=.*300)(?!.*louvain)(?!.*, floor).*(gap|bound)",
        "team formation, 300 organisations / 60 teams, no floor: score / bound (gap), time",
        "gap ≤ 1 % in 60 s",
    ),
    Expected(
        "teams",
        r"^(?=.*300)(?!.*louvain)(?=.*, floor)",
        "same, every team at least the floor: score / bound (gap), time",
        "gap ≤ 1 % in 60 s",
    ),
    Expected("teams", r"(?=.*300).*louvain", "same, against the best of 12 Louvain runs", "≥ 1.10×"),
    Expected("pages", r"^team page", "team page p95, national dataset", "< 150 ms"),
    Expected("pages", r"^inventory page", "inventory page p95, national dataset", "< 150 ms"),
    Expected("pages", r"saturation", "pages per second at saturation", "(capacity)"),
    Expected("memory", r"memory", "web worker peak memory under concurrent logins", "—"),
    Expected("teams", r"detection 1,000 ", "detection, 1,000 organisations", "close to linear"),
    Expected("teams", r"detection 2,000 ", "detection, 2,000 organisations", "close to linear"),
    Expected("teams", r"detection 5,000 ", "detection, 5,000 organisations", "close to linear"),
    Expected("teams", r"detection 10,000 ", "detection, 10,000 organisations", "< 60 s on 2 cores"),
    Expected("deliverables", r"deliverables", "deliverables pack, first (cold) build", "< 60 s"),
    Expected(
        "workshop",
        r"^workshop formation page weight",
        "team-formation page weight, 5,000 organisations",
        "< 150 KB",
    ),
    Expected(
        "workshop", r"^workshop formation page p95", "team-formation page p95, 5,000 organisations", "< 1 s"
    ),
    Expected(
        "workshop",
        r"^workshop constraint search p95",
        "constraint search (HTMX) p95, 5,000 organisations",
        "< 1 s",
    ),
    Expected(
        "workshop",
        r"^workshop solve round-trip",
        "team-formation solve round-trip, 5,000 organisations",
        "time limit + 1 s",
    ),
    Expected(
        "workshop",
        r"^workshop solve answer weight",
        "team-formation solve answer (the board) weight, 5,000 organisations",
        "< 150 KB",
    ),
]


def scripts(quick: bool, database: str) -> list[Script]:
    python = sys.executable
    bench = ROOT / "benchmarks"
    pages = [python, str(bench / "load_bench.py"), "--setup-if-missing", "--database", database]
    return [
        Script("eligibility", [python, str(bench / "eligibility_bench.py"), *(["--companies", "100", "--scale", "100"] if quick else [])]),
        Script("teams", [python, str(bench / "teams_bench.py"), *(["--quick"] if quick else [])]),
        Script("memory", [python, str(bench / "memory_bench.py")]),
        Script("deliverables", [python, str(bench / "deliverables_bench.py"), "--runs", "1"]),
        Script("pages", [*pages, *(["--small", "--max-seconds", "30", "--saturation-seconds", "10"] if quick else [])]),
        Script("workshop", [python, str(bench / "workshop_bench.py"), "--setup-if-missing", "--database", f"{database}_workshop", *(["--requests", "10", "--solve-runs", "1"] if quick else [])]),
    ]  # fmt: skip


def per_doubling(measured: str) -> str:
    """`… x3.09 for x2.50 organisations` gains the cost's growth per doubling of the data
    (3.09 ** (1 / log2 2.5) = 2.35): 2.0 is linear, 4.0 quadratic."""
    match = GROWTH.search(measured)
    if not match or "per doubling" in measured or float(match["size"]) <= 1:
        return measured
    doubling = float(match["cost"]) ** (1 / math.log2(float(match["size"])))
    return f"{measured} (x{doubling:.2f} per doubling; linear is x2)"


def load() -> str:
    return "/".join(f"{value:.2f}" for value in os.getloadavg())


def bench_row(line: str) -> list[str] | None:
    """[measure, target, measured, load] of a `BENCH | …` line (or teams_bench's `>> …`), else None."""
    match = BENCH_LINE.match(line)
    if not match:
        return None
    fields = [field.strip() for field in match["fields"].split("|")]
    if len(fields) < 3:
        return None
    if fields[0].casefold() == "measure":
        return None  # a script's header line over its BENCH rows
    rest = fields[3] if len(fields) > 3 else load()
    return [fields[0], fields[1], per_doubling(fields[2]), rest.removeprefix("load").strip()]


def add_row(rows: list[list[str]], row: list[str]) -> None:
    """Keeps one row per measure of a script: teams_bench prints each as it goes (`>> …`) and again
    in its closing BENCH block."""
    if all(existing[0] != row[0] for existing in rows):
        rows.append(row)


def from_log(path: Path) -> dict[str, list[list[str]]]:
    """The BENCH rows of a log written by an earlier run, by script."""
    found: dict[str, list[list[str]]] = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        script, _, text = line.partition("] ")
        if script.startswith("[") and (row := bench_row(text)) is not None:
            add_row(found.setdefault(script[1:], []), row)
    return found


def run(script: Script, log: list[str]) -> tuple[list[list[str]], int, float]:
    """Runs one script, passing its output through; returns its BENCH rows, exit code and duration."""
    print(
        f"\n===== {script.name}: {' '.join(Path(a).name if a.startswith('/') else a for a in script.argv[1:])}",
        flush=True,
    )
    started = time.monotonic()
    rows = []
    with subprocess.Popen(
        script.argv, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, bufsize=1
    ) as process:
        assert process.stdout is not None
        for line in process.stdout:
            print(line, end="", flush=True)
            log.append(f"[{script.name}] {line}")
            if (row := bench_row(line)) is not None:
                add_row(rows, row)
    return rows, process.returncode, time.monotonic() - started  # fmt: skip


def table(found: dict[str, list[list[str]]], codes: dict[str, int], chosen: set[str]) -> list[list[str]]:
    """The issue's rows first (each filled by the first matching report, or saying why not), then the
    other figures the scripts reported."""
    used: set[tuple[str, int]] = set()
    rows = []
    for expected in EXPECTED:
        candidates = [
            (index, row)
            for index, row in enumerate(found.get(expected.script, []))
            if (expected.script, index) not in used and re.search(expected.pattern, row[0], re.IGNORECASE)
        ]
        if candidates:
            index, row = candidates[0]
            used.add((expected.script, index))
            rows.append(row)
        elif expected.script not in chosen:
            rows.append([expected.label, expected.target, f"not run (--only left {expected.script} out)", ""])
        else:
            why = f"exit code {codes[expected.script]}" if codes.get(expected.script) else "no such line"
            rows.append([expected.label, expected.target, f"NOT MEASURED ({expected.script}: {why})", load()])
    for script, script_rows in found.items():
        rows += [row for index, row in enumerate(script_rows) if (script, index) not in used]
    return rows


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--only", default="", help="comma-separated scripts (default: all)")
    parser.add_argument("--quick", action="store_true", help="shorter runs (figures not comparable)")
    parser.add_argument("--database", default=os.environ.get("BENCH_DATABASE", "sobrindustrie_bench"))
    parser.add_argument("--log", default=str(ROOT / "var" / "bench.log"))
    parser.add_argument(
        "--from-log", action="store_true", help="print the table of the last run's --log, run nothing"
    )
    args = parser.parse_args()
    if args.from_log:
        found = from_log(Path(args.log))
        print_table(table(found, {}, set(found)))
        return 0
    available = scripts(args.quick, args.database)
    chosen = {name.strip() for name in args.only.split(",") if name.strip()} or {s.name for s in available}
    unknown = chosen - {s.name for s in available}
    if unknown:
        raise SystemExit(f"unknown benchmark(s): {', '.join(sorted(unknown))}")
    print(f"{os.cpu_count()} cores, load average at the start: {load()}")
    found: dict[str, list[list[str]]] = {}
    codes: dict[str, int] = {}
    durations: dict[str, float] = {}
    log: list[str] = []
    for script in available:
        if script.name in chosen:
            found[script.name], codes[script.name], durations[script.name] = run(script, log)
    rows = table(found, codes, chosen)
    Path(args.log).parent.mkdir(parents=True, exist_ok=True)
    Path(args.log).write_text("".join(log), encoding="utf-8")
    spent = ", ".join(f"{name} {seconds / 60:.1f} min" for name, seconds in durations.items())
    print(f"\n===== summary (times: {spent}; full output in {args.log})\n")
    print_table(rows)
    return 1 if any(codes.values()) else 0


def print_table(rows: list[list[str]]) -> None:
    print("| measure | target | measured | load average (1/5/15 min) |")
    print("|---|---|---|---|")
    for measure, target, measured, load_average in rows:
        print(f"| {measure} | {target} | {measured} | {load_average} |")


if __name__ == "__main__":
    sys.exit(main())
