"""Every page of the foundation, requested by every kind of user.

The expected status for each (page, role) pair is written out in full so that a change of
permissions shows up here as a diff a reviewer can read.
"""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests.conftest import ROLES, World
from tests.factories import NeedFactory, PersonFactory, ProductionMeansFactory

OK, NOT_FOUND, LOGIN = 200, 404, 302

# role:            anon   ademe  consult sme    o_sme  partner staff  out_c  out_sme
PAGES = {
    "programme_list": [LOGIN, OK, OK, OK, OK, OK, OK, OK, OK],
    "programme_dashboard": [LOGIN, OK, OK, OK, OK, OK, OK, NOT_FOUND, NOT_FOUND],
    "organisation_list": [LOGIN, OK, OK, NOT_FOUND, NOT_FOUND, NOT_FOUND, OK, NOT_FOUND, NOT_FOUND],
    "organisation_create": [LOGIN, NOT_FOUND, OK, NOT_FOUND, NOT_FOUND, NOT_FOUND, OK, NOT_FOUND, NOT_FOUND],
    "organisation_detail": [LOGIN, OK, OK, OK, NOT_FOUND, NOT_FOUND, OK, NOT_FOUND, NOT_FOUND],
    "organisation_edit": [LOGIN, NOT_FOUND, OK, OK, NOT_FOUND, NOT_FOUND, OK, NOT_FOUND, NOT_FOUND],
    "inventory": [LOGIN, OK, OK, OK, NOT_FOUND, NOT_FOUND, OK, NOT_FOUND, NOT_FOUND],
    "production_means_detail": [LOGIN, OK, OK, OK, NOT_FOUND, NOT_FOUND, OK, NOT_FOUND, NOT_FOUND],
    "production_means_edit": [LOGIN, NOT_FOUND, OK, OK, NOT_FOUND, NOT_FOUND, OK, NOT_FOUND, NOT_FOUND],
    "person_export": [LOGIN, NOT_FOUND, OK, NOT_FOUND, NOT_FOUND, NOT_FOUND, OK, NOT_FOUND, NOT_FOUND],
    "person_erase": [LOGIN, NOT_FOUND, OK, NOT_FOUND, NOT_FOUND, NOT_FOUND, OK, NOT_FOUND, NOT_FOUND],
}


def _url(name: str, world: World) -> str:
    org = world.sme_org
    if name in {"programme_dashboard", "organisation_list", "organisation_create"}:
        return reverse(f"www:{name}", args=[world.programme.slug])
    if name in {"organisation_detail", "organisation_edit", "inventory"}:
        return reverse(f"www:{name}", args=[org.pk])
    if name.startswith("production_means"):
        return reverse(f"www:{name}", args=[ProductionMeansFactory(organisation=org).pk])
    if name.startswith("person"):
        return reverse(f"www:{name}", args=[PersonFactory(organisation=org).pk])
    return reverse(f"www:{name}")


@pytest.mark.parametrize("page", PAGES)
@pytest.mark.parametrize("role_index,role", list(enumerate(ROLES)))
def test_each_role_gets_what_it_may(world: World, page: str, role_index: int, role: str) -> None:
    response = world.client(role).get(_url(page, world))
    assert response.status_code == PAGES[page][role_index], f"{page} as {role}"
    if response.status_code == LOGIN:
        assert response["Location"].startswith(reverse("www:login"))


def test_an_sme_member_cannot_post_to_another_smes_pages(world: World) -> None:
    client = world.client("sme")
    other = world.other_sme_org
    assert client.post(reverse("www:inventory", args=[other.pk]), {"new-name": "x"}).status_code == 404
    assert client.post(reverse("www:exchange_add", args=[other.pk, "needs"]), {}).status_code == 404
    need = NeedFactory(organisation=other)
    url = reverse("www:exchange_delete", args=[other.pk, "needs", need.pk])
    assert client.post(url).status_code == 404
    assert other.needs.count() == 1


def test_ademe_reads_but_cannot_write_the_inventory(world: World) -> None:
    means = ProductionMeansFactory(organisation=world.sme_org)
    client = world.client("ademe")
    page = client.get(reverse("www:inventory", args=[world.sme_org.pk]))
    assert means.name in page.content.decode()
    assert 'name="new-name"' not in page.content.decode()
    assert client.post(reverse("www:production_means_delete", args=[means.pk])).status_code == 404
