"""The home lists what waits for each person: a difficulty a consultant raises to ADEME appears on
the home of ADEME's officer, one click from where it is answered, and in their notifications."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from tests.e2e.pages import Demo
from tests.e2e.server import DemoServer

pytestmark = pytest.mark.e2e


def _difficulty_to_raise(demo: Demo) -> dict[str, Any]:
    """An open difficulty the demo keeps within its team (demo/actionplans.py)."""
    open_ones = [d for d in demo.index["difficulties"] if not d["raised"] and d["status"] != "resolved"]
    assert open_ones, "the demo should keep a difficulty within its team"
    return open_ones[0]


def test_ademe_home_lists_the_difficulty_a_consultant_just_raised(
    demo: Demo, demo_server: DemoServer, probes: Any
) -> None:
    difficulty = _difficulty_to_raise(demo)
    ademe = probes("ademe").page
    ademe.goto(demo_server.url("/"))
    expect(ademe.get_by_role("link", name=difficulty["title"], exact=False)).to_have_count(0)

    consultant = probes("consultant").page
    consultant.goto(demo_server.url(reverse("www:difficulty_detail", args=[difficulty["pk"]])))
    consultant.get_by_role("button", name="Transmettre à l’ADEME").click()
    consultant.wait_for_load_state("load")
    expect(consultant.locator(".fr-alert--success")).to_be_visible()

    ademe.goto(demo_server.url("/"))
    item = ademe.locator("table").get_by_role("link", name=difficulty["title"], exact=False)
    expect(item).to_have_count(1)
    item.click()
    ademe.wait_for_load_state("load")
    assert ademe.url.endswith(reverse("www:difficulty_detail", args=[difficulty["pk"]]))
    expect(ademe.locator("h1")).to_contain_text(difficulty["title"])

    ademe.goto(demo_server.url(reverse("www:notification_list")))
    expect(ademe.locator("main")).to_contain_text(difficulty["title"])
