"""Readable change history of any model tracked by django-simple-history."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.db import models
from django.utils.translation import gettext_lazy as _

HISTORY_TYPES = {"+": _("created"), "~": _("changed"), "-": _("deleted")}
HIDDEN_FIELDS = {"version", "updated_at", "created_at", "id"}


@dataclass
class Change:
    field: str
    old: Any
    new: Any


@dataclass
class HistoryEntry:
    date: datetime
    user: str
    action: str
    reason: str
    changes: list[Change] = field(default_factory=list)


def _display(record: Any, name: str) -> Any:
    value = getattr(record, name, None)
    model_field = record.instance_type._meta.get_field(name)
    if model_field.choices:
        return dict(model_field.flatchoices).get(value, value)
    return "—" if value in (None, "") else value


def history_entries(
    instance: models.Model, limit: int = 30, withheld: tuple[str, ...] | frozenset[str] = ()
) -> list[HistoryEntry]:
    """The latest changes of `instance`, newest first, each with the fields it changed (except the
    `withheld` ones, which the reader may not see).

    Reads `limit + 1` history rows in one query and diffs neighbours in memory, so a page's query
    count does not grow with the length of the history.
    """
    records = list(
        instance.history.select_related("history_user").order_by("-history_date", "-history_id")[: limit + 1]
    )  # type: ignore[attr-defined]
    entries = []
    for index, newer in enumerate(records):
        older = records[index + 1] if index + 1 < len(records) else None
        if len(entries) == limit:
            break
        changes = []
        if older is not None and newer.history_type == "~":
            delta = newer.diff_against(older)
            for change in delta.changes:
                if change.field in HIDDEN_FIELDS or change.field in withheld:
                    continue
                label = str(instance._meta.get_field(change.field).verbose_name)
                changes.append(Change(label, _display(older, change.field), _display(newer, change.field)))
        user = newer.history_user
        entries.append(
            HistoryEntry(
                date=newer.history_date,
                user=str(user) if user else str(_("system")),
                action=str(HISTORY_TYPES.get(newer.history_type, newer.history_type)),
                reason=newer.history_change_reason or "",
                changes=changes,
            )
        )
    return entries
