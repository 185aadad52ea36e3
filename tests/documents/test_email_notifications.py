"""What reaches a user by e-mail is also in their notifications, marked as already e-mailed."""

from __future__ import annotations

import datetime as dt

from django.core import mail

from sobrindustrie.documents.enums import NotificationKind
from sobrindustrie.documents.models import Notification
from sobrindustrie.meetings import services as meeting_services
from sobrindustrie.meetings.models import Invitation
from sobrindustrie.teams.reminders import send_prospect_reminders
from tests.conftest import World
from tests.meetings.factories import MeetingFactory, MinutesFactory
from tests.teams.factories import ProspectFactory


def _told(user: object, kind: str) -> list[Notification]:
    return list(Notification.objects.filter(user=user, kind=kind))


def test_a_meeting_invitation(world: World, django_capture_on_commit_callbacks: object) -> None:
    meeting = MeetingFactory(programme=world.programme, title="Comité des partenaires")
    Invitation.objects.create(meeting=meeting, user=world.users["partner"])
    with django_capture_on_commit_callbacks(execute=True):  # type: ignore[operator]
        meeting_services.send_invitations(meeting)
    assert [m.to for m in mail.outbox] == [[world.users["partner"].email]]
    [notification] = _told(world.users["partner"], NotificationKind.INVITATION)
    assert "Comité des partenaires" in notification.title
    assert notification.url == meeting.get_absolute_url() and notification.emailed_at is not None


def test_minutes_validated(world: World, django_capture_on_commit_callbacks: object) -> None:
    minutes = MinutesFactory(meeting__programme=world.programme, meeting__title="COPIL de lancement")
    with django_capture_on_commit_callbacks(execute=True):  # type: ignore[operator]
        meeting_services.apply_transition(minutes, "submit", world.users["consultant"])
        meeting_services.apply_transition(minutes, "validate", world.users["ademe"])
    [notification] = _told(world.users["consultant"], NotificationKind.VALIDATED)
    assert "COPIL de lancement" in notification.title and notification.emailed_at is not None
    assert _told(world.users["ademe"], NotificationKind.TO_VALIDATE)


def test_a_prospecting_reminder(world: World) -> None:
    today = dt.date(2026, 12, 7)
    ProspectFactory(
        team__programme=world.programme,
        next_step="Rappeler le CETIM",
        next_step_due=today,
        followed_by=world.users["consultant"],
    )
    assert send_prospect_reminders(today) == 1
    [notification] = _told(world.users["consultant"], NotificationKind.PROSPECT)
    assert "Rappeler le CETIM" in notification.title and notification.emailed_at is not None
    # Run again: neither a second e-mail nor a second notification.
    assert send_prospect_reminders(today) == 0
    assert len(_told(world.users["consultant"], NotificationKind.PROSPECT)) == 1
