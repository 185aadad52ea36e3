"""Uploads are judged by their content: good files of every accepted format pass, hostile ones are
refused with a message naming the rule, and nothing reaches the storage."""

from __future__ import annotations

import io
from unittest import mock

import pytest
from django.urls import reverse

from sobrindustrie.core.uploads import UploadRefused, check_name, inspect_upload
from sobrindustrie.documents import services
from sobrindustrie.documents.models import Document, DocumentVersion
from tests.documents.conftest import DocWorld
from tests.documents.files import GOOD, HOSTILE, PDF, docx, upload


@pytest.mark.parametrize("code", GOOD)
def test_each_accepted_format_is_recognised(code: str) -> None:
    name, make = GOOD[code]
    data = make()
    assert inspect_upload(name, io.BytesIO(data), len(data)).code == code


@pytest.mark.parametrize("case", HOSTILE)
def test_each_hostile_file_is_refused_with_a_reason(case: str) -> None:
    name, make, message = HOSTILE[case]
    data = make()
    with pytest.raises(UploadRefused, match=message):
        inspect_upload(name, io.BytesIO(data), len(data))


@pytest.mark.parametrize("name", ["../../etc/passwd.pdf", "dossier/rapport.pdf", "C:\\temp\\x.pdf", "..", ""])
def test_names_with_folders_are_refused(name: str) -> None:
    with pytest.raises(UploadRefused):
        check_name(name)


def _post(docs: DocWorld, name: str, data: bytes, role: str = "consultant") -> object:
    url = reverse("www:document_create", args=[docs.space("programme").pk])
    return docs.client(role).post(
        url, {"title": "Compte rendu", "category": "minutes", "file": upload(name, data)}
    )


@pytest.mark.parametrize("case", HOSTILE)
def test_a_hostile_upload_through_the_page_stores_nothing(docs: DocWorld, case: str) -> None:
    name, make, message = HOSTILE[case]
    response = _post(docs, name, make())
    assert response.status_code == 200
    assert message in response.content.decode()
    assert 'value="Compte rendu"' in response.content.decode(), "what the user typed is kept"
    assert not Document.objects.exists()
    assert docs.stored_files() == []


def test_a_file_over_the_limit_is_refused(docs: DocWorld, settings: object) -> None:
    settings.DOCUMENTS_MAX_UPLOAD_MB = 1  # type: ignore[attr-defined]
    response = _post(docs, "gros.txt", b"a" * (1024 * 1024 + 10))
    assert "the limit is 1 MB" in response.content.decode()
    assert not Document.objects.exists() and docs.stored_files() == []


def test_a_good_upload_is_stored_under_a_key_we_chose(docs: DocWorld) -> None:
    response = _post(docs, "compte-rendu.docx", docx("Mutualisation des presses plieuses"))
    document = Document.objects.get()
    assert response.status_code == 302 and response["Location"] == document.get_absolute_url()
    version = document.versions.get()
    assert version.original_name == "compte-rendu.docx" and version.file_kind == "docx"
    assert "compte-rendu" not in version.file.name and version.file.name.endswith(".docx")
    assert "presses plieuses" in document.search_text
    assert len(docs.stored_files()) == 1
    assert document.status == "draft" and document.created_by == docs.user("consultant")


def test_pdf_text_is_extracted_for_search(docs: DocWorld) -> None:
    from weasyprint import HTML as WeasyHTML

    pdf = WeasyHTML(string="<p>Rétrofit des fraiseuses</p>").write_pdf()
    document = services.create_document(
        docs.space("programme"), docs.user("consultant"), upload("r.pdf", pdf), title="R"
    )
    assert "fraiseuses" in document.search_text


def test_files_go_through_default_storage(docs: DocWorld) -> None:
    """So that S3-compatible storage (django-storages) works by setting STORAGES alone."""
    with mock.patch.object(services, "default_storage") as storage:
        storage.save.return_value = "documents/1/abc.pdf"
        services.create_document(
            docs.space("programme"), docs.user("consultant"), upload("r.pdf", PDF), title="R"
        )
    storage.save.assert_called_once()
    assert DocumentVersion.objects.get().file.name == "documents/1/abc.pdf"


def test_a_new_version_keeps_the_history(docs: DocWorld) -> None:
    document = services.create_document(
        docs.space("programme"), docs.user("consultant"), upload("r.pdf", PDF), title="R"
    )
    client = docs.client("consultant")
    url = reverse("www:document_add_version", args=[document.pk])
    client.post(url, {"file": upload("r2.pdf", PDF), "note": "Chiffres corrigés"})
    client.post(url, {"file": upload("r3.exe", b"MZ" + b"\x00" * 50), "note": "x"})
    assert list(document.versions.values_list("number", "note")) == [(2, "Chiffres corrigés"), (1, "")]
    assert len(docs.stored_files()) == 2


def test_download_is_an_attachment_with_nosniff(docs: DocWorld) -> None:
    document = services.create_document(
        docs.space("programme"), docs.user("consultant"), upload("r.pdf", PDF), title="R"
    )
    version = document.versions.get()
    response = docs.client("consultant").get(reverse("www:document_download", args=[version.pk]))
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith('attachment; filename="r.pdf"')
    assert response["X-Content-Type-Options"] == "nosniff"
    assert b"".join(response.streaming_content) == PDF
    response.close()


@pytest.mark.parametrize(
    "role,status",
    [
        ("sme", 404),
        ("partner", 404),
        ("other_sme", 404),
        ("outsider_sme", 404),
        ("outsider_consultant", 404),
        ("ademe", 200),
    ],
)
def test_downloading_an_unpublished_document(docs: DocWorld, role: str, status: int) -> None:
    document = services.create_document(
        docs.space("programme"), docs.user("consultant"), upload("r.pdf", PDF), title="R"
    )
    response = docs.client(role).get(reverse("www:document_download", args=[document.versions.get().pk]))
    assert response.status_code == status
    if hasattr(response, "close"):
        response.close()
