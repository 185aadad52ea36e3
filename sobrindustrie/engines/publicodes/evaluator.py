"""Evaluate parsed Publicodes rules in a situation, with the reference engine's three-valued logic.

A rule is worth `UNDEFINED` when something it needs is missing from the situation, `None` when it is
non applicable (its `applicable si` is false, or a parent disables it), otherwise its value. How those
propagate is the reference engine's (publicodes 1.10.1), reproduced step for step because its answers
depend on the order of evaluation:

- `toutes ces conditions` is false as soon as one condition is `non` *or non applicable*, otherwise
  undefined if one is undefined, otherwise true; `une de ces conditions` is true as soon as one is
  `oui`, otherwise undefined if one is undefined, otherwise false;
- a comparison (`<`, `>=`...) with a non applicable side is non applicable, with an undefined side
  undefined; `=` and `!=` treat non applicable as `non`;
- a rule whose nearest parent that can be non applicable (or is a boolean) is non applicable or `non`
  is itself non applicable.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, Final

from sobrindustrie.engines.publicodes.errors import PublicodesError
from sobrindustrie.engines.publicodes.nodes import (
    AllOf,
    AnyOf,
    Condition,
    Constant,
    IsNotApplicable,
    IsUndefined,
    MissingVariable,
    Node,
    Operation,
    Reference,
    Rule,
    false_constant,
)
from sobrindustrie.engines.publicodes.parser import (
    SEPARATOR,
    SITUATION_SUFFIX,
    ParsedRules,
    parse_situation,
    resolve_reference,
)
from sobrindustrie.engines.publicodes.values import (
    UNDEFINED,
    Value,
    compare,
    date_timestamp,
    describe,
    is_date_string,
    js_and,
    js_or,
    strict_equals,
    to_number,
    to_string,
)

# Operators that give up (and return the operand) when their left / right operand is non applicable.
_NULL_LEFT = frozenset({"<", ">", "<=", ">=", "/", "*", "//", "-", "et"})
_NULL_RIGHT = frozenset({"<", ">", "<=", ">=", "/", "*", "//", "et"})
_ARITHMETIC_WITH_UNIT = frozenset({"+", "-", "*", "/", "//"})
_ORDERINGS = frozenset({"<", "<=", ">", ">="})
# Where the evaluator reads a rule's situation value: its private child `… . $SITUATION`.
_SLOT_SUFFIX = f"{SEPARATOR}{SITUATION_SUFFIX}"


def evaluate(
    parsed: ParsedRules,
    target: str,
    situation: Mapping[str, object] | None = None,
    *,
    reads: dict[str, None] | None = None,
) -> Value:
    """The value of rule `target` in `situation` (rule name → Publicodes expression or number).

    If `reads` is given, the names whose situation value the evaluation looked up (set or not) are
    added to it in the order of their first look-up: the evaluation depends on the situation through
    them alone. Raises PublicodesError if the target does not exist, the situation is refused, or the
    evaluation meets a cycle, a division by zero, an invalid date or a non-boolean condition.
    """
    overlay = parse_situation(parsed, situation) if situation else {}
    return evaluate_over(parsed, target, overlay, reads=reads)


def evaluate_over(
    parsed: ParsedRules,
    target: str,
    overlay: Mapping[str, Rule],
    *,
    reads: dict[str, None] | None = None,
    shared: SharedValues | None = None,
) -> Value:
    """`evaluate` with the situation already parsed (`parse_situation`: `… . $SITUATION` rules).

    The overlay may hold rules of names `parsed` does not define: nothing reads them. `shared` keeps
    the values of situation leaves across evaluations of the same company (see `SharedValues`).
    """
    if target not in parsed.rules:
        raise PublicodesError(f"the rule to evaluate, {target!r}, does not exist", source=parsed.source)
    try:
        # Resolved as the reference engine resolves what it is asked to evaluate: a private rule is refused.
        name = resolve_reference(parsed.rules, "$EVALUATION", target)
        return _Evaluation(parsed.rules, overlay, shared, reads).evaluate(parsed.rules[name])
    except PublicodesError as error:
        raise (error.located(parsed.source) if parsed.source else error) from None


def _is_zero(value: Value) -> bool:
    return isinstance(value, float) and value == 0


@dataclass(frozen=True)
class SharedValues:
    """Values of situation leaves kept across the evaluations of one company's situation.

    A leaf is a public rule with no value of its own (`entreprise . effectif:`), whose parents cannot
    disable it: its value is its situation value, or undefined, whichever rule set holds it, in
    whatever context it is met, and evaluating it leaves no trace that another rule could observe.
    `rules` are the leaves whose situation value is the same in every evaluation that shares `values`
    (the caller leaves out those set per rule set); `values` is filled as they are met.
    """

    rules: frozenset[Rule]
    values: dict[Rule, Value]


def situation_default(rule: Rule) -> Constant | None:
    """The constant a public rule is worth when the situation does not set it, if it is nothing but
    that (`Bretagne: '"Bretagne"'`, or undefined for an empty rule) and no parent may disable it."""
    value = rule.value
    slot = f"{rule.dotted_name}{_SLOT_SUFFIX}"
    if (
        not rule.private
        and isinstance(value, Condition)
        and isinstance(value.test, IsUndefined)
        and isinstance(value.test.operand, Reference)
        and value.test.operand.dotted_name == slot
        and isinstance(value.then, Constant)
        and isinstance(value.otherwise, Reference)
        and value.otherwise.dotted_name == slot
        and not any(_can_disable(parent) for parent in rule.parents)
    ):
        return value.then
    return None


def is_situation_leaf(rule: Rule) -> bool:
    """True for a public rule with no value of its own (only its situation's) and no parent that may
    disable it."""
    default = situation_default(rule)
    return default is not None and default.value is UNDEFINED


_ABSENT: Final[Any] = object()  # not in an evaluation's cache (a cached value may be None or UNDEFINED)


class _Evaluation:
    """One evaluation: the situation's rules over the base rules, and a cache of every node's value.

    Each node kind has its handler, found by the node's exact type (`_HANDLERS`): one dictionary
    look-up per node rather than a chain of isinstance tests.
    """

    def __init__(
        self,
        rules: Mapping[str, Rule],
        situation: Mapping[str, Rule],
        shared: SharedValues | None = None,
        reads: dict[str, None] | None = None,
    ) -> None:
        self.rules = rules
        self.situation = situation
        self.shared = shared
        # If given, the names whose situation value is looked up, in order (see `evaluate`).
        self.reads = reads
        self.cache: dict[Node, Value] = {}
        # The reference engine's two stacks: rules being evaluated, and rules whose parent is checked.
        self.rule_stack: list[str] = []
        self.parent_stack: list[str] = []
        # Nodes whose result the reference engine marks as a number (it gives them a unit, even an
        # empty one): arithmetic that went to its end, and what passes such a result on. A condition
        # on one is an error there, whatever its value, even undefined.
        self.numeric: set[Node] = set()

    def rule(self, name: str) -> Rule:
        if self.reads is not None and name.endswith(_SLOT_SUFFIX):
            self.reads.setdefault(name[: -len(_SLOT_SUFFIX)])
        found = self.situation.get(name) or self.rules.get(name)
        assert found is not None, name  # references are resolved against these very rules
        return found

    def evaluate(self, node: Node) -> Value:
        cache = self.cache
        value: Value = cache.get(node, _ABSENT)
        if value is _ABSENT:
            value = cache[node] = _HANDLERS[type(node)](self, node)
        return value

    def compute(self, node: Node) -> Value:
        return _HANDLERS[type(node)](self, node)

    def constant(self, node: Constant) -> Value:
        return node.value

    # The handlers below look their operands up in the cache themselves (what `evaluate` does):
    # a call less per node, on the path every evaluation takes.
    def reference(self, node: Reference) -> Value:
        # `rule`, then `evaluate` of the rule and `evaluate_rule`, unrolled.
        name = node.dotted_name
        reads = self.reads
        if reads is not None and name.endswith(_SLOT_SUFFIX):
            reads.setdefault(name[: -len(_SLOT_SUFFIX)])
        rule = self.situation.get(name) or self.rules[name]
        cache = self.cache
        value: Value = cache.get(rule, _ABSENT)
        if value is _ABSENT:
            shared = self.shared
            if shared is not None and rule in shared.rules:
                values = shared.values
                value = values.get(rule, _ABSENT)
                if value is _ABSENT:
                    value = values[rule] = self.compute_rule(rule)
                elif reads is not None:
                    reads.setdefault(rule.dotted_name)
            else:
                value = self.compute_rule(rule)
            cache[rule] = value
        if self.numeric and rule in self.numeric:
            self.numeric.add(node)
        return value

    def is_undefined(self, node: IsUndefined) -> Value:
        operand = node.operand
        cache = self.cache
        value: Value = cache.get(operand, _ABSENT)
        if value is _ABSENT:
            value = cache[operand] = _HANDLERS[type(operand)](self, operand)
        return value is UNDEFINED

    def missing_variable(self, node: MissingVariable) -> Value:
        self.numeric.add(node)
        return self.evaluate(node.operand)

    def current_rule(self) -> str | None:
        return self.rule_stack[0] if self.rule_stack else None

    def evaluate_rule(self, rule: Rule) -> Value:
        shared = self.shared
        if shared is not None and rule in shared.rules:
            values = shared.values
            value: Value = values.get(rule, _ABSENT)
            if value is _ABSENT:
                value = values[rule] = self.compute_rule(rule)
            else:
                self.note_read(rule.dotted_name)
            return value
        return self.compute_rule(rule)

    def note_read(self, name: str) -> None:
        """A situation value is read without looking it up (a shared leaf's)."""
        if self.reads is not None:
            self.reads.setdefault(name)

    def compute_rule(self, rule: Rule) -> Value:
        if rule.disabler is not None and self.disabled_by_parent(rule):
            return None
        name = rule.dotted_name
        stack = self.rule_stack
        if name in stack and stack.count(name) > 1:
            # The reference engine warns only outside the checks of a rule's own parents.
            if not self.parent_stack or any(not entry.startswith(name) for entry in self.parent_stack):
                chain = [*reversed(stack[: stack.index(name) + 1]), name]
                raise PublicodesError(f"the rule depends on itself: {' → '.join(chain)}", rule=name)
            return UNDEFINED
        stack.insert(0, name)
        inner = rule.value
        cache = self.cache
        value: Value = cache.get(inner, _ABSENT)
        if value is _ABSENT:
            value = cache[inner] = _HANDLERS[type(inner)](self, inner)
        del stack[0]
        numeric = self.numeric
        if numeric and rule.value in numeric:
            numeric.add(rule)
        return value

    def disabled_by_parent(self, rule: Rule) -> bool:
        """True if the nearest parent that can disable `rule` is non applicable or `non`."""
        parent = rule.disabler
        if parent is False:
            parent = rule.disabler = _disabler(rule)
        if parent is None:
            return False
        assert isinstance(parent, Reference)
        info = parent.type_info
        assert info is not None
        if rule.dotted_name not in self.parent_stack:
            self.parent_stack.insert(0, rule.dotted_name)
            not_applicable: Value = False
            if info.nullable:
                not_applicable = self.evaluate(IsNotApplicable(parent))
            if not_applicable is not True and info.kind == "boolean":
                not_applicable = self.evaluate(Operation("=", parent, false_constant()))
            self.parent_stack.pop(0)
            if not_applicable is True:
                return True
        return info.kind == "boolean" and self.evaluate(parent) is False

    def operation(self, node: Operation) -> Value:
        operator = node.operator
        left = self.evaluate(node.left)
        if left is None:
            if operator in _NULL_LEFT:
                return False if operator == "et" else left
        elif left is False:
            if operator == "et":
                return False
        elif left is True:
            if operator == "ou":
                return left
        elif type(left) is float and left == 0 and (operator == "/" or operator == "*"):
            return left
        right = self.evaluate(node.right)
        if right is None:
            if operator in _NULL_RIGHT:
                return False if operator == "et" else right
        elif right is False:
            if operator == "et":
                return False
        elif right is True:
            if operator == "ou":
                return right
        elif type(right) is float and right == 0:
            if operator == "/":
                raise PublicodesError("division by zero", rule=self.current_rule())
            if operator == "*":
                return right
        if operator in _ARITHMETIC_WITH_UNIT:
            self.numeric.add(node)
        return self.apply(operator, left, right)

    def apply(self, operator: str, left: Value, right: Value) -> Value:
        """`left operator right` once neither side has settled the result alone."""
        if left is UNDEFINED or right is UNDEFINED:
            return UNDEFINED
        if type(left) is str and type(right) is str and is_date_string(left) and is_date_string(right):
            # Two dates are compared (or combined, even by `et` / `ou`) as timestamps.
            rule = self.current_rule()
            left, right = date_timestamp(left, rule), date_timestamp(right, rule)
        if operator == "=":
            return strict_equals(left, right)
        if operator == "!=":
            return not strict_equals(left, right)
        if operator == "et":
            return js_and(left, right)
        if operator == "ou":
            return js_or(left, right)
        if operator in _ORDERINGS:
            return compare(operator, left, right)
        if operator == "+" and (isinstance(left, str) or isinstance(right, str)):
            return to_string(left) + to_string(right)  # JavaScript concatenates
        return _arithmetic(operator, to_number(left), to_number(right))

    def all_of(self, node: AllOf) -> Value:
        # The reference engine's `oui et c1 et c2 ...`, nested to the left, unrolled.
        accumulated: Value = True
        cache = self.cache
        for condition in node.conditions:
            value: Value = cache.get(condition, _ABSENT)
            if value is _ABSENT:
                value = cache[condition] = _HANDLERS[type(condition)](self, condition)
            if value is None or value is False:
                return False
            if value is True and accumulated is True:
                continue  # `oui et oui`
            accumulated = self.apply("et", accumulated, value)
        return accumulated

    def any_of(self, node: AnyOf) -> Value:
        # The reference engine's `non ou c1 ou c2 ...`, nested to the left, unrolled.
        accumulated: Value = False
        cache = self.cache
        for condition in node.conditions:
            value: Value = cache.get(condition, _ABSENT)
            if value is _ABSENT:
                value = cache[condition] = _HANDLERS[type(condition)](self, condition)
            if value is True:
                return True
            if value is False and accumulated is False:
                continue  # `non ou non`
            accumulated = self.apply("ou", accumulated, value)
            if accumulated is True:
                return True
        return accumulated

    def condition(self, node: Condition) -> Value:
        cache = self.cache
        slot = node.situation
        if slot is not None and slot not in cache:
            # A rule's `dans la situation` (`slot est non défini` then the rule's value, else `slot`):
            # when the slot's rule is nothing but a constant, its value is that constant, and the
            # nodes on the way are worth it too (cached as the general path caches them).
            test_node = node.test
            rule = self.rule(slot.dotted_name)
            constant = rule.value
            if type(constant) is Constant and test_node not in cache and rule not in cache:
                value: Value = constant.value
                cache[constant] = cache[rule] = cache[slot] = value
                if value is not UNDEFINED:
                    cache[test_node] = False
                    return value
                cache[test_node] = True
                part = node.then
                value = cache.get(part, _ABSENT)
                if value is _ABSENT:
                    value = cache[part] = _HANDLERS[type(part)](self, part)
                return value
        part = node.test
        test: Value = cache.get(part, _ABSENT)
        if test is _ABSENT:
            test = cache[part] = _HANDLERS[type(part)](self, part)
        if self.numeric and part in self.numeric:
            raise PublicodesError("a condition must be oui or non, not a number", rule=self.current_rule())
        branch: Node | None = node.then if test is True else node.otherwise if test is False else None
        if branch is not None:
            value = cache.get(branch, _ABSENT)
            if value is _ABSENT:
                value = cache[branch] = _HANDLERS[type(branch)](self, branch)
            return value
        if test is None:
            return None
        if test is UNDEFINED:
            # Both branches are evaluated, as by the reference engine (it collects missing variables).
            self.evaluate(node.otherwise)
            self.evaluate(node.then)
            return UNDEFINED
        raise PublicodesError(
            f"a condition must be oui or non, not {describe(test)}", rule=self.current_rule()
        )

    def is_not_applicable(self, node: IsNotApplicable) -> Value:
        operand = node.operand
        info = operand.type_info
        if info is not None and info.nullable is False and not isinstance(operand, Rule | Reference):
            return False
        cached = self.cache.get(operand, _ABSENT)
        if cached is not _ABSENT:
            return cached is None
        if isinstance(operand, Rule):
            if self.disabled_by_parent(operand):
                return True
            return self.evaluate(IsNotApplicable(operand.value))
        if isinstance(operand, Reference):
            return self.evaluate(IsNotApplicable(self.rule(operand.dotted_name)))
        if isinstance(operand, Condition):
            return self.evaluate(
                Condition(operand.test, IsNotApplicable(operand.then), IsNotApplicable(operand.otherwise))
            )
        value = self.evaluate(operand)
        return UNDEFINED if value is UNDEFINED else value is None


_HANDLERS: Final[dict[type, Callable[[_Evaluation, Any], Value]]] = {
    Constant: _Evaluation.constant,
    Reference: _Evaluation.reference,
    Rule: _Evaluation.evaluate_rule,
    Operation: _Evaluation.operation,
    AllOf: _Evaluation.all_of,
    AnyOf: _Evaluation.any_of,
    Condition: _Evaluation.condition,
    IsUndefined: _Evaluation.is_undefined,
    IsNotApplicable: _Evaluation.is_not_applicable,
    MissingVariable: _Evaluation.missing_variable,
}


def _disabler(rule: Rule) -> Reference | None:
    """The nearest parent of `rule` that can disable it (None for none, or for a situation rule)."""
    if rule.dotted_name.endswith(SITUATION_SUFFIX):
        return None
    return next((ref for ref in rule.parents if _can_disable(ref)), None)


def _can_disable(parent: Reference) -> bool:
    info = parent.type_info
    return info is not None and bool(info.nullable or info.kind == "boolean")


def _arithmetic(operator: str, left: float, right: float) -> float:
    """JavaScript arithmetic on numbers (a division by zero gives an infinity or NaN)."""
    if operator == "+":
        return left + right
    if operator == "-":
        return left - right
    if operator == "*":
        return left * right
    if right == 0 and operator in {"/", "//"}:
        return (
            math.nan if left == 0 or math.isnan(left) or operator == "//" else math.copysign(math.inf, left)
        )
    if operator == "/":
        return left / right
    if operator == "//":
        return (left - math.fmod(left, right)) / right if math.isfinite(left) else math.nan
    try:
        return math.pow(left, right)
    except OverflowError:
        return math.inf
    except ValueError:
        return math.nan
