"""Evaluate one rule of a rule set for many companies, sharing what companies have in common.

A company's situation is built once (`CompanySituation`) and serves every programme. Each programme
evaluates it through a `ProjectedEvaluator`, memoised on the projection of the situation onto the
names the evaluation actually reads. An evaluation is a deterministic function of the situation
values it looks up, and which name it looks up next depends only on the values read before; so the
memo is a decision tree: each branch holds the name read next, each of its children a value of that
name, each leaf a result. A company that agrees with an earlier one on the names read along the way
(whatever it says about the others) follows the same path to the same result, without evaluating.
The names read statically (`situation_reads`: whatever the target reaches through values,
references and parent rules) bound the projection; the tree is usually far smaller, because
`toutes ces conditions` stops at its first `non`.

A number that the rules only ever compare with constants (the workforce against 10, 50, 250...) is
read as its place among those constants: 12 and 40 are one value for `effectif <= 49`.

What the tree cannot see is checked for every company before it is consulted, in the order the plain
path (`build_situation` then `evaluate`) checks it, so that errors stay identical: the programme's
validity dates, a situation name the rules refuse, a value naming a rule that does not exist.
"""

from __future__ import annotations

import bisect
import collections
import datetime
import functools
import math
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Final

from sobrindustrie.engines.publicodes.errors import PublicodesError
from sobrindustrie.engines.publicodes.evaluator import (
    SharedValues,
    evaluate_over,
    is_situation_leaf,
    situation_default,
)
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
)
from sobrindustrie.engines.publicodes.parser import (
    SEPARATOR,
    SITUATION_SUFFIX,
    ParsedRules,
    constant_situation_rule,
    named_situation_rules,
)
from sobrindustrie.engines.publicodes.situation import Company, company_entries, validity_entries
from sobrindustrie.engines.publicodes.values import Value

_SLOT_SUFFIX: Final = f"{SEPARATOR}{SITUATION_SUFFIX}"
# Results remembered per programme; past it the memo starts again (a long-running process).
MEMO_SIZE: Final = 65536


class _Missing:
    """The value of a name the situation does not set, in a projection."""

    def __repr__(self) -> str:
        return "<not set>"


MISSING: Final = _Missing()


@dataclass(frozen=True)
class CompanySituation:
    """A company's situation on a day, parsed once for every programme.

    `entries` are in the order `build_situation` sets them; `overlay` holds the parsed situation
    rules of those that name no rule (the same for any rule set); `named` are the others (`région`),
    parsed against each programme's rules; `names` is the set of names set (its hash is cached) and
    `vocabulary` every name a company may set with the same interface; `known` the values of the
    rules that read nothing but the situation, kept across programmes (`SharedValues`).
    """

    entries: Mapping[str, str | int]
    overlay: Mapping[str, Rule]
    named: tuple[tuple[str, str | int], ...]
    names: frozenset[str]
    vocabulary: frozenset[str]
    # Values of the interface's leaves (`entreprise . effectif`...), kept across programmes.
    known: dict[Rule, Value] = field(default_factory=dict, compare=False, repr=False)

    @classmethod
    def of(cls, company: Company, today: datetime.date, *, objectives: Sequence[str]) -> CompanySituation:
        """Build it once per company and day; CompanyError if the company cannot become a situation."""
        entries = company_entries(company, today, objectives=objectives)
        overlay: dict[str, Rule] = {}
        named: list[tuple[str, str | int]] = []
        for name, value in entries.items():
            rule = constant_situation_rule(name, value)
            if rule is None:
                named.append((name, value))
            else:
                overlay[rule.dotted_name] = rule
        return cls(entries, overlay, tuple(named), frozenset(entries), vocabulary(tuple(objectives)))


@functools.lru_cache(maxsize=16)
def vocabulary(objectives: tuple[str, ...]) -> frozenset[str]:
    """Every name `company_entries` may set, given the interface's objectives."""
    everything = Company("région", 1, True, "01", objectives)
    return frozenset(company_entries(everything, datetime.date(2000, 1, 1), objectives=objectives))


@dataclass(frozen=True)
class _Outcome:
    """A memoised result: a value, or the error it raised (raised anew each time)."""

    value: Value
    error: PublicodesError | None = None

    def get(self) -> Value:
        if self.error is not None:
            raise _copy(self.error)
        return self.value


def _copy(error: PublicodesError) -> PublicodesError:
    # A fresh exception each time: raising one instance again would pile up its tracebacks.
    return PublicodesError(error.reason, rule=error.rule, source=error.source)


def situation_reads(rules: Mapping[str, Rule], start: Iterable[Node]) -> set[str]:
    """The names whose situation value evaluating `start` may read (a superset of what it reads).

    Follows every edge the evaluator may take: a rule's value and its parents (which may disable
    it), a reference's rule, every operand and branch.
    """
    return reach(rules, start)[0]


def reach(rules: Mapping[str, Rule], start: Iterable[Node]) -> tuple[set[str], list[Rule]]:
    """`situation_reads`, and the rules evaluating `start` may meet (it meets no other)."""
    reads: set[str] = set()
    reached: list[Rule] = []
    seen: set[int] = set()
    stack = list(start)
    while stack:
        node = stack.pop()
        if id(node) in seen:
            continue
        seen.add(id(node))
        match node:
            case Reference():
                if node.dotted_name.endswith(_SLOT_SUFFIX):
                    reads.add(node.dotted_name.removesuffix(_SLOT_SUFFIX))
                target = rules.get(node.dotted_name)
                if target is not None:
                    stack.append(target)
            case Rule():
                reached.append(node)
                stack.append(node.value)
                stack.extend(node.parents)
            case Operation():
                stack += (node.left, node.right)
            case AllOf() | AnyOf():
                stack.extend(node.conditions)
            case Condition():
                stack += (node.test, node.then, node.otherwise)
            case IsUndefined() | IsNotApplicable() | MissingVariable():
                stack.append(node.operand)
            case Constant():
                pass
    return reads, reached


@dataclass(slots=True)
class _Branch:
    """A node of the memo: the name read next, what follows for each of its values, and, if the rules
    only compare that name with constants, what stands for a value among them (`_Grouping`)."""

    name: str
    group: Callable[[object], object] | None
    children: dict[object, _Branch | _Outcome] = field(default_factory=dict)


_COMPARISONS: Final = frozenset({"<", "<=", ">", ">=", "=", "!="})
_EQUALITIES: Final = frozenset({"=", "!="})


def compared_numbers(rules: Mapping[str, Rule]) -> dict[str, tuple[float, ...]]:
    """Rules whose value only ever meets numeric constants in comparisons, with those constants.

    For such a rule, two numbers on the same side of every constant (or equal to the same one) give
    the same result wherever the rule is used. A rule used any other way (in arithmetic, as a parent
    that may disable its children, compared with another rule...) is left out.
    """
    return compared_values(rules)[0]


def compared_values(
    rules: Mapping[str, Rule], within: Iterable[Rule] | None = None
) -> tuple[dict[str, tuple[float, ...]], dict[str, frozenset[str]]]:
    """`compared_numbers`, and the rules only ever tested for (in)equality with rules that are constant
    strings (`région = Bretagne`), with those strings: for them, every other string is one value.

    `within` restricts the uses looked at to those in these rules (the rules an evaluation may meet:
    a use elsewhere cannot change its result); by default, every rule."""
    numbers: dict[str, set[float]] = collections.defaultdict(set)
    strings: dict[str, set[str]] = collections.defaultdict(set)
    unsafe: set[str] = set()
    for rule in rules.values() if within is None else within:
        if not rule.dotted_name.endswith(_SLOT_SUFFIX):  # a situation slot never looks at its parents
            unsafe.update(parent.dotted_name for parent in rule.parents)
        for node in _nodes(rule.value):
            if isinstance(node, Reference):
                unsafe.add(node.dotted_name)
            elif isinstance(node, Operation) and node.operator in _COMPARISONS:
                for this, other in ((node.left, node.right), (node.right, node.left)):
                    if not isinstance(this, Reference):
                        continue
                    text = _constant_string(rules, other) if node.operator in _EQUALITIES else None
                    if isinstance(other, Constant) and _is_number(other.value):
                        numbers[this.dotted_name].add(float(other.value))  # type: ignore[arg-type]
                    elif text is not None:
                        strings[this.dotted_name].add(text)
                    else:
                        unsafe.add(this.dotted_name)
    unsafe.update(set(numbers) & set(strings))
    return (
        {name: tuple(sorted(values)) for name, values in numbers.items() if name not in unsafe},
        {name: frozenset(values) for name, values in strings.items() if name not in unsafe},
    )


def _constant_string(rules: Mapping[str, Rule], node: Node) -> str | None:
    """The string a reference is worth whatever the situation, if it names such a rule (`Bretagne`).

    Such a rule's situation value is never set (`_Grouping` checks that its name is not one a company
    sets), so it is its constant.
    """
    if not isinstance(node, Reference):
        return None
    rule = rules.get(node.dotted_name)
    default = situation_default(rule) if rule is not None else None
    return default.value if default is not None and isinstance(default.value, str) else None


def _is_number(value: object) -> bool:
    return isinstance(value, float) and math.isfinite(value)


def _nodes(root: Node) -> Iterable[Node]:
    """Every node under `root`, without entering rules (each rule is walked on its own) and without
    the references compared in a comparison (the caller sees those through their comparison)."""
    stack = [root]
    while stack:
        node = stack.pop()
        yield node
        match node:
            case Operation():
                compared = node.operator in _COMPARISONS
                stack += [
                    part for part in (node.left, node.right) if not (compared and isinstance(part, Reference))
                ]
            case AllOf() | AnyOf():
                stack.extend(node.conditions)
            case Condition():
                stack += (node.test, node.then, node.otherwise)
            case IsUndefined() | IsNotApplicable() | MissingVariable():
                stack.append(node.operand)
            case Constant() | Reference() | Rule():
                pass


def _number_class(thresholds: tuple[float, ...], value: object) -> object:
    """`value`'s place among `thresholds` (position, equal to it?), or the value itself if no number."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return value
    number = float(value)
    if not _is_number(number):
        return value
    position = bisect.bisect_left(thresholds, number)
    return (position, position < len(thresholds) and thresholds[position] == number)


_OTHER_STRING: Final = ("other string",)


@dataclass
class _StringGroup:
    """What stands for a situation value of `name`, which the rules only test for equality with
    `strings`: the string the value is worth if it is one of them, one class for every other string,
    the value itself when its string cannot be told without evaluating (then nothing is grouped).

    The value is worth a string either written as one (`"Bretagne"`), or by naming a rule that is
    nothing but a constant string (`Bretagne`) and whose own situation value no company sets
    (`vocabulary`); what it names is resolved against the programme's own rules.
    """

    rules: ParsedRules
    name: str
    strings: frozenset[str]
    vocabulary: frozenset[str]
    _classes: dict[object, object] = field(default_factory=dict)

    def __call__(self, value: object) -> object:
        try:
            return self._classes[value]
        except KeyError:
            pass
        except TypeError:
            return value
        text = self._string(value)
        found = value if text is None else ("is", text) if text in self.strings else _OTHER_STRING
        self._classes[value] = found
        return found

    def _string(self, value: object) -> str | None:
        if not isinstance(value, str | int):
            return None
        constant = constant_situation_rule(self.name, value)
        if constant is not None:
            node = constant.value
            return node.value if isinstance(node, Constant) and isinstance(node.value, str) else None
        try:
            parsed = named_situation_rules(self.rules, {self.name: value})
        except PublicodesError:
            return None
        slot = parsed.get(f"{self.name}{_SLOT_SUFFIX}")
        target = slot.value if slot is not None else None
        if not isinstance(target, Reference) or target.dotted_name in self.vocabulary:
            return None
        return _constant_string(self.rules.rules, target)


@dataclass
class ProjectedEvaluator:
    """`target` of `rules` for companies, with the programme's validity dates, memoised on what it reads.

    `programme` is the programme file's content (for `début de validité` / `fin de validité`).
    """

    rules: ParsedRules
    target: str
    programme: Mapping[str, object] | None = None
    reads: frozenset[str] = field(init=False)  # what the target may read (statically)
    size: int = field(init=False, default=0)  # leaves of the memo: evaluations done
    _numbers: dict[str, tuple[float, ...]] = field(init=False)
    _strings: dict[str, frozenset[str]] = field(init=False)
    _groups: dict[frozenset[str], dict[str, Callable[[object], object]]] = field(
        init=False, default_factory=dict
    )
    _validity: dict[str, str] = field(init=False, default_factory=dict)
    _validity_overlay: dict[str, Rule] = field(init=False, default_factory=dict)
    _validity_named: tuple[tuple[str, str | int], ...] = field(init=False, default=())
    _validity_error: PublicodesError | None = field(init=False, default=None)
    _refusals: dict[frozenset[str], str | None] = field(init=False, default_factory=dict)
    # The company's values naming rules (`CompanySituation.named`) → those the rules read, parsed.
    _named_of: dict[tuple[tuple[str, str | int], ...], tuple[tuple[str, str | int], ...]] = field(
        init=False, default_factory=dict
    )
    _parsed_named: dict[tuple[tuple[str, str | int], ...], Mapping[str, Rule]] = field(
        init=False, default_factory=dict
    )
    # The leaves whose value a company keeps across programmes, by the company's values naming rules.
    _leaves: dict[tuple[str, ...], frozenset[Rule]] = field(init=False, default_factory=dict)
    # One memo per vocabulary: names outside it are never set, so the memo does not branch on them.
    _memos: dict[frozenset[str], _Branch | _Outcome] = field(init=False, default_factory=dict)
    _reached: tuple[Rule, ...] = field(init=False, default=())  # the rules the target may meet

    def __post_init__(self) -> None:
        rule = self.rules.rules.get(self.target)
        reads, reached = reach(self.rules.rules, [rule] if rule is not None else [])
        self.reads = frozenset(reads)
        numbers, strings = compared_values(self.rules.rules, reached)
        self._reached = tuple(reached)
        self._numbers = {name: values for name, values in numbers.items() if name in self.reads}
        self._strings = {name: values for name, values in strings.items() if name in self.reads}
        try:
            entries = validity_entries(self.programme)
        except PublicodesError as error:
            self._validity_error = error
            return
        self._validity = {name: value for name, value in entries.items() if name in self.rules}
        for name, value in self._validity.items():
            constant = constant_situation_rule(name, value)
            if constant is None:
                self._validity_named += ((name, value),)
            else:
                self._validity_overlay[constant.dotted_name] = constant

    def evaluate(self, company: CompanySituation) -> Value:
        """The target's value for `company`, exactly as `evaluate(rules, target, build_situation(...))`.

        Raises PublicodesError as that would.
        """
        if self._validity_error is not None:
            raise _copy(self._validity_error)
        refusal = self._refusals.get(company.names, MISSING)
        if refusal is MISSING:
            refusal = self._refusal(company)
        if refusal is not None:
            raise PublicodesError(str(refusal), source=self.rules.source)
        named = self._named_of.get(company.named)
        if named is None:
            named = self._named_of[company.named] = self._named(company)
        if len(named) > 1:
            # Values naming rules are parsed together: one may change what another designates.
            return self._evaluate(company, None)
        entries = company.entries
        node = self._memos.get(company.vocabulary)
        parent: _Branch | None = None
        value: object = None
        while type(node) is _Branch:
            value = entries.get(node.name, MISSING)
            if node.group is not None:
                value = node.group(value)
            parent, node = node, node.children.get(value)
        if node is None:
            node = self._learn(company, parent, value)
        assert isinstance(node, _Outcome)
        if node.error is not None:
            raise _copy(node.error)
        return node.value

    def _named(self, company: CompanySituation) -> tuple[tuple[str, str | int], ...]:
        """The company's and the programme's values naming rules; parses them (raising as the plain path
        would), once per values."""
        rules = self.rules.rules
        named = tuple(item for item in company.named if item[0] in rules) + self._validity_named
        if named and named not in self._parsed_named:
            self._parsed_named[named] = named_situation_rules(self.rules, dict(named))
        return named

    def _learn(self, company: CompanySituation, parent: _Branch | None, value: object) -> _Outcome:
        """Evaluate `company` and graft the path of what it read below `parent` (at `value`)."""
        reads: dict[str, None] = {}
        try:
            outcome = _Outcome(self._evaluate(company, reads))
        except PublicodesError as error:
            outcome = _Outcome(None, error)
        if self.size >= MEMO_SIZE:
            self._memos.clear()
            parent, self.size = None, 0
        path = [name for name in reads if name in company.vocabulary]
        if parent is not None:
            # The reads up to `parent` are those of the path that led there (same values, same reads).
            path = path[path.index(parent.name) + 1 :]
        leaf: _Branch | _Outcome = outcome
        for name in reversed(path):
            branch = _Branch(name, self._group(name, company.vocabulary))
            name_value: object = company.entries.get(name, MISSING)
            if branch.group is not None:
                name_value = branch.group(name_value)
            branch.children[name_value] = leaf
            leaf = branch
        if parent is None:
            self._memos[company.vocabulary] = leaf
        else:
            parent.children[value] = leaf
        self.size += 1
        return outcome

    def _group(self, name: str, vocabulary: frozenset[str]) -> Callable[[object], object] | None:
        """What stands for a value of `name` in the memo (None: the value itself)."""
        groups = self._groups.get(vocabulary)
        if groups is None:
            groups = self._groups[vocabulary] = {
                **{name: functools.partial(_number_class, values) for name, values in self._numbers.items()},
                **{
                    name: _StringGroup(self.rules, name, values, vocabulary)
                    for name, values in self._strings.items()
                },
            }
        return groups.get(name)

    def _evaluate(self, company: CompanySituation, reads: dict[str, None] | None) -> Value:
        overlay = {**company.overlay, **self._validity_overlay}
        named = self._named(company)
        if named:
            overlay.update(self._parsed_named[named])
        shared = SharedValues(self._shared_leaves(named), company.known)
        return evaluate_over(self.rules, self.target, overlay, reads=reads, shared=shared)

    def _shared_leaves(self, named: tuple[tuple[str, str | int], ...]) -> frozenset[Rule]:
        """The leaves whose situation value is the company's alone: not one this programme sets (its
        validity dates), nor one parsed against its rules (a value naming a rule, `région`)."""
        names = tuple(name for name, _ in named)
        try:
            return self._leaves[names]
        except KeyError:
            pass
        if () not in self._leaves:
            # Among the rules the target may meet: the others are never evaluated.
            self._leaves[()] = frozenset(
                rule
                for rule in self._reached
                if rule.dotted_name not in self._validity and is_situation_leaf(rule)
            )
        leaves = frozenset(rule for rule in self._leaves[()] if rule.dotted_name not in names)
        self._leaves[names] = leaves
        return leaves

    def _refusal(self, company: CompanySituation) -> str | None:
        """Why the rules refuse this situation (the first refused name, in situation order), if they do."""
        try:
            return self._refusals[company.names]
        except KeyError:
            pass
        names = [name for name in company.entries if name in self.rules]
        names += list(self._validity)
        refusal = next(
            (reason for name in names if (reason := self.rules.situation_refusal(name)) is not None),
            None,
        )
        self._refusals[company.names] = refusal
        return refusal
