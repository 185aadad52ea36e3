"""No typed text becomes a live formula in an export (OWASP's CSV-injection advice).

The integration test builds a programme with factories, then plants a formula in every text
column of every row in the database, and reads every XLSX and CSV export back.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Iterator
from decimal import Decimal

import pytest
from django.apps import apps
from django.db import models
from django.utils import translation
from openpyxl import Workbook, load_workbook

from sobrindustrie.core.spreadsheets import (
    FORMULA_TRIGGERS,
    csv_bytes,
    neutralise,
    safe_row,
    workbook_bytes,
)
from sobrindustrie.deliverables.generators import GenerationContext, areas, reports
from sobrindustrie.diagnostics.candidacy import template_csv, template_xlsx
from sobrindustrie.meetings import services as meeting_services
from sobrindustrie.meetings.enums import MeetingKind
from sobrindustrie.meetings.exports import to_csv, to_xlsx
from sobrindustrie.meetings.results import survey_table
from sobrindustrie.teams.exports import committee_roster_xlsx
from sobrindustrie.teams.models import CommitteeMember, CommitteeSubgroup
from tests.actionplans.factories import IndicatorFactory, MeasurementFactory, StepFactory
from tests.conftest import World
from tests.deliverables.test_areas import granted_application
from tests.documents.files import PDF
from tests.meetings.factories import InvitationFactory, MeetingFactory, MinutesFactory
from tests.teams.factories import ProspectContactFactory, ProspectFactory

NOW = dt.datetime(2026, 11, 2, 9, 0, tzinfo=dt.UTC)
PAYLOADS = [
    '=HYPERLINK("http://evil.example","x")',
    "=cmd|' /C calc'!A0",
    "+1+1",
    "-2+3",
    "@SUM(A1)",
    "\tx",
    "\rx",
]


@pytest.mark.parametrize("payload", PAYLOADS)
def test_text_a_spreadsheet_would_run_gets_a_leading_quote(payload: str) -> None:
    assert neutralise(payload) == "'" + payload


@pytest.mark.parametrize("value", [12, -3, 1.5, Decimal("-2.50"), dt.date(2026, 1, 2), True, None, "Tour CN"])
def test_numbers_dates_and_plain_text_stay_what_they_are(value: object) -> None:
    expected = float(value) if isinstance(value, Decimal) else value
    assert safe_row([value]) == [expected]


def test_the_writer_catches_a_formula_however_it_was_written() -> None:
    workbook = Workbook()
    sheet = workbook.active
    sheet["A1"] = "=1+1"
    sheet.cell(row=2, column=1, value="@A1")
    sheet.append([-5, "=2+2"])
    read = load_workbook(io.BytesIO(workbook_bytes(workbook))).active
    assert [[cell.value for cell in row] for row in read.iter_rows()] == [
        ["'=1+1", None],
        ["'@A1", None],
        [-5, "'=2+2"],
    ]
    assert all(cell.data_type != "f" for row in read.iter_rows() for cell in row)


def test_csv_fields_never_start_with_a_trigger() -> None:
    content = csv_bytes([["=1+1", 3, "ok"], ["\t=2", -1.5, "-x"]]).decode("utf-8-sig")
    assert list(csv.reader(io.StringIO(content), delimiter=";")) == [
        ["'=1+1", "3", "ok"],
        ["'\t=2", "-1.5", "'-x"],
    ]


# --- Every export, on data where every text is a formula ---------------------------------------------


def _plant_formulas() -> int:
    """Write a formula into every free-text column of every row (choices, identifiers, slugs,
    addresses, e-mails and URLs keep their values: they are checked on the way in). Returns the
    number of columns planted."""
    planted = 0
    for model in apps.get_models():
        if model._meta.proxy or not model._meta.managed:
            continue
        names = [
            field.name
            for field in model._meta.concrete_fields
            if isinstance(field, models.CharField | models.TextField)
            and not isinstance(field, models.SlugField | models.EmailField | models.URLField)
            and not field.choices
            and not field.unique
            and not field.primary_key
            and field.name not in ("password", "siret", "naf_code", "postcode", "token", "code", "rule_id")
            and (not isinstance(field, models.CharField) or (field.max_length or 0) >= 40)
        ]
        if not names:
            continue
        for pk in model._default_manager.values_list("pk", flat=True):
            # Short enough for a 40-character field whatever the id (a long one broke PostgreSQL).
            formula = f'=HYPERLINK("http://e.vil/{pk}","x")'
            model._default_manager.filter(pk=pk).update(**dict.fromkeys(names, formula))
        planted += len(names)
    return planted


def _cells(content: bytes) -> Iterator[tuple[str, object, str]]:
    workbook = load_workbook(io.BytesIO(content))
    for sheet in workbook.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                yield sheet.title, cell.value, cell.data_type


def _assert_inert(name: str, content: bytes) -> int:
    """Fails on a formula cell or a text starting with a trigger; returns how many cells hold a
    planted formula, neutralised."""
    neutralised = 0
    for sheet, value, data_type in _cells(content):
        assert data_type != "f", f"{name} / {sheet}: formula {value!r}"
        if isinstance(value, str):
            assert not value.startswith(FORMULA_TRIGGERS), f"{name} / {sheet}: {value!r}"
            neutralised += value.startswith("'=HYPERLINK")
    return neutralised


@pytest.fixture
def planted(world: World, settings: object, tmp_path: object) -> World:
    settings.MEDIA_ROOT = tmp_path  # type: ignore[attr-defined]
    application = granted_application(world)
    action = application.action  # type: ignore[attr-defined]
    StepFactory(action=action, title="Signer la convention", due_on=dt.date(2026, 9, 30))
    MeasurementFactory(indicator=IndicatorFactory(action=action, name="Heures partagées"), value=12)
    team = action.plan.team
    prospect = ProspectFactory(team=team, organisation__name="Rétrofit Provence")
    ProspectContactFactory(prospect=prospect, outcome="Visite", made_by=world.users["consultant"])
    CommitteeMember.objects.create(
        programme=world.programme,
        organisation=world.partner_org,
        expertise="Maintenance",
        joined_on=dt.date(2026, 1, 5),
    )
    CommitteeSubgroup.objects.create(programme=world.programme, name="Presses", topic="Presses")
    meeting = MeetingFactory(programme=world.programme, kind=MeetingKind.WEBINAR, past=True)
    MinutesFactory(meeting=meeting)
    InvitationFactory(meeting=meeting, user=world.users["sme"])
    survey = meeting_services.create_survey(meeting, closes_at=dt.datetime.now(dt.UTC) + dt.timedelta(days=1))
    link = meeting_services.issue_survey_links(survey)[0]
    questions = {q.position: q for q in survey.questions.all()}
    meeting_services.submit_response(link, {questions[1]: 5, questions[6]: "Très utile"}, None)
    meeting_services.add_document(meeting, None, "Support", _pdf())
    assert _plant_formulas() > 50
    return world


def _pdf() -> object:
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile("support.pdf", PDF)


def test_every_export_reads_back_without_a_formula(planted: World) -> None:
    from sobrindustrie.meetings.models import Survey

    ctx = GenerationContext(programme=planted.programme, user=None, now=NOW)
    survey = Survey.objects.get()
    with translation.override("fr"):
        exports: dict[str, bytes] = {
            "L1.6 contact grid": areas.contact_grid(ctx)[0].content,
            "L2.2 progress tables": areas.progress_tables(ctx)[0].content,
            "L3.2 funding grid": areas.funding_grid(ctx)[0].content,
            "L4.1 inventory": reports.inventory(ctx)[0].content,
            "survey answers": to_xlsx(survey_table(survey), "enquete"),
            "committee roster": committee_roster_xlsx(
                planted.programme,
                CommitteeMember.objects.prefetch_related("people", "subgroups"),
                CommitteeSubgroup.objects.prefetch_related("members__organisation"),
            ),
        }
        for name, content in exports.items():
            assert _assert_inert(name, content) > 0, f"{name}: no planted text reached the file"
        _assert_inert("candidacy template", template_xlsx())
        for name, content in {
            "survey answers": to_csv(survey_table(survey)),
            "template": template_csv(),
        }.items():
            rows = list(csv.reader(io.StringIO(content.decode("utf-8-sig")), delimiter=";"))
            assert not any(field.startswith(FORMULA_TRIGGERS) for row in rows for field in row), name
        assert any(
            field.startswith("'=HYPERLINK")
            for row in csv.reader(
                io.StringIO(to_csv(survey_table(survey)).decode("utf-8-sig")), delimiter=";"
            )
            for field in row
        )
