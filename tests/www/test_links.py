"""No link shown to a role leads it to a 404.

For each role, the main pages (the home, the site map, which lists every page of the role's menu,
the footer's pages) are rendered, then every page they link to, and every internal link found on
all of them is requested: none may answer 404 (or fail).
"""

from __future__ import annotations

from html.parser import HTMLParser
from urllib.parse import urldefrag, urlsplit

import pytest
from django.test import Client
from django.urls import reverse

from sobrindustrie.diagnostics.enums import DiagnosticStatus
from tests.actionplans.factories import ActionFactory, MembershipFactory, ProjectTeamFactory, StepFactory
from tests.conftest import ROLES, World
from tests.diagnostics.factories import DiagnosticFactory

#: Links that are not pages to open: files served apart, the admin (its own login), downloads.
SKIPPED_PREFIXES = ("/static/", "/media/", "/admin/")


class LinkParser(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.links: set[str] = set()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        href = dict(attrs).get("href")
        if tag == "a" and href:
            self.links.add(href)


def internal_links(html: str) -> set[str]:
    parser = LinkParser()
    parser.feed(html)
    found = set()
    for href in parser.links:
        url = urldefrag(href).url
        parts = urlsplit(url)
        if parts.scheme or parts.netloc or not url.startswith("/") or url.startswith(SKIPPED_PREFIXES):
            continue
        found.add(url)
    return found


def _some_content(world: World) -> None:
    """A team with an action and a step, and a diagnostic, so that pages have rows to link to."""
    team = ProjectTeamFactory(programme=world.programme)
    MembershipFactory(team=team, organisation=world.sme_org)
    MembershipFactory(team=team, organisation=world.partner_org)
    StepFactory(action=ActionFactory(plan__team=team, lead_organisation=world.sme_org))
    DiagnosticFactory(organisation=world.sme_org, status=DiagnosticStatus.SHEET_DRAFTED)


def _get(client: Client, url: str) -> tuple[int, str]:
    response = client.get(url)
    body = (
        response.content.decode(errors="replace")
        if response.get("Content-Type", "").startswith("text/html")
        else ""
    )
    return response.status_code, body


@pytest.mark.parametrize("role", ROLES)
def test_no_link_leads_a_role_to_a_404(world: World, role: str) -> None:
    _some_content(world)
    client = world.client(role)
    start = {
        reverse("www:site_map"),
        reverse("www:accessibility"),
        reverse("www:legal_notice"),
        reverse("www:personal_data"),
    }
    if role != "anonymous":
        start.add(reverse("www:home"))
    seen: dict[str, int] = {}
    pages = []
    for url in sorted(start):
        status, body = _get(client, url)
        seen[url] = status
        pages.append((url, body))
    # The main pages: every page the start pages link to.
    for _source, body in list(pages):
        for url in sorted(internal_links(body) - seen.keys()):
            status, linked_body = _get(client, url)
            seen[url] = status
            pages.append((url, linked_body))
    broken = []
    for source, body in pages:
        for url in sorted(internal_links(body)):
            if url not in seen:
                seen[url] = client.get(url).status_code
            if seen[url] == 404 or seen[url] >= 500:
                broken.append(f"{source} → {url}: {seen[url]}")
    assert broken == []
    assert len(seen) > 5
