from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import pytest
from django.core.files.base import ContentFile
from django.utils import timezone, translation

from sobrindustrie.meetings import services
from sobrindustrie.meetings.enums import Attendance, MeetingKind, MinutesStatus
from sobrindustrie.meetings.models import (
    ChecklistItem,
    Meeting,
    MeetingDocument,
    Minutes,
    Registration,
    RestitutionEvent,
    Survey,
    SurveyInvitation,
    TimeEntry,
)
from tests.conftest import World
from tests.meetings.factories import DecisionFactory, MeetingFactory, MinutesFactory, TimeEntryFactory


@pytest.fixture(autouse=True)
def media_root(settings: Any, tmp_path: Any) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(autouse=True)
def english(settings: Any) -> Any:
    """Assert on the English msgids, whatever the French catalogue says once translated."""
    settings.LANGUAGE_CODE = "en"
    with translation.override("en"):
        yield


@dataclass
class MeetingsWorld:
    world: World
    meeting: Meeting
    draft_meeting: Meeting
    document: MeetingDocument
    survey: Survey
    link: SurveyInvitation
    event_meeting: Meeting
    event: RestitutionEvent
    registration: Registration
    item: ChecklistItem
    entry: TimeEntry

    @property
    def programme(self) -> Any:
        return self.world.programme

    def user(self, role: str) -> Any:
        return self.world.users[role]


@pytest.fixture
def mw(world: World) -> MeetingsWorld:
    """A held workshop with validated minutes, a decision, a document and a survey; a planned
    meeting with draft minutes; a restitution event; a time entry. The SME member and the partner are
    invited to the workshop, the other SME is not."""
    users = world.users
    programme = world.programme
    meeting = MeetingFactory(programme=programme, kind=MeetingKind.WORKSHOP_1, past=True, title="Atelier 1")
    services.set_invitees(meeting, [users["ademe"], users["consultant"], users["sme"], users["partner"]])
    meeting.invitations.update(attendance=Attendance.PRESENT)
    Minutes.objects.create(
        meeting=meeting,
        body="# Synthèse\n\nBesoins communs.",
        status=MinutesStatus.VALIDATED,
        first_submitted_at=meeting.starts_at + dt.timedelta(days=2),
        validated_at=timezone.now(),
    )
    DecisionFactory(meeting=meeting, programme=programme, number=1)
    document = MeetingDocument(meeting=meeting, title="Support de l'atelier")
    document.file.save("support.pdf", ContentFile(b"%PDF-1.4 test"), save=True)
    survey = services.create_survey(meeting, closes_at=timezone.now() + dt.timedelta(days=5))
    services.issue_survey_links(survey)
    link = survey.invitations.get(user=users["sme"])
    draft_meeting = MeetingFactory(programme=programme, kind=MeetingKind.COPIL, title="COPIL")
    MinutesFactory(meeting=draft_meeting)
    event_meeting = MeetingFactory(
        programme=programme,
        kind=MeetingKind.RESTITUTION_EVENT,
        title="Restitution",
        starts_at=timezone.now() + dt.timedelta(days=30),
    )
    event = RestitutionEvent.objects.create(meeting=event_meeting, registration_open=True, capacity=2)
    registration = Registration.objects.create(
        event=event, name="Zoé Martin", email="zoe@test.example", status="confirmed"
    )
    item = ChecklistItem.objects.create(event=event, category="venue", label="Salle")
    entry = TimeEntryFactory(programme=programme, consultant=users["consultant"], days=Decimal("1.5"))
    return MeetingsWorld(
        world, meeting, draft_meeting, document, survey, link, event_meeting, event, registration, item, entry
    )
