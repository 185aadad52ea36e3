"""The team board of workshop 2 on the demo, as the consultant uses it: run the optimiser (HTMX), move
a company to another team with the board's one move control (the board is redrawn and rescored
without reloading the page), put an alternative on the board, and the board passes axe after each
swap."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from tests.e2e.pages import Demo
from tests.e2e.probe import BLOCKING_IMPACTS, RUN_AXE
from tests.e2e.server import DemoServer

pytestmark = pytest.mark.e2e

NOT_RELOADED = "window.__e2eNotReloaded"


def _teams(page: Any) -> list[set[str]]:
    """The board's partition as its hidden field carries it."""
    raw = page.locator("#board-form input[name=partition]").get_attribute("value") or ""
    return [set(team.split(".")) - {""} for team in raw.split("-")]


def _violations(page: Any, axe_script: Any) -> list[str]:
    page.evaluate(axe_script.read_text(encoding="utf-8"))
    return [
        f"{v['id']} on {', '.join(v['targets'][:3])}"
        for v in page.evaluate(RUN_AXE)
        if v["impact"] in BLOCKING_IMPACTS
    ]


def test_the_consultant_moves_a_company_on_the_board_without_reloading(
    demo: Demo, demo_server: DemoServer, probes: Any, axe_script: Any
) -> None:
    probe = probes("consultant")
    page = probe.page
    probe.load(demo_server.url(reverse("www:team_formation", args=[demo.programme_slug])))
    page.evaluate(f"{NOT_RELOADED} = true")

    # Run the optimiser with the programme's defaults: the board comes in place.
    with page.expect_response(lambda response: "/equipes/optimiser/" in response.url) as solved:
        page.get_by_role("button", name="Lancer l’optimiseur").click()
    assert solved.value.request.headers.get("hx-request") == "true"
    board = page.locator("#board")
    expect(board).to_be_visible()
    before = _teams(page)
    assert len(before) >= 2 and all(before), "every team of the demo has members"
    assert page.locator("#board select").count() == 2, "one move control per board"

    # Move the first member of team 1 to team 2.
    mover = page.locator("#board-move optgroup").first.locator("option").first
    pk, name = mover.get_attribute("value"), mover.inner_text().strip()
    page.locator("#board-move").select_option(pk)
    page.locator("#board-to").select_option("2")
    with page.expect_response(lambda response: "/equipes/score/" in response.url) as scored:
        page.get_by_role("button", name="Déplacer", exact=True).click()
    assert scored.value.request.headers.get("hx-request") == "true"
    expect(page.locator("#board [role=status]")).to_contain_text(f"{name} est maintenant dans l’équipe 2")
    after = _teams(page)
    assert pk in after[1] and pk not in after[0]
    assert after[0] | after[1] == before[0] | before[1] and after[2:] == before[2:]
    expect(page.locator("#board-move option[selected]")).to_have_count(0)  # the control is reset
    assert page.evaluate(NOT_RELOADED) is True, "the page was reloaded instead of swapping the board"
    assert _violations(page, axe_script) == []

    # An incomplete move says what is missing, in place.
    page.locator("#board-to").select_option("1")
    page.get_by_role("button", name="Déplacer", exact=True).click()
    expect(page.locator("#board-move-error")).to_contain_text("Choisissez l’organisation à placer")
    assert _teams(page) == after

    # An alternative goes on the board in one click (the demo's optimiser offers three).
    alternative = page.locator("#alternatives-title + p + ol form").first
    expect(alternative).to_be_visible()
    partition = alternative.locator("input[name=partition]").get_attribute("value") or ""
    with page.expect_response(lambda response: "/equipes/score/" in response.url) as put:
        alternative.get_by_role("button").click()
    assert put.value.request.headers.get("hx-request") == "true"
    expect(page.locator("#board-form input[name=partition]")).to_have_attribute("value", partition)
    assert _violations(page, axe_script) == []
    assert page.evaluate(NOT_RELOADED) is True
    assert probe.console_errors == []
