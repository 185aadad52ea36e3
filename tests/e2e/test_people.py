"""People let in from the app: a consultant invites an SME manager, who opens the e-mailed link,
sets a password, lands on their home, which lists their diagnostic sheet (L1.3) to accept, and
accepts it."""

from __future__ import annotations

import re
import secrets
from email import message_from_bytes
from email.message import Message
from pathlib import Path
from typing import Any

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from tests.e2e.pages import Demo
from tests.e2e.server import DemoServer

pytestmark = pytest.mark.e2e

#: Demo companies whose diagnostic sheet waits for the company's acceptance (demo/diagnostics.py).
SHEET_WAITING = ("Luberon Emballages", "Aéro Composites Provence", "Plasturgie du Garlaban")
PASSWORD = "Une-phrase-de-passe-e2e-" + secrets.token_hex(4)


def _company_to_invite_into(demo: Demo) -> str:
    """A company whose sheet waits, other than the one the other checks use as the SME's, so that
    accepting its sheet changes nothing they look at."""
    checked = demo.index["organisations"][str(demo.organisation("sme"))]["name"]
    return next(name for name in SHEET_WAITING if name != checked)


def _emails_to(server: DemoServer, address: str) -> list[Message]:
    """The e-mails the server wrote (file backend: one file per connection, messages separated by
    a line of dashes) that were sent to `address`."""
    found = []
    for path in sorted((server.var_dir / "mail").glob("*.log"), key=lambda p: p.stat().st_mtime):
        for chunk in Path(path).read_bytes().split(b"-" * 79):
            if chunk.strip():
                message = message_from_bytes(chunk.strip())
                if message["To"] == address:
                    found.append(message)
    return found


def _invitation_link(server: DemoServer, address: str) -> str:
    """The link of the one invitation e-mailed to `address`, absolute to this server (SITE_URL)."""
    [message] = _emails_to(server, address)
    body = message.get_payload(decode=True).decode(message.get_content_charset() or "utf-8")  # type: ignore[union-attr]
    assert "Bonjour Lucie," in body  # in French, whatever the language of the person who invited
    link = re.search(r"(https?://\S+/invitation/\S+/)", body)
    assert link, body
    assert link.group(1).startswith(server.base_url + "/invitation/")
    return link.group(1)


def _invite_from_the_app(page: Any, server: DemoServer, demo: Demo, email: str, company: str) -> None:
    page.goto(server.url(reverse("www:people", args=[demo.programme_slug])))
    page.get_by_role("link", name="Inviter une personne").click()
    page.fill("[name=email]", email)
    page.fill("[name=first_name]", "Lucie")
    page.fill("[name=last_name]", "Castellan")
    page.select_option("[name=role]", label="Membre de PME")
    page.select_option("[name=organisation]", label=company)
    page.get_by_role("button", name="Envoyer l’invitation").click()
    expect(page.locator(".fr-alert--success")).to_contain_text(email)
    expect(page.locator("table").first).to_contain_text(email)


def _accept_the_invitation(page: Any, server: DemoServer, email: str) -> None:
    page.goto(_invitation_link(server, email))
    expect(page.locator("[name=first_name]")).to_have_value("Lucie")
    page.fill("[name=new_password1]", PASSWORD)
    page.fill("[name=new_password2]", PASSWORD)
    page.get_by_role("button", name="Créer mon compte").click()
    page.wait_for_load_state("load")


def test_a_consultant_invites_an_sme_manager_who_accepts_their_diagnostic_sheet(
    demo: Demo, demo_server: DemoServer, probes: Any, browser: Any
) -> None:
    email = f"lucie.castellan.{secrets.token_hex(3)}@e2e.example"
    company = _company_to_invite_into(demo)
    _invite_from_the_app(probes("consultant").page, demo_server, demo, email, company)

    context = browser.new_context(locale="fr-FR")
    try:
        page = context.new_page()
        _accept_the_invitation(page, demo_server, email)

        # Logged in, on their home, which lists what waits for them: their sheet to accept.
        expect(page.locator(".fr-alert--success")).to_contain_text("votre compte est prêt")
        assert "/invitation/" not in page.url
        expect(page.locator("header")).to_contain_text("Lucie Castellan · Membre de PME")
        waiting = page.locator("table").get_by_role("link", name="Accepter votre fiche de diagnostic")
        expect(waiting).to_have_count(1)
        waiting.click()
        page.wait_for_load_state("load")
        diagnostic_url = page.url

        page.get_by_role("link", name="Fiche synthèse (L1.3)").click()
        expect(page.locator("h1")).to_be_visible()
        assert "/fiche/" in page.url
        page.goto(diagnostic_url)
        page.get_by_role("button", name="Accepter la fiche").click()
        page.wait_for_load_state("load")
        expect(page.locator(".fr-alert--success")).to_be_visible()
        expect(page.get_by_role("button", name="Accepter la fiche")).to_have_count(0)

        # Accepted: the home no longer lists it.
        page.goto(demo_server.url("/"))
        expect(page.get_by_role("link", name="Accepter votre fiche de diagnostic")).to_have_count(0)
    finally:
        context.close()


def test_the_used_link_then_gets_a_clear_page(
    demo: Demo, demo_server: DemoServer, probes: Any, browser: Any
) -> None:
    email = f"marc.aubert.{secrets.token_hex(3)}@e2e.example"
    _invite_from_the_app(probes("consultant").page, demo_server, demo, email, _company_to_invite_into(demo))
    context = browser.new_context(locale="fr-FR")
    try:
        page = context.new_page()
        _accept_the_invitation(page, demo_server, email)
        context.clear_cookies()
        response = page.goto(_invitation_link(demo_server, email))
        assert response.status == 410
        expect(page.locator("h1")).to_have_text("Invitation inutilisable")
        expect(page.locator("[name=new_password1]")).to_have_count(0)
    finally:
        context.close()
