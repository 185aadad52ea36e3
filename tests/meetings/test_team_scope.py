"""Meetings concern project teams, and the obligations dashboard can be read per team."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.urls import reverse

from sobrindustrie.core.history import history_entries
from sobrindustrie.meetings.enums import MeetingKind, MeetingStatus
from sobrindustrie.meetings.models import Meeting
from sobrindustrie.meetings.obligations import compliance
from sobrindustrie.teams.models import ProjectTeam
from sobrindustrie.www.meetings_views.forms import MeetingForm
from tests.conftest import World
from tests.meetings.factories import MeetingFactory, local
from tests.teams.factories import TeamFactory


def _followup(world: World, teams: list[ProjectTeam], day: dt.date) -> Meeting:
    return MeetingFactory(
        programme=world.programme,
        kind=MeetingKind.TEAM_FOLLOWUP,
        starts_at=local(day.year, day.month, day.day, 10),
        ends_at=local(day.year, day.month, day.day, 12),
        status=MeetingStatus.HELD,
        teams=teams,
    )


def test_follow_ups_count_for_the_team_they_concern(world: World) -> None:
    laser = TeamFactory(programme=world.programme, name="Découpe laser")
    press = TeamFactory(programme=world.programme, name="Presse partagée")
    _followup(world, [laser], dt.date(2026, 6, 2))
    _followup(world, [laser], dt.date(2026, 9, 8))
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
    assert _followup(world, [], dt.date(2026, 6, 3)).teams.count() == 0
    client = world.client("consultant")
    data = {
        "kind": MeetingKind.TEAM_FOLLOWUP,
        "title": "Suivi laser",
        "starts_at": "2027-03-16T14:00",
        "ends_at": "2027-03-16T16:00",
        "mode": "in_person",
        "place": "Rousset",
        "video_link": "",
        "attended_by_consultant": "on",
        "agenda": "",
        "status": "planned",
        "teams": [laser.pk],
        "expected_version": meeting.version,
    }
    assert client.post(url, data).status_code == 302
    assert list(meeting.teams.all()) == [laser]
    page = client.get(url).content.decode()
    assert f'value="{laser.pk}" selected' in page
    detail = client.get(reverse("www:meeting_detail", args=[meeting.pk])).content.decode()
    assert "Découpe laser" in detail  # the history names the team added


def test_a_team_of_another_programme_is_refused(world: World) -> None:
    meeting = _followup(world, [], dt.date(2026, 6, 2))
    elsewhere = TeamFactory(name="Ailleurs")
    assert elsewhere.programme != world.programme
    form = MeetingForm(
        data={"teams": [elsewhere.pk]},
        instance=meeting,
        programme=world.programme,  # type: ignore[arg-type]
    )
    assert not form.is_valid() and "teams" in form.errors


def test_history_lists_teams_added_and_removed(world: World) -> None:
    laser = TeamFactory(programme=world.programme, name="Découpe laser")
    press = TeamFactory(programme=world.programme, name="Presse partagée")
    meeting = _followup(world, [laser], dt.date(2026, 6, 2))
    meeting.teams.set([press])
    changes = [change for entry in history_entries(meeting) for change in entry.changes]
    # `set` removes, then adds: two records, each naming the teams before and after it
    assert {("Découpe laser", "—"), ("—", "Presse partagée")} <= {(c.old, c.new) for c in changes}, changes


@pytest.mark.django_db(transaction=True)
def test_the_migration_moves_team_identifiers_into_the_relation() -> None:
    executor = MigrationExecutor(connection)
    before = [("meetings", "0004_search_folded_text"), ("teams", "0001_initial")]
    after = [("meetings", "0005_meeting_teams_relation")]
    try:
        executor.migrate(before)
        old = executor.loader.project_state(before).apps
        programme = old.get_model("programmes", "Programme").objects.create(
            slug="p", name="P", notified_on=dt.date(2025, 9, 1), starts_on=dt.date(2025, 10, 1),
            ends_on=dt.date(2027, 9, 30),
        )  # fmt: skip
        team_model = old.get_model("teams", "ProjectTeam")
        laser = team_model.objects.create(programme=programme, name="Laser")
        press = team_model.objects.create(programme=programme, name="Presse")
        starts = dt.datetime(2026, 6, 2, 10, tzinfo=dt.UTC)
        common = {"programme": programme, "kind": "team_followup", "starts_at": starts, "ends_at": starts}
        meeting_model = old.get_model("meetings", "Meeting")
        both = meeting_model.objects.create(
            title="Both", team_ids=[str(laser.pk), str(press.pk), "999"], **common
        )
        none = meeting_model.objects.create(title="None", team_ids=[], **common)
        old.get_model("meetings", "HistoricalMeeting").objects.create(
            id=both.pk, title="Both", team_ids=[str(press.pk)], history_date=starts, history_type="+", created_at=starts,
            **{key: value for key, value in common.items() if key != "programme"}, programme_id=programme.pk,
        )  # fmt: skip
        executor = MigrationExecutor(connection)
        executor.migrate(after)
        new = executor.loader.project_state(after).apps
        migrated = new.get_model("meetings", "Meeting")
        assert set(migrated.objects.get(pk=both.pk).teams.values_list("pk", flat=True)) == {
            laser.pk,
            press.pk,
        }
        assert not migrated.objects.get(pk=none.pk).teams.exists()
        history = new.get_model("meetings", "HistoricalMeeting_teams").objects.values_list(
            "projectteam_id", flat=True
        )
        assert list(history) == [press.pk]
        executor = MigrationExecutor(connection)
        executor.migrate(before)
        reverted = executor.loader.project_state(before).apps.get_model("meetings", "Meeting")
        assert sorted(reverted.objects.get(pk=both.pk).team_ids, key=int) == [str(laser.pk), str(press.pk)]
    finally:
        executor = MigrationExecutor(connection)
        executor.loader.build_graph()
        executor.migrate(executor.loader.graph.leaf_nodes())
