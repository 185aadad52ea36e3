"""The team summary sheet (deliverable L1.7): who is in the team, where, what binds them, what for.

`build_team_sheet` gathers the data once and `team_sheet_document` makes it a document model; the
web page, the PDF and the DOCX are renderings of that one model, so they never disagree.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from functools import partial

from django.utils import formats, timezone
from django.utils.translation import gettext as _

from sobrindustrie.core.enums import Solution
from sobrindustrie.core.svgmap import MapLink, MapPoint, ProjectedMap, project
from sobrindustrie.deliverables.document import Document
from sobrindustrie.deliverables.document.figures import map_png, map_svg
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


def team_sheet_document(sheet: TeamSheet, author: str = "Sobr'Industrie") -> Document:
    """The sheet as a document model: rendered to PDF and DOCX by `deliverables.document`, and shown
    on the sheet's page."""
    title = _("Team summary sheet (L1.7)") + " — " + sheet.team.name
    document = Document(title, banner="Sobr'Industrie — ADEME Provence-Alpes-Côte d'Azur", author=author)
    document.definitions(
        [
            (_("Theme"), sheet.theme),
            (_("Status"), sheet.status),
            (_("Programme"), sheet.team.programme.name),
            (_("Sheet generated on"), formats.date_format(sheet.generated_on, "d/m/Y")),
        ]
    )
    document.heading(_("Objectives"))
    if sheet.objectives.strip():
        document.lines(sheet.objectives)
    else:
        document.paragraph(_("Not written yet."))
    document.heading(_("Members"))
    if sheet.laureates:
        document.table(
            [_("Organisation"), _("Role"), _("Commune"), _("People")],
            [
                [
                    member.name,
                    member.role,
                    f"{member.city} ({member.department})" if member.department else member.city,
                    ", ".join(member.people),
                ]
                for member in sheet.laureates
            ],
            caption=_("Laureate SMEs"),
        )
    else:
        document.note(_("Laureate SMEs") + " : " + _("None yet."))
    map_title = _("Where the team's members are")
    located = [point.label for _x, _y, point in sheet.map.points]
    document.figure(
        _("Members (points) and the cooperations between them (lines)."),
        f"{map_title}: {', '.join(located) or _('no member located yet')}; "
        + _("%(count)s cooperations drawn between them.") % {"count": len(sheet.map.links)},
        png=partial(map_png, sheet.map),
        svg=map_svg(sheet.map, map_title),
        width_cm=8,
    )
    document.heading(_("Partners engaged"))
    if sheet.partners:
        document.table(
            [_("Structure"), _("Kind"), _("Role"), _("Commune"), _("People")],
            [
                [member.name, member.kind, member.role, member.city, ", ".join(member.people)]
                for member in sheet.partners
            ],
            caption=_("Outside structures in the team"),
        )
    else:
        document.paragraph(_("None yet."))
    document.heading(_("Cooperations that bind the members"))
    if sheet.cooperations:
        document.bullets([f"{c.solution_label} — {c.text}" for c in sheet.cooperations])
        document.paragraph(
            _("Found by the cooperation analysis on the members' machines, needs and offers."), "small"
        )
    else:
        document.paragraph(_("No cooperation found between the members' needs, offers and machines yet."))
    if sheet.former:
        document.heading(_("Former members"))
        document.bullets(sheet.former)
    return document
