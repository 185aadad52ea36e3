"""Lessons learned at collective sessions: written by the consultant, searchable by everyone in the
programme, linked to the actions they come from."""

from __future__ import annotations

import datetime as dt

from django.urls import reverse
from django.utils import timezone

from sobrindustrie.actionplans.models import ExperienceNote
from sobrindustrie.meetings.enums import MeetingKind
from sobrindustrie.meetings.models import Meeting
from tests.actionplans.conftest import PlanWorld


def _session(pw: PlanWorld) -> Meeting:
    starts = timezone.make_aware(dt.datetime(2026, 9, 22, 14, 0))
    return Meeting.objects.create(
        programme=pw.world.programme,
        kind=MeetingKind.COLLECTIVE_SESSION,
        title="Session collective n°1",
        starts_at=starts,
        ends_at=starts + dt.timedelta(hours=3),
        place="Aix-en-Provence",
    )


def test_a_consultant_records_a_lesson_and_everyone_finds_it(plan_world: PlanWorld) -> None:
    pw = plan_world
    session = _session(pw)
    data = {
        "held_on": "2026-09-22",
        "meeting": session.pk,
        "topic": "Partager une machine entre concurrents",
        "lesson": "Une convention simple et un planning partagé évitent les conflits d'usage.",
        "solution": "pooling",
        "teams": [pw.team.pk],
        "actions": [pw.action.pk],
        "expected_version": "",
    }
    url = reverse("www:experience_note_create", args=[pw.world.programme.slug])
    assert pw.client("consultant").post(url, data).status_code == 302
    note = ExperienceNote.objects.get()
    assert list(note.actions.all()) == [pw.action]

    listing = reverse("www:experience_notes", args=[pw.world.programme.slug])
    other = pw.client("other_sme")  # outside the team, inside the programme
    found = other.get(listing, {"q": "planning"}, HTTP_HX_REQUEST="true").content.decode()
    assert "Partager une machine" in found and "<html" not in found
    assert reverse("www:action_detail", args=[pw.action.pk]) not in found  # the action itself stays private
    assert "Partager une machine" not in other.get(listing, {"q": "compresseur"}).content.decode()
    assert "Partager une machine" in pw.client("sme").get(listing, {"q": "découpe"}).content.decode()
    detail = pw.client("sme").get(reverse("www:action_detail", args=[pw.action.pk])).content.decode()
    assert "Partager une machine entre concurrents" in detail


def test_a_lesson_from_a_session_keeps_its_date(plan_world: PlanWorld) -> None:
    session = _session(plan_world)
    url = reverse("www:experience_note_create", args=[plan_world.world.programme.slug])
    data = {
        "held_on": "2026-09-23",
        "meeting": session.pk,
        "topic": "x",
        "lesson": "y",
        "expected_version": "",
    }
    response = plan_world.client("consultant").post(url, data)
    assert response.status_code == 200 and "held_on" in response.context["form"].errors
    assert not ExperienceNote.objects.exists()
