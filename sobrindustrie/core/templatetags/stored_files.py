"""Reading a stored file's facts in a template without failing when the file is gone."""

from __future__ import annotations

from typing import Any

from django import template

from sobrindustrie.core.uploads import stored_size as _stored_size

register = template.Library()


@register.filter
def stored_size(field_file: Any) -> int | None:
    """The file's size in bytes, or None when the storage no longer has it."""
    return _stored_size(field_file)
