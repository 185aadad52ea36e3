from __future__ import annotations

import io

from django.urls import reverse
from docx import Document

from sobrindustrie.cooperation.models import CooperationAnalysis
from sobrindustrie.cooperation.synthesis import build_synthesis
from sobrindustrie.cooperation.wording import sentence_of
from tests.conftest import World
from tests.cooperation.factories import Cooperation
from tests.cooperation.helpers import optimal_scenario
from tests.teams.factories import MembershipFactory, TeamFactory


def _docx_text(content: bytes) -> str:
    document = Document(io.BytesIO(content))
    paragraphs = [p.text for p in document.paragraphs]
    cells = [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    return "\n".join(paragraphs + cells)


def test_the_synthesis_groups_opportunities_per_solution_and_per_sme(
    world: World, coop: Cooperation, analysis: CooperationAnalysis
) -> None:
    synthesis = build_synthesis(world.programme)
    assert synthesis is not None
    assert {s.code for s in synthesis.by_solution} >= {"pooling", "inhouse_maintenance"}
    per_sme = {s.organisation.name: s for s in synthesis.by_sme}
    assert per_sme["Provence Usinage"].provides >= 1
    assert per_sme["Var Plasturgie"].receives >= 2
    assert "Maintenance Sud" not in per_sme  # outside structures are not SMEs of the programme
    assert "optimiser" in synthesis.teams_source  # no scenario saved: the optimiser's proposal


def test_the_synthesis_uses_the_saved_scenario(
    world: World, coop: Cooperation, analysis: CooperationAnalysis
) -> None:
    optimal_scenario(analysis, "Choix de l'atelier")
    synthesis = build_synthesis(world.programme)
    assert synthesis is not None
    assert "Choix de l'atelier" in synthesis.teams_source
    team = next(t for t in synthesis.teams if world.sme_org in t.members)
    assert any("Découpeuse laser fibre" in sentence_of(r) for r in team.reasons)


def test_the_docx_holds_the_synthesis_text(
    world: World, coop: Cooperation, analysis: CooperationAnalysis
) -> None:
    response = world.client("ademe").get(
        reverse("www:cooperation_synthesis_docx", args=[world.programme.slug])
    )
    assert response["Content-Type"].startswith(
        "application/vnd.openxmlformats-officedocument.wordprocessingml"
    )
    assert response["Content-Disposition"].endswith('.docx"')
    text = _docx_text(response.content)
    assert "(L1.4)" in text
    assert "Provence Usinage" in text and "Var Plasturgie" in text and "Toulon Tôlerie" in text
    assert "Découpeuse laser fibre" in text


def test_the_pdf_is_a_pdf(world: World, coop: Cooperation, analysis: CooperationAnalysis) -> None:
    response = world.client("consultant").get(
        reverse("www:cooperation_synthesis_pdf", args=[world.programme.slug])
    )
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF-")
    assert len(response.content) < 200_000  # light deliverable


def test_the_html_page_and_exports_without_an_analysis(world: World) -> None:
    client = world.client("consultant")
    page = client.get(reverse("www:cooperation_synthesis", args=[world.programme.slug])).content.decode()
    assert "has not been run yet" in page
    assert (
        client.get(reverse("www:cooperation_synthesis_pdf", args=[world.programme.slug])).status_code == 404
    )


def test_the_synthesis_reads_the_teams_as_they_were_formed(
    world: World, coop: Cooperation, analysis: CooperationAnalysis
) -> None:
    # A scenario saved but never adopted, and a team formed by hand at the workshop: L1.4 gives the
    # team as it stands (its laureate members), not the scenario's proposal.
    optimal_scenario(analysis, "Choix de l'atelier")
    team = TeamFactory(programme=world.programme, name="Découpe formée en atelier")
    MembershipFactory(team=team, organisation=world.sme_org)
    MembershipFactory(team=team, organisation=world.other_sme_org)
    MembershipFactory(team=team, organisation=world.partner_org)  # outside: not a laureate SME
    synthesis = build_synthesis(world.programme)
    assert synthesis is not None
    assert "Choix de l'atelier" not in synthesis.teams_source
    assert [sorted(o.name for o in t.members) for t in synthesis.teams] == [
        ["Provence Usinage", "Var Plasturgie"]
    ]
