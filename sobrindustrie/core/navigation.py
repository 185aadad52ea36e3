"""The main menu as data: sections of links, each shown to whoever may open it.

A link names a URL and whether it takes the current programme's slug. Who sees it is not written
here: the access model decides (the capability the URL's rule in `www/url_access.py` asks for,
or `needs` when the menu is narrower than the page). The menu is built per request for the user
and the programme in view (the one in the URL, else the user's own).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from sobrindustrie.accounts.access import Access, Capability, access_of
from sobrindustrie.www.url_access import rule_for

if TYPE_CHECKING:
    from django.http import HttpRequest

    from sobrindustrie.programmes.models import Programme


@dataclass(frozen=True)
class Link:
    label: Promise
    url_name: str
    with_slug: bool = True
    #: The URL takes the user's organisation; shown only to users who have one.
    with_organisation: bool = False
    #: A page about the user's own organisation ("My …"): shown only to users who have one.
    mine: bool = False
    #: Show the link to fewer users than the page's rule lets in (e.g. only overseers).
    needs: Capability | None = None

    def shown_to(self, access: Access) -> bool:
        if (self.with_organisation or self.mine) and access.organisation_id is None:
            return False
        capability = self.needs or rule_for(self.url_name)
        return isinstance(capability, Capability) and access.holds(capability)


MENU: tuple[tuple[Promise, tuple[Link, ...]], ...] = (
    (
        _("Programme"),
        (
            Link(_("Dashboard"), "www:programme_dashboard", needs=Capability.OVERSEE_PROGRAMME),
            Link(_("Organisations"), "www:organisation_list"),
            Link(_("People"), "www:people"),
            Link(_("Obligations"), "www:obligations"),
            Link(_("Time spent"), "www:time_entries"),
            Link(_("Deliverables and reports"), "www:deliverable_registry"),
            Link(_("My organisation"), "www:organisation_detail", False, True),
            Link(_("My production means"), "www:inventory", False, True),
        ),
    ),
    (
        _("Diagnostics"),
        (
            Link(_("Diagnostics"), "www:diagnostic_list"),
            Link(_("My diagnostic"), "www:diagnostic_mine", False, mine=True),
            Link(_("Diagnostic method"), "www:method_list"),
            Link(_("Candidacy import"), "www:candidacy_import"),
            Link(_("Synthesis of needs (L1.2)"), "www:synthesis"),
        ),
    ),
    (
        _("Cooperation"),
        (
            Link(_("Map of cooperations"), "www:cooperation_map"),
            Link(_("Opportunities"), "www:opportunity_list"),
            Link(_("Team formation"), "www:team_formation"),
            Link(_("Synthesis of collaborations (L1.4)"), "www:cooperation_synthesis"),
        ),
    ),
    (
        _("Teams"),
        (
            Link(_("Project teams"), "www:team_list"),
            Link(_("My teams"), "www:my_teams", False, mine=True),
            Link(_("Prospecting"), "www:prospect_table"),
            Link(_("Partners' committee"), "www:committee", needs=Capability.OVERSEE_PROGRAMME),
            Link(_("Action plans"), "www:action_plan_overview"),
            Link(_("Difficulties raised"), "www:difficulty_list"),
            Link(_("Lessons learned"), "www:experience_notes"),
        ),
    ),
    (
        _("Funding"),
        (
            Link(_("Actions needing funding"), "www:funding_needs"),
            Link(_("Funding schemes"), "www:funding_scheme_list"),
            Link(_("Application grid (L3.2)"), "www:programme_funding_grid"),
            Link(_("Interviews with funders (L3.1)"), "www:funder_interviews"),
            Link(_("Funding obtained (L3.3)"), "www:funding_synthesis"),
            Link(_("My funding eligibility"), "www:organisation_eligibility", False, True),
        ),
    ),
    (
        _("Evaluation"),
        (
            Link(_("Environmental evaluations"), "www:evaluation_list"),
            Link(_("Synthesis of evaluations (L4.2)"), "www:evaluation_synthesis"),
            Link(_("Travel log"), "www:travel_log"),
            Link(_("Eco-responsibility criteria"), "www:eco_criteria"),
            Link(_("Emission factors"), "www:factor_library"),
        ),
    ),
    (
        _("Documents"),
        (
            Link(_("Collaborative space"), "www:space_list"),
            Link(_("News and webinars"), "www:post_list"),
            Link(_("Search"), "www:search"),
            Link(_("COPIL validation"), "www:copil_queue"),
            Link(_("Comments"), "www:comment_list"),
            Link(_("Public showcase"), "www:showcase_manage"),
            Link(_("Notifications"), "www:notification_list", False),
            Link(_("API tokens"), "api:token_list", False),
        ),
    ),
    (
        _("Meetings"),
        (
            Link(_("Meetings"), "www:meeting_list"),
            Link(_("Calendar"), "www:meeting_calendar"),
            Link(_("Minutes to validate"), "www:minutes_pending"),
            Link(_("My calendar feed"), "www:my_calendar", False),
        ),
    ),
)


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
    access = access_of(user)
    programme = current_programme(request)
    sections = []
    for label, links in MENU:
        items = []
        for link in links:
            if not link.shown_to(access):
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
