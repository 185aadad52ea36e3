"""The deliverables registry's operations: due dates, generation into versions, the review workflow,
and the build of the whole pack.

Generation runs the deliverable's generator (see `generators/`), and stores a new version only when
the files' bytes differ from the latest version's (generators are deterministic), so regenerating
unchanged data does not pile up identical versions. The pack build generates every deliverable in
order (reports last, so they can list what the build produced), then writes one zip with a table of
contents; it runs in the task queue (`tasks.py`) or from the command line, and one build at a time
per programme is enforced by the database.
"""

from __future__ import annotations

import hashlib
import html
import io
import logging
import os
import socket
import zipfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.db.models import Max, Q
from django.template.defaultfilters import filesizeformat
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from sobrindustrie.deliverables import checks
from sobrindustrie.deliverables.catalogue import AXIS_TITLES, BY_CODE, KINDS, DeliverableKind
from sobrindustrie.deliverables.enums import (
    ACTIVE_BUILD_STATUSES,
    STATUS_BADGES,
    BuildStatus,
    DeliverableStatus,
)
from sobrindustrie.deliverables.generators import GeneratedFile, GenerationContext, MissingData, generator_for
from sobrindustrie.deliverables.models import Deliverable, DeliverableFile, PackBuild
from sobrindustrie.deliverables.perms import can_produce_deliverables, can_validate_deliverables
from sobrindustrie.engines.obligations.catalogue import DeliverableDeadlineObligation, default_catalogue

if TYPE_CHECKING:
    from sobrindustrie.accounts.models import User
    from sobrindustrie.programmes.models import Programme

logger = logging.getLogger(__name__)

# A build whose worker has not reported progress for this long is considered abandoned (worker killed).
STALE_AFTER = timedelta(minutes=15)
_FIXED_ENTRY_TIME = (1980, 1, 1, 0, 0, 0)


class PackBusy(Exception):
    """Another build of the same programme is waiting or running."""

    def __init__(self, build: PackBuild) -> None:
        super().__init__(f"pack build {build.pk} is {build.status}")
        self.build = build


# --- Due dates -------------------------------------------------------------------------------------


def due_dates(programme: Programme) -> dict[str, date]:
    """Each deliverable's due date: the date of the contractual report that carries it."""
    from sobrindustrie.engines.obligations.records import ProgrammeFacts

    facts = ProgrammeFacts(
        notified_on=programme.notified_on,
        starts_on=programme.starts_on,
        ends_on=programme.ends_on,
        today=timezone.localdate(),
        team_ids=(),
        caps={},
    )
    catalogue = default_catalogue()
    dates = {}
    for kind in KINDS:
        obligation = catalogue.get(kind.due_with)
        assert isinstance(obligation, DeliverableDeadlineObligation), kind.due_with
        dates[kind.code] = obligation.due.resolve_from_facts(facts)
    return dates


# --- The registry ----------------------------------------------------------------------------------


@dataclass
class RegistryRow:
    kind: DeliverableKind
    due_on: date
    deliverable: Deliverable | None
    files: list[DeliverableFile] = field(default_factory=list)  # the submitted version's, else the latest

    @property
    def status(self) -> str:
        return self.deliverable.status if self.deliverable else DeliverableStatus.TODO

    @property
    def status_label(self) -> str:
        return str(DeliverableStatus(self.status).label)

    @property
    def badge(self) -> str:
        return STATUS_BADGES[DeliverableStatus(self.status)]

    @property
    def version(self) -> int:
        return self.files[0].version if self.files else 0

    @property
    def is_late(self) -> bool:
        return self.status in (DeliverableStatus.TODO, DeliverableStatus.IN_PROGRESS) and self.due_on < (
            timezone.localdate()
        )


def registry(programme: Programme) -> list[RegistryRow]:
    """Every deliverable of the catalogue for the programme, with its row and files (3 queries): the
    submitted version's while it is submitted or validated (what ADEME reviews), else the latest."""
    dates = due_dates(programme)
    rows = {d.code: d for d in Deliverable.objects.filter(programme=programme)}
    latest = {
        item["deliverable"]: item["last"]
        for item in DeliverableFile.objects.filter(deliverable__programme=programme)
        .values("deliverable")
        .annotate(last=Max("version"))
    }
    for row in rows.values():
        if row.delivered_on is not None and row.submitted_version is not None:
            latest[row.pk] = row.submitted_version
    files: dict[int, list[DeliverableFile]] = {}
    if latest:
        wanted = DeliverableFile.objects.filter(deliverable__programme=programme).order_by(
            "deliverable", "name"
        )
        for item in wanted:
            if item.version == latest.get(item.deliverable_id):
                files.setdefault(item.deliverable_id, []).append(item)
    result = []
    for kind in KINDS:
        row = rows.get(kind.code)
        result.append(RegistryRow(kind, dates[kind.code], row, files.get(row.pk, []) if row else []))
    return result


def deliverable_row(programme: Programme, code: str) -> Deliverable:
    """The registry row of a deliverable, created on first use."""
    if code not in BY_CODE:
        raise ValueError(f"unknown deliverable code {code!r}")
    row, _created = Deliverable.objects.get_or_create(programme=programme, code=code)
    return row


# --- Generation ------------------------------------------------------------------------------------


def generation_instant() -> datetime:
    """The instant files are dated with: the start of today, so regenerating unchanged data on the
    same day gives the same bytes and no new version (the stored file keeps its exact time)."""
    return timezone.localtime().replace(hour=0, minute=0, second=0, microsecond=0)


@dataclass(frozen=True)
class GenerationResult:
    deliverable: Deliverable
    version: int
    files: list[DeliverableFile]
    changed: bool
    generated: list[GeneratedFile]


def _sha256(content: bytes) -> str:
    return hashlib.sha256(content).hexdigest()


def generate(
    programme: Programme,
    code: str,
    user: User | None,
    *,
    now: datetime | None = None,
    language: str = "fr",
    produced: dict[str, list[GeneratedFile]] | None = None,
) -> GenerationResult:
    """Run the deliverable's generator and store its files as a new version if they changed.

    Raises `MissingData` (nothing stored) when the deliverable's data does not exist yet.
    """
    now = now or generation_instant()
    context = GenerationContext(
        programme=programme, user=user, now=now, language=language, produced=dict(produced or {})
    )
    with translation.override(language):
        generated = generator_for(code)(context)
    if not generated:
        raise MissingData([_("The generator produced no file.")])
    names = [item.name for item in generated]
    if len(set(names)) != len(names):
        raise ValueError(f"{code}: two generated files have the same name")
    with transaction.atomic():
        deliverable = deliverable_row(programme, code)
        deliverable = Deliverable.objects.select_for_update().get(pk=deliverable.pk)
        last_version = deliverable.latest_version()
        previous = {
            f.name: f.sha256
            for f in DeliverableFile.objects.filter(deliverable=deliverable, version=last_version)
        }
        current = {item.name: _sha256(item.content) for item in generated}
        if last_version and previous == current:
            files = list(DeliverableFile.objects.filter(deliverable=deliverable, version=last_version))
            return GenerationResult(deliverable, last_version, files, False, generated)
        version = last_version + 1
        files = []
        for item in generated:
            stored = DeliverableFile(
                deliverable=deliverable,
                version=version,
                name=item.name,
                title=item.title[:300],
                format=item.format,
                size=len(item.content),
                sha256=current[item.name],
                created_by=user,
            )
            stored.file.save(item.name, ContentFile(item.content), save=False)
            stored.save()
            files.append(stored)
        if deliverable.status == DeliverableStatus.TODO:
            deliverable.status = DeliverableStatus.IN_PROGRESS
            deliverable.save(update_fields=["status", "updated_at"])
    return GenerationResult(deliverable, version, files, True, generated)


def submitted_generated_files(deliverable: Deliverable) -> list[GeneratedFile]:
    """The bytes handed to ADEME, read back from storage, while the deliverable is submitted or
    validated; an empty list otherwise (or when it was delivered outside the platform)."""
    if deliverable.delivered_on is None:
        return []
    shipped = []
    for stored in deliverable.submitted_files():
        with stored.file.open("rb") as handle:
            shipped.append(GeneratedFile(name=stored.name, content=handle.read(), title=stored.title))
    return shipped


# --- Review workflow -------------------------------------------------------------------------------


def _checked(deliverable: Deliverable, expected_version: int) -> None:
    # `save_checked` raises ConcurrentEditError when someone else changed the row meanwhile.
    deliverable.save_checked(expected_version)


def submit(deliverable: Deliverable, user: User, expected_version: int) -> None:
    """The consultant hands the latest version to ADEME; that version's files are frozen as submitted.

    Regenerating afterwards stores a new draft version beside it and never touches the submitted files,
    which are the ones ADEME validates. The submission date is what the obligations engine counts.
    """
    if not can_produce_deliverables(user, deliverable.programme):
        raise PermissionDenied
    if deliverable.status not in (DeliverableStatus.TODO, DeliverableStatus.IN_PROGRESS):
        raise ValidationError(_("Only a deliverable in progress can be submitted."))
    latest = deliverable.latest_version()
    if not latest:
        raise ValidationError(_("Generate the deliverable before submitting it."))
    fired = checks.run_checks(deliverable)
    if checks.blocking(fired):
        raise ValidationError(
            _(
                "Checks before submission still block it (%(count)d): fix them or acknowledge each one "
                "with a reason."
            )
            % {"count": len(checks.blocking(fired))}
        )
    deliverable.submission_checks = checks.submission_record(fired)
    deliverable.status = DeliverableStatus.SUBMITTED
    deliverable.submitted_on = timezone.localdate()
    deliverable.submitted_by = user
    deliverable.submitted_version = latest
    _checked(deliverable, expected_version)


def acknowledge(deliverable: Deliverable, user: User, expected_version: int, key: str, reason: str) -> None:
    """The consultant lets a check pass with a written reason, which ADEME reads with the submission."""
    if not can_produce_deliverables(user, deliverable.programme):
        raise PermissionDenied
    if deliverable.status not in (DeliverableStatus.TODO, DeliverableStatus.IN_PROGRESS):
        raise ValidationError(_("Only a deliverable in progress can be checked before submission."))
    if not reason.strip():
        raise ValidationError({"reason": _("Say why the report can go as it is.")})
    fired = {check.key: check for check in checks.run_checks(deliverable)}
    if key not in fired:
        raise ValidationError(_("This check no longer fires: nothing to acknowledge."))
    deliverable.acknowledged_checks = {
        **(deliverable.acknowledged_checks or {}),
        key: checks.acknowledgement(user, reason, fired[key].message),
    }
    _checked(deliverable, expected_version)


def validate(deliverable: Deliverable, user: User, expected_version: int, comment: str = "") -> None:
    """ADEME accepts the submitted version (the frozen files, whatever was generated since)."""
    if not can_validate_deliverables(user, deliverable.programme):
        raise PermissionDenied
    if deliverable.status != DeliverableStatus.SUBMITTED:
        raise ValidationError(_("Only a submitted deliverable can be validated."))
    deliverable.status = DeliverableStatus.VALIDATED
    deliverable.validated_on = timezone.localdate()
    deliverable.validated_by = user
    deliverable.review_comment = comment
    _checked(deliverable, expected_version)


def send_back(deliverable: Deliverable, user: User, expected_version: int, comment: str) -> None:
    """ADEME asks for changes: the deliverable goes back to the consultant with the comment."""
    if not can_validate_deliverables(user, deliverable.programme):
        raise PermissionDenied
    if deliverable.status != DeliverableStatus.SUBMITTED:
        raise ValidationError(_("Only a submitted deliverable can be sent back."))
    if not comment.strip():
        raise ValidationError({"comment": _("Say what must change.")})
    deliverable.status = DeliverableStatus.IN_PROGRESS
    deliverable.review_comment = comment
    _checked(deliverable, expected_version)


# --- The whole pack --------------------------------------------------------------------------------


def request_pack(programme: Programme, user: User | None) -> PackBuild:
    """Record a new build, or raise PackBusy with the build already waiting or running."""
    _abandon_stale(programme)
    try:
        with transaction.atomic():
            return PackBuild.objects.create(
                programme=programme, requested_by=user, steps_total=len(KINDS) + 1
            )
    except IntegrityError:
        active = PackBuild.objects.filter(programme=programme, status__in=ACTIVE_BUILD_STATUSES).first()
        if active is None:  # finished between the insert and this read: try once more
            return PackBuild.objects.create(
                programme=programme, requested_by=user, steps_total=len(KINDS) + 1
            )
        raise PackBusy(active) from None


def _abandon_stale(programme: Programme) -> None:
    """Fail the running builds whose worker is gone: killed on this host (its process no longer
    exists), or silent for STALE_AFTER wherever it ran. A new request can then start."""
    running = PackBuild.objects.filter(programme=programme, status=BuildStatus.RUNNING)
    dead = [build.pk for build in running if _worker_is_dead(build.worker)]
    abandoned = running.filter(Q(pk__in=dead) | Q(heartbeat_at__lt=timezone.now() - STALE_AFTER))
    abandoned.update(
        status=BuildStatus.FAILED,
        finished_at=timezone.now(),
        error=_(
            "Abandoned: the worker stopped before finishing (killed or restarted). Ask for the pack again."
        ),
    )


def worker_identity() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"


def _worker_is_dead(worker: str) -> bool:
    host, _sep, pid = worker.rpartition(":")
    if host != socket.gethostname() or not pid.isdigit():
        return False  # another machine's worker: only its heartbeat tells
    try:
        os.kill(int(pid), 0)
    except ProcessLookupError:
        return True
    except PermissionError:  # alive, under another user
        return False
    return False


def cancel_pack(build: PackBuild) -> None:
    """A waiting build can be withdrawn (no worker picked it up)."""
    if build.status != BuildStatus.QUEUED:
        raise ValidationError(_("Only a waiting build can be cancelled."))
    PackBuild.objects.filter(pk=build.pk, status=BuildStatus.QUEUED).update(
        status=BuildStatus.FAILED, finished_at=timezone.now(), error=_("Cancelled before it started.")
    )


# Deliverables that describe the others' files (the synthesis report counts them, the inventory lists
# them, L4.3 included): generated after them, in this order. The reports, which list every deliverable
# with its files, come last. So a rebuild with nothing changed changes nothing.
SUMMARIES = ("L4.3", "L4.1")


def _ordered_kinds() -> list[DeliverableKind]:
    others = [k for k in KINDS if not k.is_report and k.code not in SUMMARIES]
    return [*others, *(BY_CODE[code] for code in SUMMARIES), *[k for k in KINDS if k.is_report]]


def run_pack(build_id: int, *, language: str = "fr", only: Iterable[str] | None = None) -> PackBuild:
    """Generate every deliverable of the build's programme and write the zip. Never raises for data
    problems: a deliverable without data is listed as missing in the table of contents."""
    claimed = PackBuild.objects.filter(pk=build_id, status=BuildStatus.QUEUED).update(
        status=BuildStatus.RUNNING,
        started_at=timezone.now(),
        heartbeat_at=timezone.now(),
        worker=worker_identity(),
    )
    build = PackBuild.objects.select_related("programme", "requested_by").get(pk=build_id)
    if not claimed:
        logger.warning("pack build %s is %s: not run again", build_id, build.status)
        return build
    kinds = [k for k in _ordered_kinds() if only is None or k.code in set(only)]
    total = len(kinds) + 1

    def progress(done: int, label: str) -> None:
        PackBuild.objects.filter(pk=build_id).update(
            steps_done=done, steps_total=total, current_step=label[:200], heartbeat_at=timezone.now()
        )

    try:
        with translation.override(language):
            contents, archive = _build(build, kinds, language, progress)
        progress(total, _("Archive written"))
        name = f"{build.programme.slug}-livrables-{timezone.localdate():%Y-%m-%d}-{build.pk}.zip"
        build.refresh_from_db()
        build.file.save(name, ContentFile(archive), save=False)
        build.size = len(archive)
        build.contents = contents
        build.status = BuildStatus.DONE
        build.finished_at = timezone.now()
        build.save(update_fields=["file", "size", "contents", "status", "finished_at"])
    except Exception as error:
        logger.exception("pack build %s failed", build_id)
        PackBuild.objects.filter(pk=build_id).update(
            status=BuildStatus.FAILED, finished_at=timezone.now(), error=f"{type(error).__name__}: {error}"
        )
        build.refresh_from_db()
    return build


def _build(
    build: PackBuild, kinds: list[DeliverableKind], language: str, progress: Callable[[int, str], None]
) -> tuple[list[dict[str, Any]], bytes]:
    programme = build.programme
    now = generation_instant()
    dates = due_dates(programme)
    produced: dict[str, list[GeneratedFile]] = {}
    contents: list[dict[str, Any]] = []
    members: list[tuple[str, bytes]] = []
    for index, kind in enumerate(kinds):
        progress(index, f"{kind.display_code} — {kind.title}")
        entry: dict[str, Any] = {
            "code": kind.code,
            "display_code": kind.display_code,
            "axis": kind.axis,
            "title": str(kind.title),
            "due_on": dates[kind.code].isoformat(),
            "files": [],
            "missing": [],
        }
        try:
            result = generate(
                programme, kind.code, build.requested_by, now=now, language=language, produced=produced
            )
        except MissingData as missing:
            entry["missing"] = [str(reason) for reason in missing.reasons]
        except Exception as error:  # a bug in one generator must not cost the other deliverables
            logger.exception("pack build %s: %s failed", build.pk, kind.code)
            entry["failed"] = f"{type(error).__name__}: {error}"
            entry["missing"] = [_("The generation failed; the error was logged for the administrators.")]
        else:
            # A submitted or validated deliverable travels as the files ADEME has: the frozen version,
            # not the draft this build may have stored beside it.
            shipped = submitted_generated_files(result.deliverable)
            entry["version"] = result.deliverable.submitted_version if shipped else result.version
            shipped = shipped or result.generated
            produced[kind.code] = shipped
            entry["status"] = result.deliverable.status
            folder = _folder(kind)
            for item in shipped:
                path = f"{folder}/{item.name}"
                members.append((path, item.content))
                entry["files"].append({"path": path, "title": item.title, "size": len(item.content)})
        contents.append(entry)
    progress(len(kinds), _("Writing the archive"))
    order = [kind.code for kind in KINDS]
    contents.sort(key=lambda entry: order.index(entry["code"]))  # the catalogue's order, not the build's
    members.sort(key=lambda member: member[0])
    toc = table_of_contents(programme.name, contents, now)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for path, data in [("00-sommaire.html", toc.encode("utf-8")), *members]:
            info = zipfile.ZipInfo(path, date_time=_FIXED_ENTRY_TIME)
            info.external_attr = 0o644 << 16
            # Office files and PDFs are compressed already: storing them again costs time for nothing.
            compress = zipfile.ZIP_DEFLATED if path.endswith(".html") else zipfile.ZIP_STORED
            archive.writestr(info, data, compress_type=compress)
    return contents, out.getvalue()


def _folder(kind: DeliverableKind) -> str:
    return "rapports" if kind.is_report else f"axe-{kind.axis}/{kind.code}"


def table_of_contents(programme_name: str, contents: list[dict[str, Any]], now: datetime) -> str:
    """A light, self-contained HTML page listing every deliverable, its files and what is missing."""
    esc = html.escape
    title = _("Deliverables of %(programme)s") % {"programme": programme_name}
    parts = [
        "<!doctype html>",
        f'<html lang="{esc(translation.get_language() or "fr")}"><head><meta charset="utf-8">',
        f"<title>{esc(title)}</title>",
        "<style>body{font-family:sans-serif;max-width:60rem;margin:2rem auto;line-height:1.5}"
        "td,th{padding:.25rem .5rem;text-align:left;vertical-align:top;border-bottom:1px solid #ddd}"
        "table{border-collapse:collapse;width:100%}.missing{color:#b34000}</style></head><body>",
        f"<h1>{esc(title)}</h1>",
        "<p>"
        + esc(
            _("Generated on %(date)s from the platform's data.")
            % {"date": date_format(timezone.localdate(now), "DATE_FORMAT")}
        )
        + "</p>",
    ]
    by_axis: dict[int, list[dict[str, Any]]] = {}
    for entry in contents:
        by_axis.setdefault(entry["axis"], []).append(entry)
    for axis in sorted(by_axis, key=lambda a: (a == 0, a)):
        parts.append(f"<h2>{esc(str(AXIS_TITLES[axis]))}</h2>")
        parts.append(
            "<table><thead><tr>"
            f"<th scope='col'>{esc(_('Code'))}</th><th scope='col'>{esc(_('Deliverable'))}</th>"
            f"<th scope='col'>{esc(_('Due on'))}</th><th scope='col'>{esc(_('Files'))}</th>"
            "</tr></thead><tbody>"
        )
        for entry in by_axis[axis]:
            due = date_format(date.fromisoformat(entry["due_on"]), "SHORT_DATE_FORMAT")
            if entry["files"]:
                cell = "<ul>" + "".join(
                    f'<li><a href="{esc(f["path"])}">{esc(f["title"])}</a> '
                    f"({esc(f['path'].rsplit('.', 1)[-1].upper())}, {esc(str(filesizeformat(f['size'])))})</li>"
                    for f in entry["files"]
                )
                cell += "</ul>"
            else:
                cell = (
                    f"<p class='missing'>{esc(_('Not produced:'))}</p><ul class='missing'>"
                    + "".join(f"<li>{esc(reason)}</li>" for reason in entry["missing"])
                    + "</ul>"
                )
            parts.append(
                f"<tr><td>{esc(entry['display_code'])}</td><td>{esc(entry['title'])}</td><td>{esc(due)}</td>"
                f"<td>{cell}</td></tr>"
            )
        parts.append("</tbody></table>")
    parts.append("</body></html>")
    return "\n".join(parts)
