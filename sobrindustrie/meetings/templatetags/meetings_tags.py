from __future__ import annotations

from decimal import Decimal

from django import template
from django.utils import formats
from django.utils.safestring import SafeString

from sobrindustrie.meetings.rendering import render_markdown

register = template.Library()


@register.filter
def markdown(text: str) -> SafeString:
    """Render user Markdown as sanitised HTML (headings start at h3)."""
    return render_markdown(text)


@register.filter
def get_item(mapping: dict, key: object) -> object:  # type: ignore[type-arg]
    return mapping.get(key, "")


@register.filter
def days(value: object) -> str:
    """A number of days without trailing zeros, in the reader's number format: 5.50 → "5,5"."""
    if value in (None, ""):
        return ""
    number = Decimal(str(value)).normalize()
    if number == number.to_integral():
        number = number.quantize(Decimal(1))
    return formats.number_format(number, use_l10n=True)
