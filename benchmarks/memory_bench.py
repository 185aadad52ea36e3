"""A web worker's peak memory under concurrent logins, with Django's default Argon2 parameters and
with the platform's (prints figures; not a test).

    .venv/bin/python benchmarks/memory_bench.py [--threads 4] [--rounds 3]

For each hasher, a fresh Python process (peak RSS only ever grows, so each figure needs its own
process) loads the platform like a web worker does (Django set up, the WSGI application and its
URLconf imported), notes its resident memory at rest, then has `--threads` threads log in at once,
`--rounds` times: each thread checks a password against a hash made by that hasher, which is what
a login costs (`check_password`). The process reports its peak resident memory
(`resource.getrusage(...).ru_maxrss`) and the median time of one check.

- before: `django.contrib.auth.hashers.Argon2PasswordHasher` (Django's default: 100 MiB, 2 passes,
  8 lanes);
- after: `sobrindustrie.accounts.hashers.InteractiveArgon2PasswordHasher` (OWASP's floor for
  interactive logins: argon2id, 19 MiB, 2 passes, 1 lane), what `config/settings.py` uses.

Prints a `BENCH | …` line for benchmarks/summary.py. Needs no database and no server.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
HASHERS = {
    "before": "django.contrib.auth.hashers.Argon2PasswordHasher",
    "after": "sobrindustrie.accounts.hashers.InteractiveArgon2PasswordHasher",
}
PASSWORD = "synthetic-sobrindustrie"


def _rss_mib() -> float:
    """Current resident memory of this process, from /proc (Linux)."""
    with open("/proc/self/status", encoding="ascii") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    raise RuntimeError("no VmRSS in /proc/self/status")


def child(hasher_path: str, threads: int, rounds: int) -> None:
    """Runs in a fresh process: a worker at rest, then concurrent logins; prints JSON figures."""
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django
    from django.utils.module_loading import import_string

    django.setup()
    from django.urls import get_resolver

    import config.wsgi  # noqa: F401  (a worker imports its application and URLconf before serving)

    get_resolver().url_patterns  # noqa: B018
    hasher = import_string(hasher_path)()
    encoded = hasher.encode(PASSWORD, hasher.salt())
    at_rest = _rss_mib()
    durations: list[float] = []
    lock = threading.Lock()

    def login(barrier: threading.Barrier) -> None:
        barrier.wait()
        started = time.perf_counter()
        assert hasher.verify(PASSWORD, encoded)
        with lock:
            durations.append(time.perf_counter() - started)

    for _round in range(rounds):
        barrier = threading.Barrier(threads)
        workers = [threading.Thread(target=login, args=(barrier,)) for _ in range(threads)]
        for worker in workers:
            worker.start()
        for worker in workers:
            worker.join()
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux
    params = {name: getattr(hasher, name) for name in ("time_cost", "memory_cost", "parallelism")}
    print(
        json.dumps(
            {
                "at_rest_mib": at_rest,
                "peak_mib": peak,
                "login_ms": statistics.median(durations) * 1000,
                **params,
            }
        )
    )


def load() -> str:
    return "/".join(f"{value:.2f}" for value in os.getloadavg())


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--threads", type=int, default=4, help="concurrent logins in one worker (default 4)")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--child", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if not 1 <= args.threads <= 64 or not 1 <= args.rounds <= 50:
        raise SystemExit("--threads 1-64, --rounds 1-50")
    if args.child:
        child(args.child, args.threads, args.rounds)
        return 0
    figures = {}
    for label, path in HASHERS.items():
        result = subprocess.run(
            [sys.executable, __file__, "--child", path, "--threads", str(args.threads), "--rounds", str(args.rounds)],
            check=True, capture_output=True, text=True, cwd=ROOT,
        )  # fmt: skip
        figures[label] = json.loads(result.stdout.strip().splitlines()[-1])
        f = figures[label]
        print(
            f"{label:<6} {path.rsplit('.', 1)[1]}: {f['memory_cost'] / 1024:.0f} MiB, {f['time_cost']} passes, "
            f"{f['parallelism']} lanes — worker at rest {f['at_rest_mib']:.0f} MiB, peak {f['peak_mib']:.0f} MiB "
            f"with {args.threads} concurrent logins (+{f['peak_mib'] - f['at_rest_mib']:.0f} MiB), "
            f"{f['login_ms']:.0f} ms per login (median)"
        )
    before, after = figures["before"], figures["after"]
    print(
        f"BENCH | web worker peak memory, {args.threads} concurrent logins | — (before and after; "
        f"Argon2 at OWASP's floor) | {after['peak_mib']:.0f} MiB (at rest {after['at_rest_mib']:.0f} MiB); "
        f"before {before['peak_mib']:.0f} MiB with Django's default Argon2 | load {load()}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
