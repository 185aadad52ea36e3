"""Conditions written back as short readable text, for the method's page (what ADEME validates)."""

from __future__ import annotations

import json
from typing import Any

from sobrindustrie.diagnostics.methods.conditions import (
    AllOf,
    AnswerTest,
    AnyOf,
    Condition,
    FlagTest,
    InventoryTest,
    MeansTest,
    Not,
)


def _value(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False)


def describe(condition: Condition | None) -> str:
    if condition is None:
        return ""
    if isinstance(condition, AllOf | AnyOf):
        word = "ALL" if isinstance(condition, AllOf) else "ANY"
        return f"{word}(" + "; ".join(describe(item) for item in condition.items) + ")"
    if isinstance(condition, Not):
        return f"NOT({describe(condition.item)})"
    if isinstance(condition, FlagTest):
        return f"flag {condition.flag}"
    if isinstance(condition, InventoryTest):
        return f"inventory.{condition.metric} {condition.op} {_value(condition.value)}"
    if isinstance(condition, MeansTest):
        return f"means.{condition.field} {condition.op} {_value(condition.value)}"
    assert isinstance(condition, AnswerTest)
    scope = f" ({condition.quantifier} means)" if condition.quantifier else ""
    tail = "" if condition.op in ("answered", "not_answered") else f" {_value(condition.value)}"
    return f"{condition.question}{scope} {condition.op}{tail}"
