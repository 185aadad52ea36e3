"""Word output of the reports: the diagnostics' `DocxWriter` plus what reports need on top of it.

`DocxWriter` (sobrindustrie/diagnostics/documents.py) already writes headings, paragraphs, bullets,
tables and label/value pairs as plain python-docx content, light and opened alike by Word and
LibreOffice. Reports add a cover page, the consultant's plain-text fields (one paragraph per line)
and charts carrying a text alternative for screen readers.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from typing import Any

from docx.enum.text import WD_BREAK
from docx.shared import Cm

from sobrindustrie.deliverables.generators.charts import Chart
from sobrindustrie.diagnostics.documents import DocxWriter

#: Width of a chart on an A4 page with the writer's 1.8 cm margins.
CHART_WIDTH_CM = 16.0


def text_lines(text: str) -> list[str]:
    """The non-empty lines of a plain-text field written one paragraph per line."""
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


class ReportWriter(DocxWriter):
    def cover(self, subtitle: str, pairs: Sequence[tuple[str, Any]]) -> None:
        """Under the title: a subtitle and the report's particulars, then a new page."""
        if subtitle:
            self.document.add_paragraph(subtitle, style="Subtitle")
        self.definitions(pairs)
        self.page_break()

    def page_break(self) -> None:
        self.document.add_paragraph().add_run().add_break(WD_BREAK.PAGE)

    def lines(self, text: str) -> None:
        """A registry text field: each line of the consultant's text becomes a paragraph."""
        for line in text_lines(text):
            self.document.add_paragraph(line)

    def note(self, text: str) -> None:
        """A remark on missing or partial data, set apart in italics."""
        self.document.add_paragraph().add_run(text).italic = True

    def chart(self, chart: Chart, width_cm: float = CHART_WIDTH_CM) -> None:
        """The chart's image with its text alternative (docPr `descr`) and its title as a caption."""
        shape = self.document.add_paragraph().add_run().add_picture(io.BytesIO(chart.png), width=Cm(width_cm))
        doc_pr = shape._inline.docPr
        doc_pr.set("descr", chart.alt)
        doc_pr.set("title", chart.title)
        self.document.add_paragraph(chart.title, style="Caption")
