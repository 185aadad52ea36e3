"""Benchmark of the whole deliverables pack of the demo programme (prints figures; not a test).

    .venv/bin/python benchmarks/deliverables_bench.py [--runs 3] [--database-url URL]

1. Creates a fresh SQLite database in a temporary directory (or uses --database-url), migrates it
   and loads the demo programme.
2. Builds the whole pack `--runs` times with `sobrindustrie deliverables build`, each into a new
   directory, and times each build (the first one stores version 1 of every file; later ones find
   nothing changed and store nothing, like a consultant rebuilding the same day).
3. Prints the time of each run, the median, the number and total size of the files, the largest
   files, and whether the median meets the 60-second target of issue #11.
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
    parser.add_argument("--runs", type=int, default=3)
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
        median = statistics.median(timings)
        print(f"files: {len(files)}, {total / 1024:.0f} kB in all")
        for path in sorted(files, key=lambda p: p.stat().st_size, reverse=True)[:5]:
            print(f"  {path.relative_to(out / 'run-1')}: {path.stat().st_size / 1024:.0f} kB")
        print(f"median of {len(timings)} runs: {median:.1f} s (target < {TARGET_SECONDS:.0f} s: "
              f"{'met' if median < TARGET_SECONDS else 'NOT met'}); machine: {os.cpu_count()} cores")  # fmt: skip
    return 0


if __name__ == "__main__":
    sys.exit(main())
