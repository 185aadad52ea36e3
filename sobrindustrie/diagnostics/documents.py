"""PDF and DOCX output shared by the summary sheet (L1.3) and the synthesis (L1.2).

PDFs are rendered by WeasyPrint from a print template that carries its own small stylesheet and
refers to no outside resource; the URL fetcher refuses any fetch so a document never makes a
request. DOCX files are written with python-docx, as plain headings, paragraphs and tables, so
that LibreOffice and Word open them alike and they stay light.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from typing import Any

from django.template.loader import render_to_string
from django.utils.formats import number_format
from docx import Document
from docx.enum.section import WD_ORIENT
from docx.shared import Cm, Pt

from sobrindustrie.core.pdf import html_to_pdf

DOCX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def _no_fetch(url: str, *args: Any, **kwargs: Any) -> dict[str, Any]:
    raise ValueError(f"documents fetch nothing from outside (asked for {url})")


def render_pdf(template_name: str, context: dict[str, Any]) -> bytes:
    html = render_to_string(template_name, context)
    return html_to_pdf(html, url_fetcher=_no_fetch)


def figure(value: Any, digits: int = 0) -> str:
    """A number the French way (narrow spaces between thousands), or an em dash when unknown."""
    if value is None or value == "":
        return "—"
    return str(number_format(round(float(value), digits), decimal_pos=digits, force_grouping=True))


class DocxWriter:
    """A thin layer over python-docx: the few shapes our deliverables use."""

    def __init__(self, title: str, banner: str = "", landscape: bool = False) -> None:
        self.document = Document()
        section = self.document.sections[0]
        if landscape:
            section.orientation = WD_ORIENT.LANDSCAPE
            section.page_width, section.page_height = section.page_height, section.page_width
        for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
            setattr(section, side, Cm(1.8))
        style = self.document.styles["Normal"]
        style.font.name = "Arial"
        style.font.size = Pt(10)
        if banner:
            section.header.paragraphs[0].text = banner
            section.footer.paragraphs[0].text = banner
        self.document.core_properties.title = title
        self.document.add_heading(title, level=0)

    def heading(self, text: str, level: int = 1) -> None:
        self.document.add_heading(text, level=level)

    def paragraph(self, text: str, bold: bool = False) -> None:
        for block in (text or "").split("\n\n"):
            paragraph = self.document.add_paragraph()
            run = paragraph.add_run(block.strip())
            run.bold = bold

    def bullets(self, items: Sequence[str]) -> None:
        for item in items:
            self.document.add_paragraph(item, style="List Bullet")

    def table(self, header: Sequence[str], rows: Sequence[Sequence[Any]]) -> None:
        table = self.document.add_table(rows=1, cols=len(header))
        table.style = "Table Grid"
        for cell, text in zip(table.rows[0].cells, header, strict=True):
            cell.text = str(text)
            for run in cell.paragraphs[0].runs:
                run.bold = True
        for row in rows:
            cells = table.add_row().cells
            for cell, value in zip(cells, row, strict=True):
                cell.text = "" if value is None else str(value)
        self.document.add_paragraph()

    def definitions(self, pairs: Sequence[tuple[str, Any]]) -> None:
        for label, value in pairs:
            paragraph = self.document.add_paragraph()
            paragraph.add_run(f"{label} : ").bold = True
            paragraph.add_run("—" if value in (None, "") else str(value))

    def bytes(self) -> bytes:
        buffer = io.BytesIO()
        self.document.save(buffer)
        return buffer.getvalue()
