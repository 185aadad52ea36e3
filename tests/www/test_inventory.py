from __future__ import annotations

import pytest
from django.urls import reverse

from sobrindustrie.organisations.models import ProductionMeans
from tests.conftest import World
from tests.factories import ProductionMeansFactory, SiteFactory

VALID = {
    "new-name": "Presse plieuse 100 t",
    "new-category": "forming.press_brake",
    "new-year": "2012",
    "new-rated_power_kw": "15",
    "new-annual_operating_hours": "1200",
    "new-utilisation_rate": "35",
    "new-energy_carrier": "electricity",
    "new-annual_consumption_kwh": "9000",
    "new-condition": "fair",
    "new-maintenance_mode": "contractor",
    "new-contractor_distance_km": "220",
    "new-planned_action": "none",
    "new-sharing_hours_per_week": "8",
}


def test_it_adds_a_machine_inline_with_htmx(world: World) -> None:
    client = world.client("sme")
    url = reverse("www:inventory", args=[world.sme_org.pk])
    response = client.post(url, VALID, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    body = response.content.decode()
    assert "Presse plieuse 100 t" in body
    assert "<html" not in body  # only the inventory fragment is sent back
    means = ProductionMeans.objects.get(name="Presse plieuse 100 t")
    assert means.organisation == world.sme_org
    assert means.history.count() == 1
    assert means.history.first().history_user == world.users["sme"]


@pytest.mark.parametrize(
    "field,value,message",
    [
        ("new-utilisation_rate", "120", "100"),
        ("new-annual_operating_hours", "-5", "0"),
        ("new-category", "cutting", "Sélectionnez un choix valide"),
        ("new-contractor_distance_km", "-1", "0"),
    ],
)
def test_bad_input_is_refused_and_what_was_typed_is_kept(
    world: World, field: str, value: str, message: str
) -> None:
    client = world.client("consultant")
    url = reverse("www:inventory", args=[world.sme_org.pk])
    response = client.post(url, {**VALID, field: value}, HTTP_HX_REQUEST="true")
    body = response.content.decode()
    assert response.status_code == 200
    assert not ProductionMeans.objects.exists()
    assert 'value="Presse plieuse 100 t"' in body
    assert f'value="{value}"' in body or value in body
    assert message in body
    assert 'aria-invalid="true"' in body


def test_a_contractor_distance_without_contractor_is_refused(world: World) -> None:
    client = world.client("sme")
    data = {**VALID, "new-maintenance_mode": "inhouse"}
    response = client.post(reverse("www:inventory", args=[world.sme_org.pk]), data)
    assert response.status_code == 200
    assert not ProductionMeans.objects.exists()
    assert "ne s’indique que si la maintenance" in response.content.decode()


def test_a_site_of_another_organisation_is_refused(world: World) -> None:
    other_site = SiteFactory(organisation=world.other_sme_org)
    client = world.client("consultant")
    response = client.post(
        reverse("www:inventory", args=[world.sme_org.pk]), {**VALID, "new-site": other_site.pk}
    )
    assert response.status_code == 200
    assert not ProductionMeans.objects.exists()


def test_concurrent_edits_do_not_overwrite_each_other(world: World) -> None:
    means = ProductionMeansFactory(organisation=world.sme_org, name="Laser")
    url = reverse("www:production_means_edit", args=[means.pk])
    fields = {
        "name": "Laser fibre",
        "category": "cutting.laser",
        "energy_carrier": "electricity",
        "condition": "good",
        "maintenance_mode": "contractor",
        "planned_action": "none",
        "sharing_hours_per_week": "10",
        "expected_version": str(means.version),
    }
    first = world.client("sme").post(url, fields)
    assert first.status_code == 302
    second = world.client("consultant").post(url, {**fields, "name": "Laser CO2"})
    assert second.status_code == 200
    assert "quelqu’un d’autre" in second.content.decode() or "someone else" in second.content.decode()
    means.refresh_from_db()
    assert means.name == "Laser fibre"
    assert 'value="Laser CO2"' in second.content.decode()


def test_history_shows_who_changed_what(world: World) -> None:
    means = ProductionMeansFactory(organisation=world.sme_org, utilisation_rate=30)
    client = world.client("consultant")
    url = reverse("www:production_means_edit", args=[means.pk])
    client.post(
        url,
        {
            "name": means.name,
            "category": means.category,
            "energy_carrier": "electricity",
            "condition": "good",
            "maintenance_mode": "contractor",
            "planned_action": "none",
            "sharing_hours_per_week": "10",
            "utilisation_rate": "55",
            "expected_version": str(means.version),
        },
    )
    page = client.get(reverse("www:production_means_detail", args=[means.pk])).content.decode()
    assert "<del>30,0</del>" in page
    assert "<ins>55,0</ins>" in page
    assert str(world.users["consultant"]) in page


def test_deleting_a_machine_keeps_its_history(world: World) -> None:
    means = ProductionMeansFactory(organisation=world.sme_org)
    pk = means.pk
    response = world.client("sme").post(reverse("www:production_means_delete", args=[pk]))
    assert response.status_code == 302
    assert not ProductionMeans.objects.filter(pk=pk).exists()
    assert ProductionMeans.history.filter(id=pk, history_type="-").exists()


def test_the_inventory_page_makes_a_fixed_number_of_queries(
    world: World, django_assert_max_num_queries: object
) -> None:
    ProductionMeansFactory.create_batch(3, organisation=world.sme_org)
    client = world.client("consultant")
    url = reverse("www:inventory", args=[world.sme_org.pk])
    client.get(url)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as few:
        client.get(url)
    ProductionMeansFactory.create_batch(
        20, organisation=world.sme_org, site=SiteFactory(organisation=world.sme_org)
    )
    with CaptureQueriesContext(connection) as many:
        client.get(url)
    assert len(many) == len(few)
