"""A small declarative condition language, written in YAML and evaluated without `eval`.

    {all: [c, ...]}  {any: [c, ...]}  {not: c}
    {answer: question_id, op: ">=", value: 3}            a question's answer
    {answer: question_id, op: "==", value: true, means: any}   a per-means question, over all means
    {inventory: share_under_utilised, op: ">", value: 0}  a figure of the whole inventory
    {means: utilisation_rate, op: "<", value: 40}        a field of the means (rules run per means)
    {flag: heavy_energy_user}                            a flag set by another rule

Operators: == != > >= < <= in not_in, and answered / not_answered (no value) for answers. A
comparison with a missing figure or an unanswered question is false (so `not` of it is true).
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Union

COMPARISONS = ("==", "!=", ">", ">=", "<", "<=", "in", "not_in")
PRESENCE = ("answered", "not_answered")
ORDERING = (">", ">=", "<", "<=")
QUANTIFIERS = ("any", "all")


@dataclass(frozen=True)
class AllOf:
    items: tuple[Condition, ...]


@dataclass(frozen=True)
class AnyOf:
    items: tuple[Condition, ...]


@dataclass(frozen=True)
class Not:
    item: Condition


@dataclass(frozen=True)
class AnswerTest:
    question: str
    op: str
    value: Any = None
    per_means: bool = False
    # For a per-means question: None reads the means the rule is run for, "any"/"all" every means.
    quantifier: str | None = None


@dataclass(frozen=True)
class InventoryTest:
    metric: str
    op: str
    value: Any


@dataclass(frozen=True)
class MeansTest:
    field: str
    op: str
    value: Any


@dataclass(frozen=True)
class FlagTest:
    flag: str


Condition = Union[AllOf, AnyOf, Not, AnswerTest, InventoryTest, MeansTest, FlagTest]  # noqa: UP007


@dataclass(frozen=True)
class Context:
    """What a condition is evaluated against; `means` is the means a per-means rule looks at."""

    answers: Mapping[str, Any] = field(default_factory=dict)
    means_answers: Mapping[str, Mapping[str, Any]] = field(default_factory=dict)
    inventory: Mapping[str, float | None] = field(default_factory=dict)
    flags: frozenset[str] = frozenset()
    means_ids: Sequence[str] = ()
    means: Mapping[str, Any] | None = None


def compare(actual: Any, op: str, expected: Any) -> bool:
    """Apply one operator; a missing value satisfies only `not_answered`."""
    if op == "answered":
        return actual is not None
    if op == "not_answered":
        return actual is None
    if actual is None:
        return False
    if op == "==":
        return bool(actual == expected)
    if op == "!=":
        return bool(actual != expected)
    if op == "in":
        return actual in expected
    if op == "not_in":
        return actual not in expected
    if isinstance(actual, bool) or not isinstance(actual, int | float) or math.isnan(actual):
        return False
    if op == ">":
        return bool(actual > expected)
    if op == ">=":
        return bool(actual >= expected)
    if op == "<":
        return bool(actual < expected)
    if op == "<=":
        return bool(actual <= expected)
    raise ValueError(f"unknown operator {op!r}")


def holds(condition: Condition, context: Context) -> bool:
    """Evaluate a parsed condition: a pure function of the condition and the context."""
    if isinstance(condition, AllOf):
        return all(holds(item, context) for item in condition.items)
    if isinstance(condition, AnyOf):
        return any(holds(item, context) for item in condition.items)
    if isinstance(condition, Not):
        return not holds(condition.item, context)
    if isinstance(condition, FlagTest):
        return condition.flag in context.flags
    if isinstance(condition, InventoryTest):
        return compare(context.inventory.get(condition.metric), condition.op, condition.value)
    if isinstance(condition, MeansTest):
        means = context.means or {}
        return compare(means.get(condition.field), condition.op, condition.value)
    return _answer_holds(condition, context)


def _answer_holds(test: AnswerTest, context: Context) -> bool:
    if not test.per_means:
        return compare(context.answers.get(test.question), test.op, test.value)
    by_means = context.means_answers.get(test.question, {})
    if test.quantifier is None:
        means_id = (context.means or {}).get("id")
        return compare(by_means.get(str(means_id)), test.op, test.value)
    results = [compare(by_means.get(means_id), test.op, test.value) for means_id in context.means_ids]
    if test.quantifier == "any":
        return any(results)
    return bool(results) and all(results)


def flags_read(condition: Condition | None) -> set[str]:
    """Every flag a condition reads (to order rules and find cycles)."""
    if condition is None:
        return set()
    if isinstance(condition, FlagTest):
        return {condition.flag}
    if isinstance(condition, AllOf | AnyOf):
        return set().union(*(flags_read(item) for item in condition.items))
    if isinstance(condition, Not):
        return flags_read(condition.item)
    return set()


def questions_read(condition: Condition | None) -> set[str]:
    if condition is None:
        return set()
    if isinstance(condition, AnswerTest):
        return {condition.question}
    if isinstance(condition, AllOf | AnyOf):
        return set().union(*(questions_read(item) for item in condition.items))
    if isinstance(condition, Not):
        return questions_read(condition.item)
    return set()
