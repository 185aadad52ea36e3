"""The shared `world` with one project team (the SME and the partner in it; the other SME out of it)
and the programme's spaces; files are stored in a temporary MEDIA_ROOT."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.test import Client
from django.utils import translation

from sobrindustrie.documents.enums import SpaceKind
from sobrindustrie.documents.models import Space
from sobrindustrie.documents.services import ensure_spaces
from sobrindustrie.teams.enums import MemberRole
from sobrindustrie.teams.models import ProjectTeam
from tests.conftest import World
from tests.teams.factories import MembershipFactory, TeamFactory


@dataclass
class DocWorld:
    world: World
    team: ProjectTeam
    media: Path

    def space(self, kind: str) -> Space:
        spaces = Space.objects.filter(programme=self.world.programme, kind=kind)
        if kind == SpaceKind.TEAM:
            return spaces.get(team=self.team)
        if kind == SpaceKind.ORGANISATION:
            return spaces.get(organisation=self.world.sme_org)
        return spaces.get()

    def client(self, role: str) -> Client:
        client = self.world.client(role)
        client.cookies[django_settings.LANGUAGE_COOKIE_NAME] = "en"
        return client

    def user(self, role: str) -> object:
        return self.world.users[role]

    def stored_files(self) -> list[Path]:
        return [path for path in self.media.rglob("*") if path.is_file()]


@pytest.fixture(autouse=True)
def english() -> Iterator[None]:
    with translation.override("en"):
        yield


@pytest.fixture
def docs(world: World, settings: object, tmp_path: Path) -> DocWorld:
    settings.MEDIA_ROOT = tmp_path  # type: ignore[attr-defined]
    team = TeamFactory(programme=world.programme, name="Découpe partagée")
    MembershipFactory(team=team, organisation=world.sme_org, role=MemberRole.PILOT)
    MembershipFactory(team=team, organisation=world.partner_org, role=MemberRole.CONTRIBUTOR)
    ensure_spaces(world.programme)
    return DocWorld(world, team, tmp_path)
