"""The interviews page (L3.1): a paged list, newest first, one line per funder interview."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from sobrindustrie.meetings.enums import MeetingKind
from sobrindustrie.meetings.models import Minutes
from sobrindustrie.www.funding_views.views import INTERVIEWS_PER_PAGE
from tests.actionplans.factories import ProjectTeamFactory
from tests.conftest import ROLES
from tests.funding.conftest import FundingWorld
from tests.funding.test_access import STAFF_ONLY
from tests.meetings.factories import InvitationFactory, MeetingFactory

FIRST_DAY = timezone.make_aware(dt.datetime(2026, 1, 5, 10, 0))


def _interviews(fw: FundingWorld, count: int, first: int = 0) -> list[object]:
    """`count` funder interviews a day apart, each with minutes, a team, an organisation and a guest."""
    meetings = []
    for index in range(first, first + count):
        starts_at = FIRST_DAY + dt.timedelta(days=index)
        meeting = MeetingFactory(
            programme=fw.programme, kind=MeetingKind.FUNDER_INTERVIEW, title=f"Entretien {index:03d}",
            organiser_name="Bpifrance", starts_at=starts_at, ends_at=starts_at + dt.timedelta(hours=1),
            teams=[fw.team],  # type: ignore[attr-defined]
        )  # fmt: skip
        meeting.organisations.add(fw.world.sme_org)
        Minutes.objects.create(meeting=meeting, body="# Dispositifs\n- Prêt vert")
        InvitationFactory(meeting=meeting, user=fw.world.users["consultant"])
        meetings.append(meeting)
    return meetings


def _url(fw: FundingWorld, page: int | None = None) -> str:
    url = reverse("www:funder_interviews", args=[fw.programme.slug])
    return f"{url}?page={page}" if page else url


def _titles(html: str) -> list[str]:
    return re.findall(r">(Entretien \d{3})</a>", html)


def test_26_interviews_make_2_pages_newest_first(funding_world: FundingWorld) -> None:
    assert INTERVIEWS_PER_PAGE < 26 <= 2 * INTERVIEWS_PER_PAGE
    _interviews(funding_world, 26)
    client = funding_world.client("consultant")
    first = client.get(_url(funding_world)).content.decode()
    second = client.get(_url(funding_world, 2)).content.decode()
    expected = [f"Entretien {index:03d}" for index in reversed(range(26))]
    assert _titles(first) == expected[:INTERVIEWS_PER_PAGE]
    assert _titles(second) == expected[INTERVIEWS_PER_PAGE:]
    assert "26 interviews" in first or "26 entretiens" in first
    assert 'href="?page=2"' in first and "1 / 2" in first
    assert 'href="?page=1"' in second and "2 / 2" in second
    # The export link stays on every page: it holds the full texts.
    docx = reverse("www:funder_interviews_docx", args=[funding_world.programme.slug])
    assert docx in first and docx in second


def test_a_page_out_of_range_shows_the_last_one(funding_world: FundingWorld) -> None:
    _interviews(funding_world, 26)
    html = funding_world.client("consultant").get(_url(funding_world, 9)).content.decode()
    assert _titles(html) == [f"Entretien {index:03d}" for index in reversed(range(26 - INTERVIEWS_PER_PAGE))]


def test_each_line_names_the_funder_the_teams_and_leads_to_the_minutes(funding_world: FundingWorld) -> None:
    (meeting,) = _interviews(funding_world, 1)
    html = funding_world.client("ademe").get(_url(funding_world)).content.decode()
    (row,) = [row for row in html.split("<tr>") if "Entretien 000" in row]
    assert "05/01/2026" in row and "Bpifrance" in row
    assert "Rétrofit de la vallée" in row and "Provence Usinage" in row  # team and organisation concerned
    assert f'href="{reverse("www:meeting_detail", args=[meeting.pk])}#minutes"' in html
    assert "Prêt vert" not in html  # the texts are in the DOCX and on the meeting's page


def test_only_this_programmes_funder_interviews_are_listed(funding_world: FundingWorld) -> None:
    _interviews(funding_world, 2)
    MeetingFactory(programme=funding_world.programme, kind=MeetingKind.COPIL, title="Entretien 900")
    other_team = ProjectTeamFactory(name="Équipe d'ailleurs")
    MeetingFactory(
        programme=other_team.programme, kind=MeetingKind.FUNDER_INTERVIEW, title="Entretien 901",
        teams=[other_team],
    )  # fmt: skip
    html = funding_world.client("consultant").get(_url(funding_world)).content.decode()
    assert _titles(html) == ["Entretien 001", "Entretien 000"]
    assert "Équipe d'ailleurs" not in html


def test_no_interview_yet(funding_world: FundingWorld) -> None:
    html = funding_world.client("consultant").get(_url(funding_world)).content.decode()
    assert _titles(html) == [] and 'href="?page=' not in html


@pytest.mark.parametrize("role_index,role", list(enumerate(ROLES)))
def test_every_page_keeps_the_permissions(funding_world: FundingWorld, role_index: int, role: str) -> None:
    _interviews(funding_world, INTERVIEWS_PER_PAGE + 1)
    response = funding_world.client(role).get(_url(funding_world, 2))
    assert response.status_code == STAFF_ONLY[role_index], role
    if response.status_code == 200:
        assert _titles(response.content.decode()) == ["Entretien 000"]


@pytest.mark.parametrize("role", ["consultant", "ademe", "staff"])
def test_queries_do_not_grow_with_the_interviews(
    funding_world: FundingWorld, role: str, django_assert_max_num_queries: object
) -> None:
    client = funding_world.client(role)
    _interviews(funding_world, 3)
    client.get(_url(funding_world))  # warm the session and content-type caches
    with django_assert_max_num_queries(100) as few:  # type: ignore[operator]
        assert client.get(_url(funding_world)).status_code == 200
    _interviews(funding_world, 3 * INTERVIEWS_PER_PAGE, first=3)
    for page in (None, 2):
        with django_assert_max_num_queries(len(few.captured_queries)):  # type: ignore[operator]
            assert client.get(_url(funding_world, page)).status_code == 200
