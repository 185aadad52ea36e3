"""Factories of the diagnostics area (the shared tests/factories.py stays the lead's)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import factory
from django.utils import timezone

from sobrindustrie.diagnostics.enums import DiagnosticStatus, MethodStatus, OpportunityStatus, Origin
from sobrindustrie.diagnostics.models import (
    Barrier,
    CooperationSignal,
    Diagnostic,
    DiagnosticSession,
    MethodVersion,
    Opportunity,
)
from sobrindustrie.diagnostics.services import load_method_file
from sobrindustrie.programmes.models import Programme
from tests.factories import OrganisationFactory


def validated_method(programme: Programme) -> MethodVersion:
    """The shipped default method, loaded into `programme` and validated."""
    version, _ = load_method_file(programme)
    if version.status != MethodStatus.VALIDATED:
        version.status = MethodStatus.VALIDATED
        version.validated_at = timezone.now()
        version.save()
    return version


class DiagnosticFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Diagnostic

    organisation = factory.SubFactory(OrganisationFactory)
    programme = factory.SelfAttribute("organisation.programme")
    method = factory.LazyAttribute(lambda o: validated_method(o.programme))
    status = DiagnosticStatus.IN_PROGRESS
    planned_on = dt.date(2025, 11, 17)


class SessionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = DiagnosticSession

    diagnostic = factory.SubFactory(DiagnosticFactory)
    date = dt.date(2025, 11, 20)
    days = Decimal("1")


class OpportunityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Opportunity

    diagnostic = factory.SubFactory(DiagnosticFactory)
    solution = "pooling"
    title = factory.Sequence(lambda n: f"Opportunité {n}")
    status = OpportunityStatus.RETAINED
    origin = Origin.CONSULTANT


class BarrierFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Barrier

    opportunity = factory.SubFactory(OpportunityFactory)
    category = "economic"
    comment = "Coût à financer"


class CooperationSignalFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CooperationSignal

    diagnostic = factory.SubFactory(DiagnosticFactory)
    direction = "needs"
    kind = "skill"
    solution = "inhouse_maintenance"
    skill = "maintenance"
