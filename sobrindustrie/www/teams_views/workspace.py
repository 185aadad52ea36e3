"""What other areas contribute to a team's workspace, read only when those areas exist.

The workspace shows real data only: an area that is not built yet, or holds nothing for the team,
contributes no section at all (no placeholder text).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.apps import apps
from django.urls import NoReverseMatch, reverse

from sobrindustrie.teams.models import ProjectTeam

#: Meeting kinds of the partners' committee in the meetings area.
COMMITTEE_MEETING_KINDS = ("partners_committee", "partners_subgroup")


@dataclass(frozen=True)
class MeetingLine:
    title: str
    kind: str
    starts_at: Any
    status: str
    url: str


def _meeting_model() -> Any:
    try:
        return apps.get_model("meetings", "Meeting")
    except LookupError:
        return None


def _url(name: str, *args: Any) -> str:
    try:
        return reverse(name, args=args)
    except NoReverseMatch:
        return ""


def _lines(meetings: Any) -> list[MeetingLine]:
    return [
        MeetingLine(
            m.title,
            m.get_kind_display(),
            m.starts_at,
            m.get_status_display(),
            _url("www:meeting_detail", m.pk),
        )
        for m in meetings
    ]


def team_meetings(team: ProjectTeam, user: Any) -> list[MeetingLine]:
    """The meetings concerning the team that the user may see (the meetings area decides who)."""
    meeting = _meeting_model()
    if meeting is None:
        return []
    queryset = (
        meeting.objects.visible_to(user)
        .filter(programme_id=team.programme_id, teams=team)
        .only("pk", "title", "kind", "starts_at", "status")
        .order_by("starts_at", "pk")
    )
    return _lines(queryset)


#: The committee page lists the latest committee meetings; the meetings list holds them all (a
#: programme at scale has hundreds, which made the page too heavy).
COMMITTEE_MEETINGS_SHOWN = 12


def committee_meetings(programme: Any, user: Any) -> list[MeetingLine]:
    """The latest `COMMITTEE_MEETINGS_SHOWN` committee meetings, in date order."""
    meeting = _meeting_model()
    if meeting is None:
        return []
    queryset = (
        meeting.objects.visible_to(user)
        .filter(programme=programme, kind__in=COMMITTEE_MEETING_KINDS)
        .order_by("-starts_at", "-pk")[:COMMITTEE_MEETINGS_SHOWN]
    )
    return list(reversed(_lines(queryset)))


def committee_meetings_url(programme: Any) -> str:
    return _url("www:meeting_list", programme.slug)


@dataclass(frozen=True)
class ActionPlanLink:
    exists: bool
    ambition: str
    url: str
    sheet_url: str


def action_plan_link(team: ProjectTeam, can_manage: bool) -> ActionPlanLink | None:
    """The team's priority action plan (actions plans area): shown when it exists, or to the people
    who manage the team so that they can start it; nothing otherwise."""
    try:
        plan_model = apps.get_model("actionplans", "ActionPlan")
    except LookupError:
        return None
    url = _url("www:action_plan", team.pk)
    if not url:
        return None
    plan = plan_model.objects.filter(team=team).only("pk", "ambition").first()
    if plan is None and not can_manage:
        return None
    return ActionPlanLink(
        exists=plan is not None,
        ambition=plan.ambition if plan is not None else "",
        url=url,
        sheet_url=_url("www:plan_sheet", team.pk) if plan is not None else "",
    )
