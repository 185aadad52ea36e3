"""Parse a set of Publicodes rules (a mapping of dotted names to YAML values) into nodes.

Three passes, as in the reference engine: parse every rule (and the `avec` children it declares), then
resolve every name against the complete set (relative to the rule's namespace, walking up its parents),
then infer each node's type (can it be non applicable? is it a boolean?), which decides whether a
parent rule disables its children. A fourth pass, which the reference engine leaves to evaluation,
refuses rules that depend on themselves.

Supported: `valeur` (or `formule`), `toutes ces conditions`, `une de ces conditions`, `applicable si`,
`non applicable si`, `par défaut`, `avec`, `condition` (si / alors / sinon), `est défini`,
`est non défini`, `est applicable`, `est non applicable`, operations written as mechanisms (`et`,
`ou`, `=`...), and in expressions: comparisons, `+ - * / // **` (with JavaScript's semantics, so `+`
also joins strings), oui / non, numbers without units, quoted strings and dd/mm/yyyy dates. Rule attributes that only document (titre, description,
note...) are ignored, as by the reference engine. Any other mechanism is refused with a PublicodesError,
and so is a rule key that is neither a mechanism nor a documented attribute (the reference engine
ignores it, which turns a misspelt `toutes ces conditions` into an undefined rule).
"""

from __future__ import annotations

import collections
import functools
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Final, cast

from sobrindustrie.engines.publicodes.errors import PublicodesError, UnknownReferenceError
from sobrindustrie.engines.publicodes.expressions import Expression, parse_expression
from sobrindustrie.engines.publicodes.nodes import (
    NOT_APPLICABLE,
    OPERATORS,
    UNKNOWN_TYPE,
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
    TypeInfo,
    false_constant,
    true_constant,
)
from sobrindustrie.engines.publicodes.values import UNDEFINED, format_number

SEPARATOR: Final = " . "
PRIVATE_PREFIX: Final = "[privé] "
SITUATION_SUFFIX: Final = "$SITUATION"

# Mechanisms the reference engine applies around a value, in the order it unwraps them.
_CHAINABLE: Final = (
    "contexte",
    "variable manquante",
    "avec",
    "applicable si",
    "non applicable si",
    "arrondi",
    "unité",
    "simplifier l'unité",
    "plancher",
    "plafond",
    "par défaut",
    "dans la situation",
    "résoudre la référence circulaire",
    "abattement",
)
_SUPPORTED_CHAINABLE: Final = frozenset(
    {"variable manquante", "avec", "applicable si", "non applicable si", "par défaut", "dans la situation"}
)
_SUPPORTED_MECHANISMS: Final = frozenset(
    {
        "valeur",
        "toutes ces conditions",
        "une de ces conditions",
        "condition",
        "est défini",
        "est non défini",
        "est applicable",
        "est non applicable",
    }
    | OPERATORS
)
# Every key the reference engine reads as a mechanism; at rule level, other keys are documentation.
MECHANISM_KEYS: Final = frozenset(
    {
        *_CHAINABLE,
        *_SUPPORTED_MECHANISMS,
        "simplifier unité",
        "logarithme",
        "inversion numérique",
        "le maximum de",
        "le minimum de",
        "taux progressif",
        "barème",
        "durée",
        "grille",
        "multiplication",
        "produit",
        "somme",
        "moyenne",
        "texte",
        "variable",
        "variations",
        "constant",
    }
)
# Rule keys with effects this engine does not reproduce: refused rather than silently ignored.
_UNSUPPORTED_RULE_KEYS: Final = ("une possibilité", "remplace", "rend non applicable", "suggestions")
# The rule attributes publicodes documents besides mechanisms. The reference engine ignores any other
# key too, but here it is refused: at rule level, a misspelt mechanism would silently make the rule
# empty (undefined), which is the kind of wrong answer a typo should not get.
_RULE_ATTRIBUTES: Final = frozenset(
    {
        "formule",
        "question",
        "description",
        "acronyme",
        "exemples",
        "résumé",
        "icônes",
        "titre",
        "sévérité",
        "experimental",
        "possiblement non applicable",
        "privé",
        "note",
        "références",
        "API",
        "identifiant court",
        "type",
        "meta",
        "choix obligatoire",
        *_UNSUPPORTED_RULE_KEYS,
    }
)
_KINDS: Final = {"nombre": "number", "texte": "string", "date": "date", "booléen": "boolean"}
_PARENT_MARKS = re.compile(r"^(?:\^ \. )+")


@dataclass(frozen=True)
class ParsedRules:
    """A parsed, resolved and type-checked rule set; `source` names where it comes from in messages."""

    rules: Mapping[str, Rule]
    source: str | None = None
    # Why a situation may not set a name (None if it may), remembered per name.
    _refusals: dict[str, str | None] = field(default_factory=dict, compare=False, repr=False)
    # The situation rules of values that name rules (`région: Bretagne`), parsed once per values.
    _situation_rules: dict[tuple[tuple[str, object], ...], dict[str, Rule]] = field(
        default_factory=dict, compare=False, repr=False
    )
    # The shared rules these were compiled over, reused as they are (see `compile_rules`), if any.
    prelude: Prelude | None = field(default=None, compare=False, repr=False)

    def __contains__(self, name: object) -> bool:
        return name in self.rules

    def settable(self, name: str) -> bool:
        """True if a situation may give `name` a value (the rule exists and is not private)."""
        rule = self.rules.get(name)
        return rule is not None and not rule.private

    def situation_refusal(self, name: str) -> str | None:
        """Why the reference engine would refuse a situation setting `name`, or None if it accepts it."""
        if name not in self._refusals:
            missing = next((parent for parent in _rule_parents(name) if parent not in self.rules), None)
            if not self.settable(name):
                self._refusals[name] = f"the situation sets {name!r}, which is not a public rule of this set"
            elif missing is not None:
                # It checks, through the situation rule's parents, that they all exist.
                self._refusals[name] = (
                    f"the situation sets {name!r}, whose parent rule {missing!r} does not exist"
                )
            else:
                self._refusals[name] = None
        return self._refusals[name]


@dataclass
class _SituationSlot:
    """Where the reference engine reads a rule's situation value: its private `$SITUATION` child."""

    dotted_name: str


def rule_parents(dotted_name: str) -> list[str]:
    """The namespaces above a rule, nearest first: `a . b . c` → [`a . b`, `a`]."""
    return list(_rule_parents(dotted_name))


@functools.lru_cache(maxsize=16384)
def _rule_parents(dotted_name: str) -> tuple[str, ...]:
    parts = dotted_name.split(SEPARATOR)
    return tuple(SEPARATOR.join(parts[:end]) for end in range(len(parts) - 1, 0, -1))


def _common_ancestor(first: str, second: str) -> str:
    first_parts, second_parts = first.split(SEPARATOR), second.split(SEPARATOR)
    for index, part in enumerate(first_parts):
        if index >= len(second_parts) or second_parts[index] != part:
            return SEPARATOR.join(first_parts[:index])
    return first


def _is_accessible(rules: Mapping[str, Rule], context: str, name: str) -> bool:
    """False if a private rule between the common ancestor and `name` hides `name` from `context`."""
    ancestor = _common_ancestor(context, name)
    chain = [name, *rule_parents(name), ""]
    position = chain.index(ancestor) if ancestor in chain else -1
    return all(link not in rules or not rules[link].private for link in chain[: max(position - 1, 0)])


def _candidates(referenced_from: str, name: str) -> tuple[str, list[str], int | None]:
    """The name without its `^ . ` marks, the dotted names it may designate in order of preference, and
    the position of a candidate that can never be chosen (or None).

    The rule's own namespace comes first, then its parents from the nearest, then the root. `^ . `
    marks drop namespaces, in the reference engine's own order; when they drop them all, its first
    candidate stands for an undefined namespace, which the reference engine finds but then takes for
    "no match" (so a later candidate is never tried either).
    """
    contexts: list[str | None] = [*rule_parents(referenced_from), referenced_from]
    marks = _PARENT_MARKS.match(name)
    if marks:
        name = name[marks.end() :]
        del contexts[-(len(marks.group(0)) // 4) :]
    contexts.insert(0, contexts.pop() if contexts else None)
    contexts.append("")
    candidates = [f"{context}{SEPARATOR}{name}" if context else name for context in contexts]
    return name, candidates, 0 if contexts[0] is None else None


def resolve_reference(rules: Mapping[str, Rule], referenced_from: str, name: str) -> str:
    """The dotted name that `name`, written in rule `referenced_from`, designates.

    The rule's own namespace is tried first (`a . b` then `a . b . name`), then its parents from the
    nearest, then the root; a rule never designates itself this way. Raises PublicodesError naming
    `referenced_from` when nothing matches.
    """
    written = name
    name, candidates, unusable = _candidates(referenced_from, name)
    climbs = False
    for position, candidate in enumerate(candidates):
        if (
            candidate in rules
            and candidate != referenced_from
            and _is_accessible(rules, referenced_from, candidate)
        ):
            if position != unusable:
                return candidate
            climbs = True
            break
    if referenced_from.endswith(name):
        # What the reference engine does too: the rule then depends on itself, refused as a cycle.
        return referenced_from
    if climbs:
        raise PublicodesError(f"{written!r} climbs above the root namespace", rule=referenced_from)
    if all(candidate not in rules for candidate in candidates):
        raise UnknownReferenceError(
            f"unknown reference {name!r}: no rule of that name exists", rule=referenced_from
        )
    raise PublicodesError(f"the rule {name!r} cannot be used from here (it is private)", rule=referenced_from)


class _Builder:
    """Parses raw rules into `rules`, remembering every reference to resolve once all rules exist."""

    def __init__(self, existing: Mapping[str, Rule] | None = None) -> None:
        self.existing: Mapping[str, Rule] = existing or {}
        self.rules: dict[str, Rule | None] = {}
        self.references: list[Reference] = []
        self.current = ""

    def parse_rules(self, raw_rules: object) -> None:
        if raw_rules is None:
            return
        if not isinstance(raw_rules, Mapping):
            raise PublicodesError("`avec` must map rule names to rules", rule=self.current or None)
        for name, raw in raw_rules.items():
            if not isinstance(name, str) or not name.strip():
                raise PublicodesError(f"invalid rule name {name!r}", rule=self.current or None)
            self.parse_rule(name, raw)

    def parse_rule(self, name: str, raw: object) -> None:
        private = name.startswith(PRIVATE_PREFIX)
        if private:
            name = name[len(PRIVATE_PREFIX) :]
        dotted_name = f"{self.current}{SEPARATOR}{name}" if self.current else name
        body = self._rule_body(dotted_name, raw)
        private = private or body.get("privé") == "oui"
        if self.rules.get(dotted_name) is not None:
            raise PublicodesError("this rule is defined twice", rule=dotted_name)
        unknown = next(
            (key for key in body if key not in MECHANISM_KEYS and key not in _RULE_ATTRIBUTES), None
        )
        if unknown is not None:
            raise PublicodesError(
                f"unknown key `{unknown}`: neither a mechanism nor a rule attribute (misspelt?)",
                rule=dotted_name,
            )
        inner = body.get("valeur")
        for key in _UNSUPPORTED_RULE_KEYS:
            if key in body or (isinstance(inner, Mapping) and key in inner):
                raise PublicodesError(f"`{key}` is not supported by this engine", rule=dotted_name)
        value: dict[str, object] = {"avec": dict(self._children(dotted_name, body.get("avec")))}
        for key, item in body.items():
            if key in MECHANISM_KEYS and value.get(key) is None:
                value[key] = item
        if "formule" in body:
            value["valeur"] = body["formule"]
        if not private and not dotted_name.endswith(SITUATION_SUFFIX):
            # The reference engine reads the situation from a private child rule, undefined by default.
            value["dans la situation"] = _SituationSlot(f"{dotted_name}{SEPARATOR}{SITUATION_SUFFIX}")
            nullable = body.get("possiblement non applicable") == "oui"
            situation_default = Constant(UNDEFINED, None, nullable)
            avec = value["avec"]
            assert isinstance(avec, dict)
            avec[f"{PRIVATE_PREFIX}{SITUATION_SUFFIX}"] = {"valeur": situation_default}
            if value.get("par défaut") is not None:
                value["par défaut"] = {"valeur": value["par défaut"], "variable manquante": dotted_name}
        kind = _KINDS.get(str(body.get("type"))) or ("boolean" if body.get("question") else None)
        parents = tuple(Reference(parent, dotted_name, parent) for parent in _rule_parents(dotted_name))
        rule = Rule(dotted_name, private, kind, parents)
        self.rules[dotted_name] = None  # reserves the rule's place before its `avec` children
        outer, self.current = self.current, dotted_name
        rule.value = self.parse(value)
        self.current = outer
        self.rules[dotted_name] = rule

    @staticmethod
    def _rule_body(dotted_name: str, raw: object) -> Mapping[str, object]:
        if raw is None:
            return {}
        if isinstance(raw, str):
            return {"valeur": raw}
        if isinstance(raw, int | float) and not isinstance(raw, bool):
            return {"valeur": format_number(float(raw))}
        if isinstance(raw, Mapping):
            return raw
        raise PublicodesError(
            f"a rule must be empty, an expression or a mapping of mechanisms, not {raw!r}", rule=dotted_name
        )

    @staticmethod
    def _children(dotted_name: str, avec: object) -> Mapping[str, object]:
        if avec is None:
            return {}
        if not isinstance(avec, Mapping):
            raise PublicodesError("`avec` must map rule names to rules", rule=dotted_name)
        return avec

    def parse(self, raw: object) -> Node:
        if isinstance(raw, Constant | Reference | Operation | Condition):
            return raw
        if isinstance(raw, _SituationSlot):
            return self._expression(parse_expression(raw.dotted_name, self.current))
        if raw is None:
            raise PublicodesError("a value is empty (something is missing after a colon)", rule=self.current)
        if isinstance(raw, bool):
            raise PublicodesError("write booleans oui / non, not true / false", rule=self.current)
        if isinstance(raw, int | float):
            return Constant(float(raw), "number", False)
        if isinstance(raw, str):
            return self._expression(parse_expression(raw, self.current))
        if isinstance(raw, Mapping):
            return self._mechanisms(raw)
        if isinstance(raw, list):
            raise PublicodesError(f"a list needs a mechanism name: {raw!r}", rule=self.current)
        raise PublicodesError(f"unexpected value {raw!r}", rule=self.current)

    def _expression(self, tree: Expression) -> Node:
        tag = tree[0]
        if tag == "ref":
            reference = Reference(str(tree[1]), self.current)
            self.references.append(reference)
            return reference
        if tag == "op":
            left, right = tree[2], tree[3]
            assert isinstance(left, tuple) and isinstance(right, tuple)
            return Operation(str(tree[1]), self._expression(left), self._expression(right))
        value = tree[1]
        assert isinstance(value, bool | float | str)
        return Constant(
            value, {"number": "number", "string": "string", "boolean": "boolean"}.get(str(tag), "date"), False
        )

    def _mechanisms(self, raw: Mapping[str, object]) -> Node:
        chained = next((name for name in _CHAINABLE if name in raw), None)
        if chained is None:
            return self._mechanism(raw)
        if chained not in _SUPPORTED_CHAINABLE:
            raise PublicodesError(
                f"the mechanism `{chained}` is not supported by this engine", rule=self.current
            )
        argument = raw[chained]
        rest = {key: item for key, item in raw.items() if key != chained}
        if chained == "avec":
            self.parse_rules(argument)
            return self.parse(rest)
        if chained == "variable manquante":
            return MissingVariable(self.parse(rest))
        # The reference engine parses the wrapped value before the mechanism's own argument.
        value = self.parse(rest)
        parsed = self.parse(argument)
        if chained == "applicable si":
            return Condition(Operation("!=", parsed, false_constant()), value, NOT_APPLICABLE)
        if chained == "non applicable si":
            return Condition(Operation("=", parsed, false_constant()), value, NOT_APPLICABLE)
        if chained == "par défaut":
            return Condition(IsUndefined(value), parsed, value)
        # dans la situation; marked when it reads the rule's own situation slot (the parser's)
        slot = parsed if isinstance(argument, _SituationSlot) and isinstance(parsed, Reference) else None
        return Condition(IsUndefined(parsed), value, parsed, situation=slot)

    def _mechanism(self, raw: Mapping[str, object]) -> Node:
        if len(raw) > 1:
            names = ", ".join(f"`{key}`" for key in raw)
            raise PublicodesError(
                f"mechanisms at the same level (check the indentation): {names}", rule=self.current
            )
        if not raw:
            return Constant(UNDEFINED, None, None)
        ((name, argument),) = raw.items()
        if name not in MECHANISM_KEYS:
            raise PublicodesError(f"unknown mechanism `{name}`", rule=self.current)
        if name not in _SUPPORTED_MECHANISMS:
            raise PublicodesError(
                f"the mechanism `{name}` is not supported by this engine", rule=self.current
            )
        if name == "valeur":
            return self.parse(argument)
        if name in {"toutes ces conditions", "une de ces conditions"}:
            return self._conditions(name, argument)
        if name in OPERATORS:
            if not isinstance(argument, list) or len(argument) != 2:
                raise PublicodesError(f"`{name}` takes a list of two operands", rule=self.current)
            return Operation(name, self.parse(argument[0]), self.parse(argument[1]))
        if name == "condition":
            if not isinstance(argument, Mapping):
                raise PublicodesError("`condition` takes `si`, `alors` and `sinon`", rule=self.current)
            return Condition(
                self.parse(argument.get("si")),
                self.parse(argument.get("alors")),
                self.parse(argument.get("sinon")),
            )
        operand = self.parse(argument)
        if name == "est non défini":
            return IsUndefined(operand)
        if name == "est défini":
            return Operation("=", IsUndefined(operand), false_constant())
        if name == "est non applicable":
            return IsNotApplicable(operand)
        return Operation("=", IsNotApplicable(operand), false_constant())  # est applicable

    def _conditions(self, name: str, argument: object) -> Node:
        if not isinstance(argument, list):
            raise PublicodesError(f"`{name}` takes a list of conditions", rule=self.current)
        conditions = tuple(self.parse(item) for item in argument)
        if name == "toutes ces conditions":
            return AllOf(conditions) if conditions else true_constant()
        return AnyOf(conditions) if conditions else false_constant()

    def resolve(self) -> dict[str, Rule]:
        """Resolve the references parsed so far; the rules parsed, complete."""
        rules = {name: rule for name, rule in self.rules.items() if rule is not None}
        # Looked up, never written: a chain saves copying the existing rules for each situation.
        known: Mapping[str, Rule] = (
            collections.ChainMap(rules, cast(dict[str, Rule], self.existing)) if self.existing else rules
        )
        for reference in self.references:
            reference.dotted_name = resolve_reference(known, reference.context, reference.name)
        for rule in rules.values():
            infer_type(rule, known)
            for parent in rule.parents:
                infer_type(parent, known)
        return rules


def infer_type(node: Node, rules: Mapping[str, Rule]) -> TypeInfo:
    """What the reference engine infers statically about `node` (cached on the node).

    Its short-circuits are reproduced (an operand is not visited when the first one settles the
    answer), because whether a node has been typed decides how `est non applicable` evaluates it.
    """
    if node.type_info is not None:
        return node.type_info
    node.type_info = UNKNOWN_TYPE  # a node met again while being typed stays unknown, as in the reference
    info = _infer(node, rules)
    node.type_info = info
    return info


def _infer(node: Node, rules: Mapping[str, Rule]) -> TypeInfo:
    if isinstance(node, Constant):
        return TypeInfo(node.nullable if node.nullable is not None else node.value is None, node.kind)
    if isinstance(node, Reference):
        target = rules.get(node.dotted_name)
        return infer_type(target, rules) if target is not None else UNKNOWN_TYPE
    if isinstance(node, Rule):
        info = infer_type(node.value, rules)
        return info if info.kind is not None else TypeInfo(info.nullable, node.declared_kind)
    if isinstance(node, Operation):
        return _infer_operation(node, rules)
    if isinstance(node, Condition):
        nullable = any(infer_type(part, rules).nullable for part in (node.test, node.then, node.otherwise))
        kind = infer_type(node.then, rules).kind
        return TypeInfo(nullable, kind if kind is not None else infer_type(node.otherwise, rules).kind)
    if isinstance(node, MissingVariable):
        return infer_type(node.operand, rules)
    # AllOf / AnyOf are chains of `et` / `ou`; IsUndefined / IsNotApplicable are boolean tests.
    return TypeInfo(False, "boolean")


def _infer_operation(node: Operation, rules: Mapping[str, Rule]) -> TypeInfo:
    operator = node.operator
    nullable: bool | None = False
    if operator in {"<", "<=", ">", ">=", "/", "*"}:
        nullable = infer_type(node.left, rules).nullable or infer_type(node.right, rules).nullable
    elif operator == "-":
        nullable = infer_type(node.left, rules).nullable
    boolean = operator in {"<", "<=", ">", ">=", "=", "!=", "et", "ou"}
    return TypeInfo(nullable, "boolean" if boolean else "number")


def _dependencies(rules: Mapping[str, Rule], references: list[Reference]) -> dict[str, list[str]]:
    graph: dict[str, list[str]] = {name: [] for name in rules}
    for reference in references:
        graph.setdefault(reference.context, []).append(reference.dotted_name)
    return graph


def _find_cycle(graph: Mapping[str, list[str]]) -> list[str] | None:
    """One cycle of the graph (first node repeated at the end), or None; iterative depth-first search."""
    done: set[str] = set()
    for start in graph:
        if start in done:
            continue
        path: list[str] = [start]
        on_path = {start}
        stack: list[Iterator[str]] = [iter(graph.get(start, ()))]
        while stack:
            following = next(stack[-1], None)
            if following is None:
                stack.pop()
                done.add(path[-1])
                on_path.discard(path.pop())
            elif following in on_path:
                return [*path[path.index(following) :], following]
            elif following not in done:
                path.append(following)
                on_path.add(following)
                stack.append(iter(graph.get(following, ())))
    return None


def _check_cycles(rules: Mapping[str, Rule], references: list[Reference]) -> None:
    cycle = _find_cycle(_dependencies(rules, references))
    if cycle:
        raise PublicodesError(f"the rule depends on itself: {' → '.join(cycle)}", rule=cycle[0])


@dataclass(frozen=True)
class Prelude:
    """Rules shared by many rule sets (the MTE interface), parsed once.

    A rule set compiled over a prelude reuses its parsed rules, unless it defines a name that could
    change how the prelude parses (`sensitive`: its own names, names its references could designate
    before the ones they do, its missing parents); then the merge is parsed whole.
    """

    raw: Mapping[str, object]
    parsed: ParsedRules
    sensitive: frozenset[str]
    # Situation values naming rules (`région: Bretagne`) parsed against these rules alone: the rules,
    # and the names whose rules must be the very same in a rule set for them to serve it as they are
    # (see `_prelude_situation_rules`); None if the parse was refused.
    situation_rules: dict[tuple[tuple[str, object], ...], tuple[dict[str, Rule], tuple[str, ...]] | None] = (
        field(default_factory=dict, compare=False, repr=False)
    )


def compile_prelude(raw_rules: Mapping[str, object]) -> Prelude | None:
    """The prelude of `raw_rules`, or None if they cannot be parsed on their own."""
    builder = _Builder()
    try:
        builder.parse_rules(raw_rules)
        rules = builder.resolve()
        _check_cycles(rules, builder.references)
    except PublicodesError:
        return None
    sensitive = set(rules)
    for reference in builder.references:
        _, candidates, _ = _candidates(reference.context, reference.name)
        resolved = (
            candidates.index(reference.dotted_name)
            if reference.dotted_name in candidates
            else len(candidates)
        )
        sensitive.update(candidates[:resolved])
    sensitive.update(parent for name in rules for parent in rule_parents(name) if parent not in rules)
    return Prelude(dict(raw_rules), ParsedRules(rules), frozenset(sensitive))


def compile_rules(
    raw_rules: Mapping[str, object], source: str | None = None, *, prelude: Prelude | None = None
) -> ParsedRules:
    """Parse, resolve and check a rule set (after `prelude`'s rules, which it overrides on equal names).

    Raises PublicodesError (naming `source` and the rule) if refused: unknown references are refused,
    as the reference engine refuses them; so is a rule that depends on itself, directly or through
    other rules (the reference engine would only warn while evaluating).
    """
    try:
        if prelude is not None:
            fast = _compile_over(prelude, raw_rules)
            if fast is not None:
                return ParsedRules(fast, source, prelude=prelude)
            raw_rules = {**prelude.raw, **raw_rules}
        builder = _Builder()
        builder.parse_rules(raw_rules)
        rules = builder.resolve()
        _check_cycles(rules, builder.references)
    except PublicodesError as error:
        raise (error.located(source) if source else error) from None
    return ParsedRules(rules, source)


def _compile_over(prelude: Prelude, raw_rules: Mapping[str, object]) -> dict[str, Rule] | None:
    if any(name in prelude.sensitive for name in raw_rules):
        return None
    builder = _Builder(prelude.parsed.rules)
    builder.parse_rules(raw_rules)
    # Privacy only hides the rules on the path from a reference to its target, which are sensitive.
    if any(name in prelude.sensitive for name in builder.rules):
        return None
    rules = builder.resolve()
    # The prelude's references cannot reach these rules, so a cycle lies within them.
    _check_cycles(rules, builder.references)
    return {**prelude.parsed.rules, **rules}


def parse_situation(parsed: ParsedRules, situation: Mapping[str, object]) -> dict[str, Rule]:
    """The situation's values as the private `… . $SITUATION` rules the evaluator reads.

    Each value is a Publicodes expression (or a number), written in the rule it sets: a name in it is
    resolved from there, like `région: Bretagne`. Setting a rule that does not exist, is private or
    lacks a parent is refused, as the reference engine does in its default strict mode.
    """
    rules: dict[str, Rule] = {}
    with_names: dict[str, object] = {}
    for name, value in situation.items():
        refusal = parsed.situation_refusal(name)
        if refusal is not None:
            raise PublicodesError(refusal, source=parsed.source)
        constant = None
        if isinstance(value, str | int | float) and not isinstance(value, bool):
            constant = constant_situation_rule(name, value)
        if constant is None:
            with_names[name] = value
        else:
            rules[constant.dotted_name] = constant
    if not with_names:
        return rules
    return {**rules, **named_situation_rules(parsed, with_names)}


# Enough for every region of a catalogue many times over; beyond it, values are parsed each time.
_SITUATION_RULES_KEPT: Final = 512


def named_situation_rules(parsed: ParsedRules, with_names: Mapping[str, object]) -> dict[str, Rule]:
    """The situation rules of values that name rules, parsed together against `parsed`.

    They are parsed once per distinct values and shared by the evaluations that follow: the parse
    depends only on the rules and these values, and evaluation never changes a node.
    """
    key = tuple(with_names.items())
    try:
        return parsed._situation_rules[key]
    except KeyError:
        pass
    except TypeError:  # an unhashable value (a list...): refused by the parse below
        key = ()
    rules = _prelude_situation_rules(parsed, key) if key else None
    if rules is None:
        builder = _Builder(parsed.rules)
        try:
            for name, value in with_names.items():
                builder.parse_rule(f"{PRIVATE_PREFIX}{name}{SEPARATOR}{SITUATION_SUFFIX}", value)
            rules = builder.resolve()
        except PublicodesError as error:
            raise (error.located(parsed.source) if parsed.source else error) from None
    if key and len(parsed._situation_rules) < _SITUATION_RULES_KEPT:
        parsed._situation_rules[key] = rules
    return rules


def _prelude_situation_rules(
    parsed: ParsedRules, key: tuple[tuple[str, object], ...]
) -> dict[str, Rule] | None:
    """The situation rules of `key`'s values parsed once against the prelude `parsed` was compiled
    over, when they serve `parsed` as they are; else None (then they are parsed against `parsed`).

    Parsing a value resolves its names and types the rules it makes from the rules it meets: every
    name a resolution tries (up to the one it picks), their parents (whose privacy may hide them)
    and the parents of the situation rules. If each of those names is the very same rule (or absent)
    in `parsed` as in the prelude, the parse against `parsed` would give the same rules.
    """
    prelude = parsed.prelude
    if prelude is None:
        return None
    try:
        entry = prelude.situation_rules[key]
    except KeyError:
        entry = None
        builder = _Builder(prelude.parsed.rules)
        try:
            for name, value in key:
                builder.parse_rule(f"{PRIVATE_PREFIX}{name}{SEPARATOR}{SITUATION_SUFFIX}", value)
            rules = builder.resolve()
        except PublicodesError:
            pass  # parsed again against the rule set, which says why
        else:
            watched: set[str] = set()
            for reference in builder.references:
                _, candidates, _ = _candidates(reference.context, reference.name)
                tried = candidates[: candidates.index(reference.dotted_name) + 1]
                if reference.dotted_name not in candidates:
                    tried = [*candidates, reference.dotted_name]
                for candidate in tried:
                    watched.add(candidate)
                    watched.update(_rule_parents(candidate))
            for rule in rules.values():
                watched.update(_rule_parents(rule.dotted_name))
            entry = (rules, tuple(sorted(watched)))
        if len(prelude.situation_rules) < _SITUATION_RULES_KEPT:
            prelude.situation_rules[key] = entry
    if entry is None:
        return None
    rules, names = entry
    own, shared = parsed.rules, prelude.parsed.rules
    return rules if all(own.get(name) is shared.get(name) for name in names) else None


@functools.lru_cache(maxsize=4096)
def constant_situation_rule(name: str, value: str | int | float) -> Rule | None:
    """The situation rule of a value that names no rule (oui, 40, a date...), shared by every rule set.

    Such a rule is the same whatever the rules around it: only its value is ever read (a `$SITUATION`
    rule is never disabled by its parents, so it needs none).
    """
    dotted_name = f"{name}{SEPARATOR}{SITUATION_SUFFIX}"
    text = value if isinstance(value, str) else format_number(float(value))
    try:
        tree = parse_expression(text, dotted_name)
    except PublicodesError:
        return None  # refused again, with the same message, by the general path
    if _names_a_rule(tree):
        return None
    builder = _Builder()
    builder.current = dotted_name
    node = builder._expression(tree)
    infer_type(node, {})
    return Rule(dotted_name, True, None, (), node)


def _names_a_rule(tree: Expression) -> bool:
    if tree[0] == "ref":
        return True
    return tree[0] == "op" and any(isinstance(part, tuple) and _names_a_rule(part) for part in tree[2:])
