"""The sources' texts on the scheme page: their Markdown (or HTML) made safe, their extra fields worded.

Mission Transition Écologique writes its texts in Markdown, with CommonMark's hard line breaks (a
backslash at the end of a line): they are rendered by markdown-it-py, which follows CommonMark, with
raw HTML off. Aides-territoires publishes HTML. Both outputs go through nh3 with the short allow-list
of `meetings.rendering` (nothing that runs or loads anything; links get rel="noopener noreferrer
nofollow").

Fields the source keeps for its own site (`metaTitre`, `metaDescription`, `illustration`) are never
shown; the others that the platform knows are worded in French; the rest stay in the database (and the
admin) rather than print raw on a page.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Final

import nh3
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from markdown_it import MarkdownIt

from sobrindustrie.funding.enums import SchemeSource
from sobrindustrie.meetings.rendering import ALLOWED_ATTRIBUTES, ALLOWED_TAGS

_MARKDOWN: Final = MarkdownIt("commonmark", {"html": False, "linkify": False}).enable("table")
_HEADING_SHIFT: Final = 2  # the page's sections are h2: the source's headings start at h3
#: Extra fields shown, with their label; yes/no fields say "yes" only.
EXTRA_LABELS: Final[Mapping[str, Any]] = {
    "activable en autonomie": gettext_lazy("Can be started without outside support"),
    "ouvert aux administrations publiques": gettext_lazy("Also open to public administrations"),
    "aide temporairement indisponible": gettext_lazy("Temporarily unavailable"),
    "champs conditionnels": gettext_lazy("Depending on the company"),
    "url": gettext_lazy("Link given by the source (not a valid web address)"),
    # Aides-territoires
    "perimeter": gettext_lazy("Area covered"),
    "programs": gettext_lazy("Programmes"),
    "categories": gettext_lazy("Themes"),
    "recurrence": gettext_lazy("Recurrence"),
    "targeted_audiences": gettext_lazy("Beneficiaries"),
    "destinations": gettext_lazy("Spending concerned"),
    "mobilization_steps": gettext_lazy("Project stages"),
    "contact": gettext_lazy("Contact"),
    "project_examples": gettext_lazy("Examples of projects"),
}
_CONDITION_JOINS: Final = {"une de ces conditions": " ou ", "toutes ces conditions": " et "}


def _clean(html: str) -> SafeString:
    for level in range(6, 0, -1):
        shifted = min(level + _HEADING_SHIFT, 6)
        html = html.replace(f"<h{level}>", f"<h{shifted}>").replace(f"</h{level}>", f"</h{shifted}>")
    return mark_safe(
        nh3.clean(
            html,
            tags=ALLOWED_TAGS,
            attributes=ALLOWED_ATTRIBUTES,
            url_schemes={"http", "https", "mailto"},
            link_rel="noopener noreferrer nofollow",
        )
    )


def source_text(text: object, source: str = SchemeSource.MTE) -> SafeString:
    """A text of the source as safe HTML: Markdown rendered (MTE, curated), HTML cleaned (Aides-territoires)."""
    if text is None or text == "":
        return mark_safe("")
    text = str(text).replace("\r\n", "\n").replace("\r", "\n")
    if source == SchemeSource.AIDES_TERRITOIRES:
        return _clean(text)
    return _clean(_MARKDOWN.render(text))


def source_inline(text: object, source: str = SchemeSource.MTE) -> SafeString:
    """The same for a short text (a condition, a step): one paragraph loses its <p>."""
    html = str(source_text(text, source)).strip()
    if html.startswith("<p>") and html.endswith("</p>") and html.count("<p>") == 1:
        html = html[3:-4]
    return mark_safe(html)


def _is_yes(value: object) -> bool:
    return value is True or (isinstance(value, str) and value.strip().lower() in {"oui", "yes", "true"})


def _conditional(items: object, source: str) -> SafeString:
    """MTE's `champs conditionnels`: for each case, its conditions then the values that replace the usual ones."""
    if not isinstance(items, list):
        return source_inline(items, source)
    cases = []
    for item in items:
        if not isinstance(item, Mapping):
            continue
        conditions = ""
        values = []
        for key, value in item.items():
            if key in _CONDITION_JOINS and isinstance(value, list):
                conditions = _CONDITION_JOINS[key].join(str(part) for part in value)
            else:
                shown = "; ".join(str(part) for part in value) if isinstance(value, list) else value
                values.append((str(key).capitalize(), source_inline(shown, source)))
        body = format_html_join("; ", "{} : {}", values)
        cases.append(format_html("<li>{} <em>{}</em> — {}</li>", _("If"), conditions, body))
    return format_html("<ul>{}</ul>", mark_safe("".join(cases)))


def extra_details(extra: Mapping[str, Any], source: str) -> list[tuple[str, SafeString]]:
    """The extra fields worth showing, as (label, safe HTML), in the order of EXTRA_LABELS."""
    details = []
    for key, label in EXTRA_LABELS.items():
        value = extra.get(key)
        if value in (None, "", [], {}):
            continue
        if key in {
            "activable en autonomie",
            "ouvert aux administrations publiques",
            "aide temporairement indisponible",
        }:
            if not _is_yes(value):
                continue
            html = format_html("{}", _("yes"))
        elif key == "champs conditionnels":
            html = _conditional(value, source)
        elif isinstance(value, list):
            html = format_html_join(", ", "{}", ((str(part),) for part in value))
        elif isinstance(value, Mapping):
            continue  # no wording known for a structure: kept in the database, not printed raw
        else:
            html = (
                source_text(value, source)
                if key in {"contact", "project_examples"}
                else format_html("{}", value)
            )
        details.append((str(label), html))
    return details
