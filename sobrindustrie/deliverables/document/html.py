"""A `Document` as HTML: a standalone page for the PDF, or a fragment for the page that previews it.

The markup is plain and accessible: one `h1` then heading levels that never skip, tables with a
caption, column headers (`th scope="col"`) and row headers where rows are labelled, figures with
their text alternative (`role="img"` and `aria-label` on an SVG, `alt` on a PNG). Everything is
escaped except the SVG of a figure, which the platform's own chart code writes.
"""

from __future__ import annotations

import base64
from functools import cache
from pathlib import Path

from django.utils.html import escape, format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language

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

STYLESHEET = Path(__file__).with_name("print.css")


@cache
def print_css() -> str:
    return STYLESHEET.read_text(encoding="utf-8")


def _lines(text: str) -> SafeString:
    """Text with its line breaks kept (a cell or a paragraph typed on several lines)."""
    return mark_safe("<br>".join(escape(line) for line in text.split("\n")))


def _heading(level: int, text: str) -> SafeString:
    tag = f"h{min(level, 6)}"
    return format_html("<{}>{}</{}>", tag, _lines(text), tag)


def _table(block: Table) -> SafeString:
    caption = format_html("<caption>{}</caption>", block.caption) if block.caption else ""
    head = format_html_join("", '<th scope="col">{}</th>', ((cell,) for cell in block.header))
    body = []
    for row in block.rows:
        if block.row_headers and row:
            first = format_html('<th scope="row">{}</th>', _lines(row[0]))
            rest = format_html_join("", "<td>{}</td>", ((_lines(cell),) for cell in row[1:]))
            body.append(format_html("<tr>{}{}</tr>", first, rest))
        else:
            body.append(
                format_html("<tr>{}</tr>", format_html_join("", "<td>{}</td>", ((_lines(c),) for c in row)))
            )
    foot = ""
    if block.footer:
        cells = format_html_join("", "<td>{}</td>", ((_lines(cell),) for cell in block.footer[1:]))
        foot = format_html('<tfoot><tr><th scope="row">{}</th>{}</tr></tfoot>', block.footer[0], cells)
    return format_html(
        '<div class="fr-table"><table>{}<thead><tr>{}</tr></thead><tbody>{}</tbody>{}</table></div>',
        caption,
        head,
        mark_safe("".join(body)),
        foot,
    )


def _figure(block: Figure) -> SafeString:
    if block.svg:
        image = format_html('<div role="img" aria-label="{}">{}</div>', block.alt, mark_safe(block.svg))
    else:
        data = base64.b64encode(block.png_bytes()).decode("ascii")
        image = format_html('<img src="data:image/png;base64,{}" alt="{}">', data, block.alt)
    # Without a PNG, Word shows no image: both renderings then print the text alternative.
    spelled = format_html('<p class="small">{}</p>', block.alt) if not block.has_png else ""
    return format_html("<figure>{}<figcaption>{}</figcaption>{}</figure>", image, block.caption, spelled)


def render_block(block: Block, offset: int = 1) -> SafeString:
    """One block; `offset` is added to heading levels (1: sections are `h2` under the title's `h1`)."""
    if isinstance(block, Heading):
        return _heading(block.level + offset, block.text)
    if isinstance(block, Paragraph):
        if block.emphasis == "strong":
            return format_html("<p><strong>{}</strong></p>", _lines(block.text))
        if block.emphasis:
            return format_html('<p class="{}">{}</p>', block.emphasis, _lines(block.text))
        return format_html("<p>{}</p>", _lines(block.text))
    if isinstance(block, Note):
        return format_html('<p class="note"><em>{}</em></p>', _lines(block.text))
    if isinstance(block, Definitions):
        items = format_html_join("", "<dt>{} :</dt><dd>{}</dd>", block.pairs)
        return format_html("<dl>{}</dl>", items)
    if isinstance(block, ListBlock):
        tag = "ol" if block.ordered else "ul"
        items = format_html_join("", "<li>{}</li>", ((_lines(item),) for item in block.items))
        return format_html("<{}>{}</{}>", tag, items, tag)
    if isinstance(block, Table):
        return _table(block)
    if isinstance(block, Figure):
        return _figure(block)
    if isinstance(block, PageBreak):
        return mark_safe('<div class="page-break"></div>')
    raise TypeError(f"unknown block {block!r}")


def render_fragment(document: Document, offset: int = 1, with_title: bool = True) -> SafeString:
    """The document's title (`h{offset}`) and blocks, for a page that shows it among other content."""
    title = _heading(offset, document.title) if with_title else ""
    blocks = mark_safe("".join(render_block(block, offset) for block in document.blocks))
    return format_html('<div class="si-document">{}{}</div>', title, blocks)


def render_html(document: Document) -> str:
    """A standalone HTML page with the print stylesheet: what WeasyPrint turns into the PDF."""
    footer = format_html('<div class="si-footer">{}</div>', document.banner) if document.banner else ""
    dates = ""
    if document.created is not None:
        created = document.created.replace(microsecond=0).isoformat()
        dates = format_html(
            '<meta name="dcterms.created" content="{}"><meta name="dcterms.modified" content="{}">',
            created,
            created,
        )
    return format_html(
        '<!DOCTYPE html><html lang="{}"><head><meta charset="utf-8"><meta name="author" content="{}">{}'
        "<title>{}</title><style>{}</style></head>"
        '<body class="{}">{}{}</body></html>',
        get_language() or "fr",
        document.author,
        dates,
        document.title,
        mark_safe(print_css()),
        "landscape" if document.landscape else "portrait",
        footer,
        render_fragment(document),
    )


def render_pdf(document: Document) -> bytes:
    """The PDF: the standalone HTML through WeasyPrint, which may fetch nothing from outside."""
    from sobrindustrie.core.pdf import html_to_pdf, local_only_fetcher

    return html_to_pdf(render_html(document), url_fetcher=local_only_fetcher)
