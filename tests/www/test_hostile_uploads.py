"""Every file field of every model, fed the hostile set through the page that fills it.

`UPLOADS` maps each field to the way a person fills it; `NOT_UPLOADED` names the fields nobody
uploads into, with the reason. A file field added later is in neither, and the first test fails
until its way in is added here (and thereby tested).
"""

from __future__ import annotations

import html
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import models
from django.test import Client
from django.urls import reverse
from django.utils import translation

from sobrindustrie.core.management.commands.missing_files import file_fields
from sobrindustrie.core.uploads import UploadRefused
from sobrindustrie.documents.models import Document, DocumentVersion, ShowcasePage, Space
from sobrindustrie.documents.services import create_document, ensure_spaces
from sobrindustrie.funding import services as funding_services
from sobrindustrie.funding.models import ApplicationDocument
from sobrindustrie.meetings import services as meeting_services
from sobrindustrie.meetings.models import MeetingDocument
from tests.actionplans.factories import ActionFactory, ActionPlanFactory, ProjectTeamFactory
from tests.conftest import World
from tests.core.hostile import HOSTILE, xlsx_bomb
from tests.documents.files import EXE, PDF, docx
from tests.funding.factories import ApplicationFactory
from tests.meetings.factories import MeetingFactory


@dataclass
class Targets:
    world: World
    media: Path
    meeting: Any
    application: Any
    team: Any

    def client(self) -> Client:
        return self.world.client("consultant")

    def stored_files(self) -> list[Path]:
        return [path for path in self.media.rglob("*") if path.is_file()]


@pytest.fixture
def targets(world: World, settings: Any, tmp_path: Path) -> Targets:
    settings.MEDIA_ROOT = tmp_path
    settings.LANGUAGE_CODE = "en"
    settings.DOCUMENTS_MAX_UPLOAD_MB = 1
    team = ProjectTeamFactory(programme=world.programme, name="Découpe partagée")
    action = ActionFactory(plan=ActionPlanFactory(team=team), lead_organisation=world.sme_org)
    application = ApplicationFactory(action=action, organisation=world.sme_org)
    ensure_spaces(world.programme)
    return Targets(world, tmp_path, MeetingFactory(programme=world.programme), application, team)


def _upload(name: str, data: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type="application/octet-stream")


# --- The ways in: (post the file through the page, rows the field holds) ----------------------------

Post = Callable[[Targets, SimpleUploadedFile], Any]


def _meeting_document(t: Targets, upload: SimpleUploadedFile) -> Any:
    url = reverse("www:document_add", args=[t.meeting.pk])
    return t.client().post(url, {"document-title": "Support", "document-file": upload})


def _application_document(t: Targets, upload: SimpleUploadedFile) -> Any:
    url = reverse("www:funding_document_add", args=[t.application.pk])
    return t.client().post(url, {"document-title": "Devis", "document-file": upload})


def _document_version(t: Targets, upload: SimpleUploadedFile) -> Any:
    space = Space.objects.filter(programme=t.world.programme, kind="programme").get()
    url = reverse("www:document_create", args=[space.pk])
    return t.client().post(url, {"title": "Compte rendu", "category": "minutes", "file": upload})


def _showcase_image(t: Targets, upload: SimpleUploadedFile) -> Any:
    url = reverse("www:showcase_create", args=[t.world.programme.slug])
    data = {
        "team": t.team.pk, "slug": "decoupe", "solution": "pooling", "title": "Découpe",
        "title_en": "Cutting", "summary": "Résumé", "summary_en": "Summary", "image": upload,
        "image_alt": "Une presse", "image_alt_en": "A press",
    }  # fmt: skip
    return t.client().post(url, data)


UPLOADS: dict[str, tuple[Post, type[models.Model]]] = {
    "meetings.MeetingDocument.file": (_meeting_document, MeetingDocument),
    "funding.ApplicationDocument.file": (_application_document, ApplicationDocument),
    "documents.DocumentVersion.file": (_document_version, DocumentVersion),
    "documents.ShowcasePage.image": (_showcase_image, ShowcasePage),
}
NOT_UPLOADED = {
    "deliverables.DeliverableFile.file": "written by the deliverables' generators, never uploaded",
    "deliverables.PackBuild.file": "the pack's archive, written by the background task",
    "dsfr.DsfrConfig.operator_logo_file": "django-dsfr's site settings, only in the admin (superusers)",
}


def test_every_file_field_has_its_way_in_tested_here() -> None:
    fields = {f"{model._meta.label}.{field.name}" for model, field in file_fields()}
    unmapped = fields - set(UPLOADS) - set(NOT_UPLOADED)
    assert not unmapped, f"file fields without an upload path in this test: {sorted(unmapped)}"
    assert not (set(UPLOADS) | set(NOT_UPLOADED)) - fields, "stale entries"


@pytest.mark.parametrize("case", HOSTILE)
@pytest.mark.parametrize("field", UPLOADS)
def test_a_hostile_file_is_refused_with_its_reason_and_nothing_is_stored(
    targets: Targets, field: str, case: str
) -> None:
    post, model = UPLOADS[field]
    name, make, message = HOSTILE[case]
    rows_before = model._default_manager.count()
    response = post(targets, _upload(name, make()))
    assert response.status_code in (200, 400, 422), "refused: the form is shown again, no redirect"
    assert html.escape(message) in response.content.decode()
    assert model._default_manager.count() == rows_before
    assert targets.stored_files() == []


# --- The services refuse too, whoever calls them --------------------------------------------------

SERVICES: dict[str, Callable[[Targets, SimpleUploadedFile], Any]] = {
    "meeting document": lambda t, u: meeting_services.add_document(t.meeting, None, "Support", u),
    "application document": lambda t, u: funding_services.add_document(t.application, None, "Devis", u),
    "document space": lambda t, u: create_document(
        Space.objects.filter(programme=t.world.programme, kind="programme").get(),
        t.world.users["consultant"],  # type: ignore[arg-type]
        u,
        title="Compte rendu",
        category="minutes",
    ),
}


@pytest.mark.parametrize("case", HOSTILE)
@pytest.mark.parametrize("service", SERVICES)
def test_services_refuse_the_hostile_set(targets: Targets, service: str, case: str) -> None:
    name, make, message = HOSTILE[case]
    with translation.override("en"), pytest.raises(UploadRefused, match=message):
        SERVICES[service](targets, _upload(name, make()))
    assert not MeetingDocument.objects.exists() and not ApplicationDocument.objects.exists()
    assert not Document.objects.exists() and targets.stored_files() == []


# --- A good file: a safe name in, served as an inert attachment -----------------------------------


def test_a_bidi_name_loses_its_control_characters(targets: Targets) -> None:
    response = _meeting_document(targets, _upload("compte\u202e\u200brendu.pdf", PDF))
    assert response.status_code == 302
    document = MeetingDocument.objects.get()
    assert document.filename.startswith("compterendu") and document.filename.endswith(".pdf")


DOWNLOADS: dict[str, Callable[[Targets], str]] = {
    "meeting document": lambda t: reverse(
        "www:document_download",
        args=[t.meeting.pk, meeting_services.add_document(t.meeting, None, "S", _upload("s.pdf", PDF)).pk],
    ),
    "application document": lambda t: reverse(
        "www:funding_document_download",
        args=[
            t.application.pk,
            funding_services.add_document(t.application, None, "D", _upload("d.pdf", PDF)).pk,
        ],
    ),
    "document space": lambda t: reverse(
        "www:document_download",
        args=[
            create_document(
                Space.objects.filter(programme=t.world.programme, kind="programme").get(),
                t.world.users["consultant"],  # type: ignore[arg-type]
                _upload("cr.pdf", PDF),
                title="CR",
                category="minutes",
            )
            .versions.get()
            .pk
        ],
    ),
}


@pytest.mark.parametrize("kind", DOWNLOADS)
def test_downloads_are_inert_attachments(targets: Targets, kind: str) -> None:
    response = targets.client().get(DOWNLOADS[kind](targets))
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "sandbox" in response["Content-Security-Policy"]
    assert b"".join(response.streaming_content) == PDF  # type: ignore[attr-defined]


@pytest.mark.parametrize("kind", DOWNLOADS)
def test_a_download_whose_file_is_gone_is_a_404_not_a_500(targets: Targets, kind: str) -> None:
    url = DOWNLOADS[kind](targets)
    for path in targets.stored_files():
        path.unlink()
    assert targets.client().get(url).status_code == 404


def test_the_candidacy_import_checks_the_unpacked_size_before_openpyxl_reads(
    targets: Targets, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A 20 kB XLSX that unpacks to 20 MB (1 GB in the wild) never reaches openpyxl."""
    from sobrindustrie.diagnostics import candidacy

    def opened(*args: Any, **kwargs: Any) -> None:
        raise AssertionError("openpyxl opened a zip bomb")

    monkeypatch.setattr(candidacy, "load_workbook", opened)
    data = xlsx_bomb()
    assert len(data) < 100_000
    with translation.override("en"):
        record, plan = candidacy.preview_import(targets.world.programme, data, "candidatures.xlsx", None)
    assert record.status == "failed"
    assert "compressed abnormally" in plan.errors[0].message


def test_the_candidacy_page_refuses_a_hostile_file_before_reading_it(targets: Targets) -> None:
    url = reverse("www:candidacy_import", args=[targets.world.programme.slug])
    for name, data, message in [
        ("candidatures.xlsx", xlsx_bomb(), "compressed abnormally"),
        ("candidatures.csv", EXE, "contains binary data"),
        ("candidatures.docx", docx(), "here only csv, xlsx are accepted"),
    ]:
        response = targets.client().post(url, {"file": _upload(name, data)})
        assert response.status_code == 200
        assert html.escape(message) in response.content.decode()


@pytest.mark.parametrize(
    "url",
    [
        lambda t: reverse("www:meeting_ics", args=[t.meeting.pk]),
        lambda t: reverse("www:survey_export", args=[t.meeting.pk, "xlsx"]),
    ],
    ids=["calendar file", "survey export"],
)
def test_generated_downloads_are_inert_attachments_too(
    targets: Targets, url: Callable[[Targets], str]
) -> None:
    meeting_services.create_survey(targets.meeting)
    response = targets.client().get(url(targets))
    assert response.status_code == 200 and response["Content-Disposition"].startswith("attachment")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Security-Policy"] == "default-src 'none'; sandbox"


def test_the_document_space_keeps_the_name_without_its_bidi_characters(targets: Targets) -> None:
    space = Space.objects.filter(programme=targets.world.programme, kind="programme").get()
    user = targets.world.users["consultant"]
    document = create_document(space, user, _upload("cr\u202efdp.pdf", PDF), title="CR", category="minutes")  # type: ignore[arg-type]
    assert document.versions.get().original_name == "crfdp.pdf"
