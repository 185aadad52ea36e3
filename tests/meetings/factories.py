"""Factories of the meetings area (kept apart from tests/factories.py, which the foundation owns)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import factory
from django.utils import timezone

from sobrindustrie.meetings.enums import MeetingKind, MeetingMode, MeetingStatus, TimeObjectKind
from sobrindustrie.meetings.models import (
    Decision,
    Invitation,
    Meeting,
    Minutes,
    TimeEntry,
)
from tests.factories import ProgrammeFactory


def local(year: int, month: int, day: int, hour: int = 9, minute: int = 30) -> dt.datetime:
    return timezone.make_aware(dt.datetime(year, month, day, hour, minute))


class MeetingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Meeting
        skip_postgeneration_save = True

    programme = factory.SubFactory(ProgrammeFactory)
    kind = MeetingKind.COPIL
    title = factory.Sequence(lambda n: f"Réunion {n}")
    starts_at = factory.LazyFunction(lambda: timezone.now() + dt.timedelta(days=7))
    ends_at = factory.LazyAttribute(lambda o: o.starts_at + dt.timedelta(hours=2))
    place = "Marseille, Hôtel de Région"
    mode = MeetingMode.IN_PERSON
    agenda = "1. Point d'avancement\n2. Suite"
    status = MeetingStatus.PLANNED

    @factory.post_generation
    def teams(self, create: bool, extracted: Any, **kwargs: Any) -> None:
        """`teams=[team, …]`: the project teams the meeting concerns."""
        if create and extracted:
            self.teams.set(extracted)  # type: ignore[attr-defined]

    class Params:
        past = factory.Trait(
            starts_at=factory.LazyFunction(lambda: timezone.now() - dt.timedelta(days=20)),
            status=MeetingStatus.HELD,
        )


class InvitationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Invitation

    meeting = factory.SubFactory(MeetingFactory)


class MinutesFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Minutes

    meeting = factory.SubFactory(MeetingFactory, past=True)
    body = "# Décisions\n\n- Valider la méthode"


class DecisionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Decision

    meeting = factory.SubFactory(MeetingFactory)
    programme = factory.SelfAttribute("meeting.programme")
    number = factory.Sequence(lambda n: n + 1)
    text = "Envoyer la grille de diagnostic aux lauréats"


class TimeEntryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = TimeEntry

    programme = factory.SubFactory(ProgrammeFactory)
    date = factory.LazyFunction(lambda: timezone.localdate() - dt.timedelta(days=3))
    days = Decimal("1")
    axis = 1
    object_kind = TimeObjectKind.OTHER
    object_label = "Préparation"
