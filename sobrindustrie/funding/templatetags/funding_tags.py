from __future__ import annotations

from django import template
from django.utils.safestring import SafeString

from sobrindustrie.funding import rendering

register = template.Library()


@register.filter
def source_text(text: object, source: str) -> SafeString:
    """A text of the scheme's source as safe HTML (Markdown rendered, or HTML cleaned)."""
    return rendering.source_text(text, source)


@register.filter
def source_inline(text: object, source: str) -> SafeString:
    """The same for a short text: a single paragraph loses its <p>."""
    return rendering.source_inline(text, source)
