"""The crawl of one role's pages: what the explicit lists of pages do not cover (see pages.py)."""

from __future__ import annotations

from collections import deque

from tests.e2e.pages import CRAWL_DEPTH, CRAWL_MAX_PAGES, is_followable, route_of, same_origin_path
from tests.e2e.probe import PageCheck, PageProbe
from tests.e2e.report import CRAWL_NOTES, earlier_check
from tests.e2e.server import DemoServer


def crawl(
    probe: PageProbe,
    server: DemoServer,
    explicit_paths: list[str],
    landing: str,
    max_pages: int = CRAWL_MAX_PAGES,
) -> list[PageCheck]:
    """Breadth-first from `landing`, one page per URL pattern, at most `max_pages` checked. Patterns
    of `explicit_paths` (the role's explicit pages) are followed at their explicit path, for their
    links only (taken from the earlier check when there is one); the others are checked in full."""
    explicit = {route_of(path): path for path in explicit_paths}
    queue = deque([(landing, 0)])
    seen_routes = {route_of(landing)}
    checks = []
    while queue and len(checks) < max_pages:
        path, depth = queue.popleft()
        known = path in explicit.values()
        check = (known and earlier_check(probe.role, path)) or probe.check(
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
            f"{probe.role}: crawl stopped at {max_pages} pages, {len(queue)} links not followed "
            f"({', '.join(path for path, _ in list(queue)[:5])}…): list them explicitly or crawl further"
        )
    return checks
