"""The grid (XLSX), the synthesis (PDF, DOCX, SVG) and the interviews (DOCX)."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal

from django.urls import reverse
from django.utils import translation
from docx import Document
from openpyxl import load_workbook

from sobrindustrie.funding.exports import EURO_FORMAT, bar_chart
from sobrindustrie.funding.services import record_days
from sobrindustrie.funding.synthesis import SynthesisLine
from sobrindustrie.meetings.enums import MeetingKind
from sobrindustrie.meetings.models import Minutes
from tests.funding.conftest import FundingWorld
from tests.funding.factories import ApplicationFactory, SchemeFactory
from tests.meetings.factories import MeetingFactory


def _granted(fw: FundingWorld) -> object:
    scheme = SchemeFactory(title="CEDRE Investissement", funders=["Région Sud"])
    return ApplicationFactory(action=fw.action, organisation=fw.world.sme_org, scheme=scheme, granted=True)


def fr(msgid: str) -> str:
    """The French of a message, as the pages (always French) show it, whatever the catalogue holds."""
    with translation.override("fr"):
        return str(translation.gettext(msgid))


def _docx_text(content: bytes) -> str:
    document = Document(io.BytesIO(content))
    paragraphs = [p.text for p in document.paragraphs]
    cells = [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    return "\n".join(paragraphs + cells)


def test_the_grid_opens_as_a_typed_filterable_sheet(funding_world: FundingWorld) -> None:
    granted = _granted(funding_world)
    record_days(granted, funding_world.world.users["consultant"], dt.date(2026, 6, 1), Decimal("7"))
    response = funding_world.client("consultant").get(
        reverse("www:programme_funding_grid_xlsx", args=[funding_world.programme.slug])
    )
    assert response["Content-Disposition"].startswith('attachment; filename="L3.2-')
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert sheet.freeze_panes == "A2"
    assert sheet.auto_filter.ref == sheet.dimensions
    header = [cell.value for cell in sheet[1]]
    assert header[:5] == [fr("Team"), fr("Action"), fr("Solution"), fr("Applicant"), fr("Scheme")]
    names = {fr(name): name for name in (
        "Amount requested (€)", "Amount granted (€)", "Decision on", "Funders", "Status", "Consultant days",
        "Days cap per order", "Over the cap", "Submitted on",
    )}  # fmt: skip
    header = [names.get(name, name) for name in header]
    rows = {
        row[4]: dict(zip(header, row, strict=True)) for row in sheet.iter_rows(min_row=2, values_only=True)
    }
    assert set(rows) == {"CEDRE Investissement", funding_world.scheme.title}
    row = rows["CEDRE Investissement"]
    assert row["Amount requested (€)"] == 20000 and row["Amount granted (€)"] == 15000
    assert row["Decision on"] == dt.datetime(2026, 7, 1)
    assert row["Funders"] == "Région Sud" and row["Status"] == fr("Granted")
    assert (row["Consultant days"], row["Days cap per order"], row["Over the cap"]) == (7, 6, fr("yes"))
    line = 2 + [r[4] for r in sheet.iter_rows(min_row=2, values_only=True)].index("CEDRE Investissement")
    granted_cell = sheet.cell(row=line, column=header.index("Amount granted (€)") + 1)
    assert granted_cell.number_format == EURO_FORMAT
    date_cell = sheet.cell(row=line, column=header.index("Submitted on") + 1)
    assert date_cell.is_date and date_cell.number_format == "DD/MM/YYYY"


def test_the_team_grid_has_the_teams_applications(funding_world: FundingWorld) -> None:
    response = funding_world.client("partner").get(
        reverse("www:team_funding_grid_xlsx", args=[funding_world.team.pk])
    )
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert sheet.max_row == 2 and sheet.cell(row=2, column=1).value == funding_world.team.name


def test_the_synthesis_in_docx_and_pdf(funding_world: FundingWorld) -> None:
    _granted(funding_world)
    client = funding_world.client("ademe")
    slug = funding_world.programme.slug
    text = _docx_text(client.get(reverse("www:funding_synthesis_docx", args=[slug])).content)
    assert fr("Synthesis of the funding obtained (L3.3)") in text
    assert fr("Local retrofit of production tools") not in text  # the action is a pooling one
    assert fr("Pooling of production means") in text and "Région Sud" in text
    assert "15\u202f000 €" in text
    assert "33 %" in text  # 15 000 € of the 45 000 € budget
    pdf = client.get(reverse("www:funding_synthesis_pdf", args=[slug]))
    assert pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF-")
    html = client.get(reverse("www:funding_synthesis", args=[slug])).content.decode()
    assert 'role="img"' in html and "<desc" in html and "Région Sud: 15\u202f000 €" in html


def test_the_interviews_in_docx(funding_world: FundingWorld) -> None:
    meeting = MeetingFactory(
        programme=funding_world.programme, kind=MeetingKind.FUNDER_INTERVIEW, past=True,
        title="Entretien Bpifrance", organiser_name="Bpifrance",
    )  # fmt: skip
    Minutes.objects.create(meeting=meeting, body="# Dispositifs\n- **Prêt vert** pour la presse")
    MeetingFactory(programme=funding_world.programme, kind=MeetingKind.COPIL, title="COPIL")
    response = funding_world.client("consultant").get(
        reverse("www:funder_interviews_docx", args=[funding_world.programme.slug])
    )
    text = _docx_text(response.content)
    assert fr("Interviews with funders (L3.1)") in text
    assert "Entretien Bpifrance" in text and "Bpifrance" in text and "Prêt vert pour la presse" in text
    assert "COPIL" not in text


def test_the_chart_has_text_alternatives() -> None:
    lines = [SynthesisLine("a", "ADEME", obtained=Decimal("30000")), SynthesisLine("b", "Bpifrance")]
    svg = str(bar_chart(lines, "Par financeur", "chart"))
    assert svg.startswith("<svg") and 'aria-labelledby="chart-title chart-desc"' in svg
    assert '<desc id="chart-desc">ADEME: 30\u202f000 €; Bpifrance: 0 €</desc>' in svg
    assert "<title>ADEME: 30\u202f000 €</title>" in svg
