"""The blocks a document is made of, and `Document`, which collects them in reading order.

Blocks hold finished text (already translated and formatted by the builder): renderers never
format numbers or dates, so the HTML, the PDF and the DOCX cannot word anything differently.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

#: Levels below the title (level 0); deeper levels are written as level 4.
MAX_LEVEL = 4


def _text(value: Any) -> str:
    """A cell or value as printed: an em dash when unknown or empty."""
    if value is None:
        return "—"
    text = str(value)
    return text if text.strip() else "—"


@dataclass(frozen=True)
class Heading:
    text: str
    level: int = 1  # 1 = a section under the document's title


@dataclass(frozen=True)
class Paragraph:
    text: str
    emphasis: str = ""  # "" | "strong" | "subtitle" | "small"


@dataclass(frozen=True)
class Note:
    """A remark on missing or partial data, set apart (italics)."""

    text: str


@dataclass(frozen=True)
class Definitions:
    """Label/value pairs, e.g. a company's particulars."""

    pairs: tuple[tuple[str, str], ...]


@dataclass(frozen=True)
class ListBlock:
    items: tuple[str, ...]
    ordered: bool = False


@dataclass(frozen=True)
class Table:
    header: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    caption: str = ""  # read by screen readers on the page and in the PDF; not written in the DOCX
    footer: tuple[str, ...] = ()  # a totals row, same width as the header
    row_headers: bool = False  # the first cell of each row names the row (a label/value table)


@dataclass(frozen=True)
class Figure:
    """A chart or a map: its image (SVG for the page and the PDF, PNG for Word), its caption, and a
    text alternative that states what the image shows (every figure of a chart)."""

    caption: str
    alt: str
    # The PNG, or a function drawing it: only Word needs it, so a page preview never draws it.
    png: bytes | Callable[[], bytes] = b""
    svg: str = ""  # a complete <svg> element; numbers written with `core.markup.markup_number`
    width_cm: float = 16.0

    @property
    def has_png(self) -> bool:
        return bool(self.png)

    def png_bytes(self) -> bytes:
        return self.png() if callable(self.png) else self.png


@dataclass(frozen=True)
class PageBreak:
    pass


Block = Heading | Paragraph | Note | Definitions | ListBlock | Table | Figure | PageBreak


@dataclass
class Document:
    """A titled sequence of blocks. The builder methods return nothing; append in reading order."""

    title: str
    banner: str = ""  # repeated at the foot of every page (e.g. a confidentiality notice)
    landscape: bool = False
    author: str = "Sobr'Industrie"
    created: datetime | None = None  # written into the PDF's metadata (creation and modification)
    blocks: list[Block] = field(default_factory=list)

    def heading(self, text: str, level: int = 1) -> None:
        self.blocks.append(Heading(str(text), max(1, min(level, MAX_LEVEL))))

    def paragraph(self, text: str, emphasis: str = "") -> None:
        """One paragraph per blank-line-separated block of `text` (nothing for empty text)."""
        for block in re.split(r"\n\s*\n", str(text or "")):
            if block.strip():
                self.blocks.append(Paragraph(block.strip(), emphasis))

    def lines(self, text: str) -> None:
        """A plain-text field written one paragraph per line."""
        for line in str(text or "").splitlines():
            if line.strip():
                self.blocks.append(Paragraph(line.strip()))

    def note(self, text: str) -> None:
        self.blocks.append(Note(str(text)))

    def definitions(self, pairs: Iterable[tuple[Any, Any]]) -> None:
        rows = tuple((str(label), _text(value)) for label, value in pairs)
        if rows:
            self.blocks.append(Definitions(rows))

    def bullets(self, items: Iterable[Any], ordered: bool = False) -> None:
        shown = tuple(str(item) for item in items if str(item).strip())
        if shown:
            self.blocks.append(ListBlock(shown, ordered))

    def table(
        self,
        header: Sequence[Any],
        rows: Iterable[Sequence[Any]],
        caption: str = "",
        footer: Sequence[Any] = (),
        row_headers: bool = False,
    ) -> None:
        head = tuple(str(cell) for cell in header)
        body = tuple(tuple(_text(cell) for cell in row) for row in rows)
        if any(len(row) != len(head) for row in body) or (footer and len(footer) != len(head)):
            raise ValueError("every row of a table has as many cells as its header")
        self.blocks.append(
            Table(head, body, str(caption), tuple(_text(cell) for cell in footer), row_headers)
        )

    def figure(
        self,
        caption: str,
        alt: str,
        png: bytes | Callable[[], bytes] = b"",
        svg: str = "",
        width_cm: float = 16.0,
    ) -> None:
        if not png and not svg:
            raise ValueError("a figure needs an image")
        self.blocks.append(Figure(str(caption), str(alt), png, svg, width_cm))

    def page_break(self) -> None:
        self.blocks.append(PageBreak())

    def markdown(self, text: str, level: int = 2) -> None:
        """Text written in light Markdown (minutes, notes): `#` headings (under `level`), `-`/`*` and
        `1.` lists and paragraphs; emphasis marks are dropped."""
        items: list[str] = []
        ordered = False

        def flush() -> None:
            if items:
                self.bullets(list(items), ordered=ordered)
                items.clear()

        for raw in str(text or "").splitlines():
            line = raw.strip().replace("**", "").replace("__", "")
            if not line:
                flush()
                continue
            numbered = re.match(r"^\d+[.)]\s+(.*)$", line)
            if line.startswith("#"):
                flush()
                depth = len(line) - len(line.lstrip("#"))
                self.heading(line.lstrip("#").strip(), level=level + depth - 1)
            elif line[:2] in ("- ", "* "):
                if items and ordered:
                    flush()
                ordered = False
                items.append(line[2:].strip())
            elif numbered:
                if items and not ordered:
                    flush()
                ordered = True
                items.append(numbered.group(1).strip())
            else:
                flush()
                self.paragraph(line)
        flush()

    def extend(self, other: Document, shift: int = 0) -> None:
        """Append another document's blocks, its headings `shift` levels deeper."""
        for block in other.blocks:
            if isinstance(block, Heading) and shift:
                self.heading(block.text, block.level + shift)
            else:
                self.blocks.append(block)
