from __future__ import annotations

import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from sobrindustrie.organisations.models import Organisation, Person
from tests.conftest import World
from tests.factories import OrganisationFactory, PersonFactory, UserFactory, valid_siret


def _org_data(**overrides: str) -> dict[str, str]:
    data = {
        "kind": "laureate_sme",
        "name": "Alpes Mécanique",
        "slug": "alpes-mecanique",
        "siret": valid_siret(77),
        "naf_code": "25.62A",
        "workforce": "25",
        "expected_version": "",
    }
    data.update(overrides)
    return data


def test_a_consultant_creates_an_organisation(world: World) -> None:
    url = reverse("www:organisation_create", args=[world.programme.slug])
    response = world.client("consultant").post(url, _org_data())
    assert response.status_code == 302
    assert Organisation.objects.get(slug="alpes-mecanique").programme == world.programme


@pytest.mark.parametrize(
    "field,value,fragment",
    [
        ("siret", "1234567890123", "14"),
        ("siret", "12345678901234", "Luhn"),
        ("naf_code", "25.99Z", "NAF"),
        ("latitude", "48.0", "longitude"),
        ("workforce", "-3", "0"),
    ],
)
def test_bad_identity_is_refused_with_the_rule(world: World, field: str, value: str, fragment: str) -> None:
    url = reverse("www:organisation_create", args=[world.programme.slug])
    response = world.client("consultant").post(url, _org_data(**{field: value}))
    assert response.status_code == 200
    assert fragment in response.content.decode()
    assert 'value="Alpes Mécanique"' in response.content.decode()
    assert not Organisation.objects.filter(slug="alpes-mecanique").exists()


def test_coordinates_outside_france_are_refused(world: World) -> None:
    url = reverse("www:organisation_create", args=[world.programme.slug])
    response = world.client("consultant").post(url, _org_data(latitude="40.4", longitude="-3.7"))
    assert response.status_code == 200
    assert "France" in response.content.decode()


def test_siret_with_spaces_is_accepted_and_stored_compact(world: World) -> None:
    siret = valid_siret(78)
    spaced = f"{siret[:3]} {siret[3:6]} {siret[6:9]} {siret[9:]}"
    url = reverse("www:organisation_create", args=[world.programme.slug])
    assert world.client("consultant").post(url, _org_data(siret=spaced)).status_code == 302
    assert Organisation.objects.get(slug="alpes-mecanique").siret == siret


def test_a_compact_naf_code_is_stored_dotted(world: World) -> None:
    url = reverse("www:organisation_create", args=[world.programme.slug])
    assert world.client("consultant").post(url, _org_data(naf_code="2562a")).status_code == 302
    assert Organisation.objects.get(slug="alpes-mecanique").naf_code == "25.62A"


def test_the_list_filters_and_answers_htmx_with_a_fragment(world: World) -> None:
    client = world.client("consultant")
    url = reverse("www:organisation_list", args=[world.programme.slug])
    response = client.get(url, {"kind": "company"}, HTTP_HX_REQUEST="true")
    body = response.content.decode()
    assert "Maintenance Sud" in body
    assert "Provence Usinage" not in body
    assert "<html" not in body


def test_the_list_makes_a_fixed_number_of_queries(world: World) -> None:
    client = world.client("consultant")
    url = reverse("www:organisation_list", args=[world.programme.slug])
    client.get(url)
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    OrganisationFactory.create_batch(15, programme=world.programme)
    with CaptureQueriesContext(connection) as many:
        client.get(url)
    assert len(many) == len(few)


def test_the_dashboard_counts_the_programme(world: World) -> None:
    response = world.client("ademe").get(reverse("www:programme_dashboard", args=[world.programme.slug]))
    body = response.content.decode()
    assert response.context["laureate_count"] == 2
    assert response.context["outside_count"] == 1
    assert "<svg" in body and body.count("<circle") == 2


def test_needs_and_offers_are_added_inline(world: World) -> None:
    client = world.client("sme")
    url = reverse("www:exchange_add", args=[world.sme_org.pk, "offers"])
    response = client.post(
        url, {"offers-kind": "skill", "offers-skill": "maintenance"}, HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 200
    assert world.sme_org.offers.count() == 1
    refused = client.post(url, {"offers-kind": "skill", "offers-description": "x"}, HTTP_HX_REQUEST="true")
    assert world.sme_org.offers.count() == 1
    assert 'value="x"' in refused.content.decode()


def test_a_person_exports_their_own_data(world: World) -> None:
    user = world.users["sme"]
    person = PersonFactory(organisation=world.sme_org, user=user)
    response = world.client("sme").get(reverse("www:person_export", args=[person.pk]))
    assert response.status_code == 200
    data = json.loads(response.content)
    assert data["person"]["last_name"] == person.last_name
    assert data["account"]["email"] == user.email


def test_erasure_anonymises_and_deactivates(world: World) -> None:
    account = UserFactory(role="sme", organisation=world.sme_org)
    person = PersonFactory(organisation=world.sme_org, user=account, last_name="Secret")
    person.phone = "+33 4 11 11 11 11"
    person.save()
    response = world.client("consultant").post(reverse("www:person_erase", args=[person.pk]))
    assert response.status_code == 302
    person = Person.objects.get(pk=person.pk)
    assert person.last_name != "Secret" and person.email == "" and person.erased_on
    account.refresh_from_db()
    assert not account.is_active and not account.has_usable_password()
    assert not any(h.last_name == "Secret" for h in person.history.all())


def test_without_htmx_a_refused_need_is_explained_by_field_label(world: World) -> None:
    client = world.client("sme")
    url = reverse("www:exchange_add", args=[world.sme_org.pk, "needs"])
    response = client.post(url, {"needs-kind": "capacity"}, follow=True)
    assert world.sme_org.needs.count() == 0
    body = response.content.decode()
    assert "Catégorie" in body and "needs-category" not in body.split("fr-alert")[1][:300]


def test_the_need_and_offer_forms_open_on_demand(world: World) -> None:
    """Each lists about ninety categories: the page carries a link (HTMX in place) instead."""
    client = world.client("sme")
    url = reverse("www:organisation_detail", args=[world.sme_org.pk])
    closed = client.get(url).content.decode()
    assert 'href="?ajouter=besoin#exchanges"' in closed and 'href="?ajouter=offre#exchanges"' in closed
    assert 'name="needs-category"' not in closed and 'name="offers-category"' not in closed
    opened = client.get(url, {"ajouter": "besoin"}).content.decode()
    assert 'name="needs-category"' in opened and 'id="needs-form"' in opened
    assert 'name="offers-category"' not in opened
    # Someone who may not edit the organisation gets neither the link nor the form, even asking for it.
    other = world.client("partner").get(url, {"ajouter": "besoin"})
    assert other.status_code == 404 or 'name="needs-category"' not in other.content.decode()
