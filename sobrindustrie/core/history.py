"""Readable change history of any model tracked by django-simple-history."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.utils import get_m2m_reverse_field_name

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


def _names(keys: set[Any], names: dict[Any, str]) -> str:
    return ", ".join(sorted(names.get(key, str(key)) for key in keys)) or "—"


def _m2m_sets(
    instance: models.Model, records: list[Any]
) -> dict[str, tuple[dict[int, set[Any]], dict[Any, str]]]:
    """Per many-to-many field tracked in history: the linked keys at each record, and their names."""
    if not records:
        return {}
    found = {}
    for m2m_field in getattr(records[0], "_history_m2m_fields", []):
        through = getattr(type(records[0]), m2m_field.name).model
        target = m2m_field.related_model
        column = f"{get_m2m_reverse_field_name(m2m_field)}_id"
        by_record: dict[int, set[Any]] = {}
        rows = through.objects.filter(history_id__in=[r.history_id for r in records]).values_list(
            "history_id", column
        )
        for history_id, key in rows:
            by_record.setdefault(history_id, set()).add(key)
        keys = set().union(*by_record.values()) if by_record else set()
        names = {obj.pk: str(obj) for obj in target._base_manager.filter(pk__in=keys)}
        found[m2m_field.name] = (by_record, names)
    return found


def history_entries(
    instance: models.Model, limit: int = 30, withheld: tuple[str, ...] | frozenset[str] = ()
) -> list[HistoryEntry]:
    """The latest changes of `instance`, newest first, each with the fields it changed (except the
    `withheld` ones, which the reader may not see).

    Reads `limit + 1` history rows in one query and diffs neighbours in memory, so a page's query
    count does not grow with the length of the history; many-to-many fields tracked in history
    (`m2m_fields`) cost one more query each, and one for the names of the objects they link.
    """
    records = list(
        instance.history.select_related("history_user").order_by("-history_date", "-history_id")[: limit + 1]
    )  # type: ignore[attr-defined]
    m2m = _m2m_sets(instance, records)
    entries = []
    for index, newer in enumerate(records):
        older = records[index + 1] if index + 1 < len(records) else None
        if len(entries) == limit:
            break
        changes = []
        if older is not None and newer.history_type == "~":
            delta = newer.diff_against(older, excluded_fields=list(m2m))
            for change in delta.changes:
                if change.field in HIDDEN_FIELDS or change.field in withheld:
                    continue
                label = str(instance._meta.get_field(change.field).verbose_name)
                changes.append(Change(label, _display(older, change.field), _display(newer, change.field)))
            for name, (by_record, names) in m2m.items():
                old, new = by_record.get(older.history_id, set()), by_record.get(newer.history_id, set())
                if name not in withheld and old != new:
                    label = str(instance._meta.get_field(name).verbose_name)
                    changes.append(Change(label, _names(old, names), _names(new, names)))
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
