"""Spreadsheets of this area: the contact-tracking grid (deliverable L1.6) and the committee roster.

Both are plain tables (bold header, frozen first row, filters on every column, wrapped long text)
that LibreOffice and Excel open as they are; dates are real dates, not text, so they sort and filter.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from collections.abc import Sequence
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from sobrindustrie.core.spreadsheets import append_row, workbook_bytes
from sobrindustrie.programmes.models import Programme
from sobrindustrie.teams.enums import ProspectStatus
from sobrindustrie.teams.models import CommitteeMember, CommitteeSubgroup, ProjectTeam, Prospect

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DATE_FORMAT = "DD/MM/YYYY"
_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")


def sheet_title(name: str, taken: set[str]) -> str:
    """A sheet name Excel accepts (31 characters, none of []:*?/\\), unique in the workbook."""
    base = _FORBIDDEN.sub("-", name).strip("' ")[:31] or "Sheet"
    title, index = base, 2
    while title.lower() in taken:
        suffix = f" ({index})"
        title, index = base[: 31 - len(suffix)] + suffix, index + 1
    taken.add(title.lower())
    return title


def _table(
    sheet: Worksheet, header: Sequence[str], rows: Sequence[Sequence[Any]], widths: Sequence[int]
) -> None:
    append_row(sheet, header)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    for row in rows:
        append_row(sheet, row)
    for row in sheet.iter_rows(min_row=2):
        for cell in row:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
            if hasattr(cell.value, "year"):
                cell.number_format = DATE_FORMAT
    sheet.freeze_panes = "A2"
    sheet.auto_filter.ref = sheet.dimensions
    for index, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width


def _contact_lines(prospect: Prospect) -> str:
    return "\n".join(
        f"{c.contacted_on:%d/%m/%Y} — {c.get_channel_display()} — {c.made_by} — {c.outcome}"
        for c in prospect.contacts.all()
    )


GRID_WIDTHS = (28, 16, 18, 16, 40, 24, 22, 28, 14, 9, 12, 60, 32, 12)


def _grid_header() -> list[str]:
    return [
        _("Structure"),
        _("Kind"),
        _("Commune"),
        _("Sought for"),
        _("Why it is sought"),
        _("Solution concerned"),
        _("Contact person"),
        _("Contact details"),
        _("Status"),
        _("Contacts made"),
        _("Last contact"),
        _("Contact history (date — channel — by — outcome)"),
        _("Next step"),
        _("Due on"),
    ]


def _grid_row(prospect: Prospect) -> list[Any]:
    person = prospect.contact_person
    contacts = list(prospect.contacts.all())
    organisation = prospect.organisation
    return [
        organisation.name,
        organisation.get_kind_display(),
        organisation.city,
        prospect.get_sought_display(),
        prospect.reason,
        prospect.get_solution_display() if prospect.solution else "",
        f"{person}{f', {person.job_title}' if person.job_title else ''}" if person else "",
        " / ".join(filter(None, [person.email, person.phone])) if person else "",
        prospect.get_status_display(),
        len(contacts),
        contacts[0].contacted_on if contacts else None,
        _contact_lines(prospect),
        prospect.next_step,
        prospect.next_step_due,
    ]


def contact_grid_xlsx(
    programme: Programme,
    teams: Sequence[ProjectTeam],
    prospects: Sequence[Prospect],
    exported_on: dt.date | None = None,
) -> bytes:
    """The L1.6 grid: a summary sheet, then one sheet per team listing every structure approached.

    `prospects` must come with `contacts` (and their `made_by`) prefetched, newest contact first.
    `exported_on` is the date printed under the summary (today by default).
    """
    workbook = Workbook()
    taken: set[str] = set()
    summary = workbook.active
    summary.title = sheet_title(_("Summary"), taken)
    by_team: dict[int, list[Prospect]] = {team.pk: [] for team in teams}
    for prospect in prospects:
        by_team.setdefault(prospect.team_id, []).append(prospect)
    statuses = list(ProspectStatus)
    rows = []
    for team in teams:
        counts = Counter(p.status for p in by_team[team.pk])
        contacts = sum(len(p.contacts.all()) for p in by_team[team.pk])
        rows.append(
            [
                team.name,
                team.get_theme_display(),
                len(by_team[team.pk]),
                contacts,
                *(counts[s] for s in statuses),
            ]
        )
    totals = [_("Total"), "", sum(r[2] for r in rows), sum(r[3] for r in rows)]
    totals += [sum(r[4 + i] for r in rows) for i in range(len(statuses))]
    header = [
        _("Team"),
        _("Theme"),
        _("Structures approached"),
        _("Contacts made"),
        *(str(s.label) for s in statuses),
    ]
    # The totals row comes after the table so that sorting or filtering the teams leaves it in place.
    _table(summary, header, rows, (32, 30, 14, 12, *(12 for _s in statuses)))
    append_row(summary, totals)
    for cell in summary[summary.max_row]:
        cell.font = Font(bold=True)
    summary.append([])
    summary.append(
        [
            _("Contact-tracking grid (L1.6) — %(programme)s — exported on %(date)s")
            % {"programme": programme.name, "date": f"{exported_on or timezone.localdate():%d/%m/%Y}"}
        ]
    )
    for team in teams:
        sheet = workbook.create_sheet(sheet_title(team.name, taken))
        _table(sheet, _grid_header(), [_grid_row(p) for p in by_team[team.pk]], GRID_WIDTHS)
    return workbook_bytes(workbook)


def committee_roster_xlsx(
    programme: Programme, members: Sequence[CommitteeMember], subgroups: Sequence[CommitteeSubgroup]
) -> bytes:
    """The partners' committee: one row per representative, then the sub-groups.

    `members` come with `people`, `subgroups` and the organisation's commune prefetched, `subgroups`
    with their current members.
    """
    workbook = Workbook()
    taken: set[str] = set()
    roster = workbook.active
    roster.title = sheet_title(_("Committee"), taken)
    rows = []
    for member in members:
        organisation = member.organisation
        groups = ", ".join(g.name for g in member.subgroups.all())
        base = [
            organisation.name,
            organisation.get_kind_display(),
            organisation.city,
            member.expertise,
            ", ".join(member.solution_labels),
            groups,
            member.joined_on,
            member.left_on,
        ]
        people = [p for p in member.people.all() if p.erased_on is None] or [None]
        for person in people:
            rows.append(
                [
                    *base,
                    str(person) if person else "",
                    person.job_title if person else "",
                    person.email if person else "",
                    person.phone if person else "",
                ]
            )
    header = [
        _("Structure"),
        _("Kind"),
        _("Commune"),
        _("Expertise"),
        _("Solutions of expertise"),
        _("Sub-groups"),
        _("Joined on"),
        _("Left on"),
        _("Representative"),
        _("Job title"),
        _("E-mail"),
        _("Phone"),
    ]
    _table(roster, header, rows, (30, 16, 18, 40, 30, 26, 12, 12, 22, 22, 28, 18))
    sheet = workbook.create_sheet(sheet_title(_("Sub-groups"), taken))
    group_rows = [
        [
            g.name,
            g.topic,
            g.team.name if g.team else "",
            ", ".join(g.works_on_labels),
            ", ".join(m.organisation.name for m in g.members.all()),
        ]
        for g in subgroups
    ]
    _table(
        sheet,
        [_("Sub-group"), _("Topic"), _("Project team"), _("Joins"), _("Members")],
        group_rows,
        (28, 36, 28, 30, 50),
    )
    return workbook_bytes(workbook)
