"""CPU cost of each page kind of load_bench.py for one user, in process (prints figures; not a test).

    .venv/bin/python benchmarks/page_profile.py [--database NAME] [--repeat 30] [--programme 1]
        [--only team,inventory] [--profile LABEL] [--top 40]

Reads the database load_bench.py generated (`--database`, default `sobrindustrie_bench`) with the
production settings (DEBUG off, cached template loader). For a consultant and an SME member of
programme `--programme`, requests each page the bench times through Django's test client (all the
middleware, no network), first once untimed (per-process caches warm), then `--repeat` times,
and prints per page the median CPU time of the process (time.process_time: Python, templates,
the database driver; not the database server's own work), the median wall time, the number of
queries and the size of the HTML (uncompressed; the timed requests ask for gzip, as browsers do). The machine is shared: the load average is printed with them.

--profile LABEL runs cProfile over the repetitions of that page and prints the `--top` functions by
cumulative time, then by own time.
"""

from __future__ import annotations

import argparse
import cProfile
import os
import pstats
import secrets
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent


def _configure(database: str, static_root: str) -> None:
    sys.path.insert(0, str(ROOT))
    os.environ.update(
        STATIC_ROOT=static_root,
        DJANGO_SETTINGS_MODULE="config.settings",
        DATABASE_URL=f"postgres://postgres@127.0.0.1:5432/{database}",
        DEBUG="0",
        SECRET_KEY=secrets.token_urlsafe(50),
        ALLOWED_HOSTS="testserver,127.0.0.1",
        SITE_URL="http://127.0.0.1:8000",
        SECURE_SSL_REDIRECT="0",
        SECURE_COOKIES="0",
        SECURE_HSTS_SECONDS="0",
        DB_CONN_MAX_AGE="60",
        AXES_ENABLED="0",
        LOG_LEVEL="ERROR",
    )
    import django

    django.setup()
    from django.core.management import call_command

    call_command("collectstatic", "--noinput", verbosity=0)  # the manifest {% static %} reads


def _pages(client: object, programme: int, sme: bool) -> list[tuple[str, str]]:
    """The pages load_bench.pages_for gives this kind of user (same order, same objects)."""
    sys.path.insert(0, str(ROOT / "benchmarks"))
    from load_bench import pages_for

    class Session:  # the test client behind the requests.Session interface pages_for uses
        def get(self, url: str, timeout: float = 0) -> object:
            response = client.get(url.removeprefix("http://testserver"))  # type: ignore[attr-defined]

            class Answer:
                def json(self) -> object:
                    return response.json()

            return Answer()

    return [
        (label, path)
        for label, path in pages_for(Session(), "http://testserver", programme, sme)  # type: ignore[arg-type]
    ]


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--database", default="sobrindustrie_bench")
    parser.add_argument("--repeat", type=int, default=30)
    parser.add_argument("--programme", type=int, default=1)
    parser.add_argument("--only", default="", help="comma-separated page labels (default: all)")
    parser.add_argument("--profile", default="", help="a page label to run under cProfile")
    parser.add_argument("--top", type=int, default=40)
    parser.add_argument(
        "--sql", type=int, default=0, help="print each query (its first N characters) and its time"
    )
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as static_root:
        _configure(args.database, static_root)
        _run(args)


def _run(args: argparse.Namespace) -> None:
    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.test import Client

    executed: list[tuple[float, str]] = []

    def count(execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            executed.append(((time.perf_counter() - started) * 1000, sql % tuple(map(repr, params or ()))))

    only = {label.strip() for label in args.only.split(",") if label.strip()}
    users = [
        (f"consultant-{args.programme}@synth.example", False),
        (f"sme-{args.programme}-1@synth.example", True),
    ]
    print(f"{'user':<12} {'page':<24} {'cpu ms':>7} {'wall ms':>8} {'queries':>7} {'kB':>6}  load {_load()}")
    for email, sme in users:
        client = Client()
        client.force_login(get_user_model().objects.get(email=email))
        for label, path in _pages(client, args.programme, sme):
            if only and label not in only:
                continue
            response = client.get(path)  # warm
            assert response.status_code == 200, (label, path, response.status_code)
            size = len(response.content) / 1024
            executed.clear()
            with connection.execute_wrapper(count):
                client.get(path)
            queries = len(executed)
            cpu, wall = [], []
            profiler = cProfile.Profile() if label == args.profile else None
            for _ in range(args.repeat):
                started, started_cpu = time.perf_counter(), time.process_time()
                if profiler:
                    profiler.enable()
                response = client.get(path, headers={"accept-encoding": "gzip, deflate"})  # as browsers
                if profiler:
                    profiler.disable()
                cpu.append((time.process_time() - started_cpu) * 1000)
                wall.append((time.perf_counter() - started) * 1000)
            print(
                f"{'sme' if sme else 'consultant':<12} {label:<24} {statistics.median(cpu):>7.1f} "
                f"{statistics.median(wall):>8.1f} {queries:>7} "
                f"{size:>6.0f}  {path}"
            )
            if args.sql:
                for duration, sql in executed:
                    print(f"    {duration:7.1f} ms  {sql[: args.sql]}")
            if profiler:
                stats = pstats.Stats(profiler).strip_dirs()
                stats.sort_stats("cumulative").print_stats(args.top)
                stats.sort_stats("tottime").print_stats(args.top)
    print(f"load average after: {_load()}")


def _load() -> str:
    return "/".join(f"{value:.2f}" for value in os.getloadavg())


if __name__ == "__main__":
    main()
