"""Every page of the demo, as every role: no serious accessibility violation, EcoIndex grade B or
better, no console error, no request to another host."""

from __future__ import annotations

import re
import urllib.request
from typing import Any

import pytest

from tests.e2e.crawl import crawl
from tests.e2e.pages import ROLES, Demo, PageEntry, page_cases, pages_for
from tests.e2e.report import failure_report, record_check
from tests.e2e.server import DemoServer

pytestmark = pytest.mark.e2e


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
    assert not check.problems(), "\n" + failure_report([check])


@pytest.mark.parametrize("role", ROLES)
def test_pages_found_by_crawling_pass_the_checks(
    role: str, demo: Demo, demo_server: DemoServer, probes: Any
) -> None:
    explicit = [path for entry in pages_for(role) if (path := entry.path(demo, role))]
    landing = "/connexion/" if role == "anonymous" else "/"
    checks = crawl(probes(role), demo_server, explicit, landing)
    for check in checks:
        record_check(check)
    report = failure_report(checks)
    assert not report, f"\n{report}"


def test_static_files_are_served_compressed_and_cached(demo_server: DemoServer) -> None:
    """WhiteNoise serves the pre-compressed, hashed files collectstatic made, cacheable for a year."""
    with urllib.request.urlopen(demo_server.url("/connexion/")) as response:
        html = response.read().decode()
    stylesheet = re.search(r'href="(/static/vendor/dsfr/[^"]+\.css)"', html)
    assert stylesheet, "the login page links no DSFR stylesheet"
    request = urllib.request.Request(demo_server.url(stylesheet[1]), headers={"Accept-Encoding": "br, gzip"})
    with urllib.request.urlopen(request) as response:
        assert response.headers["Content-Encoding"] in ("br", "gzip")
        assert "max-age=31536000" in response.headers["Cache-Control"]
        assert "immutable" in response.headers["Cache-Control"]
