"""Long lists are paged, so a programme of hundreds of organisations stays a light page (the browser
checks at scale, `make e2e-large`, measure the weight; these tests pin the paging itself)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from sobrindustrie.www.diagnostics_views.views import LAUREATES_PER_PAGE
from sobrindustrie.www.meetings_views.views import MEETINGS_PER_PAGE
from sobrindustrie.www.organisations_views.views import MEANS_PER_PAGE, ORGANISATIONS_PER_PAGE
from tests.conftest import World
from tests.factories import OrganisationFactory, ProductionMeansFactory
from tests.meetings.factories import MeetingFactory


def _rows(response: object) -> int:
    return response.content.decode().count("<tr")  # type: ignore[attr-defined]


def test_the_organisation_list_is_paged(world: World) -> None:
    already = 3  # the world's two SMEs and its partner
    OrganisationFactory.create_batch(ORGANISATIONS_PER_PAGE + 1 - already, programme=world.programme)
    client = world.client("consultant")
    url = reverse("www:organisation_list", args=[world.programme.slug])  # type: ignore[attr-defined]
    first, second = client.get(url), client.get(url, {"page": 2})
    assert _rows(first) == ORGANISATIONS_PER_PAGE + 1  # the header row, then a page of organisations
    assert _rows(second) == 1 + 1
    assert "?page=2" in first.content.decode()
    # A filter is kept in the page links.
    filtered = client.get(url, {"q": "zzz-nothing"})
    assert filtered.status_code == 200 and _rows(filtered) <= 2


def test_the_inventory_is_paged(world: World) -> None:
    ProductionMeansFactory.create_batch(MEANS_PER_PAGE + 1, organisation=world.sme_org)
    client = world.client("sme")
    url = reverse("www:inventory", args=[world.sme_org.pk])  # type: ignore[attr-defined]
    first, second = client.get(url), client.get(url, {"page": 2})
    assert first.status_code == second.status_code == 200
    names_first = first.content.decode()
    assert "?page=2" in names_first
    assert _rows(second) < _rows(first)


def test_the_meeting_list_is_paged(world: World) -> None:
    MeetingFactory.create_batch(MEETINGS_PER_PAGE + 1, programme=world.programme)
    client = world.client("consultant")
    url = reverse("www:meeting_list", args=[world.programme.slug])  # type: ignore[attr-defined]
    first, second = client.get(url), client.get(url, {"page": 2})
    assert "?page=2" in first.content.decode() or "page=2" in first.content.decode()
    assert second.status_code == 200
    assert first.content.decode().count("Réunion ") >= MEETINGS_PER_PAGE
    assert second.content.decode().count("Réunion ") < first.content.decode().count("Réunion ")


@pytest.mark.parametrize("page", ["0", "-1", "999", "abc"])
def test_out_of_range_pages_show_a_page_not_an_error(world: World, page: str) -> None:
    OrganisationFactory.create_batch(2, programme=world.programme)
    response = world.client("consultant").get(
        reverse("www:diagnostic_list", args=[world.programme.slug]),  # type: ignore[attr-defined]
        {"page": page},
    )
    assert response.status_code == 200
    assert LAUREATES_PER_PAGE == 25
