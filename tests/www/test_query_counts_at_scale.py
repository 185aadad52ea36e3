"""The pages that load-bench measures at national scale make as many queries on a large programme as
on a small one: each page is read twice, the data grown several-fold in between, and the counts
compared (issue #19: a page whose queries grow with the data cannot stay under 150 ms)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from sobrindustrie.meetings.enums import MeetingKind
from sobrindustrie.teams.enums import MemberRole
from tests.conftest import World
from tests.factories import (
    NeedFactory,
    OrganisationFactory,
    PersonFactory,
    ProductionMeansFactory,
    SiteFactory,
)
from tests.meetings.factories import MeetingFactory, local
from tests.teams.factories import MembershipFactory, TeamFactory

pytestmark = pytest.mark.django_db


def _queries(client: object, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)  # type: ignore[attr-defined]
    assert response.status_code == 200
    return len(captured.captured_queries)


def _same_count(world: World, role: str, url: str, grow: Callable[[int], None]) -> None:
    client = world.client(role)
    client.get(url)  # warm per-process caches (content types, sessions) out of the comparison
    grow(0)
    small = _queries(client, url)
    grow(1)
    grow(2)
    grow(3)
    assert _queries(client, url) == small


def _meeting(world: World, index: int, **fields: object) -> None:
    day = dt.date(2026, 3, 2) + dt.timedelta(days=index)
    MeetingFactory(
        programme=world.programme,
        kind=MeetingKind.TEAM_FOLLOWUP,
        title=f"Suivi {index}",
        starts_at=local(day.year, day.month, day.day, 10),
        ends_at=local(day.year, day.month, day.day, 12),
        **fields,
    )


@pytest.mark.parametrize("role", ["consultant", "sme"])
def test_the_team_page_reads_only_its_meetings_in_constant_queries(world: World, role: str) -> None:
    team = TeamFactory(programme=world.programme, name="Découpe partagée")
    MembershipFactory(team=team, organisation=world.sme_org, role=MemberRole.PILOT)
    other = TeamFactory(programme=world.programme, name="Presse partagée")
    counter = iter(range(1000))

    def grow(step: int) -> None:
        for _ in range(6):
            _meeting(world, next(counter), teams=[team])
            _meeting(world, next(counter), teams=[other])
            _meeting(world, next(counter), teams=[team, other])
            _meeting(world, next(counter))
        member = OrganisationFactory(programme=world.programme, name=f"Membre {step}")
        MembershipFactory(team=team, organisation=member, role=MemberRole.CONTRIBUTOR)

    _same_count(world, role, reverse("www:team_detail", args=[team.pk]), grow)
    if role == "sme":
        return  # an SME member sees the meetings they are invited to (the meetings area decides)
    page = world.client(role).get(reverse("www:team_detail", args=[team.pk])).content.decode()
    assert ">Suivi 0<" in page and ">Suivi 2<" in page  # its own meeting, and a joint one
    assert ">Suivi 1<" not in page and ">Suivi 3<" not in page  # another team's, and a team-less one


@pytest.mark.parametrize("role", ["consultant", "sme"])
def test_the_inventory_page_makes_constant_queries(world: World, role: str) -> None:
    organisation = world.sme_org

    def grow(step: int) -> None:
        site = SiteFactory(organisation=organisation, name=f"Site {step}", is_main=False)
        for index in range(20):
            ProductionMeansFactory(organisation=organisation, site=site, name=f"Machine {step}-{index}")

    _same_count(world, role, reverse("www:inventory", args=[organisation.pk]), grow)


@pytest.mark.parametrize("role", ["consultant", "sme"])
def test_the_organisation_page_makes_constant_queries(world: World, role: str) -> None:
    organisation = world.sme_org

    def grow(step: int) -> None:
        SiteFactory(organisation=organisation, name=f"Site {step}", is_main=False)
        PersonFactory(organisation=organisation, first_name=f"Personne {step}")
        NeedFactory(organisation=organisation)
        for index in range(10):
            ProductionMeansFactory(organisation=organisation, name=f"Machine {step}-{index}")
        organisation.name = f"Provence Usinage {step}"
        organisation.save()

    _same_count(world, role, reverse("www:organisation_detail", args=[organisation.pk]), grow)


@pytest.mark.parametrize("role", ["consultant", "sme"])
def test_the_action_plan_page_makes_constant_queries(world: World, role: str) -> None:
    from tests.actionplans.factories import (
        ActionFactory,
        ActionPlanFactory,
        ContributorFactory,
        IndicatorFactory,
        StepFactory,
    )

    team = TeamFactory(programme=world.programme, name="Découpe partagée")
    MembershipFactory(team=team, organisation=world.sme_org, role=MemberRole.PILOT)
    plan = ActionPlanFactory(team=team)

    def grow(step: int) -> None:
        for index in range(4):
            action = ActionFactory(plan=plan, lead_organisation=world.sme_org, title=f"Action {step}-{index}")
            StepFactory(action=action, due_on=dt.date(2026, 3, 2) + dt.timedelta(days=index))
            IndicatorFactory(action=action)
            ContributorFactory(action=action, organisation=world.sme_org)

    _same_count(world, role, reverse("www:action_plan", args=[team.pk]), grow)


@pytest.mark.parametrize("role", ["consultant", "ademe"])
def test_the_meeting_list_makes_constant_queries(world: World, role: str) -> None:
    counter = iter(range(1000))

    def grow(step: int) -> None:
        for _ in range(15):
            _meeting(world, next(counter))

    _same_count(world, role, reverse("www:meeting_list", args=[world.programme.slug]), grow)


@pytest.mark.parametrize("role", ["consultant", "ademe"])
def test_the_team_formation_page_makes_constant_queries(world: World, role: str) -> None:
    """Workshop 2 at scale (issue #18): the constraint's organisations are searched, the pre-formed
    groups named up to a few; neither the organisations nor the groups add queries."""
    counter = iter(range(10_000))
    OrganisationFactory.create_batch(2, programme=world.programme, preformed_group="Binôme 0")

    def grow(step: int) -> None:
        for _ in range(40):
            OrganisationFactory(programme=world.programme, name=f"Atelier {next(counter)}")
        OrganisationFactory.create_batch(2, programme=world.programme, preformed_group=f"Binôme {step + 1}")

    url = reverse("www:team_formation", args=[world.programme.slug])
    _same_count(world, role, f"{url}?q=atelier&organisations={world.sme_org.pk}", grow)
