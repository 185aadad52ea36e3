"""A `Document` as a Word file: plain python-docx headings, paragraphs, lists and tables, light and
opened alike by Word and LibreOffice. Charts are pictures whose text alternative is the drawing's
description (`descr`), with their caption below; table captions are written above their table."""

from __future__ import annotations

import io

from docx import Document as new_document
from docx.document import Document as DocxDocument
from docx.enum.section import WD_ORIENT
from docx.enum.text import WD_BREAK
from docx.shared import Cm, Pt

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

DOCX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def _start(document: Document) -> DocxDocument:
    word = new_document()
    section = word.sections[0]
    if document.landscape:
        section.orientation = WD_ORIENT.LANDSCAPE
        section.page_width, section.page_height = section.page_height, section.page_width
    for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(section, side, Cm(1.8))
    style = word.styles["Normal"]
    style.font.name = "Arial"
    style.font.size = Pt(10)
    if document.banner:
        section.footer.paragraphs[0].text = document.banner
    word.core_properties.title = document.title
    word.core_properties.author = document.author
    word.add_heading(document.title, level=0)
    return word


def _table(word: DocxDocument, block: Table) -> None:
    if block.caption:
        word.add_paragraph(block.caption, style="Caption")
    table = word.add_table(rows=1, cols=len(block.header))
    table.style = "Table Grid"
    for cell, text in zip(table.rows[0].cells, block.header, strict=True):
        cell.text = text
        for run in cell.paragraphs[0].runs:
            run.bold = True
    for row in (*block.rows, *((block.footer,) if block.footer else ())):
        for index, (cell, value) in enumerate(zip(table.add_row().cells, row, strict=True)):
            cell.text = value
            if (block.row_headers or row is block.footer) and index == 0:
                for run in cell.paragraphs[0].runs:
                    run.bold = True
    word.add_paragraph()


def _figure(word: DocxDocument, block: Figure) -> None:
    if block.has_png:
        picture = (
            word.add_paragraph()
            .add_run()
            .add_picture(io.BytesIO(block.png_bytes()), width=Cm(block.width_cm))
        )
        doc_pr = picture._inline.docPr
        doc_pr.set("descr", block.alt)
        doc_pr.set("title", block.caption)
    word.add_paragraph(block.caption, style="Caption")
    if not block.has_png:
        word.add_paragraph(block.alt)


def write_block(word: DocxDocument, block: Block) -> None:
    if isinstance(block, Heading):
        word.add_heading(block.text, level=block.level)
    elif isinstance(block, Paragraph):
        if block.emphasis == "subtitle":
            word.add_paragraph(block.text, style="Subtitle")
        else:
            run = word.add_paragraph().add_run(block.text)
            run.bold = block.emphasis == "strong"
            if block.emphasis == "small":
                run.font.size = Pt(8)
    elif isinstance(block, Note):
        word.add_paragraph().add_run(block.text).italic = True
    elif isinstance(block, Definitions):
        for label, value in block.pairs:
            paragraph = word.add_paragraph()
            paragraph.add_run(f"{label} : ").bold = True
            paragraph.add_run(value)
    elif isinstance(block, ListBlock):
        style = "List Number" if block.ordered else "List Bullet"
        for item in block.items:
            word.add_paragraph(item, style=style)
    elif isinstance(block, Table):
        _table(word, block)
    elif isinstance(block, Figure):
        _figure(word, block)
    elif isinstance(block, PageBreak):
        word.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
    else:
        raise TypeError(f"unknown block {block!r}")


def render_docx(document: Document) -> bytes:
    word = _start(document)
    for block in document.blocks:
        write_block(word, block)
    buffer = io.BytesIO()
    word.save(buffer)
    return buffer.getvalue()
