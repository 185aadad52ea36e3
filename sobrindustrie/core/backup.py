"""Backup and restore of the whole platform: database rows and uploaded files in one archive.

The archive is a gzipped tar holding `database.json` (Django's portable serialisation, so a backup
taken on SQLite restores on PostgreSQL and back), the uploaded files under `media/`, and
`manifest.json` with a SHA-256 of every member and a fingerprint of the data. Restore checks the
manifest before touching anything, then replaces the data in one transaction.
"""

from __future__ import annotations

import hashlib
import io
import json
import tarfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.apps import apps
from django.core import serializers
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.core.management.color import no_style
from django.db import connection, transaction
from django.utils import timezone

FORMAT_VERSION = 1
SERIALIZATION_FORMAT = "backup-json"  # Django's JSON with full datetime precision (core.serializers)
# Rows that are derived or transient: rebuilt by migrations or worthless after a restore.
EXCLUDED = ["contenttypes", "auth.permission", "sessions", "admin.logentry", "axes"]


class BackupError(Exception):
    """The archive is not a platform backup, or it was damaged."""


@dataclass(frozen=True)
class BackupSummary:
    rows: int
    files: int
    fingerprint: str


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _dump_database() -> bytes:
    out = io.StringIO()
    call_command(
        "dumpdata",
        *[f"--exclude={label}" for label in EXCLUDED],
        "--natural-foreign",
        "--natural-primary",
        "--indent=0",
        f"--format={SERIALIZATION_FORMAT}",
        stdout=out,
    )
    return out.getvalue().encode("utf-8")


def _model_fingerprints(database: bytes) -> dict[str, str]:
    by_model: dict[str, list[str]] = {}
    for row in json.loads(database):
        by_model.setdefault(row["model"], []).append(json.dumps(row, sort_keys=True, ensure_ascii=False))
    return {
        model: _sha256("\n".join(sorted(rows)).encode("utf-8")) for model, rows in sorted(by_model.items())
    }


def _combine(fingerprints: dict[str, str]) -> str:
    return _sha256("\n".join(f"{model} {digest}" for model, digest in sorted(fingerprints.items())).encode())


def data_fingerprint() -> str:
    """A checksum of every row of every backed-up model, independent of row order and database."""
    return _combine(_model_fingerprints(_dump_database()))


def _media_files() -> list[str]:
    found: list[str] = []

    def walk(folder: str) -> None:
        directories, files = default_storage.listdir(folder)
        for name in files:
            found.append(f"{folder}/{name}".lstrip("/"))
        for name in directories:
            walk(f"{folder}/{name}".lstrip("/"))

    try:
        walk("")
    except FileNotFoundError:
        return []
    return sorted(found)


def _add(archive: tarfile.TarFile, name: str, data: bytes) -> None:
    info = tarfile.TarInfo(name)
    info.size = len(data)
    info.mtime = int(timezone.now().timestamp())
    archive.addfile(info, io.BytesIO(data))


def create_backup(target: Path) -> BackupSummary:
    database = _dump_database()
    members: dict[str, str] = {"database.json": _sha256(database)}
    with tarfile.open(target, "w:gz") as archive:
        _add(archive, "database.json", database)
        files = _media_files()
        for name in files:
            with default_storage.open(name, "rb") as handle:
                content = handle.read()
            members[f"media/{name}"] = _sha256(content)
            _add(archive, f"media/{name}", content)
        models = _model_fingerprints(database)
        fingerprint = _combine(models)
        manifest = {
            "format": FORMAT_VERSION,
            "created_at": timezone.now().isoformat(),
            "database_vendor": connection.vendor,
            "fingerprint": fingerprint,
            "models": models,
            "members": members,
        }
        _add(archive, "manifest.json", json.dumps(manifest, indent=2).encode("utf-8"))
    return BackupSummary(rows=len(json.loads(database)), files=len(files), fingerprint=fingerprint)


def _read_archive(source: Path) -> tuple[dict[str, Any], dict[str, bytes]]:
    try:
        with tarfile.open(source, "r:gz") as archive:
            contents = {}
            for member in archive.getmembers():
                if not member.isfile() or member.name.startswith("/") or ".." in Path(member.name).parts:
                    raise BackupError(f"unexpected member {member.name!r} in the archive")
                handle = archive.extractfile(member)
                assert handle is not None
                contents[member.name] = handle.read()
    except (tarfile.TarError, OSError, EOFError) as error:
        raise BackupError(f"{source} is not a readable backup archive: {error}") from error
    if "manifest.json" not in contents:
        raise BackupError(f"{source} has no manifest.json: not a Sobr'Industrie backup")
    manifest = json.loads(contents.pop("manifest.json"))
    if manifest.get("format") != FORMAT_VERSION:
        raise BackupError(f"unsupported backup format {manifest.get('format')!r} (expected {FORMAT_VERSION})")
    for name, expected in manifest["members"].items():
        if name not in contents:
            raise BackupError(f"{name} is listed in the manifest but missing from the archive")
        if _sha256(contents[name]) != expected:
            raise BackupError(f"{name} is damaged: its checksum does not match the manifest")
    return manifest, contents


def restore_backup(source: Path) -> BackupSummary:
    """Replace all data with the archive's. Nothing changes if the archive is damaged."""
    manifest, contents = _read_archive(source)
    with transaction.atomic():
        call_command("flush", "--no-input", verbosity=0)
        fixture = io.StringIO(contents["database.json"].decode("utf-8"))
        objects = list(serializers.deserialize(SERIALIZATION_FORMAT, fixture, handle_forward_references=True))
        for obj in objects:
            obj.save()
        for obj in objects:
            if obj.deferred_fields:
                obj.save_deferred_fields()
        _reset_sequences()
        restored = _model_fingerprints(_dump_database())
        if _combine(restored) != manifest["fingerprint"]:
            expected = manifest.get("models", {})
            differing = sorted(m for m in set(expected) | set(restored) if expected.get(m) != restored.get(m))
            raise BackupError(
                "the restored data differs from the backup's fingerprint"
                + (f" (models: {', '.join(differing)})" if differing else "")
                + "; nothing was changed"
            )
    media = {
        name.removeprefix("media/"): data for name, data in contents.items() if name.startswith("media/")
    }
    for name, data in media.items():
        if default_storage.exists(name):
            default_storage.delete(name)
        default_storage.save(name, ContentFile(data))
    return BackupSummary(rows=len(objects), files=len(media), fingerprint=manifest["fingerprint"])


def _reset_sequences() -> None:
    # After inserting rows with explicit primary keys, PostgreSQL's sequences must move past them.
    models = list(apps.get_models(include_auto_created=True))
    statements = connection.ops.sequence_reset_sql(no_style(), models)
    with connection.cursor() as cursor:
        for sql in statements:
            cursor.execute(sql)
