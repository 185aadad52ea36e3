"""Benchmark of the whole deliverables pack of the demo programme (prints figures; not a test).

    .venv/bin/python benchmarks/deliverables_bench.py [--runs 3] [--database-url URL]

1. Creates a fresh SQLite database in a temporary directory (or uses --database-url), migrates it
   and loads the demo programme.
2. Builds the whole pack `--runs` times with `sobrindustrie deliverables build`, each in a new
   process and into a new directory, and times each build. The first one is the figure: it is the
   build a consultant waits for (a fresh process, nothing built yet, every file generated and stored
   as version 1). Later ones find nothing changed and store nothing, like a consultant rebuilding
   the same day: they are printed beside it, never in its place.
3. Prints the time of each run, the number and total size of the files, the largest files, whether
   the first (cold) build meets the 60-second target of issue #11, and a `BENCH | …` line for
   benchmarks/summary.py.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TARGET_SECONDS = 60.0
SLUG = "sobrindustrie-paca-2025"


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--runs", type=int, default=3, help="builds: the first (cold) one, then warm rebuilds"
    )
    parser.add_argument("--database-url", default="")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="deliverables-bench-") as work:
        env = dict(os.environ, DJANGO_SETTINGS_MODULE="config.settings", SOBRINDUSTRIE_VAR_DIR=work)
        env["DATABASE_URL"] = args.database_url or f"sqlite:///{work}/bench.sqlite3"
        manage = [sys.executable, str(ROOT / "manage.py")]
        started = time.perf_counter()
        subprocess.run([*manage, "migrate", "--noinput", "-v", "0"], check=True, env=env, cwd=ROOT)
        subprocess.run(
            [*manage, "load_demo", "-v", "0"], check=True, env=env, cwd=ROOT, stdout=subprocess.DEVNULL
        )
        print(f"demo loaded in {time.perf_counter() - started:.1f} s")
        timings = []
        out = Path(work)
        for run in range(1, args.runs + 1):
            target = out / f"run-{run}"
            started = time.perf_counter()
            result = subprocess.run(
                [*manage, "deliverables", "build", "--programme", SLUG, "--out", str(target)],
                check=True, env=env, cwd=ROOT, capture_output=True, text=True,
            )  # fmt: skip
            elapsed = time.perf_counter() - started
            timings.append(elapsed)
            print(f"run {run}: {elapsed:.1f} s — {result.stdout.splitlines()[0]}")
            if run == 1:
                missing = [line.strip() for line in result.stdout.splitlines()[1:]]
                for line in missing:
                    print(f"  {line}")
        files = [p for p in (out / "run-1").rglob("*") if p.is_file() and p.suffix != ".zip"]
        total = sum(p.stat().st_size for p in files)
        cold = timings[0]
        print(f"files: {len(files)}, {total / 1024:.0f} kB in all")
        for path in sorted(files, key=lambda p: p.stat().st_size, reverse=True)[:5]:
            print(f"  {path.relative_to(out / 'run-1')}: {path.stat().st_size / 1024:.0f} kB")
        warm = (
            f"; warm rebuilds (nothing stored) median {statistics.median(timings[1:]):.1f} s"
            if len(timings) > 1
            else ""
        )
        print(f"first (cold) build: {cold:.1f} s (target < {TARGET_SECONDS:.0f} s: "
              f"{'met' if cold < TARGET_SECONDS else 'NOT met'}){warm}; machine: {os.cpu_count()} cores")  # fmt: skip
        load = "/".join(f"{value:.2f}" for value in os.getloadavg())
        print(f"BENCH | deliverables pack, first (cold) build of the demo programme | < {TARGET_SECONDS:.0f} s | "
              f"{cold:.1f} s ({len(files)} files, {total / 1024:.0f} kB stored){warm} | load {load}")  # fmt: skip
    return 0


if __name__ == "__main__":
    sys.exit(main())
