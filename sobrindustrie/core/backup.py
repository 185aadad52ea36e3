"""Backup and restore of the whole platform: database rows and uploaded files in one archive.

The archive is a gzipped tar holding `database.jsonl` (one row per line in Django's portable
serialisation, so a backup taken on SQLite restores on PostgreSQL and back), the uploaded files under
`media/`, and `manifest.json` (written last) with a SHA-256 of every member and a fingerprint of the
data.

Rows keep their primary keys, users included; only references to content types and permissions,
whose keys differ from one database to another, are written as natural keys. Models are written in
dependency order and restored as they are read, in batches, so neither side holds the whole archive
in memory. Restore reads the archive twice: once to check every member against the manifest before
touching anything, once to load it in one transaction with signals muted (no history rows, no
notifications: the archive already holds the history as it was), then compares the restored data's
fingerprint with the manifest's and rolls back on any difference.

The manifest also names the migrations applied where the backup was taken. A backup taken before a
later migration (the platform was upgraded since) is restored through its own schema: a scratch
database is migrated to the archive's migrations, the rows are loaded there with the models as they
were then and checked against the manifest, the remaining migrations move them as an upgrade in
place would, and the upgraded rows replace the data. Archives written before the manifest named its
migrations are recognised by the fields their rows carry. A backup from a newer version is refused.
"""

from __future__ import annotations

import hashlib
import json
import shutil
import tarfile
import tempfile
import uuid
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from django.apps import apps
from django.apps.registry import Apps
from django.contrib.auth.management import create_permissions
from django.contrib.contenttypes.management import create_contenttypes
from django.contrib.contenttypes.models import ContentType
from django.core.files import File
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.core.management.color import no_style
from django.core.serializers import python as python_serializer
from django.db import DEFAULT_DB_ALIAS, IntegrityError, connections, models, transaction
from django.db.migrations.executor import MigrationExecutor
from django.db.migrations.graph import MigrationGraph
from django.db.migrations.loader import MigrationLoader
from django.db.migrations.recorder import MigrationRecorder
from django.db.models import Prefetch, signals
from django.utils import timezone

from sobrindustrie.core.serializers import FullPrecisionEncoder

FORMAT_VERSION = 2
DATABASE_MEMBER = "database.jsonl"
MANIFEST_MEMBER = "manifest.json"
# Rows that are derived or transient: rebuilt by migrations or worthless after a restore.
EXCLUDED = {"contenttypes", "auth.permission", "sessions", "admin.logentry", "axes"}
BATCH_SIZE = 500
CHUNK = 1024 * 1024
# Model signals muted while rows are loaded: the rows are history already, not new events.
MUTED_SIGNALS = (
    signals.pre_save,
    signals.post_save,
    signals.pre_delete,
    signals.post_delete,
    signals.m2m_changed,
)


class BackupError(Exception):
    """The archive is not a platform backup, or it was damaged, or it did not restore identically."""


@dataclass(frozen=True)
class BackupSummary:
    rows: int
    files: int
    fingerprint: str
    #: Migrations run on the archive's rows because it was taken on an older schema ("app.name").
    upgraded_by: tuple[str, ...] = ()


Node = tuple[str, str]


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


# --- which models, in which order ----------------------------------------------------------------


def _excluded(model: type[models.Model]) -> bool:
    return model._meta.app_label in EXCLUDED or model._meta.label_lower in EXCLUDED


def backed_up_models(registry: Apps = apps) -> list[type[models.Model]]:
    """Concrete models in dependency order: a model comes after those its foreign keys point to
    (cycles, such as a self-reference, are broken deterministically: foreign keys are deferred to the
    end of the transaction on both databases, so the order is for readability and speed)."""
    candidates = {
        model._meta.label_lower: model
        for model in registry.get_models()
        if model._meta.managed and not model._meta.proxy and not _excluded(model)
    }
    depends_on = {
        label: {
            field.related_model._meta.concrete_model._meta.label_lower
            for field in model._meta.concrete_fields
            if field.is_relation and field.related_model is not None
        }
        & (candidates.keys() - {label})
        for label, model in candidates.items()
    }
    ordered: list[type[models.Model]] = []
    remaining = dict(depends_on)
    while remaining:
        ready = sorted(label for label, needs in remaining.items() if not needs & remaining.keys())
        chosen = ready or [min(remaining)]  # a cycle: take one member, the others follow
        for label in chosen:
            ordered.append(candidates[label])
            del remaining[label]
    return ordered


# --- rows to lines and back ----------------------------------------------------------------------


class _RowSerializer(python_serializer.Serializer):
    """Django's Python serialisation of one row at a time, with primary keys everywhere except for
    content types (their ids are per database) and permissions, written as natural keys."""

    def __init__(self, using: str) -> None:
        super().__init__()
        self.using = using
        self.options: dict[str, Any] = {}
        self.use_natural_foreign_keys = False
        self.use_natural_primary_keys = False
        self.selected_fields = None
        self.stream = None
        self.start_serialization()

    def handle_fk_field(self, obj: models.Model, field: Any) -> None:
        target = field.remote_field.model
        value = getattr(obj, field.attname)
        # By label, not by class: the models of an older schema (restore of an older backup) are
        # classes of their own.
        if target._meta.label_lower == "contenttypes.contenttype":
            self._current[field.name] = (
                None
                if value is None
                else _natural_key(target._default_manager.db_manager(self.using).get_for_id(value))
            )
        elif target._meta.label_lower == "auth.permission" and value is not None:
            self._current[field.name] = _natural_key(getattr(obj, field.name))
        else:
            super().handle_fk_field(obj, field)

    def handle_m2m_field(self, obj: models.Model, field: Any) -> None:
        if not field.remote_field.through._meta.auto_created:
            return  # an explicit through model is backed up as a model of its own
        target = field.remote_field.model
        related = getattr(obj, field.name).all()
        if target._meta.label_lower == "auth.permission":
            self._current[field.name] = sorted(_natural_key(p) for p in related)
        else:
            self._current[field.name] = sorted(item.pk for item in related)

    def row(self, obj: models.Model) -> dict[str, Any]:
        self.start_object(obj)
        concrete = obj._meta.concrete_model._meta
        for field in concrete.local_fields:
            if field.serialize:
                if field.remote_field is None:
                    self.handle_field(obj, field)
                else:
                    self.handle_fk_field(obj, field)
        for field in concrete.local_many_to_many:
            if field.serialize:
                self.handle_m2m_field(obj, field)
        row = self.get_dump_object(obj)
        self._current = None
        return row


def _natural_key(obj: models.Model) -> list[str]:
    """A content type's or a permission's natural key, read from its fields (the models of an older
    schema have the fields but not the methods)."""
    if obj._meta.label_lower == "auth.permission":
        content_type = obj.content_type  # type: ignore[attr-defined]
        return [obj.codename, content_type.app_label, content_type.model]  # type: ignore[attr-defined]
    return [obj.app_label, obj.model]  # type: ignore[attr-defined]


def _line(row: dict[str, Any]) -> str:
    return json.dumps(
        row, cls=FullPrecisionEncoder, sort_keys=True, ensure_ascii=False, separators=(",", ":")
    )


def iter_rows(using: str = DEFAULT_DB_ALIAS, registry: Apps = apps) -> Iterator[tuple[str, str]]:
    """(model label, JSON line) for every backed-up row, model by model in dependency order (the
    models of `registry`: the project's, or those of an older schema)."""
    serializer = _RowSerializer(using)
    for model in backed_up_models(registry):
        queryset = model._base_manager.using(using).order_by("pk").prefetch_related(*_m2m_prefetches(model))
        for obj in queryset.iterator(chunk_size=2000):
            yield model._meta.label_lower, _line(serializer.row(obj))


def _m2m_prefetches(model: type[models.Model]) -> list[Prefetch]:
    # Links are read with their rows, a chunk at a time, instead of one query per row and field.
    return [
        Prefetch(field.name, queryset=field.related_model._base_manager.only("pk"))
        for field in model._meta.local_many_to_many
        if field.remote_field.through._meta.auto_created
        and field.related_model._meta.label_lower != "auth.permission"
    ]


class _Fingerprint:
    """An order-independent checksum per model: the sum of the rows' SHA-256 modulo 2**256, so that it
    is computed while streaming, whatever order each database returns the rows in."""

    def __init__(self) -> None:
        self.sums: dict[str, int] = {}
        self.counts: dict[str, int] = {}

    def add(self, label: str, line: str) -> None:
        digest = int.from_bytes(hashlib.sha256(line.encode("utf-8")).digest(), "big")
        self.sums[label] = (self.sums.get(label, 0) + digest) % (1 << 256)
        self.counts[label] = self.counts.get(label, 0) + 1

    def models(self) -> dict[str, str]:
        return {label: f"{self.counts[label]}:{self.sums[label]:064x}" for label in sorted(self.sums)}

    @property
    def rows(self) -> int:
        return sum(self.counts.values())


def _combine(fingerprints: dict[str, str]) -> str:
    return _sha256("\n".join(f"{model} {digest}" for model, digest in sorted(fingerprints.items())).encode())


def _database_fingerprints(using: str = DEFAULT_DB_ALIAS, registry: Apps = apps) -> dict[str, str]:
    fingerprint = _Fingerprint()
    for label, line in iter_rows(using, registry):
        fingerprint.add(label, line)
    return fingerprint.models()


def data_fingerprint(using: str = DEFAULT_DB_ALIAS) -> str:
    """A checksum of every row of every backed-up model, independent of row order and database."""
    return _combine(_database_fingerprints(using))


# --- writing -------------------------------------------------------------------------------------


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


class _HashingReader:
    """Reads a file for tarfile while computing its SHA-256."""

    def __init__(self, handle: IO[bytes]) -> None:
        self.handle = handle
        self.hash = hashlib.sha256()

    def read(self, size: int = -1) -> bytes:
        data = self.handle.read(size)
        self.hash.update(data)
        return data


def _add_file(archive: tarfile.TarFile, name: str, handle: IO[bytes], size: int) -> str:
    info = tarfile.TarInfo(name)
    info.size = size
    info.mtime = int(timezone.now().timestamp())
    reader = _HashingReader(handle)
    archive.addfile(info, reader)  # type: ignore[arg-type]
    return reader.hash.hexdigest()


def create_backup(target: Path) -> BackupSummary:
    """Write every backed-up row and every uploaded file to `target` (.tar.gz)."""
    fingerprint = _Fingerprint()
    members: dict[str, str] = {}
    with tempfile.TemporaryFile() as rows, tarfile.open(target, "w:gz") as archive:
        for label, line in iter_rows():
            fingerprint.add(label, line)
            rows.write(line.encode("utf-8") + b"\n")
        size = rows.tell()
        rows.seek(0)
        members[DATABASE_MEMBER] = _add_file(archive, DATABASE_MEMBER, rows, size)  # type: ignore[arg-type]
        files = _media_files()
        for name in files:
            with default_storage.open(name, "rb") as handle:
                members[f"media/{name}"] = _add_file(
                    archive, f"media/{name}", handle, default_storage.size(name)
                )
        by_model = fingerprint.models()
        manifest = {
            "format": FORMAT_VERSION,
            "created_at": timezone.now().isoformat(),
            "database_vendor": connections[DEFAULT_DB_ALIAS].vendor,
            "rows": fingerprint.rows,
            "fingerprint": _combine(by_model),
            "models": by_model,
            "migrations": sorted(list(node) for node in _applied_migrations(DEFAULT_DB_ALIAS)),
            "members": members,
        }
        data = json.dumps(manifest, indent=2).encode("utf-8")
        info = tarfile.TarInfo(MANIFEST_MEMBER)
        info.size = len(data)
        info.mtime = int(timezone.now().timestamp())
        archive.addfile(info, _BytesReader(data))  # type: ignore[arg-type]
    return BackupSummary(rows=fingerprint.rows, files=len(files), fingerprint=manifest["fingerprint"])  # type: ignore[arg-type]


class _BytesReader:
    def __init__(self, data: bytes) -> None:
        self.data = memoryview(data)
        self.position = 0

    def read(self, size: int = -1) -> bytes:
        end = len(self.data) if size < 0 else self.position + size
        chunk = bytes(self.data[self.position : end])
        self.position += len(chunk)
        return chunk


# --- reading -------------------------------------------------------------------------------------


@contextmanager
def _members(source: Path) -> Iterator[Iterator[tuple[tarfile.TarInfo, IO[bytes]]]]:
    """The archive's members in order, streamed (each must be read before the next is asked for)."""
    try:
        with tarfile.open(source, "r|gz") as archive:

            def walk() -> Iterator[tuple[tarfile.TarInfo, IO[bytes]]]:
                for member in archive:
                    if not member.isfile() or member.name.startswith("/") or ".." in Path(member.name).parts:
                        raise BackupError(f"unexpected member {member.name!r} in the archive")
                    handle = archive.extractfile(member)
                    assert handle is not None
                    yield member, handle

            yield walk()
    except (tarfile.TarError, OSError, EOFError, UnicodeDecodeError) as error:
        raise BackupError(f"{source} is not a readable backup archive: {error}") from error


def check_archive(source: Path) -> dict[str, Any]:
    """Read the whole archive once and return its manifest if every member matches it."""
    digests: dict[str, str] = {}
    manifest: dict[str, Any] | None = None
    with _members(source) as members:
        for member, handle in members:
            if member.name == MANIFEST_MEMBER:
                try:
                    manifest = json.loads(handle.read())
                except ValueError as error:
                    raise BackupError(f"{source}: manifest.json is not valid JSON ({error})") from error
                continue
            digest = hashlib.sha256()
            while chunk := handle.read(CHUNK):
                digest.update(chunk)
            digests[member.name] = digest.hexdigest()
    if manifest is None:
        raise BackupError(f"{source} has no manifest.json: not a Sobr'Industrie backup")
    if manifest.get("format") != FORMAT_VERSION:
        raise BackupError(f"unsupported backup format {manifest.get('format')!r} (expected {FORMAT_VERSION})")
    for name, expected in manifest["members"].items():
        if name not in digests:
            raise BackupError(f"{name} is listed in the manifest but missing from the archive")
        if digests[name] != expected:
            raise BackupError(f"{name} is damaged: its checksum does not match the manifest")
    unlisted = sorted(set(digests) - set(manifest["members"]))
    if unlisted:
        raise BackupError(f"{unlisted[0]} is in the archive but not in its manifest")
    return manifest


@contextmanager
def signals_muted() -> Iterator[None]:
    """Model signals off (history rows, notifications): restored rows are not new events."""
    saved = [(signal, signal.receivers, signal.sender_receivers_cache) for signal in MUTED_SIGNALS]
    try:
        for signal in MUTED_SIGNALS:
            signal.receivers = []
            signal.sender_receivers_cache = {}
        yield
    finally:
        for signal, receivers, cache in saved:
            signal.receivers = receivers
            signal.sender_receivers_cache = cache


class _Loader:
    """Saves deserialised rows in batches of one model, many-to-many links after their rows."""

    def __init__(self, using: str) -> None:
        self.using = using
        self.batch: list[Any] = []
        self.rows = 0

    def add(self, deserialized: Any) -> None:
        if self.batch and (
            type(self.batch[0].object) is not type(deserialized.object) or len(self.batch) >= BATCH_SIZE
        ):
            self.flush()
        self.batch.append(deserialized)

    def flush(self) -> None:
        if not self.batch:
            return
        model = type(self.batch[0].object)
        if model._meta.parents:  # multi-table inheritance: bulk_create cannot write the parents
            for item in self.batch:
                item.save(using=self.using)
        else:
            _insert_raw(model, [item.object for item in self.batch], self.using)
            self._link(model)
        self.rows += len(self.batch)
        self.batch = []

    def _link(self, model: type[models.Model]) -> None:
        for field in model._meta.local_many_to_many:
            through = field.remote_field.through
            if not through._meta.auto_created:
                continue
            source, target = field.m2m_column_name(), field.m2m_reverse_name()
            links = [
                through(**{source: item.object.pk, target: target_pk})
                for item in self.batch
                for target_pk in item.m2m_data.get(field.name, [])
            ]
            through._base_manager.using(self.using).bulk_create(links, batch_size=BATCH_SIZE)


def _insert_raw(model: type[models.Model], objects: list[models.Model], using: str) -> None:
    """INSERT rows exactly as given: like `save_base(raw=True)`, no field's `pre_save` runs, so
    `auto_now` timestamps keep the archive's values (bulk_create would stamp them with now)."""
    if not objects:
        return
    fields = [field for field in model._meta.local_concrete_fields if not field.generated]
    size = connections[using].ops.bulk_batch_size(fields, objects) or len(objects)
    manager = model._base_manager.using(using)
    for start in range(0, len(objects), size):
        manager._insert(objects[start : start + size], fields=fields, using=using, raw=True)  # type: ignore[attr-defined]


def _rows_from(handle: IO[bytes]) -> Iterable[dict[str, Any]]:
    for number, raw in enumerate(handle, start=1):
        try:
            yield json.loads(raw)
        except ValueError as error:
            raise BackupError(f"{DATABASE_MEMBER} line {number} is not valid JSON ({error})") from error


class _Deserializer(python_serializer.Deserializer):
    """Django's deserialiser reading the models of a given registry (an older schema's)."""

    def __init__(self, rows: Iterable[dict[str, Any]], using: str, registry: Apps) -> None:
        super().__init__(rows, using=using)
        self.registry = registry

    def _get_model_from_node(self, model_identifier: str) -> type[models.Model]:  # type: ignore[override]
        try:
            return self.registry.get_model(model_identifier)
        except (LookupError, TypeError) as error:
            raise BackupError(
                f"the archive holds rows of {model_identifier!r}, unknown to this schema"
            ) from error


def _load_rows(rows: Iterable[dict[str, Any]], using: str, registry: Apps = apps) -> int:
    loader = _Loader(using)
    deserialized = _Deserializer(rows, using, registry)
    try:
        for item in deserialized:
            loader.add(item)
    except BackupError:
        raise
    except Exception as error:
        raise BackupError(f"a row of the archive cannot be restored: {error}") from error
    loader.flush()
    return loader.rows


def _load_database(handle: IO[bytes], using: str, registry: Apps = apps) -> int:
    return _load_rows(_rows_from(handle), using, registry)


def restore_backup(source: Path, using: str = DEFAULT_DB_ALIAS, restore_files: bool = True) -> BackupSummary:
    """Replace all data with the archive's. Nothing changes if the archive is damaged or if the
    restored data differs from what was backed up."""
    manifest = check_archive(source)
    archived = archived_schema(manifest, source, using)
    if archived is not None:
        return _restore_older_schema(source, manifest, archived, using, restore_files)
    try:
        with transaction.atomic(using=using), _members(source) as members:
            call_command("flush", "--no-input", database=using, verbosity=0)
            # The flush recreates content types under new ids: the process's cache must not
            # hand out the old ones (to the restore itself, or to anything after it).
            ContentType.objects.clear_cache()
            rows, files = _restore_members(members, manifest, using, restore_files)
    finally:
        ContentType.objects.clear_cache()
    return BackupSummary(rows=rows, files=files, fingerprint=manifest["fingerprint"])


def _restore_members(
    members: Iterable[tuple[Any, IO[bytes]]], manifest: dict[str, Any], using: str, restore_files: bool
) -> tuple[int, int]:
    rows = files = 0
    with signals_muted():
        for member, handle in members:
            if member.name == DATABASE_MEMBER:
                rows = _load_database(handle, using)
                _check_references(using)
                _reset_sequences(using)
                _compare(manifest, _database_fingerprints(using))
            elif member.name.startswith("media/") and restore_files:
                _restore_file(member.name, handle)
                files += 1
    return rows, files


def _restore_file(member: str, handle: IO[bytes]) -> None:
    name = member.removeprefix("media/")
    if default_storage.exists(name):
        default_storage.delete(name)
    default_storage.save(name, File(handle, name=name))


def _restore_files(members: Iterable[tuple[Any, IO[bytes]]]) -> int:
    files = 0
    for member, handle in members:
        if member.name.startswith("media/"):
            _restore_file(member.name, handle)
            files += 1
    return files


def _compare(manifest: dict[str, Any], restored: dict[str, str]) -> None:
    if _combine(restored) == manifest["fingerprint"]:
        return
    expected = manifest.get("models", {})
    differing = sorted(m for m in set(expected) | set(restored) if expected.get(m) != restored.get(m))
    raise BackupError(
        "the restored data differs from the backup's fingerprint"
        + (f" (models: {', '.join(differing)})" if differing else "")
        + "; nothing was changed"
    )


def _check_references(using: str) -> None:
    # Foreign keys are checked at commit; check them now so that a dangling one is a clear error.
    try:
        connections[using].check_constraints()
    except IntegrityError as error:
        raise BackupError(
            f"the archive refers to rows it does not hold: {error}; nothing was changed"
        ) from error


def _reset_sequences(using: str, registry: Apps = apps) -> None:
    # After inserting rows with explicit primary keys, PostgreSQL's sequences must move past them.
    connection = connections[using]
    statements = connection.ops.sequence_reset_sql(
        no_style(), list(registry.get_models(include_auto_created=True))
    )
    with connection.cursor() as cursor:
        for sql in statements:
            cursor.execute(sql)


# --- verification in a scratch database ----------------------------------------------------------


@contextmanager
def scratch_database(migrate: bool = True) -> Iterator[str]:
    """An empty database of the same kind as the default one, dropped afterwards: migrated to the
    project's schema, or with no table at all (`migrate=False`)."""
    alias = f"backup_verify_{uuid.uuid4().hex[:8]}"
    default = connections[DEFAULT_DB_ALIAS]
    settings_dict = dict(default.settings_dict)
    folder = None
    if default.vendor == "sqlite":
        folder = tempfile.mkdtemp(prefix="sobrindustrie-verify-")
        settings_dict["NAME"] = str(Path(folder) / "verify.sqlite3")
    elif default.vendor == "postgresql":
        settings_dict["NAME"] = alias
        with default.cursor() as cursor:
            cursor.execute(f'CREATE DATABASE "{alias}"')
    else:
        raise BackupError(f"--verify does not support the {default.vendor} database")
    settings_dict["TEST"] = {**settings_dict.get("TEST", {}), "NAME": settings_dict["NAME"]}
    connections.settings[alias] = settings_dict
    try:
        if migrate:
            call_command("migrate", database=alias, verbosity=0, interactive=False)
        yield alias
    finally:
        connections[alias].close()
        del connections[alias]
        del connections.settings[alias]
        if folder is not None:
            shutil.rmtree(folder, ignore_errors=True)
        else:
            with default.cursor() as cursor:
                cursor.execute(f'DROP DATABASE IF EXISTS "{alias}"')


def verify_backup(source: Path) -> BackupSummary:
    """Restore the archive into a scratch database and compare its fingerprint with the manifest's
    (files are checked against their checksums, not written)."""
    with scratch_database() as alias:
        return restore_backup(source, using=alias, restore_files=False)


# --- backups taken on an older schema ------------------------------------------------------------


def _applied_migrations(using: str) -> set[Node]:
    return set(MigrationRecorder(connections[using]).applied_migrations())


def _serialized_fields(model: type[models.Model]) -> set[str]:
    """The field names a row of `model` carries in the archive (see `_RowSerializer.row`)."""
    concrete = model._meta.concrete_model._meta
    names = {field.name for field in concrete.local_fields if field.serialize}
    names |= {
        field.name
        for field in concrete.local_many_to_many
        if field.serialize and field.remote_field.through._meta.auto_created
    }
    return names


def _archived_fields(source: Path) -> dict[str, set[str]]:
    """Per model label, the field names its rows carry in the archive."""
    fields: dict[str, set[str]] = {}
    with _members(source) as members:
        for member, handle in members:
            if member.name == DATABASE_MEMBER:
                for row in _rows_from(handle):
                    fields.setdefault(row["model"], set()).update(row["fields"])
    return fields


def _mismatched(fields: dict[str, set[str]], registry: Apps) -> list[str]:
    """Labels whose archived rows do not fit `registry`'s models."""
    differing = []
    for label, names in sorted(fields.items()):
        try:
            model = registry.get_model(label)
        except LookupError:
            differing.append(label)
            continue
        if _serialized_fields(model) != names:
            differing.append(label)
    return differing


def _per_app_targets(graph: MigrationGraph, nodes: set[Node]) -> list[Node]:
    """The last migration of each app among `nodes` (a set closed under dependencies)."""
    last: dict[str, Node] = {}
    for node in _ordered(graph, nodes):
        last[node[0]] = node
    return sorted(last.values())


def _ordered(graph: MigrationGraph, nodes: set[Node]) -> list[Node]:
    """`nodes` in an order where each comes after its dependencies."""
    ordered: list[Node] = []
    seen: set[Node] = set()
    for leaf in sorted(graph.leaf_nodes()):
        for node in graph.forwards_plan(leaf):
            if node in nodes and node not in seen:
                seen.add(node)
                ordered.append(node)
    return ordered


def _infer_schema(source: Path, loader: MigrationLoader, current: set[Node]) -> set[Node] | None:
    """The migrations an archive written before manifests named them was taken at: the newest state
    whose models fit the fields of every archived row, found app by app from the newest migration
    back (None: the archive fits the current schema)."""
    fields = _archived_fields(source)
    differing = _mismatched(fields, apps)
    if not differing:
        return None
    graph = loader.graph
    state_nodes = set(current)
    for app_label in sorted({label.split(".")[0] for label in differing}):
        chain = [node for node in _ordered(graph, state_nodes) if node[0] == app_label]
        labels = {label for label in fields if label.split(".")[0] == app_label}
        for cut in range(len(chain) - 1, -1, -1):
            removed = set(graph.backwards_plan(chain[cut]))
            candidate = state_nodes - removed
            registry = loader.project_state(_per_app_targets(graph, candidate), at_end=True).apps
            if not _mismatched({label: fields[label] for label in labels}, registry):
                state_nodes = candidate
                break
        else:
            raise BackupError(
                f"the archive's {app_label} rows match no version of this platform's schema; "
                "nothing was changed"
            )
    registry = loader.project_state(_per_app_targets(graph, state_nodes), at_end=True).apps
    still = _mismatched(fields, registry)
    if still:
        raise BackupError(
            f"the archive's rows of {', '.join(still)} match no version of this platform's schema; "
            "nothing was changed"
        )
    return state_nodes


def archived_schema(
    manifest: dict[str, Any], source: Path, using: str = DEFAULT_DB_ALIAS
) -> set[Node] | None:
    """The migrations the archive was taken at, when they are older than the database's (None: the
    same schema). A backup from a newer version of the platform is refused."""
    loader = MigrationLoader(connections[using], ignore_no_migrations=True)
    known = set(loader.graph.nodes)
    current = _applied_migrations(using) & known
    if "migrations" not in manifest:
        return _infer_schema(source, loader, current)
    archived = {(str(app), str(name)) for app, name in manifest["migrations"]}
    unknown = sorted(archived - known)
    if unknown:
        app, name = unknown[0]
        raise BackupError(
            f"this backup was taken by a newer version of the platform (its schema has migration "
            f"{app}.{name}, unknown here): restore it with that version or a later one; nothing was changed"
        )
    missing = sorted(archived - current)
    if missing:
        app, name = missing[0]
        raise BackupError(
            f"this database lacks migration {app}.{name}, which the backup has: run `migrate` first; "
            "nothing was changed"
        )
    return None if archived == current else archived


def _restore_older_schema(
    source: Path, manifest: dict[str, Any], archived: set[Node], using: str, restore_files: bool
) -> BackupSummary:
    """Load the archive into a scratch database at its own schema, migrate it there, then replace the
    data with the upgraded rows."""
    with scratch_database(migrate=False) as scratch:
        connection = connections[scratch]
        executor = MigrationExecutor(connection)
        targets = _per_app_targets(executor.loader.graph, archived)
        executor.migrate(targets)
        registry = executor.loader.project_state(targets, at_end=True).apps
        for app_config in apps.get_app_configs():
            create_contenttypes(app_config, verbosity=0, using=scratch, apps=registry)
            create_permissions(app_config, verbosity=0, using=scratch, apps=registry)
        try:
            with transaction.atomic(using=scratch), _members(source) as members, signals_muted():
                for member, handle in members:
                    if member.name == DATABASE_MEMBER:
                        _load_database(handle, scratch, registry)
                        _check_references(scratch)
                        _compare(manifest, _database_fingerprints(scratch, registry))
                _reset_sequences(scratch, registry)
        finally:
            ContentType.objects.clear_cache()
        upgrade = MigrationExecutor(connection)
        leaves = upgrade.loader.graph.leaf_nodes()
        plan = upgrade.migration_plan(leaves)
        upgrade.migrate(leaves)
        upgraded = _database_fingerprints(scratch)
        try:
            with transaction.atomic(using=using):
                call_command("flush", "--no-input", database=using, verbosity=0)
                ContentType.objects.clear_cache()
                with signals_muted():
                    rows = _load_rows((json.loads(line) for _, line in iter_rows(scratch)), using)
                    _check_references(using)
                    _reset_sequences(using)
                    restored = _database_fingerprints(using)
                    if _combine(restored) != _combine(upgraded):
                        differing = sorted(
                            m for m in set(upgraded) | set(restored) if upgraded.get(m) != restored.get(m)
                        )
                        raise BackupError(
                            f"the upgraded rows did not copy identically ({', '.join(differing)}); nothing was changed"
                        )
        finally:
            ContentType.objects.clear_cache()
    files = 0
    if restore_files:
        with _members(source) as members, signals_muted():
            files = _restore_files(members)
    return BackupSummary(
        rows=rows,
        files=files,
        fingerprint=_combine(upgraded),
        upgraded_by=tuple(f"{migration.app_label}.{migration.name}" for migration, _ in plan),
    )
