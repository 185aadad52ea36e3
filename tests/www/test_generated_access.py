"""Access tests generated from the URLconf and the access model's tables.

Every named URL (`get_resolver()`, every namespace) is requested by every role of the `world`
fixture, and what each gets is derived from two tables, never written out here:
`sobrindustrie/www/url_access.py` (the page's rule) and `accounts.access.ROLE_CAPABILITIES` (the
roles holding it, and at which scope):

    who                                   | expected
    --------------------------------------+---------------------------------------------------
    anonymous                             | the login redirect; public pages anything but 5xx;
                                          | the API a 401; the admin its own login
    a role whose row lacks the capability | 404
    a user of another programme           | 404 on every page about the world's programme
    a role holding it on the programme    | not a 404, on the programme's own pages (slug only)
    anybody                               | never a 5xx

A URL without a rule fails `test_every_url_has_an_access_rule`; a role of the table without a
user in the `world` fixture fails `test_every_role_of_the_table_has_a_world_user`.
"""

from __future__ import annotations

import re
import time
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from sobrindustrie.accounts.access import ROLE_CAPABILITIES, Capability, Scope
from sobrindustrie.accounts.enums import Role
from sobrindustrie.www.url_access import ADMIN, API_TOKEN, PUBLIC, URL_RULES, rule_for
from tests.actionplans.factories import (
    ActionFactory,
    ActionPlanFactory,
    MembershipFactory,
    ProjectTeamFactory,
)
from tests.conftest import World
from tests.diagnostics.factories import DiagnosticFactory
from tests.factories import NeedFactory, PersonFactory, ProductionMeansFactory
from tests.funding.factories import ApplicationFactory
from tests.meetings.factories import MeetingFactory

#: The world's users, by the row of the role table they read. Outsiders work on another programme.
WORLD_USERS: dict[str, str] = {
    "ademe": Role.ADEME,
    "consultant": Role.CONSULTANT,
    "sme": Role.SME,
    "other_sme": Role.SME,
    "partner": Role.PARTNER,
    "staff": Role.STAFF,
    "outsider_consultant": Role.CONSULTANT,
    "outsider_sme": Role.SME,
}
OUTSIDERS = {"outsider_consultant", "outsider_sme"}
#: Programme pages that answer 404 to everyone until some work exists (an empty world has none).
NEEDS_DATA = {
    "www:cooperation_synthesis_pdf": "no cooperation analysis run yet",
    "www:cooperation_synthesis_docx": "no cooperation analysis run yet",
}
ADMIN_USERS = ("anonymous", "sme", "staff")  # the admin checks is_staff itself: a sample suffices

PARAMETER = re.compile(r"<(?:(?P<converter>[^>:]+):)?(?P<name>[^>]+)>")
MISSING = 999_999
TEXT_VALUES = {"fmt": "csv", "file_format": "csv", "language": "en", "direction": "up", "section": "general"}
TEXT_BY_PAGE = {("www:exchange_add", "kind"): "needs", ("www:exchange_delete", "kind"): "needs"}


@dataclass(frozen=True)
class Route:
    pattern: str
    name: str


@dataclass(frozen=True)
class Case:
    """One request to make: a URL name, a world user, and what they must get."""

    name: str
    user: str
    expected: str  # "login", "public", "api 401", "admin login", "404", "reaches", "no 5xx"


def routes() -> list[Route]:
    def walk(patterns: list[Any], prefix: str = "", namespace: str = "") -> Iterator[Route]:
        for entry in patterns:
            if isinstance(entry, URLResolver):
                inner = f"{namespace}:{entry.namespace}" if namespace and entry.namespace else entry.namespace
                yield from walk(entry.url_patterns, prefix + str(entry.pattern), inner or namespace)
            elif isinstance(entry, URLPattern) and entry.name:
                name = f"{namespace}:{entry.name}" if namespace else entry.name
                yield Route(prefix + str(entry.pattern).lstrip("^").rstrip("$"), name)

    seen: dict[str, Route] = {}
    for route in walk(get_resolver().url_patterns):
        seen.setdefault(route.name, route)  # a name used twice: reverse() builds the first
    return list(seen.values())


def _programme_page(route: Route) -> bool:
    """A page of the programme itself: its only object parameter is the programme's slug."""
    names = [m["name"] for m in PARAMETER.finditer(route.pattern)]
    return names == ["slug"] and route.pattern.startswith("programmes/")


def expectation(route: Route, user: str, role: str | None, table: dict[str, dict[Capability, Scope]]) -> str:
    """What `user` (reading row `role` of `table`) must get on `route`, from the tables alone."""
    rule = rule_for(route.name)
    if role is None:
        return {PUBLIC: "public", API_TOKEN: "api 401", ADMIN: "admin login"}.get(str(rule), "login")
    if rule in (PUBLIC, API_TOKEN, ADMIN):
        return "no 5xx"
    scope = table.get(role, {}).get(Capability(rule))
    if scope is None:
        return "404"
    if user in OUTSIDERS and PARAMETER.search(route.pattern):
        return "404"
    if scope in (Scope.ALL, Scope.PROGRAMME) and _programme_page(route) and route.name not in NEEDS_DATA:
        return "reaches"
    return "no 5xx"


def generated_cases(
    all_routes: list[Route], users: dict[str, str], table: dict[str, dict[Capability, Scope]]
) -> list[Case]:
    """Every route × anonymous and every world user (a sample of users for the admin)."""
    cases = []
    for route in all_routes:
        who = ADMIN_USERS if rule_for(route.name) == ADMIN else ("anonymous", *users)
        for user in who:
            role = None if user == "anonymous" else users[user]
            cases.append(Case(route.name, user, expectation(route, user, role, table)))
    return cases


# --- Filling the URLs with the world's objects -----------------------------------------------------


@dataclass
class Objects:
    """One object of each kind the URLs name, all in the world's programme, on its first SME."""

    by_prefix: dict[str, int]

    @classmethod
    def build(cls, world: World) -> Objects:
        team = ProjectTeamFactory(programme=world.programme)
        MembershipFactory(team=team, organisation=world.sme_org)
        MembershipFactory(team=team, organisation=world.partner_org)
        action = ActionFactory(plan=ActionPlanFactory(team=team), lead_organisation=world.sme_org)
        application = ApplicationFactory(action=action, organisation=world.sme_org)
        return cls(
            {
                "organisations/": world.sme_org.pk,
                "organisations/*/*/": NeedFactory(organisation=world.sme_org).pk,
                "moyens/": ProductionMeansFactory(organisation=world.sme_org).pk,
                "personnes/": PersonFactory(organisation=world.sme_org).pk,
                "reunions/": MeetingFactory(programme=world.programme).pk,
                "diagnostics/": DiagnosticFactory(organisation=world.sme_org).pk,
                "equipes/": team.pk,
                "actions/": action.pk,
                "demandes-financement/": application.pk,
            }
        )

    def path(self, route: Route, programme_slug: str) -> str:
        path = route.pattern
        for match in list(PARAMETER.finditer(route.pattern)):
            path = path.replace(match.group(0), str(self._value(route, match, programme_slug)), 1)
        return "/" + path

    def _value(self, route: Route, match: re.Match[str], programme_slug: str) -> Any:
        name, converter = match["name"], match["converter"] or "str"
        if name == "slug" and converter == "slug":
            return programme_slug if route.pattern.startswith("programmes/") else "unknown"
        if converter == "int" or name.endswith("_id") or name.endswith("_pk"):
            return self.by_prefix.get(PARAMETER.sub("*", route.pattern[: match.start()]), MISSING)
        return TEXT_BY_PAGE.get((route.name, name), TEXT_VALUES.get(name, "unknown"))


def _problem(case: Case, status: int, location: str) -> str | None:
    if status >= 500:
        return "server error"
    login = reverse("www:login")
    expected = case.expected
    if expected == "login" and not (status == 302 and location.startswith(login)):
        return "no login redirect"
    if expected == "api 401" and status != 401:
        return "API without 401"
    if expected == "admin login" and status == 200:
        return "admin page without login"
    if expected == "404" and status != 404:
        return "not a 404"
    if expected == "reaches" and (status == 404 or (status == 302 and location.startswith(login))):
        return "refused"
    return None


# --- The tests ----------------------------------------------------------------------------------


def test_every_url_has_an_access_rule() -> None:
    missing = [route.name for route in routes() if rule_for(route.name) is None]
    assert not missing, "URLs without a line in sobrindustrie/www/url_access.py: " + ", ".join(missing)


def test_no_rule_outlives_its_url() -> None:
    names = {route.name for route in routes()}
    assert not set(URL_RULES) - names


def test_public_rules_and_public_views_agree() -> None:
    """A PUBLIC rule goes with a view marked `login_not_required`, and only with one."""
    resolver = get_resolver()
    disagree = []
    for route in routes():
        if route.name.startswith(("admin:", "api:")):
            continue
        view = resolver.resolve(Objects({}).path(route, "paca")).func
        public_view = getattr(view, "login_required", True) is False
        if public_view != (rule_for(route.name) == PUBLIC):
            disagree.append(route.name)
    assert not disagree


def test_every_role_of_the_table_has_a_world_user() -> None:
    assert set(ROLE_CAPABILITIES) <= set(WORLD_USERS.values())


def test_adding_a_role_row_adds_its_cases() -> None:
    """A regional council co-funding the programme: one row in the table (here a copy of ADEME's
    reading rights) and one world user, and the generated cases cover it on every URL."""
    council = "regional_council"
    table = {
        **ROLE_CAPABILITIES,
        council: {Capability.SIGN_IN: Scope.ALL, Capability.VIEW_PROGRAMME: Scope.PROGRAMME},
    }
    users = {**WORLD_USERS, "council": council}
    all_routes = routes()
    cases = [c for c in generated_cases(all_routes, users, table) if c.user == "council"]
    non_admin = [r for r in all_routes if rule_for(r.name) != ADMIN]
    assert len(cases) == len(non_admin)
    by_name = {c.name: c.expected for c in cases}
    assert by_name["www:meeting_list"] == "reaches"
    assert by_name["www:organisation_list"] == "404"  # overseeing is not in its row
    assert by_name["www:programme_list"] == "no 5xx"


@pytest.mark.parametrize("user", ["anonymous", *WORLD_USERS])
def test_every_url_as_every_role(world: World, user: str) -> None:
    objects = Objects.build(world)
    cases = [c for c in generated_cases(routes(), WORLD_USERS, ROLE_CAPABILITIES) if c.user == user]
    by_name = {route.name: route for route in routes()}
    client = world.client(user) if user != "anonymous" else Client()
    client.raise_request_exception = False
    failures = []
    started = time.monotonic()
    for case in cases:
        path = objects.path(by_name[case.name], world.programme.slug)
        response = client.get(path)
        if response.status_code == 405 and case.expected == "404":
            # A POST-only view: whoever must get a 404 must get it when posting too.
            response = client.post(path, {})
        if response.streaming:
            # Reading to the end closes a downloaded file; response.close() would also close the
            # database connection, and with it the test's transaction on PostgreSQL.
            b"".join(response.streaming_content)
        problem = _problem(case, response.status_code, response.get("Location", ""))
        if problem:
            failures.append(f"{path:<70} {case.name:<40} {response.status_code} {case.expected}: {problem}")
    assert not failures, f"{user} ({len(cases)} URLs, {time.monotonic() - started:.0f} s):\n" + "\n".join(
        failures
    )


@pytest.mark.parametrize("user", ["ademe", "consultant", "sme", "partner", "staff"])
def test_the_menu_links_only_to_pages_the_user_may_open(world: World, user: str) -> None:
    """The menu reads the same rules: every link it shows (site map) opens for its reader."""
    DiagnosticFactory(organisation=world.sme_org)  # "my diagnostic" has something to show
    client = world.client(user)
    site_map = client.get(reverse("www:site_map"))
    links = re.findall(
        r'href="(/(?:programmes|organisations|equipes|mon-|notifications|calendrier|api)[^"]*)"',
        site_map.content.decode(),
    )
    assert links
    refused = [link for link in set(links) if client.get(link).status_code in (403, 404)]
    assert not refused
