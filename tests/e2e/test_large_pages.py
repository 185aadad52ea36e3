"""The pages of a large programme (E2E_DATASET=large; make e2e-large): the checks of the demo's pages,
on 120 organisations, inventories of 200 production means, 1,500 meetings, 23 teams of 16 actions.
Lists must stay light however long they get: they are paged."""

from __future__ import annotations

from typing import Any

import pytest

from tests.e2e.crawl import crawl
from tests.e2e.large import (
    LARGE_CRAWL_MAX_PAGES,
    LARGE_PAGES,
    MIN_MEANS_IN_ONE_INVENTORY,
    MIN_MEETINGS,
    MIN_ORGANISATIONS,
    MIN_TEAMS,
    LargePageEntry,
    LargeProgramme,
    large_page_cases,
)
from tests.e2e.report import failure_report, record_check
from tests.e2e.server import DemoServer

pytestmark = [pytest.mark.e2e, pytest.mark.e2e_large]


def test_the_programme_is_large(large: LargeProgramme) -> None:
    """The checks below are at scale only if the data is: a generator that shrank would make them pass
    for the wrong reason."""
    index = large.index
    assert index["organisations"] >= MIN_ORGANISATIONS
    assert index["largest_inventory"] >= MIN_MEANS_IN_ONE_INVENTORY
    assert index["meetings"] >= MIN_MEETINGS
    assert index["teams"] >= MIN_TEAMS
    assert index["largest_plan_actions"] > 0


@pytest.mark.parametrize(
    ("role", "entry"),
    [pytest.param(role, entry, id=f"{role}-{entry.key}") for role, entry in large_page_cases()],
)
def test_large_page_passes_the_checks(
    role: str, entry: LargePageEntry, large: LargeProgramme, demo_server: DemoServer, large_probes: Any
) -> None:
    check = large_probes(role).check(entry.key, demo_server.url(entry.path(large)))
    record_check(check)
    assert not check.problems(), "\n" + failure_report([check])


def test_large_programme_pages_found_by_crawling_pass_the_checks(
    large: LargeProgramme, demo_server: DemoServer, large_probes: Any
) -> None:
    """The consultant of the large programme crawls from their landing page: the pages LARGE_PAGES
    does not list (difficulties, prospecting, funding…) are checked at scale too."""
    explicit = [entry.path(large) for entry in LARGE_PAGES if "consultant" in entry.roles]
    checks = crawl(large_probes("consultant"), demo_server, explicit, "/", LARGE_CRAWL_MAX_PAGES)
    for check in checks:
        record_check(check)
    report = failure_report(checks)
    assert not report, f"\n{report}"
