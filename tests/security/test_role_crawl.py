"""Every URL of the URL configuration, requested (GET) as every role of the demo and anonymously.

The crawl walks `get_resolver()`, so a page added tomorrow is crawled without anyone editing
this file. Path parameters are filled from the loaded demo programme, preferring the objects of
one SME ("SME A") so that another SME's requests test the isolation between companies.

What must hold, for every URL:

    who                 | expected
    --------------------+-------------------------------------------------------------------
    anybody             | never a server error (5xx)
    anonymous           | the login redirect, except the public pages (`_public`: anything but a
                        | 5xx) and the API (401 in JSON); admin pages: a login
    SME B (another SME) | never 200 on SME A's organisation, inventory, people, diagnostics

Only GET requests are made: a crawl must not change the data it crawls (POST-only views
answer 405, which is checked like any other answer).
"""

from __future__ import annotations

import importlib
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from django.apps import apps
from django.core.exceptions import FieldError
from django.db import models
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from sobrindustrie.accounts.enums import Role
from sobrindustrie.accounts.models import User
from sobrindustrie.demo.loader import AREAS, load_demo, read_demo_data
from sobrindustrie.organisations.enums import OrganisationKind
from sobrindustrie.organisations.models import Organisation
from sobrindustrie.programmes.models import Programme
from sobrindustrie.teams.models import TeamMembership
from sobrindustrie.www import url_access
from sobrindustrie.www.url_access import rule_for


def _public(name: str) -> bool:
    """Pages anyone may open without logging in: those of the PUBLIC rule in `www.url_access`, their
    one home."""
    return rule_for(name) == url_access.PUBLIC


# Where an integer path parameter comes from, by the pattern text before it (other parameters
# written as *): (model, path from the model to SME A's organisation or "", parent lookup).
# The parent lookup ties a second parameter to the first (a meeting's document).
SOURCES: dict[str, tuple[str, str, str]] = {
    "organisations/": ("organisations.Organisation", "pk", ""),
    "organisations/*/*/": ("organisations.Need", "organisation", "organisation"),
    "moyens/": ("organisations.ProductionMeans", "organisation", ""),
    "personnes/": ("organisations.Person", "organisation", ""),
    "reunions/": ("meetings.Meeting", "", ""),
    "reunions/*/documents/": ("meetings.MeetingDocument", "", "meeting"),
    "reunions/*/decisions/": ("meetings.Decision", "", "meeting"),
    "reunions/*/enquete/questions/": ("meetings.SurveyQuestion", "", "survey__meeting"),
    "reunions/*/evenement/logistique/": ("meetings.ChecklistItem", "", ""),
    "reunions/*/evenement/inscriptions/": ("meetings.Registration", "", ""),
    "temps/": ("meetings.TimeEntry", "", ""),
    "candidatures/imports/": ("diagnostics.CandidacyImport", "", ""),
    "methodes/": ("diagnostics.MethodVersion", "", ""),
    "diagnostics/": ("diagnostics.Diagnostic", "organisation", ""),
    "diagnostics/*/sessions/": ("diagnostics.DiagnosticSession", "", "diagnostic"),
    "diagnostics/*/signaux/": ("diagnostics.CooperationSignal", "", "diagnostic"),
    "opportunites/": ("diagnostics.Opportunity", "diagnostic__organisation", ""),
    "cooperation/contraintes/": ("cooperation.TeamConstraint", "", ""),
    "cooperation/scenarios/": ("cooperation.Scenario", "", ""),
    "equipes/": ("teams.ProjectTeam", "memberships__organisation", ""),
    "equipes/*/membres/": ("teams.TeamMembership", "", "team"),
    "prospection/": ("teams.Prospect", "", ""),
    "comite-partenaires/": ("teams.CommitteeMember", "", ""),
    "comite-partenaires/sous-groupes/": ("teams.CommitteeSubgroup", "", ""),
    "reunions-de-suivi/": ("actionplans.FollowUp", "", ""),
    "actions/": ("actionplans.Action", "plan__team__memberships__organisation", ""),
    "etapes/": ("actionplans.ActionStep", "", ""),
    "contributeurs/": ("actionplans.ActionContributor", "", ""),
    "indicateurs/": ("actionplans.Indicator", "", ""),
    "difficultes/": ("actionplans.Difficulty", "", ""),
    "programmes/*/retours-experience/": ("actionplans.ExperienceNote", "", ""),
    "programmes/*/financements/dispositifs/": ("funding.FundingScheme", "", ""),
    "organisations/*/eligibilite/": ("organisations.Organisation", "pk", ""),
    "preselections/": ("funding.Shortlist", "", ""),
    "demandes-financement/": ("funding.FundingApplication", "organisation", ""),
    "demandes-financement/*/documents/": ("funding.ApplicationDocument", "", "application"),
    "evaluations/": ("evaluation.Evaluation", "", ""),
    "consequences/": ("evaluation.Consequence", "", ""),
    "balance-lines/": ("evaluation.BalanceLine", "", ""),
    "trips/": ("evaluation.Trip", "", ""),
    "eco-criteria/": ("evaluation.EcoCriterion", "", ""),
    "espaces/": ("documents.Space", "", ""),
    "documents/": ("documents.Document", "", ""),
    "documents/versions/": ("documents.DocumentVersion", "", ""),
    "publication/*/": ("documents.Document", "", ""),
    "actualites/": ("documents.Post", "", ""),
    "commentaires/*/": ("documents.Document", "", ""),
    "commentaires/": ("documents.Comment", "", ""),
    "notifications/": ("documents.Notification", "", ""),
    "vitrine/gestion/": ("documents.ShowcasePage", "", ""),
    "api/jetons/": ("api.ApiToken", "", ""),
}
# Inventory, people and diagnostics of one company: no other SME may ever read them.
COMPANY_PRIVATE_SOURCES = {"organisations/", "organisations/*/*/", "moyens/", "personnes/", "diagnostics/"}

# Text parameters, by name; a few depend on the page.
TEXT_VALUES = {
    "fmt": "csv",
    "file_format": "csv",
    "language": "en",
    "direction": "up",
    "name": "submit",
    "action": "submit",
    "section": "general",
    "kind": "document",
}
TEXT_BY_PAGE = {
    ("www:exchange_add", "kind"): "needs",
    ("www:exchange_delete", "kind"): "needs",
    ("www:minutes_export", "fmt"): "pdf",
}
# Tokens and slugs read from a model: (model, field).
TOKEN_SOURCES = {
    "www:survey_answer": ("meetings.SurveyInvitation", "token"),
    "www:event_register": ("meetings.RestitutionEvent", "public_token"),
    "www:registration_manage": ("meetings.Registration", "token"),
    "www:calendar_feed": ("meetings.CalendarFeed", "token"),
    "www:showcase_page": ("documents.ShowcasePage", "slug"),
    "www:showcase_page_lang": ("documents.ShowcasePage", "slug"),
    "www:showcase_image": ("documents.ShowcasePage", "slug"),
}
MISSING = 999_999  # what a parameter gets when the demo has no such row: a 404 for everyone
ADMIN_ROLES = ("anonymous", "sme_a", "staff")
PARAMETER = re.compile(r"<(?:(?P<converter>[^>:]+):)?(?P<name>[^>]+)>")


@dataclass(frozen=True)
class Route:
    pattern: str  # e.g. "reunions/<int:pk>/documents/<int:document_pk>/"
    name: str  # e.g. "www:document_download"
    callback: Any


@dataclass
class Filled:
    path: str
    company_private: bool


def _routes(patterns: list[Any], prefix: str = "", namespace: str = "") -> Iterator[Route]:
    for entry in patterns:
        if isinstance(entry, URLResolver):
            inner = (
                f"{namespace}:{entry.namespace}"
                if namespace and entry.namespace
                else entry.namespace or namespace
            )
            yield from _routes(entry.url_patterns, prefix + str(entry.pattern), inner or "")
        elif isinstance(entry, URLPattern):
            name = f"{namespace}:{entry.name}" if namespace else entry.name or ""
            yield Route(prefix + str(entry.pattern).lstrip("^").rstrip("$"), name, entry.callback)


def _first(label: str, **filters: Any) -> models.Model | None:
    try:
        model = apps.get_model(label)
    except LookupError:
        return None
    try:
        found = model._default_manager.filter(**filters).order_by("pk").first()
    except (FieldError, TypeError, ValueError):
        found = None
    return found or model._default_manager.order_by("pk").first()


class Filler:
    def __init__(self, programme: Programme, org_a: Organisation) -> None:
        self.programme = programme
        self.org_a = org_a

    def fill(self, route: Route) -> Filled:
        path, private, parent = route.pattern, False, None
        if route.name.startswith("admin:"):
            return Filled(self._fill_admin(route), False)
        for match in list(PARAMETER.finditer(route.pattern)):
            before = PARAMETER.sub("*", route.pattern[: match.start()])
            value, parent, is_private = self._value(
                route, match["name"], match["converter"] or "str", before, parent
            )
            private = private or is_private
            path = path.replace(match.group(0), str(value), 1)
        return Filled("/" + path, private)

    def _value(
        self, route: Route, name: str, converter: str, before: str, parent: Any
    ) -> tuple[Any, Any, bool]:
        if converter == "slug" and name == "slug" and route.name not in TOKEN_SOURCES:
            return self.programme.slug, parent, False
        if converter == "int" or name.endswith("_id"):
            key = next((k for k in sorted(SOURCES, key=len, reverse=True) if before.endswith(k)), None)
            if key is None:
                return MISSING, parent, False
            label, to_org, parent_lookup = SOURCES[key]
            filters: dict[str, Any] = {}
            if to_org:
                filters[to_org] = self.org_a.pk
            if parent_lookup and parent is not None:
                filters[parent_lookup] = parent
            row = _first(label, **filters)
            if row is None:
                return MISSING, parent, False
            value = getattr(row, "number", row.pk) if name == "number" else row.pk
            return value, row, key in COMPANY_PRIVATE_SOURCES
        if route.name in TOKEN_SOURCES:
            label, field = TOKEN_SOURCES[route.name]
            row = _first(label)
            return (getattr(row, field) if row else "unknown-token"), parent, False
        return TEXT_BY_PAGE.get((route.name, name), TEXT_VALUES.get(name, "unknown")), parent, False

    def _fill_admin(self, route: Route) -> str:
        # The admin's app index is a regular expression over the app labels: pick one.
        path = re.sub(r"\(\?P<app_label>[^)]*\)", "organisations", route.pattern)
        path = path.replace("([^/]+)", str(MISSING))  # django-simple-history's regex routes
        model_admin = getattr(route.callback, "model_admin", None)
        for match in list(PARAMETER.finditer(path)):
            value: Any = MISSING
            if match["name"] == "object_id" and model_admin is not None:
                row = model_admin.model._default_manager.order_by("pk").first()
                value = row.pk if row else MISSING
            elif match["name"] == "app_label":
                value = "organisations"
            elif match["name"] == "content_type_id":
                value = MISSING
            path = path.replace(match.group(0), str(value), 1)
        return "/" + path


def _load_whole_demo() -> Programme:
    load_demo(password="crawl")
    programme = Programme.objects.get(slug=read_demo_data()["programme"]["slug"])
    for area in AREAS:
        try:
            module = importlib.import_module(f"sobrindustrie.demo.{area}")
        except ModuleNotFoundError as error:
            if error.name != f"sobrindustrie.demo.{area}":
                raise
            continue  # an area whose demo is not written yet
        module.load(programme)
    return programme


def _accounts(programme: Programme) -> dict[str, User | None]:
    """One demo user per role; SME A belongs to a team, SME B to another company."""
    users = User.objects.filter(is_active=True).order_by("pk")
    in_teams = TeamMembership.objects.current().values("organisation_id")
    sme_a = (
        users.filter(role=Role.SME, organisation__in=in_teams).first() or users.filter(role=Role.SME).first()
    )
    assert sme_a is not None, "the demo has no SME member"
    sme_b = (
        users.filter(role=Role.SME, organisation__kind=OrganisationKind.LAUREATE_SME)
        .exclude(organisation=sme_a.organisation_id)
        .first()
    )
    return {
        "anonymous": None,
        "ademe": users.filter(role=Role.ADEME).first(),
        "consultant": users.filter(role=Role.CONSULTANT).first(),
        "staff": users.filter(role=Role.STAFF).first(),
        "sme_a": sme_a,
        "sme_b": sme_b,
        "partner": users.filter(role=Role.PARTNER).first(),
    }


API_ACCOUNT_PAGES = {"api:token_list", "api:token_revoke"}  # web pages, behind the login


def _anonymous_expectation(name: str) -> str:
    if _public(name):
        return "public"
    if name.startswith("admin:"):
        return "admin login"
    if name.startswith("api:") and name not in API_ACCOUNT_PAGES:
        return "401"
    return "login"


def _expectation_failures(route: Route, filled: Filled, role: str, status: int, location: str) -> list[str]:
    problems = []
    if status >= 500:
        problems.append("server error")
    if role == "anonymous":
        expected = _anonymous_expectation(route.name)
        # The site-wide login middleware may answer before the admin does: either login will do.
        logins = ("/admin/login/", reverse("www:login"))
        if expected == "admin login" and (
            status == 200 or (status == 302 and not location.startswith(logins))
        ):
            problems.append("admin page without a login")
        elif expected == "401" and status != 401:
            problems.append("API without 401")
        elif expected == "login" and (status != 302 or not location.startswith(reverse("www:login"))):
            problems.append("no login redirect")
    if role == "sme_b" and filled.company_private and status == 200:
        problems.append("another SME reads this company's page")
    return problems


@pytest.mark.django_db
def test_every_url_as_every_role() -> None:
    programme = _load_whole_demo()
    accounts = _accounts(programme)
    org_a = accounts["sme_a"].organisation  # type: ignore[union-attr]
    filler = Filler(programme, org_a)
    routes = list(_routes(get_resolver().url_patterns))
    assert len(routes) > 100

    failures: list[str] = []
    for route in routes:
        filled = filler.fill(route)
        roles = ADMIN_ROLES if route.name.startswith("admin:") else tuple(accounts)
        for role in roles:
            user = accounts[role]
            if role != "anonymous" and user is None:
                continue  # the demo holds no such account
            client = Client(raise_request_exception=False)
            if user is not None:
                client.force_login(user)
            response = client.get(filled.path)
            if response.streaming:
                # Reading to the end closes a downloaded file (the test client closes the response
                # then, without closing the database connection as response.close() would).
                b"".join(response.streaming_content)
            location = response.get("Location", "")
            for problem in _expectation_failures(route, filled, role, response.status_code, location):
                failures.append(
                    f"{filled.path:<70} {route.name:<40} {role:<10} {response.status_code}  {problem}"
                )

    header = f"{'URL':<70} {'name':<40} {'role':<10} status  problem"
    assert not failures, "\n".join([header, *failures])
