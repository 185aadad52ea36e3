"""The team summary sheet (deliverable L1.7): who is in the team, where, what binds them, what for.

`build_team_sheet` gathers the data once; the web page, the PDF and the DOCX are three renderings of
the same `TeamSheet`, so they never disagree.
"""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass, field
from typing import Any

from django.template.loader import render_to_string
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from sobrindustrie.core.enums import Solution
from sobrindustrie.core.pdf import html_to_pdf
from sobrindustrie.core.svgmap import MapLink, MapPoint, ProjectedMap, project
from sobrindustrie.teams.cooperations import TeamCooperation, cooperations_between
from sobrindustrie.teams.models import ProjectTeam, TeamMembership


@dataclass(frozen=True)
class SheetMember:
    organisation_id: int
    name: str
    kind: str
    role: str
    city: str
    department: str
    people: tuple[str, ...]
    joined_on: dt.date
    is_laureate: bool


@dataclass
class TeamSheet:
    team: ProjectTeam
    theme: str
    status: str
    objectives: str
    laureates: list[SheetMember]
    partners: list[SheetMember]
    cooperations: list[TeamCooperation]
    map: ProjectedMap
    generated_on: dt.date
    former: list[str] = field(default_factory=list)

    @property
    def members(self) -> list[SheetMember]:
        return [*self.laureates, *self.partners]


def _member(membership: TeamMembership) -> SheetMember:
    organisation = membership.organisation
    people = tuple(
        f"{p}{f' ({p.job_title})' if p.job_title else ''}"
        for p in membership.people.all()
        if p.erased_on is None
    )
    return SheetMember(
        organisation_id=organisation.pk,
        name=organisation.name,
        kind=organisation.get_kind_display(),
        role=membership.get_role_display(),
        city=organisation.city,
        department=organisation.department_code,
        people=people,
        joined_on=membership.joined_on,
        is_laureate=organisation.is_laureate,
    )


def build_team_sheet(team: ProjectTeam) -> TeamSheet:
    memberships = list(team.memberships.select_related("organisation__commune").prefetch_related("people"))
    current = [m for m in memberships if m.left_on is None]
    organisations = [m.organisation for m in current]
    cooperations = cooperations_between(organisations)
    points = {
        org.pk: MapPoint(org.latitude, org.longitude, f"{org.name} ({org.city})")
        for org in organisations
        if org.latitude is not None and org.longitude is not None
    }
    links = [
        MapLink(points[c.provider_id], points[c.receiver_id], 1.5)
        for c in cooperations
        if c.provider_id in points and c.receiver_id in points
    ]
    members = [_member(m) for m in current]
    return TeamSheet(
        team=team,
        theme=str(Solution(team.theme).label) if team.theme in Solution.values else team.theme,
        status=team.get_status_display(),
        objectives=team.objectives,
        laureates=[m for m in members if m.is_laureate],
        partners=[m for m in members if not m.is_laureate],
        cooperations=cooperations,
        map=project(points.values(), links),
        generated_on=timezone.localdate(),
        former=[
            f"{m.organisation.name} ({m.joined_on:%d/%m/%Y} – {m.left_on:%d/%m/%Y})"
            for m in memberships
            if m.left_on is not None
        ],
    )


def team_sheet_docx(sheet: TeamSheet) -> bytes:
    """The sheet as a Word document: headings, tables and lists only, light and easy to edit."""
    from docx import Document  # imported here: only this export needs it

    document = Document()
    document.core_properties.title = _("Team summary sheet — %s") % sheet.team.name
    document.core_properties.author = "Sobr'Industrie"
    document.add_heading(_("Team summary sheet (L1.7)"), level=0)
    document.add_heading(sheet.team.name, level=1)
    document.add_paragraph(f"{_('Theme')} : {sheet.theme}")
    document.add_paragraph(f"{_('Status')} : {sheet.status}")
    document.add_paragraph(
        _("Programme: %(programme)s — sheet of %(date)s")
        % {"programme": sheet.team.programme.name, "date": formats.date_format(sheet.generated_on, "j F Y")}
    )
    document.add_heading(_("Objectives"), level=2)
    for line in (sheet.objectives or _("Not written yet.")).splitlines():
        if line.strip():
            document.add_paragraph(line.strip())
    for title, members in ((_("Laureate SMEs"), sheet.laureates), (_("Partners engaged"), sheet.partners)):
        document.add_heading(title, level=2)
        if not members:
            document.add_paragraph(_("None yet."))
            continue
        table = document.add_table(rows=1, cols=4)
        table.style = "Table Grid"
        for cell, text in zip(
            table.rows[0].cells, [_("Organisation"), _("Role"), _("Commune"), _("People")], strict=True
        ):
            cell.text = text
        for member in members:
            row = table.add_row().cells
            row[0].text = f"{member.name} ({member.kind})"
            row[1].text = member.role
            row[2].text = f"{member.city} ({member.department})" if member.department else member.city
            row[3].text = ", ".join(member.people)
    document.add_heading(_("Cooperations that bind the members"), level=2)
    if sheet.cooperations:
        for cooperation in sheet.cooperations:
            document.add_paragraph(f"{cooperation.solution_label} — {cooperation.text}", style="List Bullet")
    else:
        document.add_paragraph(_("No cooperation found between the members' needs, offers and machines yet."))
    if sheet.former:
        document.add_heading(_("Former members"), level=2)
        for line in sheet.former:
            document.add_paragraph(line, style="List Bullet")
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def print_context(sheet: TeamSheet) -> dict[str, Any]:
    """What the sheet's print template reads; its map colours the shapes with SVG attributes, the
    only ones WeasyPrint follows."""
    return {"sheet": sheet, "team": sheet.team, "map_template": "www/teams/svgmap_print.html"}


def team_sheet_pdf(context: dict[str, Any]) -> bytes:
    """The sheet as PDF, from `print_context(sheet)` (plus `author`, "Sobr'Industrie" by default)."""
    html = render_to_string("www/teams/sheet_print.html", context)
    return html_to_pdf(html)
