"""Load benchmark of the main pages and the API on PostgreSQL (prints figures; not a test).

    .venv/bin/python benchmarks/load_bench.py [--setup] [--database NAME] [--users 20] [--rounds 5]
        [--max-seconds 120] [--think-ms 2000] [--saturation-seconds 20]

1. With --setup: (re)creates the PostgreSQL database `--database` (default `sobrindustrie_bench`,
   never `test`) on 127.0.0.1, migrates it and fills it with `generate_dataset` (the national
   dataset: 13 programmes of 120 SMEs, 1,560 organisations, 19,500 meetings; --small for a quick run).
2. Starts gunicorn on 127.0.0.1 (production settings, DEBUG off, plain HTTP), with as many
   workers as cores plus one, and waits for it.
3. Logs in `--users` synthetic accounts (half consultants, half SME members, spread over the
   programmes) and looks up their pages, all before timing starts (a login hashes a password:
   it is not a page view, and would weigh on the pages timed beside it).
4. Measured run: the users request their pages and the API concurrently, one thread each, pausing
   `--think-ms` (±50 %) between pages like people reading them, for `--rounds` rounds or
   `--max-seconds`, whichever comes first. Prints, per page, requests, errors, p50, p95 and maximum
   in milliseconds, and whether p95 meets the 150 ms target.
5. Saturation run (unless --saturation-seconds 0): the same users without pauses for that long;
   prints the pages served per second, the server's capacity on this machine.
6. Prints `BENCH | measure | target | measured | load …` lines (read by benchmarks/summary.py) and
   stops gunicorn. Only 127.0.0.1 is ever contacted.
"""

from __future__ import annotations

import argparse
import os
import random
import re
import secrets
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter, defaultdict
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parent.parent
DATABASE = "sobrindustrie_bench"
PASSWORD = "synthetic-sobrindustrie"
TARGET_P95_MS = 150.0
PYTHON = str(ROOT / ".venv" / "bin" / "python")


@dataclass
class Timings:
    lock: threading.Lock = field(default_factory=threading.Lock)
    durations: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    errors: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    reasons: Counter[str] = field(default_factory=Counter)

    def record(self, label: str, seconds: float, failure: str = "") -> None:
        with self.lock:
            self.durations[label].append(seconds * 1000)
            if failure:
                self.errors[label] += 1
                self.reasons[f"{label}: {failure}"] += 1


def fetch(session: requests.Session, url: str) -> str:
    """GETs the page; returns "" when it answers 200, else what went wrong. A connection the server
    closed while idle (its keep-alive ended during the user's pause) is reopened once, as browsers
    do for an idempotent request."""
    for attempt in (1, 2):
        try:
            status = session.get(url, timeout=30, allow_redirects=False).status_code
        except requests.ConnectionError as error:
            if attempt == 1:
                continue
            return type(error).__name__
        except requests.RequestException as error:
            return type(error).__name__
        return "" if status == 200 else f"HTTP {status}"
    return "no answer"


def _environment(port: int, static_root: str, database: str) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        DATABASE_URL=f"postgres://postgres@127.0.0.1:5432/{database}",
        DEBUG="0",
        SECRET_KEY=secrets.token_urlsafe(50),
        ALLOWED_HOSTS="127.0.0.1",
        SECURE_SSL_REDIRECT="0",
        SECURE_COOKIES="0",
        SECURE_HSTS_SECONDS="0",
        SITE_URL=f"http://127.0.0.1:{port}",
        CSRF_TRUSTED_ORIGINS=f"http://127.0.0.1:{port}",
        STATIC_ROOT=static_root,
        DB_CONN_MAX_AGE="60",
        AXES_ENABLED="0",  # 20 logins from one address in a second are the benchmark, not an attack
        LOG_LEVEL="ERROR",
    )
    return env


def _manage(env: dict[str, str], *args: str) -> None:
    subprocess.run([PYTHON, "manage.py", *args], cwd=ROOT, env=env, check=True)


def setup_database(env: dict[str, str], database: str, small: bool) -> None:
    if not re.fullmatch(r"[a-z][a-z0-9_]{0,62}", database) or database.startswith("test"):
        raise SystemExit(f"refusing to recreate the database {database!r}")
    psql = ["psql", "-h", "127.0.0.1", "-U", "postgres", "-v", "ON_ERROR_STOP=1", "-q", "-c"]
    subprocess.run([*psql, f'DROP DATABASE IF EXISTS "{database}"'], check=True)
    subprocess.run([*psql, f'CREATE DATABASE "{database}"'], check=True)
    _manage(env, "migrate", "--verbosity", "0")
    _manage(env, "load_communes", "--verbosity", "0")
    sizes = (
        ["--programmes", "2", "--smes-per-programme", "30", "--meetings-per-programme", "100"]
        if small
        else []
    )
    _manage(env, "generate_dataset", *sizes, "--password", PASSWORD)


def dataset_ready(database: str, small: bool) -> bool:
    """Whether the database exists and holds the synthetic programmes of a finished setup (the dataset
    is generated in one transaction, so its last programme is there only if the setup completed)."""
    last = 2 if small else 13
    query = f"SELECT count(*) FROM programmes_programme WHERE slug = 'synth-{last}'"
    probe = subprocess.run(
        ["psql", "-h", "127.0.0.1", "-U", "postgres", "-d", database, "-tAc", query],
        capture_output=True, text=True,
    )  # fmt: skip
    return probe.returncode == 0 and probe.stdout.strip() == "1"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def start_server(
    env: dict[str, str],
    port: int,
    workers: int | None = None,
    threads: int = 2,
    timeout_s: float = 180,
) -> subprocess.Popen[bytes]:
    """gunicorn on `port` (by default one worker per core plus one, 2 threads each), waiting up to
    `timeout_s` for it: on a loaded machine (load average 20 on 2 cores) it took over 60 s."""
    _manage(env, "collectstatic", "--noinput", "--verbosity", "0")
    server = subprocess.Popen(
        [
            str(ROOT / ".venv" / "bin" / "gunicorn"),
            "config.wsgi",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            str(workers or (os.cpu_count() or 2) + 1),
            "--threads",
            str(threads),
            "--timeout",
            "300",
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env=env,
    )
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SystemExit(f"gunicorn stopped (exit code {server.returncode})")
        try:
            requests.get(f"http://127.0.0.1:{port}/connexion/", timeout=10)
            return server
        except requests.RequestException:
            time.sleep(0.5)
    server.terminate()
    server.wait(timeout=30)
    raise SystemExit(f"gunicorn did not start within {timeout_s:g} s")


def log_in(base: str, email: str) -> requests.Session:
    session = requests.Session()
    page = session.get(f"{base}/connexion/", timeout=30)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text)
    assert token, "no CSRF token on the login page"
    response = session.post(
        f"{base}/connexion/",
        data={"username": email, "password": PASSWORD, "csrfmiddlewaretoken": token.group(1)},
        headers={"Referer": f"{base}/connexion/"},
        timeout=30,
    )
    if "sessionid" not in session.cookies:
        raise SystemExit(f"could not log in as {email} ({response.status_code})")
    return session


def pages_for(session: requests.Session, base: str, programme: int, sme: bool) -> list[tuple[str, str]]:
    """(label, path) of the pages a user of this kind opens most."""
    organisations = session.get(f"{base}/api/organisations?page_size=1", timeout=30).json()["items"]
    organisation = organisations[0]["id"]
    teams = session.get(f"{base}/api/teams?page_size=1", timeout=30).json()["items"]
    slug = f"synth-{programme}"
    pages = [
        ("programme list", "/programmes/"),
        ("organisation", f"/organisations/{organisation}/"),
        ("inventory", f"/organisations/{organisation}/moyens/"),
        ("API organisations", "/api/organisations"),
        ("API production means", f"/api/production-means?organisation={organisation}"),
        ("API actions", "/api/actions"),
    ]
    if not sme:
        pages += [
            ("programme dashboard", f"/programmes/{slug}/"),
            ("organisation list", f"/programmes/{slug}/organisations/"),
            ("team list", f"/programmes/{slug}/equipes/"),
            ("meeting list", f"/programmes/{slug}/reunions/"),
            ("API teams", "/api/teams"),
        ]
    if teams:
        pages += [
            ("team", f"/equipes/{teams[0]['id']}/"),
            ("action plan", f"/equipes/{teams[0]['id']}/plan-actions/"),
        ]
    return pages


@dataclass
class User:
    email: str
    session: requests.Session
    pages: list[tuple[str, str]]


def prepare_user(base: str, email: str, programme: int, sme: bool) -> User | None:
    """Logs the user in and looks up the pages they will open (untimed)."""
    try:
        session = log_in(base, email)
        return User(email, session, pages_for(session, base, programme, sme))
    except (requests.RequestException, SystemExit, KeyError, ValueError, IndexError) as error:
        print(f"{email}: could not start ({error})", file=sys.stderr)
        return None


def browse(
    base: str, user: User, rounds: int, stop_at: float, timings: Timings, think_seconds: float = 0.0
) -> None:
    pause = random.Random(user.email)  # reproducible pauses per user
    for _round in range(rounds):
        for label, path in user.pages:
            if think_seconds:
                time.sleep(think_seconds * pause.uniform(0.5, 1.5))
            if time.monotonic() > stop_at:
                return
            started = time.perf_counter()
            failure = fetch(user.session, base + path)
            timings.record(label, time.perf_counter() - started, failure)


def run_phase(
    base: str, users: list[User], rounds: int, seconds: float, think_seconds: float
) -> tuple[Timings, float]:
    """All users browse at once; returns the timings and the elapsed wall time."""
    timings = Timings()
    stop_at = time.monotonic() + seconds
    threads = [
        threading.Thread(target=browse, args=(base, user, rounds, stop_at, timings, think_seconds))
        for user in users
    ]
    started = time.monotonic()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return timings, time.monotonic() - started


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(fraction * (len(ordered) - 1))))]


def load() -> str:
    return "/".join(f"{value:.2f}" for value in os.getloadavg())


def report(timings: Timings, elapsed: float) -> tuple[int, int]:
    print(f"\n{'page':<24} {'requests':>8} {'errors':>6} {'p50 ms':>8} {'p95 ms':>8} {'max ms':>8}  target")
    total = errors = 0
    for label in sorted(timings.durations):
        values = timings.durations[label]
        total += len(values)
        errors += timings.errors[label]
        p95 = percentile(values, 0.95)
        verdict = "ok" if p95 <= TARGET_P95_MS else "SLOW"
        print(
            f"{label:<24} {len(values):>8} {timings.errors[label]:>6} {statistics.median(values):>8.0f} "
            f"{p95:>8.0f} {max(values):>8.0f}  {verdict}"
        )
    print(f"\n{total} requests in {elapsed:.1f} s ({total / elapsed:.1f} per second), {errors} errors")
    for reason, count in timings.reasons.most_common():
        print(f"  error {reason} ({count})")
    return total, errors


#: The page kinds given a row of their own in `make bench` (issue #19's table).
BENCH_PAGES = {"team": "team page", "inventory": "inventory page", "organisation": "organisation page"}


def bench_lines(timings: Timings, scenario: str, saturation: str) -> None:
    for label, name in BENCH_PAGES.items():
        values = timings.durations.get(label)
        if not values:
            continue
        print(
            f"BENCH | {name} p95, {scenario} | < {TARGET_P95_MS:.0f} ms | {percentile(values, 0.95):.0f} ms "
            f"({len(values)} requests, {timings.errors[label]} errors); saturation {saturation} | load {load()}"
        )
    worst = max(timings.durations, key=lambda label: percentile(timings.durations[label], 0.95))
    slow = [label for label, values in timings.durations.items() if percentile(values, 0.95) > TARGET_P95_MS]
    print(
        f"BENCH | slowest page kind p95 ({len(timings.durations)} kinds), {scenario} | < {TARGET_P95_MS:.0f} ms "
        f"| {worst}: {percentile(timings.durations[worst], 0.95):.0f} ms; {len(slow)} kinds over the target "
        f"| load {load()}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--setup", action="store_true", help="recreate and fill the benchmark database")
    parser.add_argument(
        "--setup-if-missing",
        action="store_true",
        help="--setup unless the database already holds the dataset",
    )
    parser.add_argument("--small", action="store_true", help="with --setup: 2 programmes of 30 SMEs")
    parser.add_argument("--database", default=DATABASE, help=f"PostgreSQL database (default {DATABASE})")
    parser.add_argument("--users", type=int, default=20)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--max-seconds", type=float, default=120)
    parser.add_argument("--port", type=int, default=0, help="default: a free port")
    parser.add_argument("--programmes", type=int, default=13, help="how many synthetic programmes exist")
    parser.add_argument(
        "--think-ms",
        type=int,
        default=2000,
        help="pause of each user between two pages, ±50 %% (default 2000: people reading pages)",
    )
    parser.add_argument(
        "--saturation-seconds",
        type=float,
        default=20,
        help="then the same users without pauses for this long, for the pages per second (0: skip)",
    )
    args = parser.parse_args()
    if not 1 <= args.users <= 100 or not 1 <= args.rounds <= 100 or not 1 <= args.max_seconds <= 900:
        raise SystemExit("--users 1-100, --rounds 1-100, --max-seconds 1-900")
    if not 0 <= args.saturation_seconds <= 300:
        raise SystemExit("--saturation-seconds 0-300")

    port = args.port or free_port()
    with tempfile.TemporaryDirectory() as static_root:
        env = _environment(port, static_root, args.database)
        if args.setup or (args.setup_if_missing and not dataset_ready(args.database, args.small)):
            started = time.monotonic()
            setup_database(env, args.database, args.small)
            print(f"dataset generated in {time.monotonic() - started:.0f} s")
        programmes = 2 if args.small else args.programmes
        server = start_server(env, port)
        try:
            base = f"http://127.0.0.1:{port}"
            accounts = []
            for index in range(args.users):
                programme = index % programmes + 1
                sme = index % 2 == 1
                email = (
                    f"sme-{programme}-{index // 2 + 1}@synth.example"
                    if sme
                    else f"consultant-{programme}@synth.example"
                )
                accounts.append((email, programme, sme))
            with ThreadPoolExecutor(max_workers=4) as pool:
                prepared = list(pool.map(lambda account: prepare_user(base, *account), accounts))
            users = [user for user in prepared if user is not None]
            if len(users) < len(accounts):
                print(f"BENCH | users logged in | {len(accounts)} | {len(users)} | load {load()}")
            if not users:
                raise SystemExit("no user could log in")
            scenario = f"{len(users)} users pausing {args.think_ms / 1000:g} s"
            print(f"{scenario}, {os.cpu_count()} cores, load average before the run: {load()}")
            timings, elapsed = run_phase(base, users, args.rounds, args.max_seconds, args.think_ms / 1000)
            report(timings, elapsed)
            saturation = "not measured"
            if args.saturation_seconds:
                print(
                    f"\nsaturation: the same {len(users)} users without pauses for {args.saturation_seconds:g} s"
                )
                busy, busy_elapsed = run_phase(base, users, 100, args.saturation_seconds, 0.0)
                served, errors = report(busy, busy_elapsed)
                saturation = f"{served / busy_elapsed:.1f} pages/s"
                print(
                    f"BENCH | pages per second at saturation ({len(users)} users, no pause) | (capacity) | "
                    f"{saturation} ({errors} errors) | load {load()}"
                )
            bench_lines(timings, scenario, saturation)
        finally:
            server.terminate()
            server.wait(timeout=30)


if __name__ == "__main__":
    sys.exit(main())
