"""What a person does in the browser: the inline inventory form (HTMX), and the 404 an outsider gets."""

from __future__ import annotations

import secrets
from typing import Any

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from tests.e2e.pages import Demo
from tests.e2e.server import DemoServer

pytestmark = pytest.mark.e2e

NOT_RELOADED = "window.__e2eNotReloaded"


def _open_add_form(page: Any) -> Any:
    form = page.locator("#inventory form")
    if not form.is_visible():
        page.locator("#inventory details > summary").click()
    expect(form).to_be_visible()
    return form


def test_an_sme_member_adds_production_means_inline_without_reloading(
    demo: Demo, demo_server: DemoServer, probes: Any
) -> None:
    probe = probes("sme")
    page = probe.page
    probe.load(demo_server.url(reverse("www:inventory", args=[demo.organisation("sme")])))
    page.evaluate(f"{NOT_RELOADED} = true")
    name = f"Cisaille guillotine e2e {secrets.token_hex(3)}"

    form = _open_add_form(page)
    form.locator("[name=new-name]").fill(name)
    form.locator("[name=new-category]").select_option(index=1)
    form.locator("[name=new-utilisation_rate]").fill("35")
    with page.expect_response(lambda response: response.request.method == "POST") as posted:
        form.locator("button[type=submit]").click()

    assert posted.value.request.headers.get("hx-request") == "true"
    expect(page.locator("#inventory table tbody")).to_contain_text(name)
    assert page.evaluate(NOT_RELOADED) is True, "the page was reloaded instead of swapping the inventory"
    assert probe.console_errors == []


def test_invalid_production_means_show_the_error_by_the_field_and_keep_what_was_typed(
    demo: Demo, demo_server: DemoServer, probes: Any
) -> None:
    probe = probes("sme")
    page = probe.page
    probe.load(demo_server.url(reverse("www:inventory", args=[demo.organisation("sme")])))
    page.evaluate(f"{NOT_RELOADED} = true")
    name = f"Tour trop utilisé e2e {secrets.token_hex(3)}"

    form = _open_add_form(page)
    form.locator("[name=new-name]").fill(name)
    form.locator("[name=new-category]").select_option(index=1)
    form.locator("[name=new-utilisation_rate]").fill("150")
    with page.expect_response(lambda response: response.request.method == "POST"):
        form.locator("button[type=submit]").click()

    field = page.locator("#inventory [name=new-utilisation_rate]")
    group = page.locator("#inventory .fr-input-group:has([name=new-utilisation_rate])")
    expect(group.locator(".fr-error-text")).to_be_visible()
    expect(group.locator(".fr-error-text")).to_contain_text("100")
    expect(field).to_have_attribute("aria-invalid", "true")
    error_id = group.locator(".fr-error-text").get_attribute("id")
    expect(field).to_have_attribute("aria-describedby", error_id or "(the error has no id)")
    expect(field).to_have_value("150")
    expect(page.locator("#inventory [name=new-name]")).to_have_value(name)
    expect(page.locator("#inventory table tbody")).not_to_contain_text(name)
    assert page.evaluate(NOT_RELOADED) is True
    assert probe.console_errors == []


def test_an_sme_member_gets_a_404_page_for_another_smes_organisation(
    demo: Demo, demo_server: DemoServer, probes: Any
) -> None:
    other = demo.other_laureate("sme")
    check = probes("sme").check("another SME's organisation", demo_server.url(f"/organisations/{other}/"))

    assert check.status == 404
    page = probes("sme").page
    expect(page.locator("h1")).to_be_visible()
    assert page.title(), "the 404 page has no title"
    assert check.violations == [], "\n".join(
        f"{v['id']}: {v['help']} {v['targets']}" for v in check.violations
    )
