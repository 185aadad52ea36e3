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
            Link(_("People"), "www:people", OVERVIEW),
            Link(_("Obligations"), "www:obligations", OVERVIEW),
            Link(_("Time spent"), "www:time_entries", OVERVIEW),
            Link(_("Deliverables and reports"), "www:deliverable_registry", OVERVIEW),
            Link(_("My organisation"), "www:organisation_detail", MEMBERS, False, True),
            Link(_("My production means"), "www:inventory", MEMBERS, False, True),
        ),
    ),
    (
        _("Diagnostics"),
        (
            Link(_("Diagnostics"), "www:diagnostic_list", OVERVIEW),
            Link(_("My diagnostic"), "www:diagnostic_mine", frozenset({Role.SME}), False),
            Link(_("Diagnostic method"), "www:method_list", OVERVIEW),
            Link(_("Candidacy import"), "www:candidacy_import", MANAGERS),
            Link(_("Synthesis of needs (L1.2)"), "www:synthesis", OVERVIEW),
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
        _("Funding"),
        (
            Link(_("Actions needing funding"), "www:funding_needs", OVERVIEW),
            Link(_("Funding schemes"), "www:funding_scheme_list", EVERYONE),
            Link(_("Application grid (L3.2)"), "www:programme_funding_grid", OVERVIEW),
            Link(_("Interviews with funders (L3.1)"), "www:funder_interviews", OVERVIEW),
            Link(_("Funding obtained (L3.3)"), "www:funding_synthesis", OVERVIEW),
            Link(
                _("My funding eligibility"),
                "www:organisation_eligibility",
                frozenset({Role.SME}),
                False,
                True,
            ),
        ),
    ),
    (
        _("Evaluation"),
        (
            Link(_("Environmental evaluations"), "www:evaluation_list", EVERYONE),
            Link(_("Synthesis of evaluations (L4.2)"), "www:evaluation_synthesis", OVERVIEW),
            Link(_("Travel log"), "www:travel_log", OVERVIEW),
            Link(_("Eco-responsibility criteria"), "www:eco_criteria", OVERVIEW),
        ),
    ),
    (
        _("Documents"),
        (
            Link(_("Collaborative space"), "www:space_list", EVERYONE),
            Link(_("News and webinars"), "www:post_list", EVERYONE),
            Link(_("Search"), "www:search", EVERYONE),
            Link(_("COPIL validation"), "www:copil_queue", OVERVIEW),
            Link(_("Comments"), "www:comment_list", OVERVIEW),
            Link(_("Public showcase"), "www:showcase_manage", MANAGERS),
            Link(_("Notifications"), "www:notification_list", EVERYONE, False),
            Link(_("API tokens"), "api:token_list", EVERYONE, False),
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
    """The complete menu for the request's user; built once per request (header and pages share it)."""
    cached: list[dict[str, Any]] | None = getattr(request, "_sobrindustrie_menu", None)
    if cached is None:
        cached = _build_menu(request)
        request._sobrindustrie_menu = cached  # type: ignore[attr-defined]
    return cached


def _build_menu(request: HttpRequest) -> list[dict[str, Any]]:
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


def build_header_menu(request: HttpRequest) -> list[dict[str, Any]]:
    """The header's menu: one link per section, to the section's first page for the role.

    The complete menu is on the site map (and the programme dashboard): repeating forty links in
    every page's header would weigh on every page for the few times they are used.
    """
    return [{**section["items"][0], "label": section["label"]} for section in build_menu(request)]
