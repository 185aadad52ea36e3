"""Every page of the demo, as every role: no serious accessibility violation, EcoIndex grade B or
better, no console error, no request to another host."""

from __future__ import annotations

import re
import urllib.request
from collections import deque
from typing import Any

import pytest

from tests.e2e.pages import (
    CRAWL_DEPTH,
    CRAWL_MAX_PAGES,
    ROLES,
    Demo,
    PageEntry,
    is_followable,
    page_cases,
    pages_for,
    route_of,
    same_origin_path,
)
from tests.e2e.probe import PageCheck
from tests.e2e.report import CRAWL_NOTES, earlier_check, record_check
from tests.e2e.server import DemoServer

pytestmark = pytest.mark.e2e


def _failure_report(checks: list[PageCheck]) -> str:
    lines = []
    for check in checks:
        problems = check.problems()
        if problems:
            lines.append(f"{check.label}:")
            lines.extend(f"  - {problem}" for problem in problems)
    return "\n".join(lines)


@pytest.mark.parametrize(
    ("role", "entry"), [pytest.param(role, entry, id=f"{role}-{entry.key}") for role, entry in page_cases()]
)
def test_page_passes_the_checks(
    role: str, entry: PageEntry, demo: Demo, demo_server: DemoServer, probes: Any
) -> None:
    path = entry.path(demo, role)
    if path is None:
        pytest.skip(f"the demo has nothing to show on {entry.key} for {role}")
    check = probes(role).check(entry.key, demo_server.url(path))
    record_check(check)
    assert not check.problems(), "\n" + _failure_report([check])


def _crawl(role: str, demo: Demo, server: DemoServer, probe: Any) -> list[PageCheck]:
    """Breadth-first from the landing page, one page per URL pattern. Patterns of the explicit list
    are followed at their explicit path, for their links only (taken from the earlier check when
    there is one); the others are checked in full."""
    explicit = {route_of(path): path for entry in pages_for(role) if (path := entry.path(demo, role))}
    landing = "/connexion/" if role == "anonymous" else "/"
    queue = deque([(landing, 0)])
    seen_routes = {route_of(landing)}
    checks = []
    while queue and len(checks) < CRAWL_MAX_PAGES:
        path, depth = queue.popleft()
        known = path in explicit.values()
        check = (known and earlier_check(role, path)) or probe.check(
            f"crawled, depth {depth}", server.url(path), accessibility=not known
        )
        if not known:
            checks.append(check)
        if depth == CRAWL_DEPTH:
            continue
        for href in check.links:
            link = same_origin_path(href, server.base_url)
            if link is None or not is_followable(link) or (route := route_of(link)) in seen_routes:
                continue
            seen_routes.add(route)
            queue.append((explicit.get(route, link), depth + 1))
    if queue:
        CRAWL_NOTES.append(
            f"{role}: crawl stopped at {CRAWL_MAX_PAGES} pages, {len(queue)} links not followed "
            f"({', '.join(path for path, _ in list(queue)[:5])}…): add them to PAGES or raise CRAWL_MAX_PAGES"
        )
    return checks


@pytest.mark.parametrize("role", ROLES)
def test_pages_found_by_crawling_pass_the_checks(
    role: str, demo: Demo, demo_server: DemoServer, probes: Any
) -> None:
    checks = _crawl(role, demo, demo_server, probes(role))
    for check in checks:
        record_check(check)
    report = _failure_report(checks)
    assert not report, f"\n{report}"


def test_static_files_are_served_compressed_and_cached(demo_server: DemoServer) -> None:
    """WhiteNoise serves the pre-compressed, hashed files collectstatic made, cacheable for a year."""
    with urllib.request.urlopen(demo_server.url("/connexion/")) as response:
        html = response.read().decode()
    stylesheet = re.search(r'href="(/static/dsfr/[^"]+\.css)"', html)
    assert stylesheet, "the login page links no DSFR stylesheet"
    request = urllib.request.Request(demo_server.url(stylesheet[1]), headers={"Accept-Encoding": "br, gzip"})
    with urllib.request.urlopen(request) as response:
        assert response.headers["Content-Encoding"] in ("br", "gzip")
        assert "max-age=31536000" in response.headers["Cache-Control"]
        assert "immutable" in response.headers["Cache-Control"]
