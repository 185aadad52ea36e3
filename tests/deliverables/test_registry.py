"""The registry's mechanics with a controllable generator: versions, the review workflow, pages for
every role, the pack build (queue, lock, zip, table of contents) and the command line.

The real generators are tested in their own files and together on the demo programme in
`test_demo_pack.py`; here a generator whose output the test controls stands in for one deliverable, so
versioning and locking can be checked precisely.
"""

from __future__ import annotations

import io
import sys
import types
import zipfile
from datetime import date
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from sobrindustrie.deliverables import checks, services
from sobrindustrie.deliverables.catalogue import BY_CODE, KINDS, REPORT_CONTENTS
from sobrindustrie.deliverables.enums import BuildStatus, DeliverableStatus
from sobrindustrie.deliverables.generators import GENERATORS, GeneratedFile, GenerationContext, MissingData
from sobrindustrie.deliverables.models import Deliverable, DeliverableFile, PackBuild
from sobrindustrie.meetings.obligations import compliance
from tests.conftest import ROLES

SEES = {"ademe", "consultant", "staff"}
PRODUCES = {"consultant", "staff"}


class Controlled:
    """What the stand-in generator produces: bytes the test sets, or MissingData."""

    def __init__(self) -> None:
        self.content = b"first"
        self.missing: list[str] = []
        self.calls: list[GenerationContext] = []

    def generate(self, ctx: GenerationContext) -> list[GeneratedFile]:
        self.calls.append(ctx)
        if self.missing:
            raise MissingData(self.missing)
        return [GeneratedFile("L1.6-grille.xlsx", self.content, "Grille de suivi des contacts")]


@pytest.fixture
def controlled(monkeypatch: pytest.MonkeyPatch, settings: object, tmp_path: Path) -> Controlled:
    settings.MEDIA_ROOT = tmp_path / "media"  # type: ignore[attr-defined]
    stand_in = Controlled()
    module = types.ModuleType("tests_deliverables_stand_in")
    module.generate = stand_in.generate  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, module.__name__, module)
    for code in GENERATORS:
        # Every deliverable but L1.6 reports missing data, so a pack build is fast and predictable.
        monkeypatch.setitem(
            GENERATORS, code, f"{module.__name__}:generate" if code == "L1.6" else f"{__name__}:_nothing"
        )
    return stand_in


def _nothing(ctx: GenerationContext) -> list[GeneratedFile]:
    raise MissingData(["Rien encore."])


# --- Catalogue and due dates -------------------------------------------------------------------------


def test_the_catalogue_covers_every_contractual_deliverable() -> None:
    codes = [kind.code for kind in KINDS]
    expected = [f"L1.{n}" for n in range(1, 10)] + ["L2.1", "L2.2", "L3.1", "L3.2", "L3.3"]
    expected += [f"L4.{n}" for n in range(1, 6)] + ["REPORT_M6", "REPORT_M12", "REPORT_M18", "REPORT_FINAL"]
    assert codes == expected
    assert set(GENERATORS) == set(codes)
    assert REPORT_CONTENTS["REPORT_M6"] == tuple(f"L1.{n}" for n in range(1, 10))
    assert REPORT_CONTENTS["REPORT_M12"] == ("L2.1", "L2.2", "L3.1", "L3.2", "L3.3")
    assert len(REPORT_CONTENTS["REPORT_FINAL"]) == 19


def test_due_dates_follow_the_reports_that_carry_them(world: object) -> None:
    programme = world.programme  # type: ignore[attr-defined]
    programme.notified_on = date(2025, 10, 20)
    programme.ends_on = date(2027, 10, 15)
    dates = services.due_dates(programme)
    assert dates["L1.3"] == dates["REPORT_M6"] == date(2026, 4, 20)
    assert dates["L2.2"] == dates["REPORT_M12"] == date(2026, 10, 20)
    assert dates["REPORT_M18"] == date(2027, 4, 20)
    assert dates["L4.2"] == dates["REPORT_FINAL"] == date(2027, 8, 15)


# --- Generation and versions -------------------------------------------------------------------------


def test_a_new_version_is_stored_only_when_the_files_change(world: object, controlled: Controlled) -> None:
    programme = world.programme  # type: ignore[attr-defined]
    consultant = world.users["consultant"]  # type: ignore[attr-defined]
    first = services.generate(programme, "L1.6", consultant)
    assert (first.version, first.changed) == (1, True)
    assert first.deliverable.status == DeliverableStatus.IN_PROGRESS
    stored = first.files[0]
    with stored.file.open("rb") as handle:
        assert handle.read() == b"first"
    assert (stored.size, stored.format, stored.created_by) == (5, "xlsx", consultant)

    again = services.generate(programme, "L1.6", consultant)
    assert (again.version, again.changed) == (1, False)
    assert DeliverableFile.objects.count() == 1

    controlled.content = b"second"
    third = services.generate(programme, "L1.6", consultant)
    assert (third.version, third.changed) == (2, True)
    assert list(DeliverableFile.objects.order_by("version").values_list("version", flat=True)) == [1, 2]
    assert controlled.calls[-1].language == "fr"


def test_missing_data_stores_nothing(world: object, controlled: Controlled) -> None:
    controlled.missing = ["Aucun atelier 1 tenu."]
    with pytest.raises(MissingData) as raised:
        services.generate(world.programme, "L1.6", None)  # type: ignore[attr-defined]
    assert raised.value.reasons == ["Aucun atelier 1 tenu."]
    assert not DeliverableFile.objects.exists()
    assert not Deliverable.objects.exists()


# --- Pages and roles ---------------------------------------------------------------------------------


@pytest.mark.parametrize("role", ROLES)
def test_registry_and_detail_by_role(world: object, controlled: Controlled, role: str) -> None:
    programme = world.programme  # type: ignore[attr-defined]
    result = services.generate(programme, "L1.6", world.users["consultant"])  # type: ignore[attr-defined]
    client = world.client(role)  # type: ignore[attr-defined]
    urls = [
        reverse("www:deliverable_registry", args=[programme.slug]),
        reverse("www:deliverable_detail", args=[programme.slug, "l1-6"]),
        reverse("www:deliverable_file", args=[result.files[0].pk]),
    ]
    for url in urls:
        response = client.get(url)
        if response.streaming:
            b"".join(response.streaming_content)  # close the file
        if role == "anonymous":
            assert response.status_code in (302, 404), url
        elif role in SEES:
            assert response.status_code == 200, url
        else:
            assert response.status_code == 404, (role, url)
    if role in SEES:
        page = client.get(urls[0]).content.decode()
        assert "L1.6" in page and "REPORT_M6" not in page  # reports show by their title
        assert "Rapport d’avancement à 6 mois" in page
        download = client.get(urls[2])
        assert download["Content-Disposition"].startswith("attachment")
        assert download["X-Content-Type-Options"] == "nosniff"
        assert b"".join(download.streaming_content) == b"first"


@pytest.mark.parametrize("role", ROLES)
def test_only_producers_generate(world: object, controlled: Controlled, role: str) -> None:
    programme = world.programme  # type: ignore[attr-defined]
    client = world.client(role)  # type: ignore[attr-defined]
    response = client.post(reverse("www:deliverable_generate", args=[programme.slug, "l1-6"]))
    if role in PRODUCES:
        assert response.status_code == 302
        assert DeliverableFile.objects.count() == 1
    else:
        assert response.status_code in (302, 404) if role == "anonymous" else response.status_code == 404
        assert not DeliverableFile.objects.exists()


def test_generation_without_data_says_what_is_missing(world: object, controlled: Controlled) -> None:
    controlled.missing = ["Aucun atelier 1 tenu."]
    programme = world.programme  # type: ignore[attr-defined]
    response = world.client("consultant").post(  # type: ignore[attr-defined]
        reverse("www:deliverable_generate", args=[programme.slug, "l1-6"])
    )
    assert response.status_code == 422
    assert "Aucun atelier 1 tenu." in response.content.decode()


def test_unknown_codes_are_404(world: object) -> None:
    response = world.client("consultant").get(  # type: ignore[attr-defined]
        reverse("www:deliverable_detail", args=[world.programme.slug, "l9-9"])  # type: ignore[attr-defined]
    )
    assert response.status_code == 404


def test_registry_queries_do_not_grow_with_versions(
    world: object, controlled: Controlled, django_assert_max_num_queries: object
) -> None:
    programme = world.programme  # type: ignore[attr-defined]
    for n in range(6):
        controlled.content = f"content {n}".encode()
        services.generate(programme, "L1.6", None)
    client = world.client("consultant")  # type: ignore[attr-defined]
    with django_assert_max_num_queries(14):  # type: ignore[operator]
        assert client.get(reverse("www:deliverable_registry", args=[programme.slug])).status_code == 200
    with django_assert_max_num_queries(16):  # type: ignore[operator]
        assert client.get(reverse("www:deliverable_detail", args=[programme.slug, "l1-6"])).status_code == 200


# --- Review workflow ---------------------------------------------------------------------------------


def _review(world: object, role: str, action: str, version: int, comment: str = "") -> object:
    programme = world.programme  # type: ignore[attr-defined]
    return world.client(role).post(  # type: ignore[attr-defined]
        reverse("www:deliverable_review", args=[programme.slug, "l1-6", action]),
        {"expected_version": version, "comment": comment},
    )


def test_submit_validate_and_send_back(world: object, controlled: Controlled) -> None:
    programme = world.programme  # type: ignore[attr-defined]
    row = services.generate(programme, "L1.6", None).deliverable
    row.refresh_from_db()
    assert _review(world, "ademe", "submit", row.version).status_code == 404  # ADEME does not submit
    assert _review(world, "consultant", "submit", row.version).status_code == 302
    row.refresh_from_db()
    assert (row.status, row.submitted_by) == (DeliverableStatus.SUBMITTED, world.users["consultant"])  # type: ignore[attr-defined]

    assert (
        _review(world, "consultant", "validate", row.version).status_code == 404
    )  # consultants do not validate
    refused = _review(world, "ademe", "send-back", row.version, "")
    assert refused.status_code == 422
    assert (
        "Say what must change." in refused.content.decode()
        or "Précisez ce qui doit changer." in refused.content.decode()
    )

    assert _review(world, "ademe", "send-back", row.version, "Ajouter la colonne relance.").status_code == 302
    row.refresh_from_db()
    assert (row.status, row.review_comment) == (DeliverableStatus.IN_PROGRESS, "Ajouter la colonne relance.")

    assert _review(world, "consultant", "submit", row.version).status_code == 302
    row.refresh_from_db()
    assert _review(world, "ademe", "validate", row.version, "Bon pour moi.").status_code == 302
    row.refresh_from_db()
    assert (row.status, row.validated_by) == (DeliverableStatus.VALIDATED, world.users["ademe"])  # type: ignore[attr-defined]


def test_a_stale_review_is_refused(world: object, controlled: Controlled) -> None:
    row = services.generate(world.programme, "L1.6", None).deliverable  # type: ignore[attr-defined]
    row.refresh_from_db()
    stale = row.version
    services.submit(row, world.users["consultant"], row.version)  # type: ignore[attr-defined]
    response = _review(world, "ademe", "validate", stale - 1)
    assert response.status_code == 422
    row.refresh_from_db()
    assert row.status == DeliverableStatus.SUBMITTED


def test_a_submitted_report_is_what_the_obligations_count(
    world: object, monkeypatch: pytest.MonkeyPatch, settings: object, tmp_path: Path
) -> None:
    settings.MEDIA_ROOT = tmp_path  # type: ignore[attr-defined]
    monkeypatch.setitem(GENERATORS, "REPORT_M6", f"{__name__}:_report")
    programme = world.programme  # type: ignore[attr-defined]
    row = services.generate(programme, "REPORT_M6", None).deliverable
    row.refresh_from_db()

    def m6_status() -> tuple[str, tuple[str, ...]]:
        [result] = [r.result for r in compliance(programme).rows if r.result.code == "REPORT_M6"]
        return result.status.value, result.counted_ids

    assert m6_status()[1] == ()
    consultant = world.users["consultant"]  # type: ignore[attr-defined]
    for check in checks.run_checks(row):  # the empty synthesis and the missing COPIL, acknowledged
        services.acknowledge(row, consultant, row.version, check.key, "Rapport de test sans synthèse.")
        row.refresh_from_db()
    services.submit(row, consultant, row.version)
    row.refresh_from_db()
    assert row.delivered_on == row.submitted_on
    assert m6_status()[1] == (f"d{row.pk}",)
    # Sent back, the report is no longer delivered: the obligations page follows the registry.
    services.send_back(row, world.users["ademe"], row.version, "Compléter.")  # type: ignore[attr-defined]
    row.refresh_from_db()
    assert row.delivered_on is None and m6_status()[1] == ()


def test_submitting_freezes_the_files_and_regenerating_makes_a_draft(
    world: object, controlled: Controlled
) -> None:
    programme = world.programme  # type: ignore[attr-defined]
    consultant, ademe = world.users["consultant"], world.users["ademe"]  # type: ignore[attr-defined]
    row = services.generate(programme, "L1.6", consultant).deliverable
    row.refresh_from_db()
    services.submit(row, consultant, row.version)
    row.refresh_from_db()
    assert row.submitted_version == 1
    [submitted] = row.submitted_files()
    frozen = (submitted.pk, submitted.file.name, submitted.sha256)

    controlled.content = b"changed since"
    again = services.generate(programme, "L1.6", consultant)
    assert (again.version, again.changed) == (2, True)
    row.refresh_from_db()
    assert (row.status, row.submitted_version) == (DeliverableStatus.SUBMITTED, 1)
    [still] = row.submitted_files()
    assert (still.pk, still.file.name, still.sha256) == frozen
    with still.file.open("rb") as handle:
        assert handle.read() == b"first"
    [listed] = [r for r in services.registry(programme) if r.kind.code == "L1.6"]
    assert (listed.version, [f.pk for f in listed.files]) == (1, [still.pk])  # what ADEME reviews

    # ADEME validates the submitted bytes, not the draft generated since.
    services.validate(row, ademe, row.version)
    row.refresh_from_db()
    assert (row.status, row.submitted_version) == (DeliverableStatus.VALIDATED, 1)
    page = world.client("ademe").get(reverse("www:deliverable_detail", args=[programme.slug, "l1-6"]))  # type: ignore[attr-defined]
    assert page.status_code == 200
    assert page.context["submitted_version"] == 1


def test_rebuilding_the_pack_leaves_every_submitted_file_byte_identical(
    world: object, controlled: Controlled
) -> None:
    programme = world.programme  # type: ignore[attr-defined]
    consultant = world.users["consultant"]  # type: ignore[attr-defined]
    services.run_pack(services.request_pack(programme, None).pk)
    row = Deliverable.objects.get(programme=programme, code="L1.6")
    services.submit(row, consultant, row.version)

    def stored() -> dict[int, tuple[str, str, bytes]]:
        result = {}
        for item in DeliverableFile.objects.filter(deliverable=row, version=1):
            with item.file.open("rb") as handle:
                result[item.pk] = (item.file.name, item.sha256, handle.read())
        return result

    before = stored()
    controlled.content = b"the data changed"
    build = services.run_pack(services.request_pack(programme, None).pk)
    assert build.status == BuildStatus.DONE
    assert stored() == before
    row.refresh_from_db()
    assert row.latest_version() == 2 and row.submitted_version == 1
    # The pack carries what ADEME was given, the draft stays in the registry.
    with build.file.open("rb") as handle, zipfile.ZipFile(io.BytesIO(handle.read())) as archive:
        assert archive.read("axe-1/L1.6/L1.6-grille.xlsx") == b"first"
    [entry] = [e for e in build.contents if e["code"] == "L1.6"]
    assert entry["version"] == 1


def _report(ctx: GenerationContext) -> list[GeneratedFile]:
    return [GeneratedFile("REPORT_M6-rapport.docx", b"report", "Rapport M6")]


def test_narrative_form_keeps_input_on_a_concurrent_edit(world: object) -> None:
    programme = world.programme  # type: ignore[attr-defined]
    url = reverse("www:deliverable_narrative", args=[programme.slug, "report-m6"])
    client = world.client("consultant")  # type: ignore[attr-defined]
    # Sent without the version it was opened on: refused (issue 16); with it (a new row's is 1): saved.
    assert client.post(url, {"successes": "Quinze diagnostics", "expected_version": ""}).status_code == 422
    assert client.post(url, {"successes": "Quinze diagnostics", "expected_version": 1}).status_code == 302
    row = Deliverable.objects.get(programme=programme, code="REPORT_M6")
    assert row.successes == "Quinze diagnostics"
    response = client.post(url, {"successes": "Ma version", "expected_version": row.version - 1})
    assert response.status_code == 422
    assert "Ma version" in response.content.decode()
    row.refresh_from_db()
    assert row.successes == "Quinze diagnostics"
    assert world.client("ademe").post(url, {"successes": "x"}).status_code == 404  # type: ignore[attr-defined]


# --- The pack ----------------------------------------------------------------------------------------


def test_a_second_build_is_refused_while_one_is_under_way(world: object) -> None:
    programme = world.programme  # type: ignore[attr-defined]
    first = services.request_pack(programme, None)
    with pytest.raises(services.PackBusy) as busy:
        services.request_pack(programme, None)
    assert busy.value.build == first
    first.status = BuildStatus.DONE
    first.save()
    assert services.request_pack(programme, None).pk != first.pk


def test_an_abandoned_build_does_not_block_forever(world: object) -> None:
    programme = world.programme  # type: ignore[attr-defined]
    build = services.request_pack(programme, None)
    PackBuild.objects.filter(pk=build.pk).update(
        status=BuildStatus.RUNNING, heartbeat_at=build.created_at - services.STALE_AFTER * 2
    )
    services.request_pack(programme, None)
    build.refresh_from_db()
    assert build.status == BuildStatus.FAILED and build.error


def test_the_pack_holds_every_produced_file_and_a_table_of_contents(
    world: object, controlled: Controlled
) -> None:
    programme = world.programme  # type: ignore[attr-defined]
    build = services.run_pack(services.request_pack(programme, None).pk)
    assert build.status == BuildStatus.DONE
    assert (build.steps_done, build.steps_total) == (len(KINDS) + 1, len(KINDS) + 1)
    with build.file.open("rb") as handle, zipfile.ZipFile(io.BytesIO(handle.read())) as archive:
        names = archive.namelist()
        toc = archive.read("00-sommaire.html").decode()
        assert archive.read("axe-1/L1.6/L1.6-grille.xlsx") == b"first"
    assert names == ["00-sommaire.html", "axe-1/L1.6/L1.6-grille.xlsx"]
    assert 'href="axe-1/L1.6/L1.6-grille.xlsx"' in toc and "Rien encore." in toc and '<html lang="fr">' in toc
    assert len(build.missing()) == len(KINDS) - 1
    # Running the same build again does nothing: a build is claimed once.
    assert services.run_pack(build.pk).finished_at == build.finished_at


def test_the_pack_is_built_through_the_task_queue(
    world: object, controlled: Controlled, django_capture_on_commit_callbacks: object
) -> None:
    programme = world.programme  # type: ignore[attr-defined]
    client = world.client("consultant")  # type: ignore[attr-defined]
    with django_capture_on_commit_callbacks(execute=True):  # type: ignore[operator]
        response = client.post(
            reverse("www:deliverable_pack_request", args=[programme.slug]), HTTP_HX_REQUEST="true"
        )
    assert response.status_code == 200
    build = PackBuild.objects.get()
    assert build.status == BuildStatus.DONE  # the test settings run tasks immediately
    status = client.get(reverse("www:deliverable_pack_status", args=[build.pk])).content.decode()
    assert reverse("www:deliverable_pack_download", args=[build.pk]) in status
    download = client.get(reverse("www:deliverable_pack_download", args=[build.pk]))
    assert (
        zipfile.ZipFile(io.BytesIO(b"".join(download.streaming_content))).namelist()[0] == "00-sommaire.html"
    )


@pytest.mark.django_db(transaction=True)
def test_the_database_queue_runs_the_build_in_a_worker(settings: object, tmp_path: Path) -> None:
    from tests.factories import ProgrammeFactory, UserFactory

    settings.MEDIA_ROOT = tmp_path  # type: ignore[attr-defined]
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}  # type: ignore[attr-defined]
    from sobrindustrie.deliverables import tasks

    programme = ProgrammeFactory(slug="queue")
    build = services.request_pack(programme, UserFactory(role="consultant"))
    tasks.build_pack.enqueue(build.pk, "fr")
    build.refresh_from_db()
    assert build.status == BuildStatus.QUEUED  # waits for a worker
    call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload", verbosity=0)
    build.refresh_from_db()
    assert build.status == BuildStatus.DONE, build.error
    assert len(build.missing()) + sum(1 for e in build.contents if e["files"]) == len(KINDS)


@pytest.mark.parametrize("role", ROLES)
def test_pack_pages_by_role(world: object, controlled: Controlled, role: str) -> None:
    programme = world.programme  # type: ignore[attr-defined]
    build = services.run_pack(services.request_pack(programme, None).pk)
    client = world.client(role)  # type: ignore[attr-defined]
    for url in (
        reverse("www:deliverable_pack_status", args=[build.pk]),
        reverse("www:deliverable_pack_download", args=[build.pk]),
    ):
        response = client.get(url)
        if response.streaming:
            b"".join(response.streaming_content)  # close the file
        expected = 200 if role in SEES else 404
        assert response.status_code == expected or (role == "anonymous" and response.status_code == 302), (
            role,
            url,
        )
    response = client.post(reverse("www:deliverable_pack_request", args=[programme.slug]))
    if role in PRODUCES:
        assert response.status_code == 302
    else:
        assert response.status_code in (302, 404) if role == "anonymous" else response.status_code == 404


def test_a_refused_pack_request_shows_the_running_build(world: object) -> None:
    programme = world.programme  # type: ignore[attr-defined]
    running = services.request_pack(programme, None)
    response = world.client("consultant").post(  # type: ignore[attr-defined]
        reverse("www:deliverable_pack_request", args=[programme.slug]), HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 200
    assert reverse("www:deliverable_pack_status", args=[running.pk]) in response.content.decode()  # it polls
    assert PackBuild.objects.count() == 1


# --- Command line ------------------------------------------------------------------------------------


def test_the_command_builds_into_a_directory(world: object, controlled: Controlled, tmp_path: Path) -> None:
    out = tmp_path / "out"
    stdout = io.StringIO()
    call_command("deliverables", "build", "--programme", "paca", "--out", str(out), stdout=stdout)
    assert (out / "00-sommaire.html").exists()
    assert (out / "axe-1" / "L1.6" / "L1.6-grille.xlsx").read_bytes() == b"first"
    assert list(out.glob("paca-livrables-*.zip"))
    assert "L1.1: not produced — Rien encore." in stdout.getvalue()


def test_the_command_refuses_bad_input(world: object, tmp_path: Path) -> None:
    with pytest.raises(CommandError, match="no programme 'nope'"):
        call_command("deliverables", "build", "--programme", "nope", "--out", str(tmp_path))
    with pytest.raises(CommandError, match="unknown deliverable codes: L9.9"):
        call_command("deliverables", "build", "--programme", "paca", "--out", str(tmp_path), "--only", "L9.9")
    services.request_pack(world.programme, None)  # type: ignore[attr-defined]
    with pytest.raises(CommandError, match="already queued"):
        call_command("deliverables", "build", "--programme", "paca", "--out", str(tmp_path))


def test_every_kind_has_a_title_in_both_languages() -> None:
    from django.utils import translation

    for kind in KINDS:
        with translation.override("en"):
            english = str(kind.title)
        with translation.override("fr"):
            french = str(kind.title)
        assert english and french and english != french, kind.code
    assert BY_CODE["L1.3"].slug == "l1-3"


def _broken(ctx: GenerationContext) -> list[GeneratedFile]:
    raise ZeroDivisionError("bug in a generator")


def test_a_broken_generator_does_not_cost_the_other_deliverables(
    world: object, controlled: Controlled, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setitem(GENERATORS, "L1.7", f"{__name__}:_broken")
    build = services.run_pack(services.request_pack(world.programme, None).pk)  # type: ignore[attr-defined]
    assert build.status == BuildStatus.DONE
    assert [entry["code"] for entry in build.failed()] == ["L1.7"]
    assert any(entry["files"] for entry in build.contents if entry["code"] == "L1.6")
    page = world.client("consultant").get(reverse("www:deliverable_pack_status", args=[build.pk]))  # type: ignore[attr-defined]
    assert "L1.7" in page.content.decode()
    build.status = BuildStatus.FAILED  # let the command take the lock
    build.save()
    with pytest.raises(CommandError, match="generation failed for L1.7"):
        call_command(
            "deliverables",
            "build",
            "--programme",
            "paca",
            "--out",
            str(tmp_path),
            stdout=io.StringIO(),
            stderr=io.StringIO(),
        )
    assert (tmp_path / "axe-1" / "L1.6" / "L1.6-grille.xlsx").exists()
