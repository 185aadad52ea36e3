"""Meetings concern project teams, and the obligations dashboard can be read per team."""

from __future__ import annotations

import datetime as dt

from django.urls import reverse

from sobrindustrie.meetings.enums import MeetingKind, MeetingStatus
from sobrindustrie.meetings.models import Meeting
from sobrindustrie.meetings.obligations import compliance
from tests.conftest import World
from tests.meetings.factories import MeetingFactory, local
from tests.teams.factories import TeamFactory


def _followup(world: World, team_ids: list[str], day: dt.date) -> Meeting:
    return MeetingFactory(
        programme=world.programme,
        kind=MeetingKind.TEAM_FOLLOWUP,
        starts_at=local(day.year, day.month, day.day, 10),
        ends_at=local(day.year, day.month, day.day, 12),
        status=MeetingStatus.HELD,
        team_ids=team_ids,
    )


def test_follow_ups_count_for_the_team_they_concern(world: World) -> None:
    laser = TeamFactory(programme=world.programme, name="Découpe laser")
    press = TeamFactory(programme=world.programme, name="Presse partagée")
    _followup(world, [str(laser.pk)], dt.date(2026, 6, 2))
    _followup(world, [str(laser.pk)], dt.date(2026, 9, 8))
    rows = [
        row
        for row in compliance(world.programme, today=dt.date(2026, 11, 28)).rows
        if row.result.code == "TEAM_FOLLOWUP_MIN"
    ]
    held = {row.result.scope: len(row.counted) for row in rows}
    assert held == {str(laser.pk): 2, str(press.pk): 0}
    assert {row.scope_label for row in rows} == {"Découpe laser", "Presse partagée"}


def test_the_dashboard_shows_one_teams_obligations(world: World) -> None:
    laser = TeamFactory(programme=world.programme, name="Découpe laser")
    press = TeamFactory(programme=world.programme, name="Presse partagée")
    url = reverse("www:obligations", args=[world.programme.slug])
    page = world.client("ademe").get(url, {"statut": "tout", "equipe": laser.pk}).content.decode()
    assert "Découpe laser" in page
    assert "At least 3 follow-up meetings per project team" in page
    assert "Contract obligations" in page
    assert "Presse partagée</span>" not in page
    assert press.name in page  # offered as a filter


def test_the_meeting_form_records_the_teams_concerned(world: World) -> None:
    laser = TeamFactory(programme=world.programme, name="Découpe laser")
    meeting = _followup(world, [], dt.date(2026, 6, 2))
    url = reverse("www:meeting_edit", args=[meeting.pk])
    page = world.client("consultant").get(url).content.decode()
    assert f'value="{laser.pk}"' in page and "Découpe laser" in page
