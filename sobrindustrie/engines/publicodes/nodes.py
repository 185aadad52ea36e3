"""The parsed form of Publicodes rules: a graph of nodes that the evaluator walks.

The node kinds mirror those of the reference engine, because its results depend on them: a rule's
`applicable si` becomes a condition whose *else* branch is "non applicable", the situation is a
condition around the rule's own value, and a parent rule that is non applicable (or `non`) disables its
children. Nodes are compared by identity (each occurrence is its own node), which is what the
evaluator's cache and the static type inference key on.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from sobrindustrie.engines.publicodes.values import UNDEFINED, Value


@dataclass(frozen=True, slots=True)
class TypeInfo:
    """What the reference engine infers statically about a node: can it be non applicable, and its type.

    `nullable` and `kind` are None where the reference engine leaves them undefined.
    """

    nullable: bool | None
    kind: str | None  # "boolean", "number", "string", "date" or None


UNKNOWN_TYPE = TypeInfo(None, None)


@dataclass(eq=False, slots=True)
class Constant:
    value: Value
    kind: str | None
    nullable: bool | None
    type_info: TypeInfo | None = None


@dataclass(eq=False, slots=True)
class Reference:
    """A name as written (`effectif`) and, once resolved, the rule it designates (`entreprise . effectif`)."""

    name: str
    context: str  # the rule in which the name is written, from which it is resolved
    dotted_name: str = ""
    type_info: TypeInfo | None = None


@dataclass(eq=False, slots=True)
class Operation:
    operator: str  # one of OPERATORS
    left: Node
    right: Node
    type_info: TypeInfo | None = None


@dataclass(eq=False, slots=True)
class AllOf:
    """`toutes ces conditions`: the reference engine's chain `oui et c1 et c2 ...`, evaluated left to right."""

    conditions: tuple[Node, ...]
    type_info: TypeInfo | None = None


@dataclass(eq=False, slots=True)
class AnyOf:
    """`une de ces conditions`: the reference engine's chain `non ou c1 ou c2 ...`, evaluated left to right."""

    conditions: tuple[Node, ...]
    type_info: TypeInfo | None = None


@dataclass(eq=False, slots=True)
class Condition:
    test: Node
    then: Node
    otherwise: Node
    type_info: TypeInfo | None = None
    # For a rule's `dans la situation` (test: `est non défini` of `situation`, otherwise: `situation`),
    # the reference to its situation slot; the evaluator takes a shorter path through it.
    situation: Reference | None = None


@dataclass(eq=False, slots=True)
class IsUndefined:
    """`est non défini`: oui when the value is undefined."""

    operand: Node
    type_info: TypeInfo | None = None


@dataclass(eq=False, slots=True)
class IsNotApplicable:
    """`est non applicable`: oui when the value is non applicable (null)."""

    operand: Node
    type_info: TypeInfo | None = None


@dataclass(eq=False, slots=True)
class MissingVariable:
    """Wraps a rule's `par défaut`; it only matters to the reference engine's missing-variables report."""

    operand: Node
    type_info: TypeInfo | None = None


@dataclass(eq=False, slots=True)
class Rule:
    dotted_name: str
    private: bool
    declared_kind: str | None  # from `type:`, or "boolean" for a rule with a `question:`
    parents: tuple[Reference, ...]  # nearest first, already resolved
    value: Node = field(default_factory=lambda: Constant(UNDEFINED, None, None))
    type_info: TypeInfo | None = None
    # The nearest parent that may disable the rule (None: no such parent), found at its first
    # evaluation, once the parents' types are known; False until then.
    disabler: Reference | None | bool = field(default=False, repr=False)


Node = (
    Constant
    | Reference
    | Operation
    | AllOf
    | AnyOf
    | Condition
    | IsUndefined
    | IsNotApplicable
    | MissingVariable
    | Rule
)

COMPARISONS = frozenset({"<", "<=", ">", ">="})
ARITHMETIC = frozenset({"+", "-", "*", "/", "//", "**"})
OPERATORS = COMPARISONS | ARITHMETIC | {"=", "!=", "et", "ou"}

# Shared constants of the reference engine's built-in mechanisms.
NOT_APPLICABLE = Constant(None, None, True)


def false_constant() -> Constant:
    return Constant(False, "boolean", False)


def true_constant() -> Constant:
    return Constant(True, "boolean", False)
