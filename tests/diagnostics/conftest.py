from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from django.test import Client
from django.utils import translation

from sobrindustrie.diagnostics.models import Diagnostic, MethodVersion, Opportunity
from tests.conftest import World
from tests.diagnostics.factories import (
    BarrierFactory,
    DiagnosticFactory,
    OpportunityFactory,
    SessionFactory,
    validated_method,
)
from tests.factories import ProductionMeansFactory


@dataclass
class Diagnostics:
    world: World
    method: MethodVersion
    diagnostic: Diagnostic  # the "sme" user's company, in progress
    other: Diagnostic  # the "other_sme" user's company
    opportunity: Opportunity


@pytest.fixture
def diagnostics(world: World) -> Diagnostics:
    method = validated_method(world.programme)
    ProductionMeansFactory(organisation=world.sme_org, utilisation_rate=25, sharing_hours_per_week=8)
    diagnostic = DiagnosticFactory(organisation=world.sme_org, method=method)
    SessionFactory(diagnostic=diagnostic)
    opportunity = OpportunityFactory(
        diagnostic=diagnostic, title="Partager le laser", electricity_kwh_per_year=1000
    )
    BarrierFactory(opportunity=opportunity)
    other = DiagnosticFactory(organisation=world.other_sme_org, method=method)
    return Diagnostics(world, method, diagnostic, other, opportunity)


@pytest.fixture(autouse=True)
def english() -> Iterator[None]:
    """Messages are checked in English, the msgid language, whatever translations exist."""
    with translation.override("en"):
        yield


def english_client(world: World, role: str) -> Client:
    client = world.client(role)
    client.cookies["django_language"] = "en"
    return client
