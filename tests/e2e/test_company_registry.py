"""A consultant creates an organisation from its SIRET: the company registry (a recorded answer,
served by the platform's file-backed registry transport: COMPANY_REGISTRY_RECORDINGS in
server.py) fills the form, a field typed otherwise is offered side by side, and the organisation
is saved with the registry's values."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from tests.e2e.pages import Demo
from tests.e2e.probe import BLOCKING_IMPACTS, RUN_AXE
from tests.e2e.server import DemoServer

pytestmark = pytest.mark.e2e

AIX_SIRET = "41235678400022"  # tests/organisations/fixtures/registry/search/41235678400022.json
REGISTRY_NAME = "MECANIQUE DE PRECISION DU PAYS D'AIX"


def test_a_consultant_creates_an_organisation_from_its_siret(
    demo: Demo, demo_server: DemoServer, probes: Any
) -> None:
    probe = probes("consultant")
    page = probe.page
    probe.load(demo_server.url(reverse("www:organisation_create", args=[demo.programme_slug])))
    page.fill("[name=name]", "Méca Pays d'Aix")  # typed before asking: the registry says otherwise
    page.fill("[name=registry_q]", "412 356 784 00022")
    page.get_by_role("button", name="Rechercher dans l’annuaire des entreprises").click()

    # HTMX brings the form back filled where it was empty, and the name as a choice.
    expect(page.locator("#organisation-form [role=status]")).to_contain_text(REGISTRY_NAME)
    expect(page.locator("[name=siret]")).to_have_value(AIX_SIRET)
    expect(page.locator("[name=naf_code]")).to_have_value("25.62A")
    expect(page.locator("[name=address]")).to_have_value("15 RUE JEAN PERRIN")
    expect(page.locator("[name=postcode]")).to_have_value("13290")
    expect(page.locator("[name=commune] option:checked")).to_contain_text("Aix-en-Provence")
    expect(page.locator("[name=headcount_bracket]")).to_have_value("12")
    typed = page.get_by_role("radio", name="Saisi : Méca Pays d'Aix")
    expect(typed).to_be_checked()
    page.evaluate(probe.axe_script.read_text(encoding="utf-8"))
    violations = [v["id"] for v in page.evaluate(RUN_AXE) if v["impact"] in BLOCKING_IMPACTS]
    assert violations == []

    # The person takes the registry's name, gives a kind and a short name, and presses Enter: that
    # saves (the form's default button is Save, not the registry search above the fields).
    # DSFR draws the radio button under its label: a person clicks the label.
    page.locator("label[for=id_name-registry]").click()
    expect(page.get_by_role("radio", name=f"Annuaire : {REGISTRY_NAME}")).to_be_checked()
    page.select_option("[name=kind]", label="PME lauréate")
    page.fill("[name=slug]", "meca-pays-aix")
    page.press("[name=slug]", "Enter")
    page.wait_for_load_state("load")
    expect(page.locator(".fr-alert--success")).to_be_visible()
    expect(page.locator("h1")).to_have_text(REGISTRY_NAME)
    identity = page.locator("dl").first
    expect(identity).to_contain_text(AIX_SIRET)
    expect(identity).to_contain_text("25.62A Décolletage")
    expect(identity).to_contain_text("20 à 49 salariés")
    expect(identity).to_contain_text("15 RUE JEAN PERRIN 13290 Aix-en-Provence")
    assert probe.console_errors == []
