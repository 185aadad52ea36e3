"""Abstract models and the optimistic-locking helper shared by the domain apps."""

from __future__ import annotations

from typing import Any

from django.db import models, transaction
from django.utils.translation import gettext_lazy as _


class ConcurrentEditError(Exception):
    """Someone else saved the same object since the form was opened."""


class TimeStampedModel(models.Model):
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        abstract = True


class VersionedModel(TimeStampedModel):
    """A model whose edits are guarded by a version number (optimistic locking).

    Forms carry the version they were opened with; `save_checked` refuses to overwrite a newer one,
    so two people editing the same machine never silently erase each other's changes.
    """

    version = models.PositiveIntegerField(default=1, editable=False)

    class Meta:
        abstract = True

    def save_checked(self, expected_version: int, **kwargs: Any) -> None:
        with transaction.atomic():
            current = (
                type(self).objects.select_for_update().filter(pk=self.pk).values_list("version", flat=True)
            )
            found = current.first()
            if found is not None and found != expected_version:
                raise ConcurrentEditError(
                    _(
                        "This record was changed by someone else meanwhile. Reload the page to see their changes."
                    )
                )
            self.version = (found or 0) + 1
            self.save(**kwargs)
