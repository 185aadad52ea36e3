"""One way to export tables: rows in (header first), CSV or XLSX bytes out; badges as a PDF (a label
sheet, only ever printed: its own template, no Word version); and the minutes as a document model."""

from __future__ import annotations

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
from sobrindustrie.deliverables.document import Document
from sobrindustrie.meetings.enums import MeetingKind
from sobrindustrie.meetings.models import Registration, RestitutionEvent
from sobrindustrie.meetings.results import question_lines

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


def minutes_document(context: dict[str, Any]) -> Document:
    """The minutes of one meeting as a document model (attendance, text, decision record, satisfaction),
    rendered to PDF and DOCX by `deliverables.document`."""
    meeting, minutes = context["meeting"], context["minutes"]
    document = Document(meeting.title)
    start, end = timezone.localtime(meeting.starts_at), timezone.localtime(meeting.ends_at)
    document.paragraph(
        f"{MeetingKind(meeting.kind).label} — {formats.date_format(start, 'l j F Y, H:i')} – "
        f"{formats.time_format(end, 'H:i')} — {meeting.place or meeting.video_link}"
    )
    status = str(minutes.get_status_display())
    if minutes.validated_at:
        status += (
            " ("
            + _("validated on %(date)s") % {"date": formats.date_format(minutes.validated_at, "d/m/Y")}
            + ")"
        )
    document.paragraph(f"{_('Minutes')} : {status}")
    document.heading(_("Attendance"))
    attendance = [
        f"{invitation.user}"
        + (f" ({invitation.user.organisation.name})" if invitation.user.organisation_id else "")
        + f" — {invitation.get_attendance_display()}"
        for invitation in context["invitations"]
    ]
    attendance += [f"{guest} — {guest.get_attendance_display()}" for guest in context["guests"]]
    document.bullets(attendance)
    document.heading(_("Minutes"))
    document.markdown(minutes.body, level=2)
    decisions = list(context["decisions"])
    if decisions:
        document.heading(_("Decision record"))
        document.table(
            [_("No."), _("Decision or action"), _("Owner"), _("Due on"), _("Status")],
            [
                [
                    decision.number,
                    f"{decision.get_kind_display()} : {decision.text}",
                    decision.owner_display,
                    formats.date_format(decision.due_on, "d/m/Y") if decision.due_on else "",
                    decision.get_status_display(),
                ]
                for decision in decisions
            ],
        )
    results = context.get("results")
    if results is not None:
        document.heading(_("Participants' satisfaction"))
        if results.response_rate is not None:
            document.paragraph(
                _("%(responded)s answers out of %(invited)s people asked: a response rate of %(rate)s %%.")
                % {"responded": results.responded, "invited": results.invited, "rate": results.response_rate}
            )
        else:
            document.paragraph(_("Nobody has been asked yet."))
        for line in question_lines(results):
            document.paragraph(line.text, "strong")
            if line.rows:
                document.table(line.header, line.rows, row_headers=True)
            document.bullets(f"« {comment} »" for comment in line.comments)
    return document
