"""Which pages the browser checks visit, for which role.

Two sources, so that a new page is checked without anyone remembering to list it:

* `PAGES`, an explicit list: a URL name, the roles that may open it, and how to find its arguments
  in the demo. Each (role, page) pair is its own test, so its id says what failed. A later issue adds
  its pages here (and, if it needs the primary key of a new kind of object, a line to
  `DEMO_INDEX_SCRIPT`).
* a crawl, per role, of the same-origin links found from the role's landing page, `CRAWL_DEPTH`
  links deep and at most `CRAWL_MAX_PAGES` pages, skipping links that change or download something
  (`SKIPPED_LINK_PATTERNS`). It follows one link per URL pattern (`route_of`): fifteen organisation
  pages are one template, and variants of data worth checking belong in `PAGES`. Patterns the
  explicit list covers are visited only to read their links.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

from django.urls import Resolver404, resolve, reverse

from tests.e2e.server import DemoAccount

ROLES = ("anonymous", "ademe", "consultant", "sme", "partner", "staff")
EVERY_USER = frozenset({"ademe", "consultant", "sme", "partner", "staff"})
OVERVIEW = frozenset({"ademe", "consultant", "staff"})  # see the whole programme
EDITORS = frozenset({"consultant", "sme", "partner", "staff"})  # ADEME reads, never edits
OPERATORS = frozenset({"consultant", "staff"})  # run the programme

CRAWL_DEPTH = 2
CRAWL_MAX_PAGES = 20  # per role; the summary says when a crawl stops short
# Links that log out, delete, erase, download or leave the DSFR pages; never followed.
SKIPPED_LINK_PATTERNS = tuple(
    re.compile(pattern)
    for pattern in (
        r"/deconnexion/",
        r"/supprimer/",
        r"/effacer/",
        r"/export/",
        r"/telecharger/",
        r"/admin/",
        r"/i18n/",
        r"^/static/",
        r"^/media/",
        r"\.(pdf|csv|xlsx|ods|docx|odt|ics|json|zip)$",
    )
)

# Run by `manage.py shell` against the server's database: the primary keys pages.py needs. Synthetic
# programmes (E2E_DATASET=large) are left out: large.py indexes them.
DEMO_INDEX_SCRIPT = """
import json
from sobrindustrie.accounts.models import User
from sobrindustrie.actionplans.models import ActionPlan, Difficulty
from sobrindustrie.api.dataset import SLUG_PREFIX
from sobrindustrie.actionplans.reminders import stop_token
from sobrindustrie.meetings.models import Meeting
from sobrindustrie.organisations.models import Organisation, Person
from sobrindustrie.programmes.models import Programme
demo_programmes = Programme.objects.exclude(slug__startswith=SLUG_PREFIX)
print(json.dumps({
    "programmes": list(demo_programmes.order_by("pk").values_list("slug", flat=True)),
    "users": {
        user.email: user.organisation_id
        for user in User.objects.exclude(organisation__programme__slug__startswith=SLUG_PREFIX)
    },
    "organisations": {
        str(organisation.pk): {
            "kind": organisation.kind,
            "name": organisation.name,
            "means": list(organisation.production_means.order_by("pk").values_list("pk", flat=True)),
        }
        for organisation in Organisation.objects.filter(programme__in=demo_programmes).order_by("pk")
    },
    "workshops_1": list(
        Meeting.objects.filter(programme__in=demo_programmes, kind="workshop_1").order_by("pk").values_list("pk", flat=True)
    ),
    "plans": {
        str(plan.team_id): list(
            plan.team.memberships.filter(left_on__isnull=True).values_list("organisation_id", flat=True)
        )
        for plan in ActionPlan.objects.filter(team__programme__in=demo_programmes).order_by("team_id")
    },
    "difficulties": [
        {"pk": d.pk, "title": d.title, "status": d.status, "raised": d.raised_at is not None}
        for d in Difficulty.objects.filter(action__plan__team__programme__in=demo_programmes).order_by("pk")
    ],
    # Signed with the server's own key: the link of a late-step reminder to a contact without account.
    "reminder_stop_tokens": [
        stop_token(person)
        for person in Person.objects.filter(
            organisation__programme__in=demo_programmes, user__isnull=True, erased_on__isnull=True
        ).exclude(email="").order_by("pk")[:1]
    ],
}))
"""


class DemoLookupError(LookupError):
    """The demo lacks something a page entry needs (an account of a role, an organisation...)."""


@dataclass
class Demo:
    """The demo programme as the running server holds it: accounts and primary keys."""

    accounts: list[DemoAccount]
    index: dict[str, Any]
    _chosen: dict[str, DemoAccount] = field(default_factory=dict)

    def account(self, role: str) -> DemoAccount:
        """The account checked for `role`: the first one, preferring an organisation that has
        production means so that the inventory pages have something to show."""
        if role not in self._chosen:
            candidates = [account for account in self.accounts if account.role == role]
            if not candidates:
                raise DemoLookupError(f"the demo has no account with role {role!r}")
            equipped = [a for a in candidates if self._means_of(self._organisation_of_user(a.email))]
            self._chosen[role] = (equipped or candidates)[0]
        return self._chosen[role]

    @property
    def programme_slug(self) -> str:
        return str(self.index["programmes"][0])

    def organisation(self, role: str) -> int:
        """The organisation a role's pages show: its own for SME members and partners, the checked
        SME member's for everyone else (so every role sees the same company)."""
        owner = role if role in ("sme", "partner") else "sme"
        pk = self._organisation_of_user(self.account(owner).email)
        if pk is None:
            raise DemoLookupError(f"the demo {owner} account has no organisation")
        return pk

    def production_means(self, role: str) -> int | None:
        means = self._means_of(self.organisation(role))
        return means[0] if means else None

    def other_laureate(self, role: str) -> int:
        """A laureate SME that is not the role's own organisation."""
        own = self.organisation(role)
        for pk, organisation in self.index["organisations"].items():
            if organisation["kind"] == "laureate_sme" and int(pk) != own:
                return int(pk)
        raise DemoLookupError("the demo has a single laureate SME")

    def _organisation_of_user(self, email: str) -> int | None:
        pk = self.index["users"].get(email)
        return None if pk is None else int(pk)

    def _means_of(self, organisation_pk: int | None) -> list[int]:
        if organisation_pk is None:
            return []
        return [int(pk) for pk in self.index["organisations"][str(organisation_pk)]["means"]]


ArgsResolver = Callable[[Demo, str], list[object] | None]


def no_args(demo: Demo, role: str) -> list[object]:
    return []


def programme(demo: Demo, role: str) -> list[object]:
    return [demo.programme_slug]


def organisation(demo: Demo, role: str) -> list[object]:
    return [demo.organisation(role)]


def production_means(demo: Demo, role: str) -> list[object] | None:
    pk = demo.production_means(role)
    return None if pk is None else [pk]


def plan_team(demo: Demo, role: str) -> list[object] | None:
    """A team with a plan: one the role's organisation belongs to (SME members, partners), else the
    first; None when the role's organisation is in no team with a plan."""
    plans = demo.index.get("plans", {})
    if role in ("sme", "partner"):
        own = demo.organisation(role)
        teams = [int(team) for team, members in plans.items() if own in members]
    else:
        teams = [int(team) for team in plans]
    return [min(teams)] if teams else None


def deliverable(code_slug: str) -> ArgsResolver:
    def args(demo: Demo, role: str) -> list[object]:
        return [demo.programme_slug, code_slug]

    return args


def workshop_1(demo: Demo, role: str) -> list[object] | None:
    workshops = demo.index.get("workshops_1") or []
    return [workshops[0]] if workshops else None


def reminder_stop(demo: Demo, role: str) -> list[object] | None:
    tokens = demo.index.get("reminder_stop_tokens") or []
    return [tokens[0]] if tokens else None


def api_operation(demo: Demo, role: str) -> list[object]:
    return ["time_entry_create"]  # the richest: parameters, a body and every refusal


@dataclass(frozen=True)
class PageEntry:
    """A page to check: `key` names it in test ids; `args` returns None when the demo has no object
    to show for that role (the test is then skipped, saying so)."""

    key: str
    url_name: str
    roles: frozenset[str]
    args: ArgsResolver = no_args

    def path(self, demo: Demo, role: str) -> str | None:
        args = self.args(demo, role)
        return None if args is None else reverse(self.url_name, args=args)


PAGES: list[PageEntry] = [
    PageEntry("login", "www:login", frozenset({"anonymous"})),
    PageEntry("password-reset", "www:password_reset", frozenset({"anonymous"})),
    # The home page lists what waits for each person.
    PageEntry("home", "www:home", EVERY_USER),
    PageEntry("site-map", "www:site_map", EVERY_USER | {"anonymous"}),
    PageEntry("accessibility", "www:accessibility", frozenset({"anonymous"})),
    PageEntry("legal-notice", "www:legal_notice", frozenset({"anonymous"})),
    PageEntry("personal-data", "www:personal_data", frozenset({"anonymous"})),
    PageEntry("reminders-stop", "www:reminders_stop", frozenset({"anonymous"}), reminder_stop),
    PageEntry("programme-list", "www:programme_list", EVERY_USER),
    PageEntry("dashboard", "www:programme_dashboard", OVERVIEW, programme),
    PageEntry("organisation-list", "www:organisation_list", OVERVIEW, programme),
    PageEntry("organisation-create", "www:organisation_create", OPERATORS, programme),
    PageEntry("organisation-detail", "www:organisation_detail", EVERY_USER, organisation),
    PageEntry("organisation-edit", "www:organisation_edit", EDITORS, organisation),
    PageEntry("site-create", "www:site_create", EDITORS, organisation),
    PageEntry("contact-create", "www:person_create", EDITORS, organisation),
    PageEntry("people", "www:people", OVERVIEW, programme),
    PageEntry("invite", "www:invite", OVERVIEW, programme),
    PageEntry("invite-contacts", "www:invite_contacts", OVERVIEW, programme),
    PageEntry("inventory", "www:inventory", EVERY_USER, organisation),
    PageEntry("means-detail", "www:production_means_detail", EVERY_USER, production_means),
    PageEntry("means-edit", "www:production_means_edit", EDITORS, production_means),
    # Timelines of the plans (server-rendered SVG and the same data as a table) and the budget.
    PageEntry("plan-timeline", "www:plan_timeline", EVERY_USER, plan_team),
    PageEntry("programme-timeline", "www:programme_timeline", OVERVIEW, programme),
    PageEntry("deliverables", "www:deliverable_registry", OVERVIEW, programme),
    # Workshop 1 live: the companies in the room, and the webinar topics drawn from what they said.
    PageEntry("workshop-1", "www:workshop_capture", OVERVIEW, workshop_1),
    PageEntry("webinar-topics", "www:webinar_topics", OVERVIEW, workshop_1),
    PageEntry("emission-factors", "www:factor_library", OVERVIEW, programme),
    # Workshop 2: team formation, whose constraint choices are searched (issue #18).
    PageEntry("team-formation", "www:team_formation", OVERVIEW, programme),
    # A report: the consultant's synthesis form; and the deliverable with a file per SME.
    PageEntry("deliverable-report", "www:deliverable_detail", OVERVIEW, deliverable("report-m6")),
    PageEntry("deliverable-sheets", "www:deliverable_detail", OVERVIEW, deliverable("l1-3")),
    # The API: one's tokens, and the integrators' documentation (public; a page per endpoint).
    PageEntry("api-tokens", "api:token_list", frozenset({"consultant"})),
    PageEntry("api-documentation", "api:documentation", frozenset({"anonymous"})),
    PageEntry("api-operation", "api:documentation_operation", frozenset({"anonymous"}), api_operation),
]


def pages_for(role: str) -> list[PageEntry]:
    return [entry for entry in PAGES if role in entry.roles]


def page_cases() -> list[tuple[str, PageEntry]]:
    """Every (role, page) pair, in role order: the parameters of the per-page test."""
    return [(role, entry) for role in ROLES for entry in pages_for(role)]


def is_followable(path: str) -> bool:
    return not any(pattern.search(path) for pattern in SKIPPED_LINK_PATTERNS)


def same_origin_path(href: str, base_url: str) -> str | None:
    """The path of `href` (query and fragment dropped: a filtered list is the same page) when it
    points at the server under test, else None."""
    parts = urlsplit(href)
    base = urlsplit(base_url)
    if parts.scheme not in ("http", "https") or parts.netloc != base.netloc:
        return None
    return parts.path or "/"


def route_of(path: str) -> str:
    """The URL pattern a path matches (`organisations/<int:pk>/`, whatever its query string), or the
    path itself when none does: a broken link is then visited, and fails."""
    try:
        return resolve(urlsplit(path).path).route
    except Resolver404:
        return path
