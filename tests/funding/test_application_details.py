"""Within a team, an application's amounts and documents stay with the applying company, the
consultant and ADEME; teammates see that it exists, its scheme and its status: in the pages,
the spreadsheet export and the API alike."""

from __future__ import annotations

import io
from decimal import Decimal

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse
from openpyxl import load_workbook

from sobrindustrie.funding.models import ApplicationDocument
from tests.actionplans.factories import ContributorFactory
from tests.api.factories import bearer
from tests.factories import UserFactory
from tests.funding.conftest import FundingWorld

AMOUNT = "123 456"  # the requested amount as the pages print it (intcomma, French)


@pytest.fixture
def application(funding_world: FundingWorld) -> object:
    application = funding_world.application
    application.amount_requested_eur = Decimal("123456")
    application.reference = "DOSSIER-42"
    application.save()
    ApplicationDocument.objects.create(
        application=application, title="Devis confidentiel", file=ContentFile(b"%PDF-1.4", name="devis.pdf")
    )
    return application


@pytest.fixture
def contributor(funding_world: FundingWorld) -> str:
    """An SME of the team contributing to the action: it sees the application, not its details."""
    ContributorFactory(action=funding_world.action, organisation=funding_world.co_sme_org)
    return "co_sme"


@pytest.mark.parametrize(
    "role,sees", [("sme", True), ("consultant", True), ("ademe", True), ("partner", False)]
)
def test_the_application_page(
    funding_world: FundingWorld, application: object, role: str, sees: bool
) -> None:
    page = funding_world.client(role).get(reverse("www:funding_application_detail", args=[application.pk]))
    text = page.content.decode()
    assert page.status_code == 200
    assert application.scheme.title in text
    assert ("DOSSIER-42" in text) is sees
    assert ("Devis confidentiel" in text) is sees


def test_a_contributing_teammate_sees_the_status_not_the_amounts(
    funding_world: FundingWorld, application: object, contributor: str
) -> None:
    page = funding_world.client(contributor).get(
        reverse("www:funding_application_detail", args=[application.pk])
    )
    text = page.content.decode()
    assert application.scheme.title in text and application.get_status_display() in text
    assert "DOSSIER-42" not in text and "Devis confidentiel" not in text
    document = application.documents.get()
    url = reverse("www:funding_document_download", args=[application.pk, document.pk])
    assert funding_world.client(contributor).get(url).status_code == 404


@pytest.mark.parametrize("role,sees", [("sme", True), ("partner", False)])
def test_the_team_grid_and_its_export(
    funding_world: FundingWorld, application: object, role: str, sees: bool
) -> None:
    client = funding_world.client(role)
    page = client.get(reverse("www:team_funding_grid", args=[funding_world.team.pk]))
    assert application.scheme.title in page.content.decode()
    assert (AMOUNT in page.content.decode().replace("\u202f", " ").replace("\xa0", " ")) is sees
    export = client.get(reverse("www:team_funding_grid_xlsx", args=[funding_world.team.pk]))
    cells = [
        c for row in load_workbook(io.BytesIO(export.content)).active.iter_rows(values_only=True) for c in row
    ]
    assert (Decimal("123456") in cells or 123456 in cells) is sees
    assert ("DOSSIER-42" in cells) is sees


@pytest.mark.parametrize("role,sees", [("sme", True), ("consultant", True), ("partner", False)])
def test_the_api(funding_world: FundingWorld, application: object, role: str, sees: bool) -> None:
    headers = bearer(funding_world.world.users[role])
    client = funding_world.client("anonymous")
    detail = client.get(f"/api/funding-applications/{application.pk}", **headers).json()
    listed = client.get("/api/funding-applications", **headers).json()["items"]
    assert detail["status"] == application.status
    assert (detail["amount_requested_eur"] == 123456) is sees
    assert [row["amount_requested_eur"] for row in listed] == [detail["amount_requested_eur"]]


def test_another_sme_of_the_programme_still_sees_nothing(
    funding_world: FundingWorld, application: object
) -> None:
    outsider = UserFactory(role="sme", organisation=funding_world.world.other_sme_org)
    funding_world.world.users["lone"] = outsider
    url = reverse("www:funding_application_detail", args=[application.pk])
    assert funding_world.client("lone").get(url).status_code == 404
