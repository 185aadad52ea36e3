"""Idempotent writes for loaders and importers: save only what actually changed."""

from __future__ import annotations

from typing import Any, TypeVar

from django.db import models

M = TypeVar("M", bound=models.Model)


def upsert(
    model: type[M], lookup: dict[str, Any], values: dict[str, Any], clean_exclude: tuple[str, ...] = ()
) -> tuple[M, str]:
    """Create or update one row; return it with "created", "updated" or "unchanged".

    Unlike `update_or_create`, an unchanged row is not saved, so re-running a loader leaves no
    history entries and no modified timestamps behind. Rows are validated (`full_clean`) before
    saving; `clean_exclude` names fields the caller sets afterwards (a password, say).
    """
    instance = model._default_manager.filter(**lookup).first()
    if instance is None:
        instance = model(**lookup, **values)
        instance.full_clean(exclude=clean_exclude)
        instance.save()
        return instance, "created"
    changed = {name: value for name, value in values.items() if differs(getattr(instance, name), value)}
    if not changed:
        return instance, "unchanged"
    for name, value in changed.items():
        setattr(instance, name, value)
    instance.full_clean(exclude=clean_exclude)
    instance.save()
    return instance, "updated"


def differs(current: Any, new: Any) -> bool:
    """Whether `new` would change a field holding `current` (a related row compares by key, a value
    after conversion to the field's type: "12.50" does not differ from Decimal("12.5"))."""
    if isinstance(current, models.Model) or isinstance(new, models.Model):
        return getattr(current, "pk", current) != getattr(new, "pk", new)
    if current is None or new is None:
        return current is not new
    try:
        return type(current)(new) != current  # type: ignore[call-arg]
    except (TypeError, ValueError, ArithmeticError):
        return bool(current != new)
