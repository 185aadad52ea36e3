"""List pages make the same number of queries whatever the number of rows."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from sobrindustrie.meetings.enums import MeetingKind
from sobrindustrie.meetings.models import Minutes
from tests.actionplans.factories import ActionFactory
from tests.funding.conftest import FundingWorld
from tests.funding.factories import ApplicationFactory, SchemeFactory, ShortlistFactory
from tests.meetings.factories import InvitationFactory, MeetingFactory


def _more(fw: FundingWorld) -> None:
    action = ActionFactory(plan=fw.plan, lead_organisation=fw.world.sme_org)
    for _ in range(3):
        scheme = SchemeFactory()
        ShortlistFactory(action=action, scheme=scheme)
        ApplicationFactory(action=action, organisation=fw.world.sme_org, scheme=scheme, granted=True)
    for _ in range(2):
        meeting = MeetingFactory(programme=fw.programme, kind=MeetingKind.FUNDER_INTERVIEW, past=True)
        Minutes.objects.create(meeting=meeting, body="Texte")
        InvitationFactory(meeting=meeting, user=fw.world.users["consultant"])


def _count(fw: FundingWorld, url: str, role: str = "consultant") -> int:
    client = fw.client(role)
    client.get(url)  # warm the caches (eligibility, content types, sessions)
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


@pytest.mark.parametrize(
    "name,args",
    [
        ("funding_needs", "slug"),
        ("funding_scheme_list", "slug"),
        ("programme_funding_grid", "slug"),
        ("funder_interviews", "slug"),
        ("funding_synthesis", "slug"),
        ("team_funding_grid", "team"),
        ("organisation_eligibility", "organisation"),
    ],
)
def test_list_pages_do_not_grow_with_the_rows(funding_world: FundingWorld, name: str, args: str) -> None:
    arg = {
        "slug": funding_world.programme.slug,
        "team": funding_world.team.pk,
        "organisation": funding_world.world.sme_org.pk,
    }[args]
    url = reverse(f"www:{name}", args=[arg])
    _more(funding_world)  # some of everything, so that every prefetch has rows to fetch
    before = _count(funding_world, url)
    _more(funding_world)
    assert _count(funding_world, url) == before


def test_the_matching_page_does_not_grow_with_the_schemes(funding_world: FundingWorld) -> None:
    url = reverse("www:action_funding", args=[funding_world.action.pk])
    before = _count(funding_world, url)
    for _ in range(4):
        SchemeFactory()
    assert _count(funding_world, url) == before
