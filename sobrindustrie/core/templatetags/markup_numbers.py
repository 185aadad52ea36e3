"""`{% load markup_numbers %}` then `{{ x|markup_number }}` for every number written into SVG or CSS."""

from __future__ import annotations

from django import template

from sobrindustrie.core.markup import markup_number as _markup_number

register = template.Library()


@register.filter
def markup_number(value: int | float | str) -> str:
    return _markup_number(value)
