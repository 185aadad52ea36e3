"""The document model and its two renderings: accessible HTML (for the PDF and the page preview) and
Word. Both walk the same blocks, so each block's text is in both, in the same order."""

from __future__ import annotations

import io
import re
import unicodedata

import docx
import pytest
from docx.table import Table as DocxTable
from docx.text.paragraph import Paragraph as DocxParagraph
from pypdf import PdfReader

from sobrindustrie.deliverables.document import Document
from sobrindustrie.deliverables.document.docx import render_docx
from sobrindustrie.deliverables.document.html import render_fragment, render_html
from sobrindustrie.deliverables.generators.docx_helpers import ReportWriter

#: Text drawn lower than this (PDF points from the bottom edge) is the running footer and page number.
FOOTER_ZONE = 40.0
WHITESPACE = re.compile(r"\s+")


def normalised(text: str) -> str:
    """Text as compared across formats: compatibility forms (ligatures), no whitespace at all (line
    wrapping differs between a PDF and Word)."""
    return WHITESPACE.sub("", unicodedata.normalize("NFKC", text))


def docx_blocks(content: bytes) -> list[str]:
    """The text blocks of a Word file's body in reading order: paragraphs, then each table's cells
    row by row where the table stands."""
    blocks: list[str] = []
    for item in docx.Document(io.BytesIO(content)).iter_inner_content():
        if isinstance(item, DocxParagraph):
            blocks.append(item.text)
        elif isinstance(item, DocxTable):
            blocks.extend(cell.text for row in item.rows for cell in row.cells)
    return [block for block in blocks if block.strip()]


def pdf_text(content: bytes) -> str:
    """The text of a PDF, pages in order, without what is drawn in the footer zone."""
    kept: list[str] = []

    def visit(text: str, cm: list[float], tm: list[float], *_args: object) -> None:
        y = tm[4] * cm[1] + tm[5] * cm[3] + cm[5]
        if y >= FOOTER_ZONE:
            kept.append(text)

    for page in PdfReader(io.BytesIO(content)).pages:
        page.extract_text(visitor_text=visit)
    return "".join(kept)


def assert_same_blocks(docx_content: bytes, pdf_content: bytes, name: str = "") -> int:
    """Every block of the DOCX is in the PDF's text, in the same order; returns the number of blocks."""
    text = normalised(pdf_text(pdf_content))
    position = 0
    blocks = docx_blocks(docx_content)
    assert blocks, f"{name}: an empty document"
    for index, block in enumerate(blocks):
        found = text.find(normalised(block), position)
        assert found >= 0, (
            f"{name}: block {index} of the DOCX is not in the PDF after the previous one: {block!r}; "
            f"the PDF goes on with {text[position : position + 120]!r}"
        )
        position = found + len(normalised(block))
    return len(blocks)


def sample() -> Document:
    document = Document("Fiche de test", banner="Confidentiel")
    document.paragraph("Une introduction.\n\nUn second paragraphe.")
    document.heading("Chiffres")
    document.definitions([("Salariés", 42), ("Commune", None)])
    document.table(
        ["Poste", "kWh/an"],
        [["Presse", "12 000"], ["Four", ""]],
        caption="Consommations",
        footer=["Total", "12 000"],
    )
    document.heading("Détail", level=2)
    document.bullets(["un", "deux"])
    document.note("Données partielles.")
    document.figure("Une carte", "Deux points reliés", svg='<svg xmlns="http://www.w3.org/2000/svg"></svg>')
    document.markdown(
        "# Ordre du jour\n- point A\n- point B\n\n1. premier\n2. second\nTexte **gras**.", level=2
    )
    return document


def test_the_html_is_accessible() -> None:
    html = str(render_html(sample()))
    assert html.startswith("<!DOCTYPE html><html lang=")
    assert "<title>Fiche de test</title>" in html and '<div class="si-footer">Confidentiel</div>' in html
    levels = [int(level) for level in re.findall(r"<h(\d)>", html)]
    assert levels[0] == 1 and all(b - a <= 1 for a, b in zip(levels, levels[1:], strict=False))
    assert "<caption>Consommations</caption>" in html and '<th scope="col">Poste</th>' in html
    assert '<tfoot><tr><th scope="row">Total</th><td>12 000</td></tr></tfoot>' in html
    assert '<div role="img" aria-label="Deux points reliés"><svg' in html
    # Without a PNG, Word cannot show the map: both renderings print its text alternative.
    assert '<p class="small">Deux points reliés</p>' in html
    assert "<dt>Commune :</dt><dd>—</dd>" in html
    assert "<ul><li>point A</li><li>point B</li></ul><ol><li>premier</li><li>second</li></ol>" in html
    assert "<p>Texte gras.</p>" in html


def test_the_preview_fragment_sits_under_the_page_heading() -> None:
    fragment = str(render_fragment(sample(), with_title=False))
    assert "<h1>" not in fragment and "<h2>Chiffres</h2>" in fragment and "<h3>Détail</h3>" in fragment
    assert "<html" not in fragment and "<style>" not in fragment


def test_the_docx_carries_the_same_blocks_in_the_same_order() -> None:
    content = render_docx(sample())
    blocks = docx_blocks(content)
    assert blocks[:4] == ["Fiche de test", "Une introduction.", "Un second paragraphe.", "Chiffres"]
    assert "Salariés : 42" in blocks and "Commune : —" in blocks
    assert blocks.index("Consommations") + 1 == blocks.index("Poste")
    assert blocks[-3:] == ["premier", "second", "Texte gras."]
    word = docx.Document(io.BytesIO(content))
    assert word.core_properties.title == "Fiche de test"
    assert word.sections[0].footer.paragraphs[0].text == "Confidentiel"


def test_a_table_row_must_fit_its_header() -> None:
    with pytest.raises(ValueError, match="as many cells"):
        Document("x").table(["a", "b"], [["1"]])


def test_the_report_writer_builds_the_model() -> None:
    writer = ReportWriter("Rapport", banner="Programme")
    writer.cover("Sous-titre", [("Période", "2026")])
    writer.heading("Bilan")
    writer.lines("ligne 1\n\nligne 2")
    writer.paragraph("Gras", bold=True)
    writer.bullets(["a"])
    writer.table(["Col"], [["v"]])
    writer.note("Partiel")
    assert docx_blocks(writer.bytes()) == [
        "Rapport",
        "Sous-titre",
        "Période : 2026",
        "Bilan",
        "ligne 1",
        "ligne 2",
        "Gras",
        "a",
        "Col",
        "v",
        "Partiel",
    ]


def test_the_pdf_carries_the_docx_blocks() -> None:
    pytest.importorskip("weasyprint")
    from sobrindustrie.deliverables.document.html import render_pdf

    document = sample()
    assert assert_same_blocks(render_docx(document), render_pdf(document), "sample") > 15
    assert "Confidentiel" not in pdf_text(render_pdf(document)), "the footer zone is left out"
