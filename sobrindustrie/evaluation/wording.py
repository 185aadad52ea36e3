"""The footprint engine's codes worded in the reader's language: line kinds, effects, warnings and
the input that drives a balance. The engine returns codes and parameters; pages and documents read
them through these functions.
"""

from __future__ import annotations

from typing import Any

from django.utils import formats
from django.utils.dateparse import parse_date
from django.utils.functional import Promise
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _

from sobrindustrie.engines.footprint import Effect, LineKind, load_library

LINE_KIND_LABELS: dict[str, Promise] = {
    LineKind.ENERGY: gettext_lazy("Energy saved or consumed"),
    LineKind.AVOIDED_PURCHASE: gettext_lazy("Purchase avoided"),
    LineKind.LIFE_EXTENSION: gettext_lazy("Longer life of equipment"),
    LineKind.FREIGHT: gettext_lazy("Freight"),
    LineKind.TRAVEL: gettext_lazy("Travel"),
    LineKind.MATERIAL: gettext_lazy("Material saved"),
    LineKind.OTHER: gettext_lazy("Other"),
}
EFFECT_LABELS: dict[str, Promise] = {
    Effect.AVOIDED: gettext_lazy("Avoided (emitted without the project)"),
    Effect.ADDED: gettext_lazy("Added (emitted because of the project)"),
}


def factor_label(factor_id: str) -> str:
    """The library's name of a factor in the interface's language, or its id if the library lost it."""
    try:
        factor = load_library().factor(factor_id)
    except LookupError:
        return factor_id
    return factor.label_en if (get_language() or "fr").startswith("en") else factor.label_fr


def _verify_reason(factor_id: str) -> str:
    """Why the library keeps the factor "to verify", in the interface's language ("" if unknown)."""
    try:
        factor = load_library().factor(factor_id)
    except LookupError:
        return ""
    return factor.verify_reason_en if (get_language() or "fr").startswith("en") else factor.verify_reason_fr


def _date(value: str | None) -> str:
    day = parse_date(value) if value else None
    return formats.date_format(day, "SHORT_DATE_FORMAT") if day else "…"


def describe_warning(warning: dict[str, Any] | str) -> str:
    """A balance warning as stored in a result (`BalanceWarning.to_dict`). Results computed before
    warnings had codes hold an English sentence: it is shown as it is."""
    if isinstance(warning, str):
        return warning
    factor = factor_label(str(warning.get("factor_id", "")))
    if warning.get("code") == "factor_to_verify":
        text = _("The factor “%(factor)s” is marked “to verify” in the library (%(source)s).") % {
            "factor": factor,
            "source": warning.get("source") or "—",
        }
        reason = _verify_reason(str(warning.get("factor_id", "")))
        return f"{text} {reason}" if reason else text
    return _("The factor “%(factor)s” is meant for %(start)s – %(end)s, not for %(on)s.") % {
        "factor": factor,
        "start": _date(warning.get("valid_from")),
        "end": _date(warning.get("valid_until")),
        "on": _date(warning.get("on")),
    }


def dominant_input_label(result: dict[str, Any], fallback: str) -> str:
    """The input driving a stored result most, worded: a factor's name, or a line's quantity."""
    sensitivities = result.get("sensitivities") or []
    if not sensitivities:
        return fallback
    top = sensitivities[0]
    if top.get("kind") == "factor":
        return factor_label(str(top.get("reference", "")))
    return _("quantity of the line “%(line)s”") % {"line": top.get("label", "")}
