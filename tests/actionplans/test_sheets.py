"""The plan sheet (L1.9) in HTML, PDF and DOCX, for the draft and for an adopted version."""

from __future__ import annotations

import datetime as dt
import io

from django.urls import reverse
from docx import Document

from sobrindustrie.actionplans.exports import sheet_document
from sobrindustrie.actionplans.services import adopt_version
from sobrindustrie.actionplans.snapshot import build_snapshot, present
from sobrindustrie.deliverables.document.html import render_html
from tests.actionplans.conftest import PlanWorld
from tests.actionplans.factories import ContributorFactory, IndicatorFactory, StepFactory


def _docx_text(content: bytes) -> str:
    document = Document(io.BytesIO(content))
    parts = [p.text for p in document.paragraphs]
    for table in document.tables:
        parts += [cell.text for row in table.rows for cell in row.cells]
    return "\n".join(parts)


def _rich(pw: PlanWorld) -> None:
    StepFactory(action=pw.action, title="Convention de mutualisation", due_on=dt.date(2026, 5, 31))
    ContributorFactory(action=pw.action, organisation=pw.world.partner_org, role="consulted", note="Rétrofit")
    IndicatorFactory(action=pw.action, name="Heures partagées", unit="h/mois")
    pw.plan.coordination_notes = "Point mensuel en visio, tableau partagé."
    pw.plan.save()


def test_the_docx_holds_the_plan(plan_world: PlanWorld) -> None:
    _rich(plan_world)
    response = plan_world.client("sme").get(reverse("www:plan_sheet_docx", args=[plan_world.team.pk]))
    assert response["Content-Type"].startswith(
        "application/vnd.openxmlformats-officedocument.wordprocessingml"
    )
    assert "brouillon" in response["Content-Disposition"]
    text = _docx_text(response.content)
    for expected in (
        plan_world.team.name,
        "Mutualiser la découpe laser",
        "Provence Usinage",
        "Convention de mutualisation",
        "Maintenance Sud",
        "Heures partagées",
        "Point mensuel en visio",
        "01/03/2026 – 30/06/2027",
    ):
        assert expected in text, expected


def test_the_sheet_of_a_version_shows_the_version(plan_world: PlanWorld) -> None:
    adopt_version(plan_world.plan, adopted_on=dt.date(2026, 3, 10), user=None)
    plan_world.action.title = "Titre changé après adoption"
    plan_world.action.save()
    client = plan_world.client("consultant")
    text = _docx_text(client.get(reverse("www:plan_sheet_docx", args=[plan_world.team.pk])).content)
    assert "Mutualiser la découpe laser" in text and "Titre changé" not in text
    draft = _docx_text(
        client.get(reverse("www:plan_sheet_docx", args=[plan_world.team.pk]) + "?version=draft").content
    )
    assert "Titre changé après adoption" in draft
    page = client.get(reverse("www:plan_sheet", args=[plan_world.team.pk]) + "?version=1")
    assert page.context["version"].number == 1
    assert client.get(reverse("www:plan_sheet", args=[plan_world.team.pk]) + "?version=7").status_code == 404
    assert client.get(reverse("www:plan_sheet", args=[plan_world.team.pk]) + "?version=x").status_code == 404


def test_the_pdf_is_a_pdf(plan_world: PlanWorld) -> None:
    _rich(plan_world)
    response = plan_world.client("partner").get(reverse("www:plan_sheet_pdf", args=[plan_world.team.pk]))
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF-")
    assert 'filename="L1.9-plan-actions-equipe-' in response["Content-Disposition"]


def test_the_printed_page_carries_the_sheet(plan_world: PlanWorld) -> None:
    _rich(plan_world)
    html = render_html(sheet_document(present(build_snapshot(plan_world.plan)), None))
    assert "Convention de mutualisation" in html
