"""Serve the platform as in production for the browser checks.

A real gunicorn process on a free local port, DEBUG off, static files collected by WhiteNoise's
compressed manifest storage, its own SQLite file in a temporary directory, and the demo programme
loaded with a known password, optionally with a synthetic dataset on top (`ExtraDataset`, made by
`manage.py generate_dataset` with the same password). The process environment is built from
scratch: pytest has already imported the settings in test mode, and nothing of that (TESTING,
DATABASE_URL of a PostgreSQL run, a developer's DEBUG) must leak into the server.
"""

from __future__ import annotations

import hashlib
import json
import os
import secrets
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

REPO_DIR = Path(__file__).resolve().parents[2]
# Collecting and compressing DSFR's ~1,800 static files takes the better part of a minute; the
# result is kept between runs (var/ is ignored by git) and redone whenever a source file changes.
STATIC_CACHE_DIR = REPO_DIR / "var" / "e2e" / "static"
FINGERPRINT_FILE = ".e2e-fingerprint"
# Likewise the freshly migrated, empty database: rendering the migration states of every app costs
# tens of seconds of CPU. `migrate` still runs on the copy, so a new migration is always applied.
MIGRATED_DB_CACHE = REPO_DIR / "var" / "e2e" / "migrated.sqlite3"
# A loaded machine (several suites sharing two cores) may need longer: E2E_STARTUP_TIMEOUT_S.
STARTUP_TIMEOUT_S = float(os.environ.get("E2E_STARTUP_TIMEOUT_S") or 30.0)


class ServerError(RuntimeError):
    """Preparing or starting the application server failed; the message holds the command output."""


@dataclass(frozen=True)
class DemoAccount:
    email: str
    role: str
    organisation: str
    name: str


@dataclass(frozen=True)
class ExtraDataset:
    """Synthetic rows added after the demo: the arguments of `manage.py generate_dataset` (its
    password is the demo's), and a shell script printing, as JSON, what the checks need of them."""

    arguments: tuple[str, ...]
    index_script: str


@dataclass
class DemoServer:
    base_url: str
    password: str
    accounts: list[DemoAccount]
    index: dict[str, object]
    var_dir: Path
    process: subprocess.Popen[bytes] | None = field(default=None, repr=False)
    dataset_index: dict[str, object] | None = None

    def url(self, path: str) -> str:
        return self.base_url + path

    def stop(self) -> None:
        if self.process is None or self.process.poll() is not None:
            return
        self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(timeout=5)


def server_environment(var_dir: Path, secret_key: str) -> dict[str, str]:
    """The production-like environment of every command run for the server, inheriting nothing
    from pytest but the few variables a process needs to run at all."""
    env = {
        name: os.environ[name] for name in ("PATH", "HOME", "LANG", "LC_ALL", "TMPDIR") if name in os.environ
    }
    env.update(
        DJANGO_SETTINGS_MODULE="config.settings",
        SOBRINDUSTRIE_VAR_DIR=str(var_dir),
        STATIC_ROOT=str(STATIC_CACHE_DIR),
        DEBUG="false",
        SECRET_KEY=secret_key,
        SECURE_SSL_REDIRECT="false",
        SECURE_COOKIES="false",
        ALLOWED_HOSTS="127.0.0.1",
        # Required with DEBUG off; the commands run before the server send no e-mail, and the
        # server itself gets its own address (below).
        SITE_URL="http://127.0.0.1",
        # E-mails land in files that the checks read (tests/e2e/test_people.py opens an invitation).
        EMAIL_BACKEND="django.core.mail.backends.filebased.EmailBackend",
        EMAIL_FILE_PATH=str(var_dir / "mail"),
        # The company registry answers from recorded responses: the checks never reach the Internet.
        COMPANY_REGISTRY_RECORDINGS=str(REPO_DIR / "tests" / "organisations" / "fixtures" / "registry"),
        PYTHONUNBUFFERED="1",
    )
    return env


def _run(args: list[str], env: dict[str, str]) -> str:
    command = [sys.executable, "manage.py", *args]
    result = subprocess.run(command, cwd=REPO_DIR, env=env, capture_output=True, text=True, check=False)
    if result.returncode != 0:
        raise ServerError(
            f"`manage.py {' '.join(args)}` failed ({result.returncode}):\n{result.stderr[-3000:]}"
        )
    return result.stdout


def static_sources_fingerprint() -> str:
    """A digest of every static source file (name, size, modification time) Django's finders see."""
    from django.contrib.staticfiles import finders

    digest = hashlib.sha256()
    entries = []
    for finder in finders.get_finders():
        for path, storage in finder.list(["CVS", ".*", "*~"]):
            stat = Path(storage.path(path)).stat()
            entries.append(f"{getattr(storage, 'prefix', '') or ''}/{path}:{stat.st_size}:{stat.st_mtime_ns}")
    for entry in sorted(entries):
        digest.update(entry.encode())
    return digest.hexdigest()


def migrations_fingerprint() -> str:
    """A digest of the content of every migration file of every installed app."""
    from django.apps import apps

    digest = hashlib.sha256()
    for app_config in sorted(apps.get_app_configs(), key=lambda config: config.label):
        for path in sorted(Path(app_config.path, "migrations").glob("*.py")):
            digest.update(f"{app_config.label}/{path.name}".encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()


def _migrate(env: dict[str, str], var_dir: Path) -> None:
    database = var_dir / "db.sqlite3"
    marker = MIGRATED_DB_CACHE.with_suffix(".fingerprint")
    fingerprint = migrations_fingerprint()
    if MIGRATED_DB_CACHE.exists() and marker.exists() and marker.read_text() == fingerprint:
        shutil.copyfile(MIGRATED_DB_CACHE, database)
    _run(["migrate", "--noinput", "--verbosity", "0"], env)
    MIGRATED_DB_CACHE.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(database, MIGRATED_DB_CACHE)
    marker.write_text(fingerprint)


def _start_collectstatic(env: dict[str, str], fingerprint: str) -> subprocess.Popen[str] | None:
    """Start collecting static files unless the cache matches the sources; None when it does."""
    marker = STATIC_CACHE_DIR / FINGERPRINT_FILE
    if marker.exists() and marker.read_text() == fingerprint:
        return None
    shutil.rmtree(STATIC_CACHE_DIR, ignore_errors=True)
    STATIC_CACHE_DIR.mkdir(parents=True)
    return subprocess.Popen(
        [sys.executable, "manage.py", "collectstatic", "--noinput", "--verbosity", "0"],
        cwd=REPO_DIR,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def _finish_collectstatic(process: subprocess.Popen[str] | None, fingerprint: str) -> None:
    if process is None:
        return
    _, stderr = process.communicate()
    if process.returncode != 0:
        raise ServerError(f"`manage.py collectstatic` failed ({process.returncode}):\n{stderr[-3000:]}")
    (STATIC_CACHE_DIR / FINGERPRINT_FILE).write_text(fingerprint)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _wait_until_answering(base_url: str, process: subprocess.Popen[bytes], log: Path) -> None:
    deadline = time.monotonic() + STARTUP_TIMEOUT_S
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise ServerError(f"gunicorn exited ({process.returncode}):\n{log.read_text()[-3000:]}")
        try:
            with urllib.request.urlopen(base_url + "/connexion/", timeout=2) as response:
                if response.status == 200:
                    return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            time.sleep(0.2)
    raise ServerError(f"gunicorn did not answer within {STARTUP_TIMEOUT_S:.0f} s:\n{log.read_text()[-3000:]}")


def _shell_json(script: str, env: dict[str, str]) -> dict[str, object]:
    # Only the last line: the shell may print notes about its automatic imports first.
    output = _run(["shell", "--no-imports", "--command", script], env)
    return dict(json.loads(output.strip().splitlines()[-1]))


def start_demo_server(var_dir: Path, index_script: str, dataset: ExtraDataset | None = None) -> DemoServer:
    """Migrate, load the demo (and `dataset`), collect static files, then serve with gunicorn until
    `stop()`.

    `index_script` runs in `manage.py shell` once the data is loaded; the JSON it prints becomes
    `DemoServer.index` (primary keys of demo objects, for building URLs); `dataset.index_script`'s
    becomes `DemoServer.dataset_index`."""
    password = "e2e-" + secrets.token_urlsafe(12)
    env = server_environment(var_dir, secret_key=secrets.token_urlsafe(50))
    fingerprint = static_sources_fingerprint()
    collecting = _start_collectstatic(env, fingerprint)
    try:
        _migrate(env, var_dir)
        raw_accounts = json.loads(_run(["load_demo", "--password", password, "--json"], env))
        if dataset is not None:
            _run(["generate_dataset", *dataset.arguments, "--password", password], env)
        index = _shell_json(index_script, env)
        dataset_index = None if dataset is None else _shell_json(dataset.index_script, env)
    finally:
        _finish_collectstatic(collecting, fingerprint)
    accounts = [DemoAccount(**raw) for raw in raw_accounts]
    port = free_port()
    base_url = f"http://127.0.0.1:{port}"
    log = var_dir / "gunicorn.log"
    with log.open("wb") as log_file:
        process = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "config.wsgi", "-b", f"127.0.0.1:{port}", "-w", "2"]
            + ["--access-logfile", "-", "--error-logfile", "-"],
            cwd=REPO_DIR,
            env={**env, "SITE_URL": base_url},  # absolute links in e-mails point at this server
            stdout=log_file,
            stderr=subprocess.STDOUT,
        )
    server = DemoServer(base_url, password, accounts, index, var_dir, process, dataset_index)
    try:
        _wait_until_answering(base_url, process, log)
    except BaseException:
        server.stop()
        raise
    return server
