from __future__ import annotations

import io
import tarfile
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management import CommandError, call_command

from sobrindustrie.accounts.models import User
from sobrindustrie.cooperation.models import TeamConstraint
from sobrindustrie.core.backup import BackupError, data_fingerprint, restore_backup
from sobrindustrie.meetings.models import Invitation
from sobrindustrie.organisations.models import Organisation, ProductionMeans
from tests.factories import OrganisationFactory, ProductionMeansFactory, UserFactory


@pytest.fixture
def media(settings: object, tmp_path: Path) -> Path:
    settings.MEDIA_ROOT = tmp_path / "media"  # type: ignore[attr-defined]
    return tmp_path / "media"


@pytest.mark.django_db(transaction=True)
def test_a_round_trip_gives_identical_data(media: Path, tmp_path: Path) -> None:
    organisation = OrganisationFactory(name="Provence Usinage")
    ProductionMeansFactory.create_batch(3, organisation=organisation)
    UserFactory(role="sme", organisation=organisation)
    default_storage.save("documents/minutes.txt", ContentFile(b"compte rendu"))
    before = data_fingerprint()
    archive = tmp_path / "backup.tar.gz"
    call_command("backup", str(archive))

    Organisation.objects.filter(pk=organisation.pk).update(name="Changed")
    ProductionMeans.objects.all().delete()
    default_storage.delete("documents/minutes.txt")
    assert data_fingerprint() != before

    call_command("restore", str(archive))
    assert data_fingerprint() == before
    assert Organisation.objects.get(pk=organisation.pk).name == "Provence Usinage"
    assert ProductionMeans.objects.count() == 3
    with default_storage.open("documents/minutes.txt") as handle:
        assert handle.read() == b"compte rendu"
    OrganisationFactory()  # sequences moved past the restored keys


@pytest.mark.django_db(transaction=True)
def test_timestamps_keep_their_microseconds(media: Path, tmp_path: Path) -> None:
    # Django's JSON cuts datetimes to milliseconds: 10:00:00.000456 would come back as 10:00:00.
    organisation = OrganisationFactory()
    exact = datetime(2026, 3, 2, 10, 0, 0, 456, tzinfo=UTC)
    Organisation.objects.filter(pk=organisation.pk).update(created_at=exact)
    archive = tmp_path / "backup.tar.gz"
    call_command("backup", str(archive))
    Organisation.objects.filter(pk=organisation.pk).update(created_at=datetime(2020, 1, 1, tzinfo=UTC))

    call_command("restore", str(archive))
    assert Organisation.objects.get(pk=organisation.pk).created_at == exact


@pytest.mark.django_db(transaction=True)
def test_a_damaged_archive_changes_nothing(media: Path, tmp_path: Path) -> None:
    OrganisationFactory(name="Kept")
    archive = tmp_path / "backup.tar.gz"
    call_command("backup", str(archive))
    damaged = tmp_path / "damaged.tar.gz"
    with tarfile.open(archive) as source, tarfile.open(damaged, "w:gz") as target:
        for member in source.getmembers():
            data = source.extractfile(member).read()  # type: ignore[union-attr]
            if member.name == "database.jsonl":
                data = data.replace(b"Kept", b"Evil")
            member.size = len(data)

            target.addfile(member, io.BytesIO(data))
    Organisation.objects.update(name="Current")
    with pytest.raises(CommandError, match="database.jsonl is damaged"):
        call_command("restore", str(damaged))
    assert Organisation.objects.get().name == "Current"


@pytest.mark.django_db(transaction=True)
def test_a_file_that_is_not_a_backup_is_refused(tmp_path: Path) -> None:
    bogus = tmp_path / "notes.tar.gz"
    bogus.write_bytes(b"not an archive")
    with pytest.raises(CommandError, match="not a readable backup archive"):
        call_command("restore", str(bogus))


@pytest.mark.django_db(transaction=True)
def test_the_demo_programme_restores_identically(media: Path, tmp_path: Path) -> None:
    # The whole demo, not a few factory rows: users referenced everywhere, history with many-to-many
    # fields (team constraints), uploaded files, rows pointing at content types.
    call_command("load_demo", "--password", "secret-demo-1", stdout=io.StringIO())
    invitations = dict(Invitation.objects.values_list("pk", "user_id"))
    users = dict(User.objects.values_list("pk", "email"))
    constraint_history = TeamConstraint.history.count()
    assert invitations and constraint_history
    before = data_fingerprint()
    archive = tmp_path / "demo.tar.gz"
    files = sorted(str(path.relative_to(media)) for path in media.rglob("*") if path.is_file())
    assert files
    call_command("backup", str(archive), stdout=io.StringIO())

    Invitation.objects.all().delete()
    default_storage.delete(files[0])
    Organisation.objects.update(name="Changed")
    call_command("restore", str(archive), stdout=io.StringIO())

    assert data_fingerprint() == before
    assert dict(Invitation.objects.values_list("pk", "user_id")) == invitations
    assert dict(User.objects.values_list("pk", "email")) == users
    assert TeamConstraint.history.count() == constraint_history  # no history written by the restore
    assert sorted(str(path.relative_to(media)) for path in media.rglob("*") if path.is_file()) == files
    OrganisationFactory()  # sequences moved past the restored keys


@pytest.mark.django_db(transaction=True)
def test_verify_restores_into_a_scratch_database(media: Path, tmp_path: Path, django_db_blocker: Any) -> None:
    organisation = OrganisationFactory(name="Provence Usinage")
    UserFactory(role="sme", organisation=organisation)
    archive = tmp_path / "backup.tar.gz"
    out = io.StringIO()
    # Django's test case refuses connections to databases it was not told about, such as the scratch
    # database `--verify` creates; outside tests there is no such guard.
    with django_db_blocker.unblock():
        call_command("backup", "--verify", str(archive), stdout=out)
    assert "Verified: " in out.getvalue()
    assert Organisation.objects.get().name == "Provence Usinage"  # the live database is untouched


@pytest.mark.django_db(transaction=True)
def test_a_restore_that_would_differ_is_rolled_back(
    media: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    OrganisationFactory(name="Kept")
    archive = tmp_path / "backup.tar.gz"
    call_command("backup", str(archive))
    Organisation.objects.update(name="Current")
    # A model whose rows would come back changed (say, a field a database rounds): simulated here.
    from sobrindustrie.core import backup

    real = backup._database_fingerprints
    monkeypatch.setattr(
        backup, "_database_fingerprints", lambda using: {**real(using), "organisations.organisation": "x"}
    )
    with pytest.raises(BackupError, match="models: organisations.organisation"):
        restore_backup(archive)
    assert Organisation.objects.get().name == "Current"


# --- backups taken on an older schema ------------------------------------------------------------

# Written by the platform as it was before meetings/0005 (meetings named their teams by a JSON list
# of identifiers): two teams; a meeting whose list was edited from ["1"] to ["1", "2", "999"] (999
# names no team) with its history; a meeting of team 2; one without a team; one uploaded file.
BEFORE_MEETINGS_0005 = Path(__file__).parent / "data" / "backup-before-meetings-0005.tar.gz"


def _rewrite(archive: Path, target: Path, change: Any) -> None:
    """Copy `archive` with `change(name, data) -> data` applied to each member, the manifest's
    checksums kept true (so that only what the test changes differs)."""
    import hashlib
    import json

    members: dict[str, bytes] = {}
    with tarfile.open(archive) as source:
        for member in source.getmembers():
            members[member.name] = change(member.name, source.extractfile(member).read())  # type: ignore[union-attr]
    manifest = json.loads(members.pop("manifest.json"))
    manifest["members"] = {name: hashlib.sha256(data).hexdigest() for name, data in members.items()}
    members["manifest.json"] = json.dumps(manifest).encode()
    with tarfile.open(target, "w:gz") as out:
        for name, data in members.items():
            info = tarfile.TarInfo(name)
            info.size = len(data)
            out.addfile(info, io.BytesIO(data))


@pytest.mark.django_db(transaction=True)
def test_a_backup_names_the_migrations_it_was_taken_at(media: Path, tmp_path: Path) -> None:
    import json

    from django.db.migrations.recorder import MigrationRecorder

    archive = tmp_path / "backup.tar.gz"
    call_command("backup", str(archive), stdout=io.StringIO())
    with tarfile.open(archive) as source:
        manifest = json.loads(source.extractfile("manifest.json").read())  # type: ignore[union-attr]
    applied = MigrationRecorder.Migration.objects.values_list("app", "name")
    assert sorted(list(node) for node in applied) == manifest["migrations"]
    assert ["meetings", "0005_meeting_teams_relation"] in manifest["migrations"]


@pytest.mark.django_db(transaction=True)
def test_a_backup_taken_before_a_migration_is_upgraded_as_it_is_restored(
    media: Path, django_db_blocker: Any
) -> None:
    from sobrindustrie.meetings.models import Meeting
    from sobrindustrie.teams.models import ProjectTeam

    OrganisationFactory(name="Replaced by the backup")
    out = io.StringIO()
    with django_db_blocker.unblock():  # the scratch database the upgrade runs in
        call_command("restore", str(BEFORE_MEETINGS_0005), stdout=out)

    # Recognised by its rows (its manifest predates the list of migrations): before meetings/0005 and
    # organisations/0003 (the headcount bracket), which both run on its rows.
    assert "taken on an older schema" in out.getvalue()
    assert "meetings.0005_meeting_teams_relation" in out.getvalue()
    assert "organisations.0003_headcount_bracket" in out.getvalue()
    assert list(Organisation.objects.values_list("name", flat=True)) == ["Provence Usinage"]
    retrofit, laser = ProjectTeam.objects.order_by("pk")
    teams = {m.title: sorted(t.name for t in m.teams.all()) for m in Meeting.objects.all()}
    assert teams == {
        "Réunion commune des deux équipes": [laser.name, retrofit.name],  # "999" named no team
        "Réunion laser": [laser.name],
        "Réunion sans équipe": [],
    }
    shared = Meeting.objects.get(title="Réunion commune des deux équipes")
    history = [
        sorted(t.projectteam_id for t in record.teams.all())
        for record in shared.history.order_by("history_id")
    ]
    assert history == [[retrofit.pk], [retrofit.pk, laser.pk]]
    with default_storage.open("documents/compte-rendu.txt") as handle:
        assert handle.read().decode() == "Compte rendu de la réunion commune"
    # What was restored backs up and restores again, now on the current schema.
    ProjectTeam.objects.create(programme=shared.programme, name="Après la restauration", theme="retrofit")


@pytest.mark.django_db(transaction=True)
def test_a_backup_from_a_newer_version_is_refused(media: Path, tmp_path: Path) -> None:
    import json

    OrganisationFactory(name="Kept")
    archive = tmp_path / "backup.tar.gz"
    call_command("backup", str(archive), stdout=io.StringIO())
    newer = tmp_path / "newer.tar.gz"

    def add_migration(name: str, data: bytes) -> bytes:
        if name != "manifest.json":
            return data
        manifest = json.loads(data)
        manifest["migrations"].append(["meetings", "9999_from_the_future"])
        return json.dumps(manifest).encode()

    _rewrite(archive, newer, add_migration)
    Organisation.objects.update(name="Current")
    with pytest.raises(CommandError, match="newer version of the platform .*meetings.9999_from_the_future"):
        call_command("restore", str(newer))
    assert Organisation.objects.get().name == "Current"


@pytest.mark.django_db(transaction=True)
def test_an_old_backup_whose_rows_fit_no_schema_is_refused(media: Path, tmp_path: Path) -> None:
    strange = tmp_path / "strange.tar.gz"

    def add_field(name: str, data: bytes) -> bytes:
        if name != "database.jsonl":
            return data
        return data.replace(
            b'"workforce":40},"model":"organisations.organisation"',
            b'"workforce":40,"colour":"blue"},"model":"organisations.organisation"',
        )

    _rewrite(BEFORE_MEETINGS_0005, strange, add_field)
    with tarfile.open(strange) as source:
        assert b'"colour":"blue"' in source.extractfile("database.jsonl").read()  # type: ignore[union-attr]
    OrganisationFactory(name="Kept")
    with pytest.raises(CommandError, match="organisations rows match no version"):
        call_command("restore", str(strange))
    assert Organisation.objects.get().name == "Kept"
