"""The synthesis (L4.2): DOCX text, PDF header, the English version."""

from __future__ import annotations

import io

from django.urls import reverse

from sobrindustrie.evaluation import services
from tests.evaluation.conftest import EvalWorld
from tests.evaluation.factories import BalanceLineFactory, ConsequenceFactory


def _evaluated(eval_world: EvalWorld) -> None:
    ConsequenceFactory(
        evaluation=eval_world.evaluation, description="Moins d'acier neuf", aspects=["resources"]
    )
    ConsequenceFactory(
        evaluation=eval_world.evaluation, description="Plus de camionnettes", direction="worse",
        aspects=["climate"], is_impact_transfer=True,
    )  # fmt: skip
    BalanceLineFactory(balance__evaluation=eval_world.evaluation)
    services.compute(eval_world.evaluation)


def test_docx_holds_the_matrix_and_the_balance(eval_world: EvalWorld) -> None:
    from docx import Document

    _evaluated(eval_world)
    url = reverse("www:evaluation_synthesis_docx", args=[eval_world.world.programme.slug]) + "?lang=en"
    response = eval_world.client("ademe").get(url)
    document = Document(io.BytesIO(response.content))
    text = "\n".join(p.text for p in document.paragraphs)
    cells = [c.text for t in document.tables for r in t.rows for c in r.cells]
    assert "Synthesis of the environmental evaluations (L4.2)" in text
    assert "-624 kgCO2e/year (90 % interval" in text
    assert "Impact transfer : Plus de camionnettes" in text
    assert eval_world.evaluation.title in cells[7]
    # Each result says how many consequences stand behind it, in brackets.
    assert any(c.startswith("Worse than the reference (") for c in cells)
    assert any(c.startswith("Better than the reference (") for c in cells)


def test_pdf_is_a_pdf(eval_world: EvalWorld) -> None:
    _evaluated(eval_world)
    url = reverse("www:evaluation_synthesis_pdf", args=[eval_world.world.programme.slug])
    response = eval_world.client("consultant").get(url)
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF-")
    assert "synthese-evaluations-paca-fr.pdf" in response["Content-Disposition"]


def test_html_has_svg_bars_with_text_alternatives_in_english(eval_world: EvalWorld) -> None:
    _evaluated(eval_world)
    url = reverse("www:evaluation_synthesis", args=[eval_world.world.programme.slug]) + "?lang=en"
    content = eval_world.client("consultant").get(url).content.decode()
    figure = content[content.index("<figure>") : content.index("</figure>")]
    assert 'role="img"' in figure and "<svg" in figure and "<title>" in figure
    assert 'aria-label="Greenhouse-gas balance of each project' in figure
    assert "kgCO2e/year (90 % interval" in figure
    assert "Net result per environmental aspect" in content
