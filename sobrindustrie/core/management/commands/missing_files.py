"""List every file the database refers to that the storage does not hold; exit 1 when any is."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from django.apps import apps
from django.core.management.base import BaseCommand, CommandError
from django.db import models
from django.utils.translation import gettext as _


def file_fields() -> Iterator[tuple[type[models.Model], models.FileField]]:
    """Every file field of every installed model; history tables (django-simple-history's copies,
    which carry `instance_type`) are left out: they repeat the names of the live rows."""
    for model in apps.get_models():
        if hasattr(model, "instance_type"):
            continue
        for field in model._meta.get_fields():
            if isinstance(field, models.FileField):
                yield model, field


def missing_files() -> Iterator[tuple[str, Any, str, str]]:
    """(model label, primary key, field name, stored name) of each file the storage lacks."""
    for model, field in file_fields():
        rows = model._default_manager.exclude(**{field.name: ""}).exclude(**{f"{field.name}__isnull": True})
        for pk, name in rows.values_list("pk", field.name).iterator():
            if not field.storage.exists(name):
                yield model._meta.label, pk, field.name, name


class Command(BaseCommand):
    help = "List the files the database refers to that are missing from the storage (exit 1 if any)."

    def handle(self, *args: Any, **options: Any) -> None:
        count = 0
        for label, pk, field, name in missing_files():
            count += 1
            self.stdout.write(f"{label} #{pk} {field}: {name}")
        if count:
            raise CommandError(_("%d file(s) missing from the storage.") % count)
        self.stdout.write(_("Every stored file is present."))
