"""Sites and contact people, created and edited from the organisation's page, for every role."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from sobrindustrie.organisations.models import Person, Site
from tests.conftest import ROLES, World
from tests.factories import PersonFactory, SiteFactory

#: Who edits the sites and contacts of world.sme_org: its consultant, staff, and its own members.
EDITORS = {"consultant", "staff", "sme"}


def expected(role: str, success: int) -> int:
    if role == "anonymous":
        return 302
    return success if role in EDITORS else 404


SITE = {
    "name": "Atelier de Rousset",
    "address": "1 chemin des Vignes",
    "postcode": "13790",
    "city_name": "Rousset",
}
CONTACT = {
    "first_name": "Inès",
    "last_name": "Bernard",
    "email": "Ines.Bernard@Example.FR",
    "job_title": "QHSE",
}


@pytest.mark.parametrize("role", ROLES)
def test_adding_a_site_by_role(world: World, role: str) -> None:
    url = reverse("www:site_create", args=[world.sme_org.pk])  # type: ignore[attr-defined]
    assert world.client(role).get(url).status_code == expected(role, 200)
    assert world.client(role).post(url, SITE).status_code == expected(role, 302)
    assert Site.objects.filter(organisation=world.sme_org, name=SITE["name"]).exists() == (role in EDITORS)


@pytest.mark.parametrize("role", ROLES)
def test_editing_a_site_by_role(world: World, role: str) -> None:
    site = SiteFactory(organisation=world.sme_org, name="Ancien nom")
    url = reverse("www:site_edit", args=[site.pk])
    assert world.client(role).get(url).status_code == expected(role, 200)
    assert world.client(role).post(url, SITE).status_code == expected(role, 302)
    site.refresh_from_db()
    assert (site.name == SITE["name"]) == (role in EDITORS)


@pytest.mark.parametrize("role", ROLES)
def test_adding_a_contact_by_role(world: World, role: str) -> None:
    url = reverse("www:person_create", args=[world.sme_org.pk])  # type: ignore[attr-defined]
    assert world.client(role).get(url).status_code == expected(role, 200)
    assert world.client(role).post(url, CONTACT).status_code == expected(role, 302)
    created = Person.objects.filter(organisation=world.sme_org, email="ines.bernard@example.fr")
    assert created.exists() == (role in EDITORS)


@pytest.mark.parametrize("role", ROLES)
def test_editing_a_contact_by_role(world: World, role: str) -> None:
    person = PersonFactory(organisation=world.sme_org)
    url = reverse("www:person_edit", args=[person.pk])
    assert world.client(role).get(url).status_code == expected(role, 200)
    response = world.client(role).post(url, {**CONTACT, "expected_version": person.version})
    assert response.status_code == expected(role, 302)
    person.refresh_from_db()
    assert (person.last_name == "Bernard") == (role in EDITORS)


def test_the_organisation_page_links_to_the_forms_for_editors_only(world: World) -> None:
    person = PersonFactory(organisation=world.sme_org)
    site = SiteFactory(organisation=world.sme_org)
    url = reverse("www:organisation_detail", args=[world.sme_org.pk])  # type: ignore[attr-defined]
    links = [
        reverse("www:site_create", args=[world.sme_org.pk]),  # type: ignore[attr-defined]
        reverse("www:site_edit", args=[site.pk]),
        reverse("www:person_create", args=[world.sme_org.pk]),  # type: ignore[attr-defined]
        reverse("www:person_edit", args=[person.pk]),
    ]
    for role, shown in (("sme", True), ("consultant", True), ("ademe", False)):
        body = world.client(role).get(url).content.decode()
        assert all((link in body) == shown for link in links), role


@pytest.mark.parametrize(
    "data,field,fragment",
    [
        ({**SITE, "name": ""}, "name", "obligatoire"),
        ({**SITE, "latitude": "48.0"}, "longitude", "longitude"),
        ({**SITE, "latitude": "40.4", "longitude": "-3.7"}, "latitude", "France"),
    ],
)
def test_a_bad_site_is_refused_and_keeps_what_was_typed(
    world: World, data: dict[str, str], field: str, fragment: str
) -> None:
    url = reverse("www:site_create", args=[world.sme_org.pk])  # type: ignore[attr-defined]
    response = world.client("sme").post(url, data)
    assert response.status_code == 200
    body = response.content.decode()
    assert fragment in body
    assert 'value="1 chemin des Vignes"' in body
    assert not Site.objects.exists()


def test_a_bad_contact_email_is_refused(world: World) -> None:
    url = reverse("www:person_create", args=[world.sme_org.pk])  # type: ignore[attr-defined]
    response = world.client("sme").post(url, {**CONTACT, "email": "pas-une-adresse"})
    assert response.status_code == 200
    assert 'value="Inès"' in response.content.decode()
    assert not Person.objects.exists()


def test_a_stale_contact_edit_is_refused(world: World) -> None:
    person: Any = PersonFactory(organisation=world.sme_org)
    url = reverse("www:person_edit", args=[person.pk])
    world.client("consultant").post(url, {**CONTACT, "expected_version": person.version})
    response = world.client("sme").post(
        url, {**CONTACT, "last_name": "Autre", "expected_version": person.version}
    )
    assert response.status_code == 200
    person.refresh_from_db()
    assert person.last_name == "Bernard"


def test_an_erased_contact_cannot_be_edited(world: World) -> None:
    from sobrindustrie.organisations.services import erase_person

    person = PersonFactory(organisation=world.sme_org)
    erase_person(person)
    assert world.client("consultant").get(reverse("www:person_edit", args=[person.pk])).status_code == 404
