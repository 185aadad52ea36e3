"""`ReportWriter`: the reports' builder of a `Document` (`deliverables.document`), with the calls
the report generators were written against. It adds blocks to `self.model`; `bytes()` renders the
Word file and `pdf()` the PDF of the same blocks.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sobrindustrie.deliverables.document.docx import render_docx
from sobrindustrie.deliverables.document.html import render_pdf
from sobrindustrie.deliverables.document.model import Document
from sobrindustrie.deliverables.generators.charts import Chart

#: Width of a chart on an A4 page with the writer's 1.8 cm margins.
CHART_WIDTH_CM = 16.0


def text_lines(text: str) -> list[str]:
    """The non-empty lines of a plain-text field written one paragraph per line."""
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


class ReportWriter:
    def __init__(self, title: str, banner: str = "", landscape: bool = False) -> None:
        self.model = Document(str(title), banner=str(banner), landscape=landscape)

    def heading(self, text: str, level: int = 1) -> None:
        self.model.heading(text, level)

    def paragraph(self, text: str, bold: bool = False) -> None:
        self.model.paragraph(text, "strong" if bold else "")

    def bullets(self, items: Sequence[str]) -> None:
        self.model.bullets(items)

    def table(self, header: Sequence[str], rows: Sequence[Sequence[Any]], caption: str = "") -> None:
        self.model.table(header, rows, caption=caption)

    def definitions(self, pairs: Sequence[tuple[str, Any]]) -> None:
        self.model.definitions(pairs)

    def cover(self, subtitle: str, pairs: Sequence[tuple[str, Any]]) -> None:
        """Under the title: a subtitle and the report's particulars, then a new page."""
        if subtitle:
            self.model.paragraph(subtitle, "subtitle")
        self.definitions(pairs)
        self.page_break()

    def page_break(self) -> None:
        self.model.page_break()

    def lines(self, text: str) -> None:
        """A registry text field: each line of the consultant's text becomes a paragraph."""
        self.model.lines(text)

    def note(self, text: str) -> None:
        """A remark on missing or partial data, set apart in italics."""
        self.model.note(text)

    def chart(self, chart: Chart, width_cm: float = CHART_WIDTH_CM) -> None:
        """The chart's image with its text alternative and its title as a caption."""
        self.model.figure(chart.title, chart.alt, png=chart.png, width_cm=width_cm)

    def bytes(self) -> bytes:
        return render_docx(self.model)

    def pdf(self) -> bytes:
        return render_pdf(self.model)
