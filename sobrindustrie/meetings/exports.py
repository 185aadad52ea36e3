"""One way to export tables: rows in (header first), CSV or XLSX bytes out; and badges as a PDF."""

from __future__ import annotations

import io
from collections.abc import Sequence
from typing import Any

from django.http import HttpResponse
from django.template.loader import render_to_string
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from sobrindustrie.core.pdf import html_to_pdf
from sobrindustrie.core.spreadsheets import append_row, csv_bytes, workbook_bytes
from sobrindustrie.meetings.enums import MeetingKind
from sobrindustrie.meetings.models import Registration, RestitutionEvent

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def to_csv(rows: Sequence[Sequence[object]]) -> bytes:
    """UTF-8 with a byte-order mark and semicolons: what French spreadsheet software opens directly."""
    return csv_bytes(rows)


def to_xlsx(rows: Sequence[Sequence[object]], title: str) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = title[:31]  # Excel's limit on sheet names
    for row in rows:
        append_row(sheet, row)
    if rows:
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        sheet.freeze_panes = "A2"
        for index, header in enumerate(rows[0], start=1):
            sheet.column_dimensions[get_column_letter(index)].width = min(max(len(str(header)), 10), 50)
    return workbook_bytes(workbook)


def table_response(rows: Sequence[Sequence[object]], filename: str, fmt: str) -> HttpResponse:
    """An attachment response in `fmt` ("csv" or "xlsx")."""
    if fmt == "xlsx":
        response = HttpResponse(to_xlsx(rows, filename), content_type=XLSX_TYPE)
    else:
        response = HttpResponse(to_csv(rows), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}.{fmt}"'
    return response


def badges_pdf(event: RestitutionEvent, registrations: Sequence[Registration]) -> bytes:
    """Name badges, eight to an A4 page, in black on white to spare ink."""
    html = render_to_string("www/meetings/badges.html", {"event": event, "registrations": registrations})
    return html_to_pdf(html)


def minutes_pdf(context: dict[str, object]) -> bytes:
    """The minutes as a PDF: attendance, text, decision record and satisfaction results."""
    return html_to_pdf(render_to_string("www/meetings/minutes_print.html", context))


def minutes_docx(context: dict[str, Any]) -> bytes:
    """The minutes as a Word document, for ADEME's own reports (the CCTP asks for Word)."""
    from docx import Document

    meeting, minutes = context["meeting"], context["minutes"]
    document = Document()
    document.add_heading(meeting.title, level=0)
    start = timezone.localtime(meeting.starts_at)
    document.add_paragraph(
        f"{MeetingKind(meeting.kind).label} — {formats.date_format(start, 'l j F Y H:i')} — "
        f"{meeting.place or meeting.video_link}"
    )
    document.add_paragraph(f"{_('Status')} : {minutes.get_status_display()}")
    document.add_heading(str(_("Attendance")), level=1)
    for invitation in context["invitations"]:
        document.add_paragraph(
            f"{invitation.user} — {invitation.get_attendance_display()}", style="List Bullet"
        )
    for guest in context["guests"]:
        document.add_paragraph(f"{guest} — {guest.get_attendance_display()}", style="List Bullet")
    document.add_heading(str(_("Minutes")), level=1)
    _markdown_to_docx(document, minutes.body)
    decisions = list(context["decisions"])
    if decisions:
        document.add_heading(str(_("Decision record")), level=1)
        table = document.add_table(rows=1, cols=5)
        table.style = "Table Grid"
        for cell, title in zip(
            table.rows[0].cells,
            [_("No."), _("Decision or action"), _("Owner"), _("Due on"), _("Status")],
            strict=True,
        ):
            cell.text = str(title)
        for decision in decisions:
            row = table.add_row().cells
            row[0].text = str(decision.number)
            row[1].text = decision.text
            row[2].text = decision.owner_display
            row[3].text = formats.date_format(decision.due_on, "d/m/Y") if decision.due_on else ""
            row[4].text = decision.get_status_display()
    results = context.get("results")
    if results is not None:
        document.add_heading(str(_("Participants' satisfaction")), level=1)
        rate = results.response_rate
        document.add_paragraph(
            str(_("%(responded)d answers out of %(invited)d people asked"))
            % {"responded": results.responded, "invited": results.invited}
            + (f" ({rate} %)" if rate is not None else "")
        )
        for result in results.questions:
            line = result.question.text
            if result.mean is not None:
                line += f" — {_('mean')} {result.mean}"
            document.add_paragraph(line, style="List Bullet")
            for comment in result.comments:
                document.add_paragraph(f"« {comment} »")
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def _markdown_to_docx(document: Any, text: str) -> None:
    """Headings, bullet and numbered lists and paragraphs; inline marks are kept as typed."""
    for line in text.splitlines():
        stripped = line.strip()
        if not stripped:
            continue
        if stripped.startswith("#"):
            level = min(len(stripped) - len(stripped.lstrip("#")) + 1, 4)
            document.add_heading(stripped.lstrip("#").strip(), level=level)
        elif stripped[:2] in ("- ", "* "):
            document.add_paragraph(stripped[2:], style="List Bullet")
        elif stripped.split(".", 1)[0].isdigit() and ". " in stripped[:5]:
            document.add_paragraph(stripped.split(". ", 1)[1], style="List Number")
        else:
            document.add_paragraph(stripped)
