from __future__ import annotations

from decimal import Decimal

from django import template

from sobrindustrie.diagnostics.methods.conditions import Condition
from sobrindustrie.diagnostics.methods.describe import describe
from sobrindustrie.diagnostics.sheets import days_text

register = template.Library()


@register.filter
def condition_text(condition: Condition | None) -> str:
    return describe(condition)


@register.filter
def days(value: Decimal | None) -> str:
    """Days without useless zeros, the French way: 4,5 rather than 4,50."""
    return days_text(value) if value is not None else "—"
