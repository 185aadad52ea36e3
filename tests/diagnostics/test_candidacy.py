"""Candidacy import: good files in every encoding and format, every kind of bad file, all or nothing."""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from io import StringIO
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from sobrindustrie.diagnostics import candidacy
from sobrindustrie.diagnostics.candidacy import COLUMNS, ImportRefused, confirm_import, preview_import
from sobrindustrie.diagnostics.models import Candidacy, CandidacyImport
from sobrindustrie.organisations.models import Organisation, Person, Site
from tests.conftest import World
from tests.diagnostics.conftest import english_client
from tests.factories import CommuneFactory, OrganisationFactory, ProgrammeFactory, valid_siret

HEADER = [column.header for column in COLUMNS]


def row(n: int, **overrides: str) -> dict[str, str]:
    values = {
        "SIRET": valid_siret(1000 + n),
        "Raison sociale": f"Société Numéro {n}",
        "Code NAF": "25.62A",
        "Effectif": "42",
        "Chiffre d'affaires": "2_10m",
        "Site web": "www.exemple-{n}.example".replace("{n}", str(n)),
        "Activité": "Usinage de précision",
        "Adresse": "1 rue de la Forge",
        "Code postal": "13100",
        "Commune": "Aix-en-Provence",
        "Site de production": "Atelier principal",
        "Adresse du site": "2 chemin des Milles",
        "Code postal du site": "13090",
        "Commune du site": "Aix-en-Provence",
        "Idée de projet": "Partager une machine",
        "Solutions d'intérêt": "pooling, retrofit",
        "Groupe pré-constitué": "Vallée de l'Arc",
        "Date de candidature": "15/09/2025",
        "Contact 1 prénom": "Camille",
        "Contact 1 nom": f"Durand{n}",
        "Contact 1 e-mail": f"camille{n}@exemple.example",
        "Contact 1 téléphone": "04 42 00 00 00",
        "Contact 1 fonction": "Directrice",
        "Contact 2 prénom": "",
        "Contact 2 nom": "",
        "Contact 2 e-mail": "",
        "Contact 2 téléphone": "",
        "Contact 2 fonction": "",
    }
    values.update(overrides)
    return values


def csv_bytes(
    rows: Sequence[dict[str, str]], sep: str = ";", encoding: str = "utf-8", header: Sequence[str] = HEADER
) -> bytes:
    buffer = StringIO()
    writer = csv.writer(buffer, delimiter=sep)
    writer.writerow(header)
    for values in rows:
        writer.writerow([values.get(name, "") for name in header])
    return buffer.getvalue().encode(encoding)


def xlsx_bytes(rows: Sequence[dict[str, str]]) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(HEADER)
    for values in rows:
        cells: list[Any] = [values.get(name, "") for name in HEADER]
        cells[0] = int(cells[0])  # a SIRET typed as a number, as spreadsheets do
        cells[3] = int(cells[3])
        sheet.append(cells)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


@pytest.fixture
def programme(db: object) -> Any:
    CommuneFactory()
    return ProgrammeFactory(slug="ami")


def run(
    programme: Any, data: bytes, name: str = "candidatures.csv"
) -> tuple[CandidacyImport, candidacy.ImportPlan]:
    record, plan = preview_import(programme, data, name, None)
    if plan.is_valid:
        plan = confirm_import(record, None)
        record.refresh_from_db()
    return record, plan


def messages(plan: candidacy.ImportPlan) -> list[str]:
    return [str(error) for error in plan.errors]


def test_a_good_file_creates_laureates_contacts_sites_and_groups(programme: Any) -> None:
    second = {
        "Contact 2 prénom": "Alex",
        "Contact 2 nom": "Martin",
        "Contact 2 e-mail": "alex@exemple.example",
    }
    record, plan = run(programme, csv_bytes([row(1, **second), row(2, **{"Groupe pré-constitué": ""})]))
    assert plan.is_valid, messages(plan)
    assert record.status == "applied" and record.rows == []
    assert plan.summary() == {"organisations_created": 2, "contacts_created": 3}
    org = Organisation.objects.get(siret=valid_siret(1001))
    assert org.kind == "laureate_sme" and org.programme == programme
    assert org.name == "Société Numéro 1" and org.slug == "societe-numero-1"
    assert org.preformed_group == "Vallée de l'Arc"
    assert org.solution_interests == ["pooling", "retrofit"]
    assert org.commune_id == "13001" and org.latitude is not None
    assert org.website == "https://www.exemple-1.example"
    assert set(org.people.values_list("email", flat=True)) == {
        "camille1@exemple.example",
        "alex@exemple.example",
    }
    person = org.people.get(email="camille1@exemple.example")
    assert str(person.consent_given_on) == "2025-09-15"
    site = Site.objects.get(organisation=org)
    assert site.is_main and site.name == "Atelier principal" and site.commune_id == "13001"
    assert Candidacy.objects.get(organisation=org).project_idea == "Partager une machine"
    for model in (Organisation, Person, Site, Candidacy):
        assert model.history.count() == model.objects.count()


@pytest.mark.parametrize(
    "sep,encoding,prefix",
    [
        (";", "utf-8", b""),
        (",", "utf-8", b"\xef\xbb\xbf"),
        (";", "latin-1", b""),
        (",", "cp1252", b""),
        ("\t", "utf-8", b""),
    ],
)
def test_every_encoding_and_separator(programme: Any, sep: str, encoding: str, prefix: bytes) -> None:
    data = prefix + csv_bytes(
        [row(1, **{"Raison sociale": "Métallerie Côte d'Azur"})], sep=sep, encoding=encoding
    )
    _record, plan = run(programme, data)
    assert plan.is_valid, messages(plan)
    assert Organisation.objects.get().name == "Métallerie Côte d'Azur"


def test_an_xlsx_file(programme: Any) -> None:
    _record, plan = run(programme, xlsx_bytes([row(1), row(2)]), "candidatures.xlsx")
    assert plan.is_valid, messages(plan)
    assert Organisation.objects.filter(programme=programme).count() == 2
    assert Organisation.objects.get(siret=valid_siret(1002)).workforce == 42


def test_a_reimport_changes_only_what_changed(programme: Any) -> None:
    rows = [row(1), row(2)]
    run(programme, csv_bytes(rows))
    history = (Organisation.history.count(), Person.history.count(), Site.history.count())
    _record, plan = run(programme, csv_bytes(rows))
    assert plan.summary() == {"organisations_unchanged": 2, "contacts_unchanged": 2}
    assert (Organisation.history.count(), Person.history.count(), Site.history.count()) == history
    rows[1]["Effectif"] = "57"
    rows[1]["Contact 1 téléphone"] = "04 90 00 00 00"
    _record, plan = run(programme, csv_bytes(rows))
    assert plan.summary() == {
        "organisations_unchanged": 1,
        "organisations_updated": 1,
        "contacts_unchanged": 1,
        "contacts_updated": 1,
    }
    changed = Organisation.objects.get(siret=valid_siret(1002))
    assert changed.workforce == 57 and changed.version == 2
    assert Organisation.history.count() == history[0] + 1
    assert [c.changed for c in plan.changes if c.outcome == "updated"][0][0] == "workforce"


def test_the_preview_shows_the_changes_without_writing(programme: Any) -> None:
    run(programme, csv_bytes([row(1)]))
    record, plan = preview_import(programme, csv_bytes([row(1, **{"Effectif": "43"}), row(2)]), "b.csv", None)
    assert [(c.row, c.outcome) for c in plan.changes] == [(2, "updated"), (3, "created")]
    assert Organisation.objects.count() == 1 and Organisation.objects.get().workforce == 42
    assert record.status == "previewed"


@pytest.mark.parametrize(
    "siret,expected",
    [
        ("1234567890123", "A SIRET has 14 digits; this one has 13."),
        ("12345678901234", "fails its checksum"),
        ("1234567890123A", "digits only"),
        ("", "The SIRET is required."),
    ],
)
def test_a_malformed_siret_is_reported_with_row_and_column(programme: Any, siret: str, expected: str) -> None:
    _record, plan = run(programme, csv_bytes([row(1), row(2, SIRET=siret)]))
    assert not plan.is_valid
    assert len(plan.errors) == 1
    message = messages(plan)[0]
    assert message.startswith("Row 3, column A (SIRET): ")
    assert expected in message
    assert not Organisation.objects.exists()


def test_every_problem_is_listed_at_once(programme: Any) -> None:
    bad = row(
        2,
        **{
            "Code NAF": "99.99Z",
            "Effectif": "quarante",
            "Chiffre d'affaires": "beaucoup",
            "Solutions d'intérêt": "pooling, partage",
            "Contact 1 e-mail": "pas-un-email",
            "Code postal": "1310",
            "Date de candidature": "hier",
        },
    )
    _record, plan = run(programme, csv_bytes([row(1), bad]))
    found = {(e.row, e.header) for e in plan.errors}
    assert found == {
        (3, "Code NAF"),
        (3, "Effectif"),
        (3, "Chiffre d'affaires"),
        (3, "Solutions d'intérêt"),
        (3, "Contact 1 e-mail"),
        (3, "Code postal"),
        (3, "Date de candidature"),
    }
    assert "Unknown solution “partage”" in " ".join(messages(plan))
    assert not Organisation.objects.exists() and not Person.objects.exists()


def test_missing_and_unknown_columns(programme: Any) -> None:
    header = [h for h in HEADER if h != "Raison sociale"] + ["Couleur préférée"]
    _record, plan = run(programme, csv_bytes([row(1)], header=header))
    text = messages(plan)
    assert any("The required column “Raison sociale” is missing." in m for m in text)
    assert any(
        "Unknown column “Couleur préférée”" in m and f"column {candidacy.get_column_letter(len(header))}" in m
        for m in text
    )
    assert not Organisation.objects.exists()


def test_a_column_given_twice(programme: Any) -> None:
    _record, plan = run(programme, csv_bytes([row(1)], header=[*HEADER, "siret"]))
    assert any("appears twice (also column A)" in m for m in messages(plan))


def test_duplicate_rows(programme: Any) -> None:
    _record, plan = run(programme, csv_bytes([row(1), row(2), row(1), row(3, SIRET=valid_siret(1002))]))
    text = messages(plan)
    assert "Row 4: This row repeats row 2." in text
    assert "Row 5, column A (SIRET): This SIRET is already on row 3." in text
    assert not Organisation.objects.exists()


@pytest.mark.parametrize(
    "data,expected",
    [
        (b"", "The file is empty."),
        (b"   \n\n", "The file is empty."),
        (";".join(HEADER).encode(), "header row but no candidacy"),
        (b"%PDF-1.7 binary", "not a CSV or XLSX file"),
        (b"PK\x03\x04garbage", "cannot be read"),
        (b"just one column\nvalue\n", "single column"),
    ],
)
def test_files_that_are_not_tables(programme: Any, data: bytes, expected: str) -> None:
    record, plan = preview_import(programme, data, "x.csv", None)
    assert record.status == "failed"
    assert expected in messages(plan)[0]


def test_a_row_with_too_many_cells(programme: Any) -> None:
    data = csv_bytes([row(1)]) + b"12345678901234;a;b" + b";x" * 40 + b"\n"
    _record, plan = run(programme, data)
    assert any("cells but the header has" in m for m in messages(plan))


def test_a_siret_belonging_to_a_partner_is_refused(programme: Any) -> None:
    OrganisationFactory(programme=programme, kind="company", siret=valid_siret(1001))
    _record, plan = run(programme, csv_bytes([row(1)]))
    assert "not as a laureate" in messages(plan)[0]


def test_a_second_import_while_one_runs_is_refused(programme: Any) -> None:
    CandidacyImport.objects.create(programme=programme, file_name="other.csv", status="running")
    record, plan = preview_import(programme, csv_bytes([row(1)]), "mine.csv", None)
    assert plan.is_valid
    with pytest.raises(ImportRefused, match="Another import of this programme is running"):
        confirm_import(record, None)
    assert not Organisation.objects.exists()
    record.refresh_from_db()
    assert record.status == "previewed"  # it can be confirmed once the other one ends


def test_a_preview_is_confirmed_once(programme: Any) -> None:
    record, _plan = preview_import(programme, csv_bytes([row(1)]), "mine.csv", None)
    confirm_import(record, None)
    with pytest.raises(ImportRefused, match="no longer waiting"):
        confirm_import(record, None)


def test_nothing_is_half_written(programme: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    real = candidacy.bulk_create_with_history

    def failing(objs: Any, model: Any, **kwargs: Any) -> Any:
        if model is Person:
            raise RuntimeError("disk full")
        return real(objs, model, **kwargs)

    monkeypatch.setattr(candidacy, "bulk_create_with_history", failing)
    record, _plan = preview_import(programme, csv_bytes([row(1), row(2)]), "mine.csv", None)
    with pytest.raises(RuntimeError):
        confirm_import(record, None)
    assert not Organisation.objects.exists() and not Organisation.history.exists()
    record.refresh_from_db()
    assert record.status == "failed" and "nothing was written" in record.errors[0]["message"]
    assert not CandidacyImport.objects.filter(status="running").exists()


def test_ten_thousand_rows(programme: Any) -> None:
    rows = [row(n) for n in range(10000)]
    data = csv_bytes(rows)
    with CaptureQueriesContext(connection) as queries:
        record, plan = run(programme, data)
    assert plan.is_valid, messages(plan)[:3]
    assert Organisation.objects.filter(programme=programme).count() == 10000
    assert Person.objects.count() == 10000
    # Bulk writes: about 35 rows a query (SQLite takes at most 999 parameters), not one or more per row.
    assert len(queries.captured_queries) < 2000, len(queries.captured_queries)
    _record, again = run(programme, data)
    assert again.summary() == {"organisations_unchanged": 10000, "contacts_unchanged": 10000}


def test_the_command(programme: Any, tmp_path: Any) -> None:
    path = tmp_path / "c.csv"
    path.write_bytes(csv_bytes([row(1)]))
    out = StringIO()
    call_command("import_candidacies", "ami", str(path), "--dry-run", stdout=out)
    assert "organisations_created: 1" in out.getvalue() and not Organisation.objects.exists()
    call_command("import_candidacies", "ami", str(path), stdout=StringIO())
    assert Organisation.objects.count() == 1
    path.write_bytes(csv_bytes([row(1, SIRET="123")]))
    with pytest.raises(CommandError, match="nothing was imported"):
        call_command("import_candidacies", "ami", str(path), stdout=StringIO(), stderr=StringIO())


def test_the_pages_upload_preview_and_confirm(world: World) -> None:
    CommuneFactory()
    client = english_client(world, "consultant")
    slug = world.programme.slug
    upload = SimpleUploadedFile("c.csv", csv_bytes([row(1), row(2)]), content_type="text/csv")
    response = client.post(reverse("www:candidacy_import", args=[slug]), {"file": upload})
    record = CandidacyImport.objects.get(programme=world.programme)
    assert response["Location"] == reverse("www:candidacy_preview", args=[record.pk])
    page = client.get(response["Location"]).content.decode()
    assert "Société Numéro 1" in page and "Confirm the import" in page
    assert not Organisation.objects.filter(name="Société Numéro 1").exists()
    client.post(reverse("www:candidacy_preview", args=[record.pk]))
    assert (
        Organisation.objects.filter(programme=world.programme, name__startswith="Société Numéro").count() == 2
    )
    bad = SimpleUploadedFile("bad.csv", csv_bytes([row(3, SIRET="99")]), content_type="text/csv")
    response = client.post(reverse("www:candidacy_import", args=[slug]), {"file": bad})
    page = client.get(response["Location"]).content.decode()
    assert "A SIRET has 14 digits; this one has 2." in page and "Confirm the import" not in page


def test_the_templates(world: World) -> None:
    client = world.client("consultant")
    slug = world.programme.slug
    xlsx = client.get(reverse("www:candidacy_template", args=[slug, "xlsx"]))
    workbook = load_workbook(io.BytesIO(xlsx.content))
    assert [cell.value for cell in workbook.worksheets[0][1]] == HEADER
    assert workbook.sheetnames == ["Candidatures", "Aide"]
    text = client.get(reverse("www:candidacy_template", args=[slug, "csv"])).content
    assert text.startswith(b"\xef\xbb\xbfSIRET;Raison sociale;")
    assert client.get(reverse("www:candidacy_template", args=[slug, "pdf"])).status_code == 404


def test_a_compact_naf_code_is_stored_dotted(programme: Any) -> None:
    _record, plan = run(
        programme, csv_bytes([row(1, **{"Code NAF": "2562a"}), row(2, **{"Code NAF": "2599Z"})])
    )
    assert messages(plan) == [
        "Row 3, column C (Code NAF): “2599Z” is not a NAF rev. 2 code (format 25.62A or 2562A, from INSEE's nomenclature)."
    ]
    _record, plan = run(programme, csv_bytes([row(1, **{"Code NAF": "2562a"})]))
    assert plan.is_valid, messages(plan)
    assert Organisation.objects.get().naf_code == "25.62A"


def test_the_preview_shows_the_company_registry_beside_each_row(world: World) -> None:
    from django.core.cache import cache

    cache.clear()
    CommuneFactory()
    client = english_client(world, "consultant")
    rows = [
        row(1, SIRET="41235678400022", **{"Raison sociale": "Mécanique de précision du Pays d'Aix"}),
        row(2, SIRET="52879134600455", **{"Raison sociale": "Aciéries de Fos", "Code NAF": "2410Z"}),
        row(3, SIRET="60412397600010"),  # the registry answers 503 for it (recorded)
        row(4),  # a valid SIRET the registry does not know
    ]
    upload = SimpleUploadedFile("c.csv", csv_bytes(rows), content_type="text/csv")
    client.post(reverse("www:candidacy_import", args=[world.programme.slug]), {"file": upload})
    record = CandidacyImport.objects.get(programme=world.programme)
    url = reverse("www:candidacy_registry", args=[record.pk])
    assert url in client.get(reverse("www:candidacy_preview", args=[record.pk])).content.decode()
    response = client.get(url)
    compared = {item.file.row: item for item in response.context["rows"]}
    assert compared[2].company is not None and compared[2].differences == [] and not compared[2].problem
    assert compared[3].differences == ["name", "commune"]  # 2410Z is the registry's 24.10Z
    assert compared[4].problem == "The registry is out of order."
    assert compared[5].problem == "The registry is out of order."  # not asked again once it is down
    body = client.get(url, HTTP_HX_REQUEST="true").content.decode()
    assert body.lstrip().startswith('<section id="candidacy-registry"')
    assert "MECANIQUE DE PRECISION DU PAYS D&#x27;AIX" in body and "20 to 49 employees" in body
    # The registry being down blocks nothing: the import goes on with what the file says.
    client.post(reverse("www:candidacy_preview", args=[record.pk]))
    assert Organisation.objects.filter(siret="60412397600010").exists()
    assert client.get(url).status_code == 404  # no longer a preview
    cache.clear()


def test_an_unknown_siret_is_marked_in_the_registry_comparison(world: World) -> None:
    from django.core.cache import cache

    from sobrindustrie.diagnostics.candidacy_registry import FileRow, compare

    cache.clear()
    result = compare([FileRow(7, valid_siret(4242), "X", "", ""), FileRow(8, "123", "Y", "", "")])
    assert [r.problem for r in result] == [
        "Unknown to the registry: check the SIRET.",
        "No valid SIRET to look up.",
    ]
