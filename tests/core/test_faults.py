"""Foreseeable faults: each one a clear outcome, nothing half-written."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import threading
import time
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.db import OperationalError, connection, connections, transaction
from django.urls import reverse

from sobrindustrie.core import pdf
from sobrindustrie.deliverables import services as deliverables
from sobrindustrie.deliverables.enums import BuildStatus
from sobrindustrie.deliverables.models import PackBuild
from sobrindustrie.meetings.models import Invitation, Meeting
from sobrindustrie.www.meetings_views import views as meeting_views
from tests.conftest import World


def test_a_pdf_without_its_system_libraries_gets_a_page_saying_what_to_install(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    def missing() -> Any:
        raise pdf.PdfUnavailable("cannot load library 'libpango-1.0-0'")

    monkeypatch.setattr(pdf, "_html_class", missing)
    response = world.client("consultant").get(reverse("www:synthesis_pdf", args=[world.programme.slug]))
    body = response.content.decode()
    assert response.status_code == 503
    assert "L’export PDF n’est pas disponible sur ce serveur" in body
    assert pdf.INSTALL_COMMAND in body and "libpango-1.0-0" in body


def _meeting_post(world: World) -> dict[str, object]:
    return {
        "kind": "copil",
        "title": "COPIL interrompu",
        "starts_at": "2027-03-16T14:00",
        "ends_at": "2027-03-16T16:00",
        "mode": "in_person",
        "place": "ADEME, Marseille",
        "video_link": "",
        "attended_by_consultant": "on",
        "agenda": "1. Avancement",
        "status": "planned",
        "invitees": [world.users["ademe"].pk, world.users["sme"].pk],
        "expected_version": "",
    }


@pytest.mark.django_db(transaction=True)
def test_the_database_gone_during_a_request_gives_a_503_and_nothing_half_written(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The meeting is written, then the connection dies before its invitations: on PostgreSQL the
    server end is really terminated (pg_terminate_backend); on SQLite the driver's error is raised."""
    real_set_invitees = meeting_views.services.set_invitees

    def connection_lost(meeting: Meeting, users: Any) -> Any:
        assert Meeting.objects.filter(title="COPIL interrompu").exists()  # written, not committed
        if connection.vendor == "postgresql":
            _terminate(connection.connection.info.backend_pid)  # type: ignore[union-attr]
            return real_set_invitees(meeting, users)
        raise OperationalError("database is locked")

    monkeypatch.setattr(meeting_views.services, "set_invitees", connection_lost)
    client = world.client("consultant")
    response = client.post(reverse("www:meeting_create", args=[world.programme.slug]), _meeting_post(world))
    body = response.content.decode()
    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    assert "Service temporairement indisponible" in body
    assert "n’a pas été enregistrée" in body
    connection.close()  # the test's own connection was the one killed: open a new one
    assert not Meeting.objects.filter(title="COPIL interrompu").exists()
    assert not Invitation.objects.filter(meeting__title="COPIL interrompu").exists()


def _terminate(pid: int) -> None:
    import psycopg

    params = connection.get_connection_params()
    params.pop("cursor_factory", None)
    params.pop("context", None)
    with psycopg.connect(**params, autocommit=True) as other:
        other.execute("SELECT pg_terminate_backend(%s)", [pid])


def test_a_killed_worker_does_not_block_the_next_pack(world: World) -> None:
    """A worker killed with SIGKILL in the middle of a pack leaves its build running; the next
    request sees that process is gone, marks the build failed and starts a new one."""
    programme = world.programme
    build = deliverables.request_pack(programme, None)
    worker = subprocess.Popen(["sleep", "60"])  # stands for `manage.py db_worker`, mid-build
    try:
        PackBuild.objects.filter(pk=build.pk).update(
            status=BuildStatus.RUNNING, worker=f"{os.uname().nodename}:{worker.pid}", steps_done=7
        )
        with pytest.raises(deliverables.PackBusy):  # alive and beating: its build stands
            deliverables.request_pack(programme, None)
    finally:
        worker.send_signal(signal.SIGKILL)
        worker.wait()
    fresh = deliverables.request_pack(programme, None)
    build.refresh_from_db()
    assert build.status == BuildStatus.FAILED and "Abandonnée" in build.error  # in French
    assert fresh.status == BuildStatus.QUEUED and fresh.pk != build.pk
    assert deliverables.run_pack(fresh.pk).status == BuildStatus.DONE


def test_a_worker_on_another_host_is_judged_by_its_heartbeat(world: World) -> None:
    build = deliverables.request_pack(world.programme, None)
    PackBuild.objects.filter(pk=build.pk).update(status=BuildStatus.RUNNING, worker="other-host:1")
    with pytest.raises(deliverables.PackBusy):
        deliverables.request_pack(world.programme, None)


def test_two_writers_on_sqlite_wait_for_each_other(tmp_path: Path, django_db_blocker: Any) -> None:
    """Two connections configured as the settings configure SQLite each read then write in one
    transaction, at the same time. With deferred transactions the second upgrade fails at once with
    "database is locked" (the busy timeout does not apply to it); with the settings' IMMEDIATE
    transactions and busy timeout, the second waits for the first and both succeed."""
    options = settings.DATABASES["default"]["OPTIONS"] if connection.vendor == "sqlite" else _sqlite_options()
    assert options["transaction_mode"] == "IMMEDIATE" and options["timeout"] >= 5
    name = str(tmp_path / "writers.sqlite3")
    with sqlite3.connect(name) as setup:
        setup.execute("CREATE TABLE counter (id INTEGER PRIMARY KEY, value INTEGER)")
        setup.execute("INSERT INTO counter VALUES (1, 0)")
    errors: list[Exception] = []
    start = threading.Barrier(2)

    def writer() -> None:
        try:
            start.wait()
            with transaction.atomic(using="writers"), connections["writers"].cursor() as cursor:
                cursor.execute("SELECT value FROM counter WHERE id = 1")
                value = cursor.fetchone()[0]
                time.sleep(0.3)  # the other writer arrives meanwhile
                cursor.execute("UPDATE counter SET value = %s WHERE id = 1", [value + 1])
        except Exception as error:
            errors.append(error)
        finally:
            connections["writers"].close()

    connections.settings["writers"] = {**_sqlite_settings(name), "OPTIONS": dict(options)}
    try:
        with django_db_blocker.unblock():
            # The deployment's first connection switches the file to WAL (it stays so): switching
            # needs the file alone, so two first connections at the same instant could race there.
            connections["writers"].ensure_connection()
            connections["writers"].close()
            threads = [threading.Thread(target=writer) for _ in range(2)]
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join()
    finally:
        del connections.settings["writers"]
    assert errors == []
    with sqlite3.connect(name) as check:
        assert check.execute("SELECT value FROM counter").fetchone()[0] == 2  # no lost update either
        assert check.execute("PRAGMA journal_mode").fetchone()[0] == "wal"


def _sqlite_options() -> dict[str, Any]:
    # On PostgreSQL runs, the options the settings would give SQLite (the default set-up).
    env = {**os.environ, "DATABASE_URL": "sqlite:///unused.sqlite3"}
    out = subprocess.run(
        [
            os.sys.executable,  # type: ignore[attr-defined]
            "-c",
            "import json; from config import settings; print(json.dumps(settings.DATABASES['default']['OPTIONS']))",
        ],
        env=env,
        cwd=settings.BASE_DIR,
        capture_output=True,
        text=True,
        check=True,
    )
    import json

    return json.loads(out.stdout)  # type: ignore[no-any-return]


def _sqlite_settings(name: str) -> dict[str, Any]:
    return {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": name,
        "ATOMIC_REQUESTS": False,
        "AUTOCOMMIT": True,
        "CONN_MAX_AGE": 0,
        "CONN_HEALTH_CHECKS": False,
        "TIME_ZONE": None,
        "USER": "",
        "PASSWORD": "",
        "HOST": "",
        "PORT": "",
        "TEST": {},
    }
