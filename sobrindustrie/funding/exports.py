"""Files of Axe 3: the application grid (XLSX), and the document models of the funding synthesis (with
its charts) and of the interviews with funders, rendered by `deliverables.document`.

The grid opens in LibreOffice or Excel with a frozen header, filters on every column and typed
cells (amounts as numbers in euros, dates as dates), so that it can be sorted and summed as is.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from django.utils import formats, timezone
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from sobrindustrie.core.spreadsheets import append_row, workbook_bytes
from sobrindustrie.deliverables.document import Document
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
    """What the synthesis's page reads: the synthesis as of `today` and its document model."""
    synthesis = funding_synthesis(programme, today)
    return {"programme": programme, "synthesis": synthesis, "document": synthesis_document(synthesis)}


def _leverage(line: SynthesisLine) -> str:
    return f"{line.leverage_percent} %" if line.leverage_percent is not None else "—"


def _lines_section(
    document: Document, lines: Sequence[SynthesisLine], first: str, title: str, caption: str, chart_id: str
) -> None:
    from sobrindustrie.deliverables.generators.charts import Series, alt_text
    from sobrindustrie.deliverables.generators.charts import bar_chart as png_chart

    if lines:
        labels = [line.label for line in lines]
        series = [Series(_("Obtained"), [float(line.obtained) for line in lines])]
        document.figure(
            title,
            alt_text(title, labels, series, "€", 0),
            png=lambda: png_chart(title, labels, series, unit="€", digits=0).png,
            svg=str(bar_chart(lines, title, chart_id)),
        )
    document.table(
        [
            first,
            _("Applications granted / made"),
            _("Obtained (€)"),
            _("Requested (€)"),
            _("Paid (€)"),
            _("Budget of the actions (€)"),
            _("Leverage"),
        ],
        [
            [
                line.label,
                f"{line.granted_count} / {line.applications}",
                money(line.obtained),
                money(line.requested),
                money(line.paid),
                money(line.budget),
                _leverage(line),
            ]
            for line in lines
        ]
        or [[_("No application yet."), "—", "—", "—", "—", "—", "—"]],
        caption=caption,
        row_headers=True,
    )


def synthesis_document(synthesis: FundingSynthesis, author: str = "Sobr'Industrie") -> Document:
    """L3.3 as a document model: rendered to PDF and DOCX by `deliverables.document`, and shown on
    the synthesis page."""
    document = Document(str(_("Synthesis of the funding obtained (L3.3)")), author=author)
    document.paragraph(
        _("%(programme)s — on %(date)s")
        % {"programme": synthesis.programme.name, "date": synthesis.today.strftime("%d/%m/%Y")}
    )
    total = synthesis.total
    document.paragraph(
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
    document.paragraph(str(LEVERAGE_NOTE), "small")
    document.heading(_("By type of action"))
    _lines_section(
        document,
        synthesis.by_solution,
        _("Sobriety solution"),
        _("Funding obtained by type of action"),
        _("Funding obtained by type of action (the chart's figures)"),
        "by-solution",
    )
    document.heading(_("By funder"))
    _lines_section(
        document,
        synthesis.by_funder,
        _("Funder"),
        _("Funding obtained by funder"),
        _("Funding obtained by funder (the chart's figures)"),
        "by-funder",
    )
    document.heading(_("Applications by status"))
    document.bullets(f"{label} : {count}" for _code, label, count in synthesis.status_counts)
    return document


# --- Interviews (L3.1) ----------------------------------------------------------------------------


def interviews_document(
    programme_name: str, interviews: Sequence[Meeting], readable: set[int], today: dt.date | None = None
) -> Document:
    """Every interview with a funder: when, with whom, the minutes (when the reader may read them)."""
    document = Document(str(_("Interviews with funders (L3.1)")))
    document.paragraph(
        _("%(programme)s — %(count)s interviews, on %(date)s")
        % {
            "programme": programme_name,
            "count": len(interviews),
            "date": (today or timezone.localdate()).strftime("%d/%m/%Y"),
        }
    )
    rows = []
    for meeting in interviews:
        minutes = meeting.minutes_or_none
        rows.append(
            [
                formats.date_format(timezone.localtime(meeting.starts_at), "d/m/Y"),
                meeting.organiser_name or "—",
                meeting.title,
                minutes.get_status_display() if minutes else _("not written"),
            ]
        )
    document.table([_("Date"), _("Funder"), _("Interview"), _("Minutes")], rows)
    for meeting in interviews:
        document.heading(meeting.title)
        start = timezone.localtime(meeting.starts_at)
        document.paragraph(
            f"{formats.date_format(start, 'l j F Y H:i')} — {meeting.place or meeting.video_link}"
            + (f" — {meeting.organiser_name}" if meeting.organiser_name else "")
        )
        attendees = [str(invitation.user) for invitation in meeting.invitations.all()]
        attendees += [str(guest) for guest in meeting.guests.all()]
        if attendees:
            document.paragraph(_("Participants: %(names)s") % {"names": ", ".join(attendees)})
        minutes = meeting.minutes_or_none
        if minutes is None or not minutes.body.strip():
            document.paragraph(_("Minutes not written yet."))
        elif meeting.pk not in readable:
            document.paragraph(_("Minutes not validated yet."))
        else:
            document.markdown(minutes.body, level=2)
    return document
