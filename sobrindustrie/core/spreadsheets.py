"""The one way out for spreadsheets (XLSX and CSV): text that a spreadsheet would run stays text.

A cell typed as `=HYPERLINK("http://evil.example", "Cliquez")` or `=cmd|' /C calc'!A0` becomes a live
formula when a spreadsheet opens the export. Following OWASP's advice on CSV injection, a text value
starting with `=`, `+`, `-`, `@`, a tab or a carriage return is written with a leading single quote,
and XLSX cells holding text are always of the string type. Numbers, dates and booleans stay what
they are, so columns still sort and sum.

Every export builds its workbook as it likes, then writes it with `workbook_bytes`, which checks
every cell of every sheet; `append_row` neutralises at the time of writing, for the table writers.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from decimal import Decimal

from openpyxl import Workbook
from openpyxl.cell.cell import Cell
from openpyxl.worksheet.worksheet import Worksheet

#: What makes a spreadsheet read a text as a formula (or as the start of one, as with DDE).
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value: object) -> object:
    """`value` unchanged, except text a spreadsheet would run, which gets a leading single quote."""
    if isinstance(value, str) and value.startswith(FORMULA_TRIGGERS):
        return "'" + value
    return value


def safe_row(values: Iterable[object]) -> list[object]:
    """A row ready for openpyxl: neutralised text, decimals as floats (openpyxl's numbers)."""
    return [float(value) if isinstance(value, Decimal) else neutralise(value) for value in values]


def append_row(sheet: Worksheet, values: Iterable[object]) -> None:
    sheet.append(safe_row(values))


def _neutralise_cell(cell: Cell) -> None:
    value = cell.value
    if isinstance(value, str) and (cell.data_type == "f" or value.startswith(FORMULA_TRIGGERS)):
        cell.value = "'" + value
        cell.data_type = "s"


def workbook_bytes(workbook: Workbook) -> bytes:
    """The workbook as XLSX bytes, once no text cell of any sheet can be read as a formula."""
    for sheet in workbook.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                _neutralise_cell(cell)  # type: ignore[arg-type]
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def csv_bytes(rows: Iterable[Sequence[object]], delimiter: str = ";") -> bytes:
    """UTF-8 with a byte-order mark, `delimiter`-separated (what French spreadsheets open directly);
    every field neutralised."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter, lineterminator="\r\n")
    for row in rows:
        writer.writerow([neutralise(value) for value in row])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")
