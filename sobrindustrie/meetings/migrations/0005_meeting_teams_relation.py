"""Meetings name their project teams through a relation instead of a JSON list of identifiers.

The list could not be searched by SQL on SQLite, so the team page loaded every meeting of the
programme and filtered in Python. The identifiers are copied into the relation (current rows and
their history), identifiers naming no team are dropped, then the list is removed: one fact, one place.
"""

import django.db.models.deletion
import simple_history.models
from django.db import migrations, models


def _team_keys(values, known):
    """The known team primary keys among a JSON list of identifiers (strings of digits)."""
    keys = []
    for value in values or []:
        text = str(value).strip()
        if text.isdigit() and int(text) in known and int(text) not in keys:
            keys.append(int(text))
    return keys


def team_ids_to_teams(apps, schema_editor):
    alias = schema_editor.connection.alias
    Meeting = apps.get_model("meetings", "Meeting")
    HistoricalMeeting = apps.get_model("meetings", "HistoricalMeeting")
    HistoricalTeams = apps.get_model("meetings", "HistoricalMeeting_teams")
    ProjectTeam = apps.get_model("teams", "ProjectTeam")
    known = set(ProjectTeam.objects.using(alias).values_list("pk", flat=True))
    Through = Meeting.teams.through
    links = []
    for meeting_id, team_ids in Meeting.objects.using(alias).values_list("pk", "team_ids"):
        links += [Through(meeting_id=meeting_id, projectteam_id=key) for key in _team_keys(team_ids, known)]
    Through.objects.using(alias).bulk_create(links, batch_size=1000)
    # A history row of the relation copies the link's own id, as simple-history does: the live
    # link's when it still exists, 0 for a link removed since (the id is informational only).
    link_ids = {
        (meeting_id, team_id): pk
        for pk, meeting_id, team_id in Through.objects.using(alias).values_list("pk", "meeting_id", "projectteam_id")
    }
    rows = []
    history = HistoricalMeeting.objects.using(alias).values_list("history_id", "id", "team_ids")
    for history_id, meeting_id, team_ids in history:
        rows += [
            HistoricalTeams(
                id=link_ids.get((meeting_id, key), 0),
                history_id=history_id,
                meeting_id=meeting_id,
                projectteam_id=key,
            )
            for key in _team_keys(team_ids, known)
        ]
    HistoricalTeams.objects.using(alias).bulk_create(rows, batch_size=1000)


def teams_to_team_ids(apps, schema_editor):
    alias = schema_editor.connection.alias
    Meeting = apps.get_model("meetings", "Meeting")
    HistoricalMeeting = apps.get_model("meetings", "HistoricalMeeting")
    HistoricalTeams = apps.get_model("meetings", "HistoricalMeeting_teams")
    by_meeting = {}
    for meeting_id, team_id in Meeting.teams.through.objects.using(alias).order_by("pk").values_list(
        "meeting_id", "projectteam_id"
    ):
        by_meeting.setdefault(meeting_id, []).append(str(team_id))
    for meeting_id, team_ids in by_meeting.items():
        Meeting.objects.using(alias).filter(pk=meeting_id).update(team_ids=team_ids)
    by_record = {}
    for history_id, team_id in HistoricalTeams.objects.using(alias).order_by("pk").values_list(
        "history_id", "projectteam_id"
    ):
        by_record.setdefault(history_id, []).append(str(team_id))
    for history_id, team_ids in by_record.items():
        HistoricalMeeting.objects.using(alias).filter(history_id=history_id).update(team_ids=team_ids)


class Migration(migrations.Migration):

    dependencies = [
        ('meetings', '0004_search_folded_text'),
        ('teams', '0001_initial'),
    ]

    operations = [
        migrations.AddField(
            model_name='meeting',
            name='teams',
            field=models.ManyToManyField(blank=True, help_text='Filled once project teams exist.', related_name='meetings', to='teams.projectteam', verbose_name='project teams concerned'),
        ),
        migrations.CreateModel(
            name='HistoricalMeeting_teams',
            fields=[
                ('id', models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name='ID')),
                ('m2m_history_id', models.AutoField(primary_key=True, serialize=False)),
                ('history', models.ForeignKey(db_constraint=False, on_delete=django.db.models.deletion.DO_NOTHING, to='meetings.historicalmeeting')),
                ('meeting', models.ForeignKey(blank=True, db_constraint=False, db_tablespace='', null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='meetings.meeting')),
                ('projectteam', models.ForeignKey(blank=True, db_constraint=False, db_tablespace='', null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='teams.projectteam')),
            ],
            options={
                'verbose_name': 'HistoricalMeeting_teams',
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.RunPython(team_ids_to_teams, teams_to_team_ids),
        migrations.RemoveField(
            model_name='historicalmeeting',
            name='team_ids',
        ),
        migrations.RemoveField(
            model_name='meeting',
            name='team_ids',
        ),
    ]
