"""Files of Axe 3: the application grid (XLSX), the funding synthesis (PDF, DOCX, SVG charts) and the
synthesis of the interviews with funders (DOCX).

The grid opens in LibreOffice or Excel with a frozen header, filters on every column and typed
cells (amounts as numbers in euros, dates as dates), so that it can be sorted and summed as is.
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from django.template.loader import render_to_string
from django.utils import formats, timezone
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from sobrindustrie.core.pdf import html_to_pdf
from sobrindustrie.core.spreadsheets import append_row, workbook_bytes
from sobrindustrie.funding.synthesis import (
    FundingSynthesis,
    GridRow,
    SynthesisLine,
    funding_synthesis,
    grid_table,
    money,
)
from sobrindustrie.meetings.models import Meeting
from sobrindustrie.programmes.models import Programme

LEVERAGE_NOTE = gettext_lazy(
    "Leverage is the funding obtained divided by the total budget (investment and operating) of the "
    "actions that applied: the share of what those actions cost that public funding pays."
)
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
EURO_FORMAT = '#,##0.00 "€"'
DAYS_FORMAT = "0.00"
DATE_FORMAT = "DD/MM/YYYY"


def grid_xlsx(rows: Sequence[GridRow], title: str) -> bytes:
    """The application grid as a workbook: one sheet, header frozen, filters, typed columns."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = _("Applications")[:31]
    write_grid_sheet(sheet, rows)
    workbook.properties.title = title
    return workbook_bytes(workbook)


def write_grid_sheet(sheet: Worksheet, rows: Sequence[GridRow]) -> None:
    """The grid's table in `sheet`: header frozen, filters on every column, amounts in euros,
    days as numbers, dates as dates."""
    table = grid_table(rows)
    for values in table:
        append_row(sheet, values)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    sheet.freeze_panes = "A2"
    sheet.auto_filter.ref = sheet.dimensions
    header = table[0]
    money_columns = {
        header.index(_(name)) for name in ("Amount requested (€)", "Amount granted (€)", "Amount paid (€)")
    }
    day_columns = {header.index(_("Consultant days")), header.index(_("Days cap per order"))}
    for row in sheet.iter_rows(min_row=2):
        for index, cell in enumerate(row):
            if index in money_columns:
                cell.number_format = EURO_FORMAT
            elif index in day_columns:
                cell.number_format = DAYS_FORMAT
            elif isinstance(cell.value, dt.date):
                cell.number_format = DATE_FORMAT
    for index, name in enumerate(header, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = min(max(len(str(name)) + 2, 12), 40)


# --- Charts ----------------------------------------------------------------------------------------

BAR_HEIGHT, GAP, LABEL_WIDTH, CHART_WIDTH = 22, 8, 260, 640


def bar_chart(lines: Sequence[SynthesisLine], title: str, chart_id: str) -> SafeString:
    """Horizontal bars of the funding obtained per line, as inline SVG.

    The chart has a title and a description read by screen readers, each bar a <title> with its
    figure, and the same figures are in the table next to it (the text alternative).
    """
    peak = max([line.obtained for line in lines] or [Decimal(0)]) or Decimal(1)
    room = CHART_WIDTH - LABEL_WIDTH - 110
    height = max(len(lines), 1) * (BAR_HEIGHT + GAP) + GAP
    description = "; ".join(f"{line.label}: {money(line.obtained)}" for line in lines) or _("No funding yet.")
    bars = format_html_join(
        "",
        '<g><title>{}: {}</title><text x="0" y="{}" font-size="12">{}</text>'
        '<rect x="{}" y="{}" width="{}" height="{}" fill="#000091"></rect>'
        '<text x="{}" y="{}" font-size="12">{}</text></g>',
        (
            (
                line.label,
                money(line.obtained),
                GAP + i * (BAR_HEIGHT + GAP) + 15,
                line.label[:40],
                LABEL_WIDTH,
                GAP + i * (BAR_HEIGHT + GAP),
                _width(line.obtained, peak, room),
                BAR_HEIGHT,
                LABEL_WIDTH + _width(line.obtained, peak, room) + 6,
                GAP + i * (BAR_HEIGHT + GAP) + 15,
                money(line.obtained),
            )
            for i, line in enumerate(lines)
        ),
    )
    return format_html(
        '<svg xmlns="http://www.w3.org/2000/svg" role="img" width="{}" height="{}" viewBox="0 0 {} {}" '
        'aria-labelledby="{}-title {}-desc"><title id="{}-title">{}</title><desc id="{}-desc">{}</desc>{}</svg>',
        CHART_WIDTH,
        height,
        CHART_WIDTH,
        height,
        chart_id,
        chart_id,
        chart_id,
        title,
        chart_id,
        description,
        bars,
    )


def _width(value: Decimal, peak: Decimal, room: int) -> int:
    return max(int(value * room / peak), 1 if value else 0)


# --- Funding synthesis (L3.3) ---------------------------------------------------------------------


def synthesis_context(programme: Programme, today: dt.date) -> dict[str, Any]:
    """What the synthesis's page and print template read: the synthesis as of `today`, its two
    charts and the note that explains the leverage."""
    synthesis = funding_synthesis(programme, today)
    return {
        "programme": programme,
        "synthesis": synthesis,
        "solution_chart": bar_chart(
            synthesis.by_solution, _("Funding obtained by type of action"), "by-solution"
        ),
        "funder_chart": bar_chart(synthesis.by_funder, _("Funding obtained by funder"), "by-funder"),
        "leverage_note": LEVERAGE_NOTE,
    }


def synthesis_pdf(context: dict[str, Any]) -> bytes:
    """The print template rendered from `synthesis_context(...)`, plus an optional `author`."""
    html = render_to_string("www/funding/synthesis_print.html", context)
    return html_to_pdf(html)


def _leverage(line: SynthesisLine) -> str:
    return f"{line.leverage_percent} %" if line.leverage_percent is not None else "—"


def _line_table(document: Any, lines: Sequence[SynthesisLine], first: str) -> None:
    headers = [
        first,
        _("Applications"),
        _("Obtained"),
        _("Requested"),
        _("Paid"),
        _("Budget of the actions"),
        _("Leverage"),
    ]
    table = document.add_table(rows=1, cols=len(headers))
    table.style = "Table Grid"
    for cell, header in zip(table.rows[0].cells, headers, strict=True):
        cell.text = str(header)
    for line in lines:
        values = [
            line.label,
            f"{line.granted_count} / {line.applications}",
            money(line.obtained),
            money(line.requested),
            money(line.paid),
            money(line.budget),
            _leverage(line),
        ]
        for cell, value in zip(table.add_row().cells, values, strict=True):
            cell.text = value


def synthesis_docx(synthesis: FundingSynthesis) -> bytes:
    from docx import Document

    document = Document()
    document.add_heading(_("Synthesis of the funding obtained (L3.3)"), level=0)
    document.add_paragraph(
        _("%(programme)s — on %(date)s")
        % {"programme": synthesis.programme.name, "date": synthesis.today.strftime("%d/%m/%Y")}
    )
    total = synthesis.total
    document.add_paragraph(
        _(
            "Funding obtained: %(obtained)s for %(requested)s requested, %(paid)s paid; leverage on the actions' budgets: %(leverage)s."
        )
        % {
            "obtained": money(total.obtained),
            "requested": money(total.requested),
            "paid": money(total.paid),
            "leverage": _leverage(total),
        }
    )
    document.add_paragraph(str(LEVERAGE_NOTE))
    document.add_heading(_("By type of action"), level=1)
    _line_table(document, synthesis.by_solution, _("Sobriety solution"))
    document.add_heading(_("By funder"), level=1)
    _line_table(document, synthesis.by_funder, _("Funder"))
    document.add_heading(_("Applications by status"), level=1)
    for _code, label, count in synthesis.status_counts:
        document.add_paragraph(f"{label} : {count}", style="List Bullet")
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


# --- Interviews (L3.1) ----------------------------------------------------------------------------


def interviews_docx(
    programme_name: str, interviews: Sequence[Meeting], readable: set[int], today: dt.date | None = None
) -> bytes:
    """Every interview with a funder: when, with whom, the minutes (when the reader may read them)."""
    from docx import Document

    document = Document()
    document.add_heading(_("Interviews with funders (L3.1)"), level=0)
    document.add_paragraph(
        _("%(programme)s — %(count)s interviews, on %(date)s")
        % {
            "programme": programme_name,
            "count": len(interviews),
            "date": (today or timezone.localdate()).strftime("%d/%m/%Y"),
        }
    )
    table = document.add_table(rows=1, cols=4)
    table.style = "Table Grid"
    for cell, header in zip(
        table.rows[0].cells, [_("Date"), _("Funder"), _("Interview"), _("Minutes")], strict=True
    ):
        cell.text = str(header)
    for meeting in interviews:
        minutes = meeting.minutes_or_none
        cells = table.add_row().cells
        cells[0].text = formats.date_format(timezone.localtime(meeting.starts_at), "d/m/Y")
        cells[1].text = meeting.organiser_name or "—"
        cells[2].text = meeting.title
        cells[3].text = minutes.get_status_display() if minutes else _("not written")
    for meeting in interviews:
        document.add_heading(meeting.title, level=1)
        start = timezone.localtime(meeting.starts_at)
        document.add_paragraph(
            f"{formats.date_format(start, 'l j F Y H:i')} — {meeting.place or meeting.video_link}"
            + (f" — {meeting.organiser_name}" if meeting.organiser_name else "")
        )
        attendees = [str(invitation.user) for invitation in meeting.invitations.all()]
        attendees += [str(guest) for guest in meeting.guests.all()]
        if attendees:
            document.add_paragraph(_("Participants: %(names)s") % {"names": ", ".join(attendees)})
        minutes = meeting.minutes_or_none
        if minutes is None or not minutes.body.strip():
            document.add_paragraph(_("Minutes not written yet."))
        elif meeting.pk not in readable:
            document.add_paragraph(_("Minutes not validated yet."))
        else:
            _markdown_paragraphs(document, minutes.body)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def _markdown_paragraphs(document: Any, text: str) -> None:
    """Headings, bullets and paragraphs of minutes written in Markdown; emphasis marks dropped."""
    for raw in text.splitlines():
        line = raw.strip().replace("**", "")
        if not line:
            continue
        if line.startswith("#"):
            level = min(len(line) - len(line.lstrip("#")) + 1, 4)
            document.add_heading(line.lstrip("#").strip(), level=level)
        elif line[:2] in ("- ", "* "):
            document.add_paragraph(line[2:], style="List Bullet")
        else:
            document.add_paragraph(line)
