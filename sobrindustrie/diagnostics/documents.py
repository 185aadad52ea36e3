"""How the diagnostics' documents print a figure; they are built as `deliverables.document` models
and rendered (PDF, DOCX, page preview) there."""

from __future__ import annotations

from typing import Any

from django.utils.formats import number_format


def figure(value: Any, digits: int = 0) -> str:
    """A number the French way (narrow spaces between thousands), or an em dash when unknown."""
    if value is None or value == "":
        return "—"
    return str(number_format(round(float(value), digits), decimal_pos=digits, force_grouping=True))
