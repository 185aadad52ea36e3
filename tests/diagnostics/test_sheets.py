"""The summary sheet (L1.3) and the synthesis of needs and issues (L1.2), in HTML, PDF and DOCX."""

from __future__ import annotations

import io

from django.urls import reverse
from django.utils import translation
from docx import Document

from sobrindustrie.deliverables.document.docx import render_docx
from sobrindustrie.diagnostics.models import Answer, NeedsSynthesis
from sobrindustrie.diagnostics.services import apply_suggestions
from sobrindustrie.diagnostics.sheets import build_sheet, sheet_document
from sobrindustrie.diagnostics.synthesis import build_synthesis, synthesis_document
from tests.diagnostics.conftest import Diagnostics, english_client
from tests.diagnostics.factories import DiagnosticFactory, OpportunityFactory
from tests.factories import OrganisationFactory


def _docx_text(content: bytes) -> str:
    document = Document(io.BytesIO(content))
    parts = [p.text for p in document.paragraphs]
    parts += [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    parts += [p.text for section in document.sections for p in section.header.paragraphs]
    return "\n".join(parts)


def test_the_sheet_ranks_the_solutions(diagnostics: Diagnostics) -> None:
    diagnostic = diagnostics.diagnostic
    OpportunityFactory(diagnostic=diagnostic, title="Basse priorité", priority=3, ghg_kgco2e_per_year=9999)
    OpportunityFactory(diagnostic=diagnostic, title="Haute priorité", priority=1, ghg_kgco2e_per_year=10)
    OpportunityFactory(diagnostic=diagnostic, title="Écartée", priority=1, status="dismissed")
    sheet = build_sheet(diagnostic)
    titles = [item.opportunity.title for item in sheet.opportunities]
    assert titles == ["Haute priorité", "Partager le laser", "Basse priorité"]
    assert "Confidential" in sheet.confidential and diagnostics.world.sme_org.name in sheet.confidential
    assert sheet.opportunities[1].barriers_text == "Economic : Coût à financer"
    assert dict(sheet.diagnostic_facts)["Method"].startswith(
        "Diagnostic low-tech des moyens de production v1.0.0"
    )


def test_the_sheet_in_html_pdf_and_docx(diagnostics: Diagnostics) -> None:
    client = english_client(diagnostics.world, "sme")
    pk = diagnostics.diagnostic.pk
    page = client.get(reverse("www:diagnostic_sheet", args=[pk])).content.decode()
    assert "Confidential" in page and "Partager le laser" in page and "v1.0.0" in page
    pdf = client.get(reverse("www:diagnostic_sheet_pdf", args=[pk]))
    assert pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF")
    assert len(pdf.content) < 200_000  # light: a few pages of text
    docx = client.get(reverse("www:diagnostic_sheet_docx", args=[pk]))
    text = _docx_text(docx.content)
    assert diagnostics.world.sme_org.name in text
    assert "Confidential" in text
    assert "Partager le laser" in text and "Economic : Coût à financer" in text
    assert "Key inventory figures" in text and "Could offer to others" in text
    assert "ADEME Base Empreinte" in text


def test_the_synthesis_counts_companies(diagnostics: Diagnostics) -> None:
    world = diagnostics.world
    programme = world.programme
    # Three diagnosed companies needing maintenance skills, two with a pooling opportunity.
    diagnostics.opportunity.need_kind, diagnostics.opportunity.need_skill = "skill", "maintenance"
    diagnostics.opportunity.save()
    OpportunityFactory(
        diagnostic=diagnostics.other,
        solution="inhouse_maintenance",
        need_kind="skill",
        need_skill="maintenance",
    )
    third = DiagnosticFactory(
        organisation=OrganisationFactory(programme=programme), method=diagnostics.method
    )
    OpportunityFactory(
        diagnostic=third,
        solution="pooling",
        need_kind="skill",
        need_skill="maintenance",
        electricity_kwh_per_year=500,
    )
    planned = DiagnosticFactory(
        organisation=OrganisationFactory(programme=programme), method=diagnostics.method, status="planned"
    )
    OpportunityFactory(diagnostic=planned, solution="retrofit")
    Answer.objects.create(diagnostic=diagnostics.diagnostic, question_id="ctx_energy_tracking", value=False)
    Answer.objects.create(diagnostic=third, question_id="ctx_energy_tracking", value=False)
    synthesis = build_synthesis(programme)
    assert synthesis.diagnosed == 3  # the planned one is left out
    solutions = {f.theme: f for f in synthesis.solutions}
    assert solutions["solution:pooling"].companies == 2 and solutions["solution:pooling"].items == 2
    assert solutions["solution:pooling"].energy_kwh == 1500
    assert solutions["solution:retrofit"].companies == 0
    needs = {f.theme: f for f in synthesis.needs}
    assert needs["need:skill:maintenance"].companies == 3
    assert needs["need:skill:maintenance"].percent == "100"
    issues = {f.theme: f for f in synthesis.issues}
    assert issues["issue:no_energy_tracking"].companies == 2
    assert [f.theme for f in synthesis.common_issues][:2] == [
        "need:skill:maintenance",
        "issue:no_energy_tracking",
    ]
    assert len(synthesis.webinars) >= 2
    first = synthesis.webinars[0]
    assert first.theme == "need:skill:maintenance" and first.title.startswith("Internaliser la maintenance")
    assert "3 of 3 diagnosed companies (100 %) need it." in first.figures[0]
    assert synthesis.webinars[1].theme == "issue:no_energy_tracking"


def test_the_consultants_words_replace_the_generated_text(diagnostics: Diagnostics) -> None:
    programme = diagnostics.world.programme
    generated = build_synthesis(programme).sections["needs"]
    assert not generated.is_override
    NeedsSynthesis.objects.create(programme=programme, needs_text="Besoins vus en atelier.")
    section = build_synthesis(programme).sections["needs"]
    assert section.is_override and section.text == "Besoins vus en atelier."
    client = english_client(diagnostics.world, "consultant")
    url = reverse("www:synthesis_edit", args=[programme.slug])
    synthesis = NeedsSynthesis.objects.get()
    response = client.post(
        url, {"expected_version": synthesis.version, "introduction": "Notre introduction."}
    )
    assert response.status_code == 302
    page = client.get(reverse("www:synthesis", args=[programme.slug])).content.decode()
    assert "Notre introduction." in page


def test_the_synthesis_in_pdf_and_docx(diagnostics: Diagnostics) -> None:
    apply_suggestions(diagnostics.diagnostic)
    client = english_client(diagnostics.world, "ademe")
    slug = diagnostics.world.programme.slug
    assert client.get(reverse("www:synthesis_pdf", args=[slug])).content.startswith(b"%PDF")
    with translation.override("en"):
        text = _docx_text(render_docx(synthesis_document(build_synthesis(diagnostics.world.programme))))
    assert "Proposed webinar topics" in text and "Sobriety solutions identified" in text
    assert "Common issues" in text


def test_a_sheet_without_anything_yet(diagnostics: Diagnostics) -> None:
    sheet = build_sheet(diagnostics.other)
    assert sheet.opportunities == [] and sheet.offers == [] and sheet.needs == []
    assert "Nothing identified yet." in _docx_text(render_docx(sheet_document(sheet)))
