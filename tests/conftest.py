"""Shared fixtures: one programme seen by every kind of user.

`world` holds a programme with two laureate SMEs and an outside partner, and one user per role,
plus outsiders: a consultant of another programme and an SME of another programme. Views are
tested for every role with `@pytest.mark.parametrize("role", ROLES)` and `world.client(role)`.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pytest
from django.contrib.contenttypes.models import ContentType
from django.test import Client

from sobrindustrie.accounts.enums import Role
from tests.factories import OrganisationFactory, ProgrammeFactory, UserFactory

ROLES = [
    "anonymous",
    "ademe",
    "consultant",
    "sme",
    "other_sme",
    "partner",
    "staff",
    "outsider_consultant",
    "outsider_sme",
]


@dataclass
class World:
    programme: object
    sme_org: object
    other_sme_org: object
    partner_org: object
    users: dict[str, object] = field(default_factory=dict)

    def client(self, role: str) -> Client:
        client = Client()
        if role != "anonymous":
            client.force_login(self.users[role])
        return client


@pytest.fixture
def world(db: object) -> World:
    programme = ProgrammeFactory(slug="paca", name="Sobr'Industrie PACA")
    other_programme = ProgrammeFactory(slug="occitanie", name="Sobr'Industrie Occitanie", region="Occitanie")
    sme_org = OrganisationFactory(programme=programme, name="Provence Usinage")
    other_sme_org = OrganisationFactory(programme=programme, name="Var Plasturgie")
    partner_org = OrganisationFactory(programme=programme, outside=True, name="Maintenance Sud")
    outsider_org = OrganisationFactory(programme=other_programme, name="Toulouse Méca")
    world = World(programme, sme_org, other_sme_org, partner_org)
    world.users = {
        "ademe": UserFactory(role=Role.ADEME, programmes=[programme]),
        "consultant": UserFactory(role=Role.CONSULTANT, programmes=[programme], is_staff=True),
        "sme": UserFactory(role=Role.SME, organisation=sme_org),
        "other_sme": UserFactory(role=Role.SME, organisation=other_sme_org),
        "partner": UserFactory(role=Role.PARTNER, organisation=partner_org),
        "staff": UserFactory(role=Role.STAFF, is_staff=True, is_superuser=True),
        "outsider_consultant": UserFactory(role=Role.CONSULTANT, programmes=[other_programme], is_staff=True),
        "outsider_sme": UserFactory(role=Role.SME, organisation=outsider_org),
    }
    return world


@pytest.fixture(autouse=True)
def _content_types_cache_follows_flushes(request: pytest.FixtureRequest) -> object:
    """A transactional test ends with a flush that recreates content types under new ids, and a
    restore does the same: forget the cached ones on both sides of such a test, so that the next
    test does not reach for a content type that no longer exists."""
    marker = request.node.get_closest_marker("django_db")
    transactional = marker is not None and bool(marker.kwargs.get("transaction"))
    if transactional:
        ContentType.objects.clear_cache()
    yield
    if transactional:
        ContentType.objects.clear_cache()
