"""The main menu as data: sections of links, each shown to the roles that can use it.

A link names a URL and whether it takes the current programme's slug. The menu is built per
request for the user's role and the programme in view (the one in the URL, else the user's own).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from sobrindustrie.accounts.enums import Role

if TYPE_CHECKING:
    from django.http import HttpRequest

    from sobrindustrie.accounts.models import User
    from sobrindustrie.programmes.models import Programme

OVERVIEW = frozenset({Role.ADEME, Role.CONSULTANT, Role.STAFF})
MANAGERS = frozenset({Role.CONSULTANT, Role.STAFF})
MEMBERS = frozenset({Role.SME, Role.PARTNER})
EVERYONE = OVERVIEW | MEMBERS


@dataclass(frozen=True)
class Link:
    label: Promise
    url_name: str
    roles: frozenset[str]
    with_slug: bool = True
    with_organisation: bool = False


MENU: tuple[tuple[Promise, tuple[Link, ...]], ...] = (
    (
        _("Programme"),
        (
            Link(_("Dashboard"), "www:programme_dashboard", OVERVIEW),
            Link(_("Organisations"), "www:organisation_list", OVERVIEW),
            Link(_("Obligations"), "www:obligations", OVERVIEW),
            Link(_("Time spent"), "www:time_entries", OVERVIEW),
            Link(_("My organisation"), "www:organisation_detail", MEMBERS, False, True),
            Link(_("My production means"), "www:inventory", MEMBERS, False, True),
        ),
    ),
    (
        _("Cooperation"),
        (
            Link(_("Map of cooperations"), "www:cooperation_map", OVERVIEW),
            Link(_("Opportunities"), "www:opportunity_list", OVERVIEW | {Role.SME}),
            Link(_("Team formation"), "www:team_formation", OVERVIEW),
            Link(_("Synthesis of collaborations (L1.4)"), "www:cooperation_synthesis", OVERVIEW),
        ),
    ),
    (
        _("Teams"),
        (
            Link(_("Project teams"), "www:team_list", OVERVIEW),
            Link(_("My teams"), "www:my_teams", MEMBERS, False),
            Link(_("Prospecting"), "www:prospect_table", OVERVIEW),
            Link(_("Partners' committee"), "www:committee", OVERVIEW),
            Link(_("Action plans"), "www:action_plan_overview", OVERVIEW),
            Link(_("Difficulties raised"), "www:difficulty_list", OVERVIEW),
            Link(_("Lessons learned"), "www:experience_notes", EVERYONE),
        ),
    ),
    (
        _("Meetings"),
        (
            Link(_("Meetings"), "www:meeting_list", EVERYONE),
            Link(_("Calendar"), "www:meeting_calendar", EVERYONE),
            Link(_("Minutes to validate"), "www:minutes_pending", OVERVIEW),
            Link(_("My calendar feed"), "www:my_calendar", EVERYONE, False),
        ),
    ),
)


def _role(user: User) -> str:
    return Role.STAFF if user.is_platform_staff else user.role


def current_programme(request: HttpRequest) -> Programme | None:
    from sobrindustrie.programmes.models import Programme

    user = request.user
    visible = Programme.objects.visible_to(user)  # type: ignore[arg-type]
    match = request.resolver_match
    slug = match.kwargs.get("slug") if match else None
    if slug:
        found = visible.filter(slug=slug).first()
        if found:
            return found
    return visible.first()


def build_menu(request: HttpRequest) -> list[dict[str, Any]]:
    user = request.user
    if not user.is_authenticated:
        return []
    role = _role(user)  # type: ignore[arg-type]
    programme = current_programme(request)
    sections = []
    for label, links in MENU:
        items = []
        for link in links:
            if role not in link.roles:
                continue
            if link.with_slug and programme is None:
                continue
            if link.with_organisation:
                if not user.organisation_id:  # type: ignore[union-attr]
                    continue
                url = reverse(link.url_name, args=[user.organisation_id])  # type: ignore[union-attr]
            else:
                url = reverse(link.url_name, args=[programme.slug] if link.with_slug else [])  # type: ignore[union-attr]
            items.append({"label": link.label, "url": url, "current": request.path == url})
        if items:
            sections.append({"label": label, "items": items, "current": any(i["current"] for i in items)})
    return sections
