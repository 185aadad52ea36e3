"""Markdown written by users (agendas, minutes, event notes) rendered to safe HTML.

Markdown lets raw HTML through, so its output is cleaned by nh3 with a short allow-list: what
minutes need (headings, lists, emphasis, tables, links) and nothing that runs or loads anything.
"""

from __future__ import annotations

import markdown
import nh3
from django.utils.safestring import SafeString, mark_safe

ALLOWED_TAGS = {
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "p",
    "br",
    "hr",
    "ul",
    "ol",
    "li",
    "strong",
    "em",
    "code",
    "pre",
    "blockquote",
    "a",
    "table",
    "thead",
    "tbody",
    "tr",
    "th",
    "td",
}
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "th": {"scope"}}


def render_markdown(text: str, *, heading_offset: int = 2) -> SafeString:
    """Sanitised HTML of `text`; headings shifted down by `heading_offset` to fit under the page's h2."""
    html = markdown.markdown(text or "", extensions=["tables", "sane_lists"], output_format="html")
    if heading_offset:
        for level in range(6, 0, -1):
            shifted = min(level + heading_offset, 6)
            html = html.replace(f"<h{level}>", f"<h{shifted}>").replace(f"</h{level}>", f"</h{shifted}>")
    clean = nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener noreferrer nofollow",
    )
    return mark_safe(clean)
