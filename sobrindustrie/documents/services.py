"""Writes of the collaborative space: uploads, versions, workflow transitions, comments.

Files go through `default_storage` (local disk, or S3-compatible storage when configured), under a
key we choose, and only once `uploads.inspect_upload` has accepted their content.
"""

from __future__ import annotations

import uuid
from typing import TYPE_CHECKING, Any

from django.contrib.contenttypes.models import ContentType
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from sobrindustrie.core.uploads import UploadRefused, extract_text, inspect_upload, safe_name
from sobrindustrie.documents import notifications, workflow
from sobrindustrie.documents.enums import NotificationKind, PublicationStatus
from sobrindustrie.documents.models import Comment, Document, DocumentVersion, Publishable, Space

if TYPE_CHECKING:
    from django.core.files.uploadedfile import UploadedFile

    from sobrindustrie.accounts.models import User

__all__ = ["UploadRefused", "add_version", "create_document", "transition", "add_comment", "mark_handled"]


def _store(document: Document, upload: UploadedFile, user: User | None, note: str = "") -> DocumentVersion:
    kind = inspect_upload(upload.name or "", upload.file, upload.size or 0)
    text = extract_text(kind.code, upload.file)
    key = f"documents/{document.space.programme_id}/{uuid.uuid4().hex}.{kind.extensions[0]}"
    number = (document.versions.order_by("-number").values_list("number", flat=True).first() or 0) + 1
    saved = default_storage.save(key, upload.file)
    # The row is written after the file; should it fail, the orphan file is removed at once.
    try:
        version = DocumentVersion(
            document=document,
            number=number,
            original_name=safe_name(upload.name or ""),
            file_kind=kind.code,
            size=upload.size,
            note=note,
            uploaded_by=user,
        )
        version.file.name = saved
        version.save()
    except Exception:
        default_storage.delete(saved)
        raise
    if text:
        document.search_text = text
        document.save(update_fields=["search_text"])
    return version


@transaction.atomic
def create_document(space: Space, user: User, upload: UploadedFile, **fields: Any) -> Document:
    """Check the file, create the document and its first version; nothing is stored if refused."""
    relations = {
        name: fields.pop(name) for name in ("meetings", "teams", "actions", "organisations") if name in fields
    }
    inspect_upload(upload.name or "", upload.file, upload.size or 0)
    document = Document.objects.create(space=space, created_by=user, **fields)
    for name, values in relations.items():
        getattr(document, name).set(values)
    _store(document, upload, user)
    return document


@transaction.atomic
def add_version(document: Document, user: User, upload: UploadedFile, note: str = "") -> DocumentVersion:
    """A new version of the file; a published document goes back to draft for the COPIL to see it."""
    version = _store(document, upload, user, note)
    if document.status != PublicationStatus.DRAFT and document.status != PublicationStatus.RETURNED:
        document.status = PublicationStatus.DRAFT
    document.save()
    return version


@transaction.atomic
def transition(item: Publishable, user: User, name: str, comment: str = "") -> None:
    """Apply workflow transition `name`, record who and when, and notify who must know."""
    if not workflow.may(user, name, item):
        raise workflow.TransitionRefused(_("This action is not possible on this item now, or not for you."))
    if name == "return" and not comment.strip():
        raise workflow.TransitionRefused(
            _("Say what must change: the comment is required to send an item back.")
        )
    now = timezone.now()
    item.status = workflow.TRANSITIONS[name].target
    if name == "submit":
        item.submitted_at, item.return_comment = now, ""
    elif name == "validate":
        item.validated_at, item.validated_by = now, user
    elif name == "return":
        item.return_comment = comment.strip()
    elif name == "publish":
        item.published_at = now
    item._change_reason = workflow.TRANSITIONS[name].label  # type: ignore[attr-defined]
    item.save()
    _notify_transition(item, user, name)


def _notify_transition(item: Publishable, user: User, name: str) -> None:
    programme = workflow.programme_of(item)
    url = item.get_absolute_url()  # type: ignore[attr-defined]
    if name == "submit":
        notifications.notify(
            notifications.copil_of(programme),
            NotificationKind.TO_VALIDATE,
            _("To validate: %s") % item,
            url,
            user,
        )
    elif name == "return":
        authors = notifications.staff_of(programme).filter(role="consultant")
        notifications.notify(authors, NotificationKind.RETURNED, _("Sent back: %s") % item, url, user)
    elif name == "publish" and hasattr(item, "space"):
        notifications.notify(
            notifications.audience(item.space),
            NotificationKind.NEW_ITEM,
            _("New: %s") % item,
            url,
            user,  # type: ignore[attr-defined]
        )


@transaction.atomic
def add_comment(target: Any, user: User, body: str) -> Comment:
    comment = Comment.objects.create(
        content_type=ContentType.objects.get_for_model(target), object_id=target.pk, author=user, body=body
    )
    programme = target.space.programme if hasattr(target, "space") else target.meeting.programme
    consultants = notifications.staff_of(programme).filter(role="consultant")
    notifications.notify(
        consultants, NotificationKind.COMMENT, _("Comment on %s") % target, target.get_absolute_url(), user
    )
    return comment


def mark_handled(comment: Comment, user: User) -> None:
    comment.handled_at, comment.handled_by = timezone.now(), user
    comment.save(update_fields=["handled_at", "handled_by", "updated_at"])


def ensure_spaces(programme: Any) -> list[Space]:
    """The programme's spaces: programme-wide, COPIL, one per team and one per organisation.

    Idempotent; run when teams or organisations are added (the space list does it for consultants).
    """
    from sobrindustrie.documents.enums import SpaceKind
    from sobrindustrie.organisations.models import Organisation
    from sobrindustrie.teams.models import ProjectTeam

    wanted: list[tuple[str, str, dict[str, Any]]] = [
        (SpaceKind.PROGRAMME, str(programme), {}),
        (SpaceKind.COPIL, _("COPIL"), {}),
    ]
    wanted += [
        (SpaceKind.TEAM, team.name, {"team": team}) for team in ProjectTeam.objects.for_programme(programme)
    ]
    wanted += [
        (SpaceKind.ORGANISATION, org.name, {"organisation": org})
        for org in Organisation.objects.for_programme(programme).active()
    ]
    spaces = []
    for kind, name, link in wanted:
        lookup = {
            "programme": programme,
            "kind": kind,
            "team": link.get("team"),
            "organisation": link.get("organisation"),
        }
        space = Space.objects.filter(**lookup).first() or Space.objects.create(name=name[:150], **lookup)
        spaces.append(space)
    return spaces
