"""The pages of workshop 1 live, for every kind of user: consultants and staff type and validate,
ADEME reads, the companies and outsiders get a 404. Saving a row with and without HTMX, bad input
kept on the form, and a save over a newer row refused."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from sobrindustrie.meetings.enums import MeetingKind, TopicStatus
from sobrindustrie.meetings.models import Meeting, WebinarTopic, WorkshopContribution
from tests.conftest import ROLES, World
from tests.meetings.factories import MeetingFactory

OK, FOUND, NOT_FOUND, LOGIN, REFUSED = 200, 302, 404, 302, 422
# role:      anon   ademe      consult sme        o_sme      partner    staff out_c      out_sme
READERS = [LOGIN, OK, OK, NOT_FOUND, NOT_FOUND, NOT_FOUND, OK, NOT_FOUND, NOT_FOUND]
WRITERS = [LOGIN, NOT_FOUND, OK, NOT_FOUND, NOT_FOUND, NOT_FOUND, OK, NOT_FOUND, NOT_FOUND]
WRITE_POST = [LOGIN, NOT_FOUND, FOUND, NOT_FOUND, NOT_FOUND, NOT_FOUND, FOUND, NOT_FOUND, NOT_FOUND]


@pytest.fixture
def workshop(world: World) -> Meeting:
    return MeetingFactory(
        programme=world.programme, kind=MeetingKind.WORKSHOP_1, past=True, title="Atelier 1"
    )


def _row_data(**given: Any) -> dict[str, Any]:
    data = {
        "needs": "Un technicien de maintenance partagé",
        "offers": "",
        "first_choice": "inhouse_maintenance",
        "second_choice": "pooling",
        "third_choice": "",
        "satisfaction": "5",
        "expected_version": "0",
    }
    data.update(given)
    return data


def _row_url(workshop: Meeting, world: World) -> str:
    return reverse("www:workshop_contribution", args=[workshop.pk, world.sme_org.pk])


@pytest.mark.parametrize("role_index,role", list(enumerate(ROLES)))
def test_each_role_on_the_workshop_pages(world: World, workshop: Meeting, role_index: int, role: str) -> None:
    client = world.client(role)
    WorkshopContribution.objects.create(meeting=workshop, organisation=world.sme_org, votes=["pooling"])
    pages = {
        reverse("www:workshop_capture", args=[workshop.pk]): READERS,
        reverse("www:webinar_topics", args=[workshop.pk]): READERS,
        _row_url(workshop, world): WRITERS,
    }
    for url, expected in pages.items():
        response = client.get(url)
        assert response.status_code == expected[role_index], f"{url} as {role}"
        if response.status_code == OK:
            assert "INVALID_TEMPLATE_VARIABLE" not in response.content.decode()
    saved = client.post(_row_url(workshop, world), _row_data(expected_version="1"))
    assert saved.status_code == WRITE_POST[role_index], role
    topic = client.post(
        reverse("www:webinar_topic_save", args=[workshop.pk, "pooling"]),
        {
            "pooling-title": "Mutualiser",
            "pooling-description": "",
            "pooling-expected_version": "0",
            "action": "validate",
        },
    )
    assert topic.status_code == WRITE_POST[role_index], role
    written = role in ("consultant", "staff")
    assert WorkshopContribution.objects.get().needs == (
        "Un technicien de maintenance partagé" if written else ""
    )
    assert WebinarTopic.objects.filter(status=TopicStatus.VALIDATED).exists() == written


def test_the_meeting_page_leads_to_workshop_1_for_overseers_only(world: World, workshop: Meeting) -> None:
    url = reverse("www:workshop_capture", args=[workshop.pk])
    assert url in world.client("ademe").get(workshop.get_absolute_url()).content.decode()
    copil = MeetingFactory(programme=world.programme, past=True)
    assert url not in world.client("consultant").get(copil.get_absolute_url()).content.decode()
    # Another kind of meeting has no workshop-1 page.
    assert world.client("consultant").get(reverse("www:workshop_capture", args=[copil.pk])).status_code == 404


def test_saving_a_row_with_htmx_returns_the_row_alone(world: World, workshop: Meeting) -> None:
    client = world.client("consultant")
    form = client.get(_row_url(workshop, world), headers={"HX-Request": "true"})
    assert form.status_code == OK and "<html" not in form.content.decode()
    response = client.post(_row_url(workshop, world), _row_data(), headers={"HX-Request": "true"})
    body = response.content.decode()
    assert response.status_code == OK and "<html" not in body
    assert f'id="company-{world.sme_org.pk}"' in body and "Un technicien de maintenance partagé" in body
    row = WorkshopContribution.objects.get()
    assert row.votes == ["inhouse_maintenance", "pooling"] and row.satisfaction == 5


def test_saving_a_row_without_javascript_goes_back_to_the_company(world: World, workshop: Meeting) -> None:
    response = world.client("consultant").post(_row_url(workshop, world), _row_data())
    assert response.status_code == FOUND
    assert response["Location"].endswith(f"#company-{world.sme_org.pk}")


def test_bad_votes_are_refused_and_what_was_typed_is_kept(world: World, workshop: Meeting) -> None:
    client = world.client("consultant")
    response = client.post(_row_url(workshop, world), _row_data(second_choice="inhouse_maintenance"))
    assert response.status_code == REFUSED
    body = response.content.decode()
    assert "A theme can be voted for only once" in body and "Un technicien de maintenance partagé" in body
    gap = client.post(_row_url(workshop, world), _row_data(first_choice="", second_choice="pooling"))
    assert "Fill the choices in order" in gap.content.decode()
    assert not WorkshopContribution.objects.exists()


def test_a_save_over_a_newer_row_is_refused_and_kept_on_the_form(world: World, workshop: Meeting) -> None:
    client = world.client("consultant")
    client.post(_row_url(workshop, world), _row_data(needs="Première tablette"))
    response = client.post(
        _row_url(workshop, world), _row_data(needs="Seconde tablette")
    )  # opened at version 0
    body = response.content.decode()
    assert response.status_code == REFUSED
    assert "This record was changed by someone else meanwhile" in body and "Seconde tablette" in body
    assert WorkshopContribution.objects.get().needs == "Première tablette"


def test_a_stale_topic_is_refused(world: World, workshop: Meeting) -> None:
    client = world.client("consultant")
    WorkshopContribution.objects.create(meeting=workshop, organisation=world.sme_org, votes=["pooling"])
    url = reverse("www:webinar_topic_save", args=[workshop.pk, "pooling"])
    data = {"pooling-title": "Premier", "pooling-description": "", "pooling-expected_version": "0"}
    assert client.post(url, {**data, "action": "validate"}).status_code == FOUND
    response = client.post(url, {**data, "pooling-title": "Second", "action": "save"})
    assert (
        response.status_code == REFUSED
        and "This record was changed by someone else meanwhile" in response.content.decode()
    )
    assert WebinarTopic.objects.get().title == "Premier"
    assert (
        client.post(reverse("www:webinar_topic_save", args=[workshop.pk, "nothing"]), data).status_code == 404
    )
