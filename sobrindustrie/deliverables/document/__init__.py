"""One document model, two renderings.

Every document the platform writes (summary sheets, syntheses, minutes, reports) is built once as a
`Document` (`model.py`): headings, paragraphs, label/value pairs, lists, tables, figures with their
text alternative, notes and page breaks. `html.py` renders it as accessible HTML, used both for the
PDF (WeasyPrint, through `core.pdf`) and for the page that previews it; `docx.py` renders it as a
Word file with python-docx. Both walk the same blocks in the same order, so the PDF and the DOCX
of a document carry the same text.
"""

from sobrindustrie.deliverables.document.model import (
    Block,
    Definitions,
    Document,
    Figure,
    Heading,
    ListBlock,
    Note,
    PageBreak,
    Paragraph,
    Table,
)

__all__ = [
    "Block",
    "Definitions",
    "Document",
    "Figure",
    "Heading",
    "ListBlock",
    "Note",
    "PageBreak",
    "Paragraph",
    "Table",
]
