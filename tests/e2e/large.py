"""The browser checks at scale: the demo plus a large synthetic dataset (`E2E_DATASET=large`).

`generate_dataset` (sobrindustrie/api/dataset.py) adds `LARGE_DATASET_ARGS` worth of synthetic
programmes after the demo, with the demo's password, so its accounts can log in. The list pages of
the first one (`synth-1`: 120 SMEs, each with 200 production means, 23 teams of 16 actions, 1,500
meetings) are then checked like the demo's, as the staff administrator of the demo (who sees every
programme), as the programme's own synthetic consultant and, for an SME's pages, as the synthetic
member of the SME with the largest inventory. Pages must stay light whatever the data: lists are
paged.

Sizes are a compromise with the time of a run on a 2-core machine: two programmes, so that every
list also has another programme's rows to leave out; 200 production means per SME, more than the
20 of the full-size dataset, because a real inventory of hundreds of machines is what the inventory
page must hold.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.urls import reverse

LARGE_DATASET_ARGS = (
    "--programmes",
    "2",
    "--smes-per-programme",
    "120",
    "--means-per-sme",
    "200",
    "--teams-per-programme",
    "23",
    "--actions-per-team",
    "16",
    "--meetings-per-programme",
    "1500",
)
# What the index must find for the check to be at scale at all (see test_the_programme_is_large).
MIN_ORGANISATIONS = 120
MIN_MEANS_IN_ONE_INVENTORY = 200
MIN_MEETINGS = 1_500
MIN_TEAMS = 23

# Run by `manage.py shell` once the dataset is generated: what the large page entries need, for the
# first synthetic programme. Everything is chosen by size (the largest inventory, the team with the
# most actions, the busiest month), not by a primary key the generator happens to give.
LARGE_INDEX_SCRIPT = """
import json
from collections import Counter
from django.db.models import Count
from django.utils import timezone
from sobrindustrie.accounts.enums import Role
from sobrindustrie.api.dataset import SLUG_PREFIX
from sobrindustrie.meetings.models import Meeting
from sobrindustrie.organisations.models import Organisation
from sobrindustrie.programmes.models import Programme
from sobrindustrie.teams.models import ProjectTeam
programme = Programme.objects.filter(slug__startswith=SLUG_PREFIX).order_by("pk").first()
organisations = Organisation.objects.filter(programme=programme)
largest = organisations.annotate(size=Count("production_means")).order_by("-size", "pk").first()
team = (
    ProjectTeam.objects.filter(programme=programme)
    .annotate(size=Count("action_plan__actions"))
    .order_by("-size", "pk")
    .first()
)
starts = Meeting.objects.filter(programme=programme).values_list("starts_at", flat=True)
months = Counter(timezone.localtime(start).strftime("%Y-%m") for start in starts)
consultant = programme.staff_members.filter(role=Role.CONSULTANT).order_by("pk").first()
member = largest.users.filter(role=Role.SME).order_by("pk").first()
print(json.dumps({
    "slug": programme.slug,
    "organisations": organisations.count(),
    "largest_organisation": largest.pk,
    "largest_inventory": largest.size,
    "largest_team": team.pk,
    "largest_plan_actions": team.size,
    "teams": ProjectTeam.objects.filter(programme=programme).count(),
    "meetings": len(starts),
    "busiest_month": months.most_common(1)[0][0],
    "accounts": {"consultant": consultant.email, "sme": member.email},
}))
"""

# The large programme's consultant crawls further than the demo's roles: every page of a programme
# is worth seeing at scale, and one role's crawl is all the large checks add.
LARGE_CRAWL_MAX_PAGES = 60

STAFF = frozenset({"staff", "consultant"})  # the demo's staff administrator, synth-1's consultant
STAFF_AND_MEMBER = STAFF | {"sme"}  # and the member of the SME with the largest inventory
LARGE_ROLES = ("staff", "consultant", "sme")


@dataclass(frozen=True)
class LargeProgramme:
    """The first synthetic programme as the running server holds it."""

    index: dict[str, Any]

    @property
    def slug(self) -> str:
        return str(self.index["slug"])

    def account_email(self, role: str) -> str | None:
        """The synthetic account checked for `role`; None for the staff administrator, who is the
        demo's own (synthetic programmes have none)."""
        return self.index["accounts"].get(role)


@dataclass(frozen=True)
class LargePageEntry:
    """A page of the large programme: `args` gives the URL arguments, `query` an optional query
    string (a calendar month), both from the index."""

    key: str
    url_name: str
    roles: frozenset[str]
    args: Callable[[LargeProgramme], list[object]]
    query: Callable[[LargeProgramme], str] | None = None

    def path(self, large: LargeProgramme) -> str:
        path = reverse(self.url_name, args=self.args(large))
        return f"{path}?{self.query(large)}" if self.query else path


def _slug(large: LargeProgramme) -> list[object]:
    return [large.slug]


def _largest_organisation(large: LargeProgramme) -> list[object]:
    return [large.index["largest_organisation"]]


def _largest_team(large: LargeProgramme) -> list[object]:
    return [large.index["largest_team"]]


def _busiest_month(large: LargeProgramme) -> str:
    return f"mois={large.index['busiest_month']}"


LARGE_PAGES: list[LargePageEntry] = [
    LargePageEntry("dashboard", "www:programme_dashboard", STAFF, _slug),
    LargePageEntry("organisation-list", "www:organisation_list", STAFF, _slug),
    LargePageEntry("organisation-detail", "www:organisation_detail", STAFF_AND_MEMBER, _largest_organisation),
    LargePageEntry("inventory", "www:inventory", STAFF_AND_MEMBER, _largest_organisation),
    LargePageEntry("meeting-list", "www:meeting_list", STAFF, _slug),
    LargePageEntry("meeting-calendar", "www:meeting_calendar", STAFF, _slug, _busiest_month),
    LargePageEntry("team-list", "www:team_list", STAFF, _slug),
    LargePageEntry("team-detail", "www:team_detail", STAFF, _largest_team),
    LargePageEntry("action-plan-overview", "www:action_plan_overview", STAFF, _slug),
    LargePageEntry("action-plan", "www:action_plan", STAFF, _largest_team),
    LargePageEntry("progress-table", "www:progress_table", STAFF, _largest_team),
    LargePageEntry("space-list", "www:space_list", STAFF, _slug),
    LargePageEntry("deliverables", "www:deliverable_registry", STAFF, _slug),
    LargePageEntry("obligations", "www:obligations", STAFF, _slug),
    LargePageEntry("time-entries", "www:time_entries", STAFF, _slug),
    # Workshop 2 (issue #18): the constraint's organisations are searched, not one checkbox each.
    LargePageEntry("team-formation", "www:team_formation", STAFF, _slug),
]


def large_page_cases() -> list[tuple[str, LargePageEntry]]:
    return [(role, entry) for role in LARGE_ROLES for entry in LARGE_PAGES if role in entry.roles]
