"""Accent- and case-insensitive search: the folded text kept beside the original.

People type "energie" or "ENERGIE" for "énergie". PostgreSQL matches them through its French
text-search configuration with `unaccent` (`documents/migrations/*search_unaccent*`); SQLite has
neither, so each searchable model keeps its searchable text folded (no accents, case-folded) in a
column of its own, filled on every save and, for existing rows, by a data migration.
"""

from __future__ import annotations

import unicodedata
from typing import Any, ClassVar

from django.db import models

#: Letters that NFKD does not split into a base letter and an accent.
LIGATURES = str.maketrans({"œ": "oe", "Œ": "oe", "æ": "ae", "Æ": "ae", "ß": "ss", "’": "'"})


def fold(text: str) -> str:
    """`text` without accents and case-folded: "Écoconception ÉNERGIE" → "ecoconception energie"."""
    decomposed = unicodedata.normalize("NFKD", text.translate(LIGATURES))
    return "".join(char for char in decomposed if not unicodedata.combining(char)).casefold()


class SearchFoldedModel(models.Model):
    """Keeps `search_folded`, the folded text of `SEARCH_FIELDS`, up to date on every save."""

    SEARCH_FIELDS: ClassVar[tuple[str, ...]] = ()

    search_folded = models.TextField(blank=True, default="", editable=False)

    class Meta:
        abstract = True

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.search_folded = self.folded_text()
        update_fields = kwargs.get("update_fields")
        if update_fields is not None:
            kwargs["update_fields"] = {*update_fields, "search_folded"}
        super().save(*args, **kwargs)

    def folded_text(self) -> str:
        return fold(" ".join(str(getattr(self, name) or "") for name in self.SEARCH_FIELDS))


def fill_folded(
    model: type[models.Model], fields: tuple[str, ...], using: str = "default", batch: int = 500
) -> None:
    """For data migrations (historical models have no methods): fold the rows already stored in
    the database being migrated (`schema_editor.connection.alias`)."""
    manager = model._default_manager.db_manager(using)  # type: ignore[attr-defined]
    rows = list(manager.only("pk", *fields))
    for row in rows:
        row.search_folded = fold(" ".join(str(getattr(row, name) or "") for name in fields))  # type: ignore[attr-defined]
    manager.bulk_update(rows, ["search_folded"], batch_size=batch)
