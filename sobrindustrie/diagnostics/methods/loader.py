"""Read a method's YAML and check it thoroughly, naming the place of every problem.

`parse_method` never stops at the first problem: it collects them all (unknown solution code, rule
on an unknown question, bad operator, cycle between flags or between questions...) and raises one
`MethodError` listing each with its place, e.g.
`lowtech_v1.yaml: rule "pooling_idle_machine" › when › all[1]: unknown question "use_idle"`.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from sobrindustrie.diagnostics.methods import vocabulary as v
from sobrindustrie.diagnostics.methods.conditions import (
    COMPARISONS,
    ORDERING,
    PRESENCE,
    QUANTIFIERS,
    AllOf,
    AnswerTest,
    AnyOf,
    Condition,
    FlagTest,
    InventoryTest,
    MeansTest,
    Not,
    flags_read,
    questions_read,
)
from sobrindustrie.diagnostics.methods.schema import (
    BarrierSpec,
    Choice,
    CooperationSpec,
    IssueSpec,
    Method,
    NeedSpec,
    OpportunitySpec,
    Question,
    Rule,
    Section,
    WebinarTopic,
)

METHODS_DIR = Path(__file__).resolve().parent
DEFAULT_METHOD_FILE = METHODS_DIR / "lowtech_v1.yaml"
IDENTIFIER = re.compile(r"^[a-z][a-z0-9_]*$")
TOP_KEYS = {
    "code",
    "version",
    "title",
    "description",
    "criteria",
    "parameters",
    "sections",
    "rules",
    "webinar_topics",
}
SECTION_KEYS = {"id", "title", "stage", "solution", "guidance", "questions"}
QUESTION_KEYS = {
    "id",
    "kind",
    "label",
    "guidance",
    "unit",
    "min",
    "max",
    "choices",
    "per_means",
    "criteria",
    "show_if",
}
RULE_KEYS = {"id", "description", "for_each_means", "when", "then"}
THEN_KEYS = {"opportunity", "barriers", "cooperation", "flags", "issues"}
OPPORTUNITY_KEYS = {
    "solution",
    "title",
    "description",
    "potential",
    "feasibility",
    "energy_saving_pct",
    "avoided_mass_pct",
    "over_years",
    "needs",
}
CONDITION_KEYS = ("all", "any", "not", "answer", "inventory", "means", "flag")


@dataclass(frozen=True)
class Problem:
    where: str
    message: str

    def __str__(self) -> str:
        return f"{self.where}: {self.message}"


class MethodError(Exception):
    """A method file that cannot be used; `problems` lists each problem with its place."""

    def __init__(self, source: str, problems: list[Problem]) -> None:
        self.source = source
        self.problems = problems
        super().__init__("\n".join(f"{source}: {problem}" for problem in problems))


def fingerprint(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def read_document(text: str, source: str) -> Any:
    try:
        return yaml.safe_load(text)
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        where = f"line {mark.line + 1}, column {mark.column + 1}" if mark else "file"
        problem = getattr(error, "problem", None) or str(error)
        raise MethodError(source, [Problem(where, f"not valid YAML ({problem})")]) from None


def load_method_file(path: Path = DEFAULT_METHOD_FILE, categories: Collection[str] | None = None) -> Method:
    text = path.read_text(encoding="utf-8")
    return parse_method(read_document(text, path.name), path.name, categories)


def parse_method(document: Any, source: str = "method", categories: Collection[str] | None = None) -> Method:
    """Build a Method from a YAML document, or raise MethodError listing every problem.

    `categories` (the production-means taxonomy codes) lets the loader check category codes too.
    """
    parser = _Parser(categories)
    method = parser.method(document)
    if parser.problems or method is None:
        raise MethodError(source, parser.problems or [Problem("file", "empty method")])
    return method


@dataclass
class _QuestionDraft:
    raw: Mapping[str, Any]
    where: str
    section_id: str
    kind: str
    choices: tuple[Choice, ...]
    per_means: bool


class _Parser:
    def __init__(self, categories: Collection[str] | None) -> None:
        self.categories = set(categories) if categories is not None else None
        self.problems: list[Problem] = []
        self.questions: dict[str, _QuestionDraft] = {}
        self.flags_read: dict[str, str] = {}  # flag -> where it is first read

    # --- helpers -------------------------------------------------------------------------

    def problem(self, where: str, message: str) -> None:
        self.problems.append(Problem(where, message))

    def mapping(self, raw: Any, where: str, allowed: Collection[str]) -> Mapping[str, Any] | None:
        if not isinstance(raw, Mapping):
            self.problem(where, f"expected a mapping (key: value), got {type(raw).__name__}")
            return None
        for key in raw:
            if key not in allowed:
                self.problem(where, f"unknown key {key!r} (expected one of {', '.join(sorted(allowed))})")
        return raw

    def text(self, raw: Mapping[str, Any], key: str, where: str, required: bool = True) -> str:
        value = raw.get(key)
        if value is None or value == "":
            if required:
                self.problem(where, f"{key!r} is required")
            return ""
        if not isinstance(value, str | int | float) or isinstance(value, bool):
            self.problem(f"{where} › {key}", "expected text")
            return ""
        return str(value).strip()

    def identifier(self, raw: Mapping[str, Any], where: str, key: str = "id") -> str:
        value = self.text(raw, key, where)
        if value and not IDENTIFIER.match(value):
            self.problem(
                where, f"{key} {value!r} must be lower-case letters, digits and _, starting with a letter"
            )
        return value

    def code(self, value: Any, allowed: Collection[str], where: str, what: str) -> str | None:
        if value is None:
            return None
        if value not in allowed:
            self.problem(where, f"unknown {what} {value!r} (expected one of {', '.join(allowed)})")
            return None
        return str(value)

    def number(
        self, value: Any, where: str, low: float | None = None, high: float | None = None
    ) -> float | None:
        if value is None:
            return None
        if isinstance(value, bool) or not isinstance(value, int | float):
            self.problem(where, f"expected a number, got {value!r}")
            return None
        if (low is not None and value < low) or (high is not None and value > high):
            self.problem(where, f"{value} is outside [{low}, {high}]")
            return None
        return float(value)

    def items(self, raw: Any, where: str) -> list[Any]:
        if raw is None:
            return []
        if not isinstance(raw, list):
            self.problem(where, "expected a list")
            return []
        return raw

    def category(self, value: Any, where: str) -> str | None:
        if value is None:
            return None
        if not isinstance(value, str) or (self.categories is not None and value not in self.categories):
            self.problem(where, f"unknown production-means category {value!r}")
            return None
        return value

    # --- the method ----------------------------------------------------------------------

    def method(self, document: Any) -> Method | None:
        raw = self.mapping(document, "file", TOP_KEYS)
        if raw is None:
            return None
        code = self.identifier(raw, "file", "code")
        version = self.text(raw, "version", "file")
        title = self.text(raw, "title", "file")
        criteria = self.criteria(raw.get("criteria"))
        parameters = self.parameters(raw.get("parameters"))
        section_drafts = self.section_drafts(raw.get("sections"), criteria)
        sections = tuple(self.section(draft) for draft in section_drafts)
        self.check_question_cycles(sections)
        rules = self.rules(raw.get("rules"))
        topics = self.webinar_topics(raw.get("webinar_topics"), rules)
        return Method(
            code=code,
            version=version,
            title=title,
            description=self.text(raw, "description", "file", required=False),
            criteria=criteria,
            parameters=parameters,
            sections=sections,
            rules=rules,
            webinar_topics=topics,
        )

    def criteria(self, raw: Any) -> dict[str, str]:
        result: dict[str, str] = {}
        for index, item in enumerate(self.items(raw, "criteria")):
            where = f"criteria[{index}]"
            entry = self.mapping(item, where, {"id", "label"})
            if entry is None:
                continue
            identifier = self.identifier(entry, where)
            if identifier in result:
                self.problem(where, f"duplicate criterion {identifier!r}")
            result[identifier] = self.text(entry, "label", where)
        return result

    def parameters(self, raw: Any) -> dict[str, float]:
        result = dict(v.PARAMETERS)
        if raw is None:
            return result
        entry = self.mapping(raw, "parameters", v.PARAMETERS.keys())
        for key, value in (entry or {}).items():
            if key in v.PARAMETERS:
                number = self.number(value, f"parameters › {key}", low=0)
                if number is not None:
                    result[key] = number
        return result

    # --- sections and questions ------------------------------------------------------------

    def section_drafts(
        self, raw: Any, criteria: Mapping[str, str]
    ) -> list[tuple[Mapping[str, Any], str, list[str]]]:
        drafts = []
        section_ids: set[str] = set()
        sections = self.items(raw, "sections")
        if not sections:
            self.problem("sections", "a method needs at least one section")
        for index, item in enumerate(sections):
            entry = self.mapping(item, f"sections[{index}]", SECTION_KEYS)
            if entry is None:
                continue
            identifier = self.identifier(entry, f"sections[{index}]")
            where = f'section "{identifier or index}"'
            if identifier in section_ids:
                self.problem(where, f"duplicate section id {identifier!r}")
            section_ids.add(identifier)
            self.text(entry, "title", where)
            self.code(entry.get("stage"), v.STAGES, f"{where} › stage", "life-cycle stage")
            self.code(entry.get("solution"), v.SOLUTIONS, f"{where} › solution", "solution code")
            question_ids = [
                self.question_draft(q, where, identifier, criteria)
                for q in self.items(entry.get("questions"), f"{where} › questions")
            ]
            drafts.append((entry, identifier, [q for q in question_ids if q]))
        return drafts

    def question_draft(
        self, raw: Any, section_where: str, section_id: str, criteria: Mapping[str, str]
    ) -> str:
        entry = self.mapping(raw, f"{section_where} › question", QUESTION_KEYS)
        if entry is None:
            return ""
        identifier = self.identifier(entry, f"{section_where} › question")
        where = f'{section_where} › question "{identifier}"'
        if identifier in self.questions:
            self.problem(
                where, f"duplicate question id {identifier!r} (also in {self.questions[identifier].where})"
            )
            return ""
        self.text(entry, "label", where)
        kind = self.code(entry.get("kind"), v.QUESTION_KINDS, f"{where} › kind", "question kind") or ""
        if entry.get("kind") is None:
            self.problem(where, "'kind' is required")
        choices = self.choices(entry.get("choices"), f"{where} › choices", kind)
        if kind != "number" and (entry.get("min") is not None or entry.get("max") is not None):
            self.problem(where, "min and max only apply to number questions")
        low = self.number(entry.get("min"), f"{where} › min")
        high = self.number(entry.get("max"), f"{where} › max")
        if low is not None and high is not None and low > high:
            self.problem(where, f"min {low} is above max {high}")
        for criterion in self.items(entry.get("criteria"), f"{where} › criteria"):
            if criterion not in criteria:
                self.problem(f"{where} › criteria", f"unknown criterion {criterion!r}")
        if not isinstance(entry.get("per_means", False), bool):
            self.problem(f"{where} › per_means", "expected true or false")
        per_means = entry.get("per_means") is True
        if identifier:
            self.questions[identifier] = _QuestionDraft(entry, where, section_id, kind, choices, per_means)
        return identifier

    def choices(self, raw: Any, where: str, kind: str) -> tuple[Choice, ...]:
        items = self.items(raw, where)
        if kind != "choice":
            if items:
                self.problem(where, "choices only apply to choice questions")
            return ()
        if len(items) < 2:
            self.problem(where, "a choice question needs at least two choices")
        result: list[Choice] = []
        for index, item in enumerate(items):
            if isinstance(item, str):
                item = {"value": item, "label": item}
            entry = self.mapping(item, f"{where}[{index}]", {"value", "label"})
            if entry is None:
                continue
            value = self.identifier(entry, f"{where}[{index}]", "value")
            if any(choice.value == value for choice in result):
                self.problem(f"{where}[{index}]", f"duplicate choice {value!r}")
            result.append(Choice(value, self.text(entry, "label", f"{where}[{index}]")))
        return tuple(result)

    def section(self, draft: tuple[Mapping[str, Any], str, list[str]]) -> Section:
        entry, identifier, question_ids = draft
        questions = []
        for question_id in question_ids:
            q = self.questions[question_id]
            show_if = None
            if q.raw.get("show_if") is not None:
                show_if = self.condition(q.raw["show_if"], f"{q.where} › show_if", "show_if")
            questions.append(
                Question(
                    id=question_id,
                    section_id=identifier,
                    kind=q.kind,
                    label=str(q.raw.get("label") or ""),
                    guidance=str(q.raw.get("guidance") or "").strip(),
                    unit=str(q.raw.get("unit") or ""),
                    minimum=q.raw.get("min"),
                    maximum=q.raw.get("max"),
                    choices=q.choices,
                    per_means=q.per_means,
                    criteria=tuple(q.raw.get("criteria") or ()),
                    show_if=show_if,
                )
            )
        return Section(
            id=identifier,
            title=str(entry.get("title") or ""),
            stage=entry.get("stage"),
            solution=entry.get("solution"),
            guidance=str(entry.get("guidance") or "").strip(),
            questions=tuple(questions),
        )

    def check_question_cycles(self, sections: tuple[Section, ...]) -> None:
        graph = {q.id: questions_read(q.show_if) for s in sections for q in s.questions}
        cycle = find_cycle(graph)
        if cycle:
            path = " → ".join(f'question "{q}"' for q in cycle)
            self.problem(
                self.questions[cycle[0]].where + " › show_if",
                f"questions shown on each other form a cycle: {path}",
            )

    # --- conditions --------------------------------------------------------------------------

    def condition(self, raw: Any, where: str, scope: str) -> Condition:
        """Parse one condition; `scope` is "show_if", "rule" or "means_rule" (run per means)."""
        fallback: Condition = AllOf(())
        if not isinstance(raw, Mapping):
            self.problem(
                where, f"a condition is a mapping such as {{answer: ..., op: ..., value: ...}}, got {raw!r}"
            )
            return fallback
        heads = [key for key in CONDITION_KEYS if key in raw]
        if len(heads) != 1:
            self.problem(
                where, f"a condition has exactly one of {', '.join(CONDITION_KEYS)}; found {sorted(raw)}"
            )
            return fallback
        head = heads[0]
        if head in ("all", "any"):
            self.mapping(raw, where, {head})
            items = self.items(raw[head], f"{where} › {head}")
            if not items:
                self.problem(f"{where} › {head}", "needs at least one condition")
            parsed = tuple(
                self.condition(item, f"{where} › {head}[{i}]", scope) for i, item in enumerate(items)
            )
            return AllOf(parsed) if head == "all" else AnyOf(parsed)
        if head == "not":
            self.mapping(raw, where, {"not"})
            return Not(self.condition(raw["not"], f"{where} › not", scope))
        if head == "flag":
            self.mapping(raw, where, {"flag"})
            if scope == "show_if":
                self.problem(where, "a question cannot be shown on a flag; use answers")
            flag = str(raw["flag"])
            if not IDENTIFIER.match(flag):
                self.problem(where, f"flag {flag!r} must be lower-case letters, digits and _")
            self.flags_read.setdefault(flag, where)
            return FlagTest(flag)
        if head == "answer":
            return self.answer_test(raw, where, scope)
        if head == "inventory":
            return self.inventory_test(raw, where, scope)
        return self.means_test(raw, where, scope)

    def operator(self, raw: Mapping[str, Any], where: str, allowed: Collection[str]) -> str:
        op = raw.get("op", "==")
        if op not in allowed:
            self.problem(where, f"unknown operator {op!r} (expected one of {', '.join(allowed)})")
            return ""
        if op in PRESENCE and "value" in raw:
            self.problem(where, f"operator {op!r} takes no value")
        if op not in PRESENCE and "value" not in raw:
            self.problem(where, f"operator {op!r} needs a value")
        return str(op)

    def answer_test(self, raw: Mapping[str, Any], where: str, scope: str) -> Condition:
        self.mapping(raw, where, {"answer", "op", "value", "means"})
        question_id = raw["answer"]
        question = self.questions.get(question_id)
        if question is None:
            self.problem(where, f"unknown question {question_id!r}")
            return AllOf(())
        allowed = {
            "yes_no": ("==", "!=", *PRESENCE),
            "choice": ("==", "!=", "in", "not_in", *PRESENCE),
            "number": (*COMPARISONS, *PRESENCE),
            "text": PRESENCE,
        }.get(question.kind, PRESENCE)
        op = self.operator(raw, where, allowed)
        value = raw.get("value")
        if op and op not in PRESENCE:
            self.check_value(value, op, where, question.kind, [c.value for c in question.choices])
        quantifier = raw.get("means")
        if question.per_means:
            if scope == "show_if":
                self.problem(where, f"a question cannot be shown on the per-means question {question_id!r}")
            elif scope == "rule" and quantifier is None:
                self.problem(
                    where, f"question {question_id!r} is asked per means: add means: any or means: all"
                )
            if quantifier is not None and quantifier not in QUANTIFIERS:
                self.problem(where, f"means must be 'any' or 'all', got {quantifier!r}")
        elif quantifier is not None:
            self.problem(where, f"question {question_id!r} is not asked per means; remove 'means'")
        return AnswerTest(question_id, op, value, question.per_means, quantifier)

    def check_value(self, value: Any, op: str, where: str, kind: str, choices: Collection[str] = ()) -> None:
        values = value if op in ("in", "not_in") else [value]
        if op in ("in", "not_in") and (not isinstance(value, list) or not value):
            self.problem(where, f"operator {op!r} needs a non-empty list of values")
            return
        for item in values:
            if kind == "yes_no" and not isinstance(item, bool):
                self.problem(where, f"a yes/no answer compares with true or false, not {item!r}")
            elif kind == "number" and (isinstance(item, bool) or not isinstance(item, int | float)):
                self.problem(where, f"expected a number, got {item!r}")
            elif kind == "choice" and item not in choices:
                self.problem(where, f"{item!r} is not one of the choices ({', '.join(choices)})")
        if op in ORDERING and kind != "number":
            self.problem(where, f"operator {op!r} only compares numbers")

    def inventory_test(self, raw: Mapping[str, Any], where: str, scope: str) -> Condition:
        self.mapping(raw, where, {"inventory", "op", "value"})
        if scope == "show_if":
            self.problem(where, "a question is shown on answers only, not on inventory figures")
        metric = raw["inventory"]
        if metric not in v.INVENTORY_METRICS:
            self.problem(
                where,
                f"unknown inventory figure {metric!r} (expected one of {', '.join(v.INVENTORY_METRICS)})",
            )
        op = self.operator(raw, where, COMPARISONS)
        if op:
            self.check_value(raw.get("value"), op, where, "number")
        return InventoryTest(str(metric), op, raw.get("value"))

    def means_test(self, raw: Mapping[str, Any], where: str, scope: str) -> Condition:
        self.mapping(raw, where, {"means", "op", "value"})
        if scope != "means_rule":
            self.problem(where, "a {means: ...} test needs a rule with for_each_means: true")
        name = raw["means"]
        op = ""
        if name in v.MEANS_NUMERIC_FIELDS:
            op = self.operator(raw, where, COMPARISONS)
            if op:
                self.check_value(raw.get("value"), op, where, "number")
        elif name in v.MEANS_CODE_FIELDS:
            op = self.operator(raw, where, ("==", "!=", "in", "not_in"))
            allowed = v.MEANS_CODE_FIELDS[name]
            value = raw.get("value")
            for item in value if isinstance(value, list) else [value]:
                if allowed is not None:
                    self.code(item, allowed, where, f"{name} code")
                elif name == "category":
                    self.category(item, where)
        else:
            fields = [*v.MEANS_NUMERIC_FIELDS, *v.MEANS_CODE_FIELDS]
            self.problem(
                where, f"unknown production-means field {name!r} (expected one of {', '.join(fields)})"
            )
        return MeansTest(str(name), op, raw.get("value"))

    # --- rules -----------------------------------------------------------------------------

    def rules(self, raw: Any) -> tuple[Rule, ...]:
        rules: list[Rule] = []
        seen: set[str] = set()
        for index, item in enumerate(self.items(raw, "rules")):
            entry = self.mapping(item, f"rules[{index}]", RULE_KEYS)
            if entry is None:
                continue
            identifier = self.identifier(entry, f"rules[{index}]")
            where = f'rule "{identifier or index}"'
            if identifier in seen:
                self.problem(where, f"duplicate rule id {identifier!r}")
            seen.add(identifier)
            rule = self.rule(entry, identifier, where)
            if rule is not None:
                rules.append(rule)
        return self.order_rules(rules)

    def rule(self, entry: Mapping[str, Any], identifier: str, where: str) -> Rule | None:
        per_means = entry.get("for_each_means", False)
        if not isinstance(per_means, bool):
            self.problem(f"{where} › for_each_means", "expected true or false")
            per_means = False
        if "when" not in entry:
            self.problem(where, "'when' is required")
        when = self.condition(entry.get("when"), f"{where} › when", "means_rule" if per_means else "rule")
        then = self.mapping(entry.get("then"), f"{where} › then", THEN_KEYS)
        if then is None:
            return None
        if not any(then.get(key) for key in THEN_KEYS):
            self.problem(f"{where} › then", "a rule must produce at least one signal")
        opportunity = self.opportunity(then.get("opportunity"), f"{where} › then › opportunity", per_means)
        default_solution = opportunity.solution if opportunity else None
        barriers = tuple(
            b
            for i, item in enumerate(self.items(then.get("barriers"), f"{where} › then › barriers"))
            if (b := self.barrier(item, f"{where} › then › barriers[{i}]", default_solution)) is not None
        )
        cooperation = tuple(
            c
            for i, item in enumerate(self.items(then.get("cooperation"), f"{where} › then › cooperation"))
            if (
                c := self.cooperation(item, f"{where} › then › cooperation[{i}]", default_solution, per_means)
            )
            is not None
        )
        flags = []
        for i, flag in enumerate(self.items(then.get("flags"), f"{where} › then › flags")):
            if not isinstance(flag, str) or not IDENTIFIER.match(flag):
                self.problem(
                    f"{where} › then › flags[{i}]", f"flag {flag!r} must be lower-case letters, digits and _"
                )
            else:
                flags.append(flag)
        issues = []
        for i, item in enumerate(self.items(then.get("issues"), f"{where} › then › issues")):
            issue = self.mapping(item, f"{where} › then › issues[{i}]", {"id", "label"})
            if issue is not None:
                issues.append(
                    IssueSpec(
                        self.identifier(issue, f"{where} › then › issues[{i}]"),
                        self.text(issue, "label", f"{where} › then › issues[{i}]"),
                    )
                )
        return Rule(
            id=identifier,
            when=when,
            description=str(entry.get("description") or "").strip(),
            for_each_means=per_means,
            opportunity=opportunity,
            barriers=barriers,
            cooperation=cooperation,
            flags=tuple(flags),
            issues=tuple(issues),
        )

    def opportunity(self, raw: Any, where: str, per_means: bool) -> OpportunitySpec | None:
        if raw is None:
            return None
        entry = self.mapping(raw, where, OPPORTUNITY_KEYS)
        if entry is None:
            return None
        solution = self.code(entry.get("solution"), v.SOLUTIONS, f"{where} › solution", "solution code")
        if entry.get("solution") is None:
            self.problem(where, "'solution' is required")
        title = self.text(entry, "title", where)
        potential = self.code(entry.get("potential", "medium"), v.LEVELS, f"{where} › potential", "level")
        feasibility = self.code(
            entry.get("feasibility", "medium"), v.LEVELS, f"{where} › feasibility", "level"
        )
        saving = self.number(entry.get("energy_saving_pct"), f"{where} › energy_saving_pct", 0, 100)
        mass = self.number(entry.get("avoided_mass_pct"), f"{where} › avoided_mass_pct", 0, 100)
        if mass is not None and not per_means:
            self.problem(
                f"{where} › avoided_mass_pct",
                "an avoided mass is estimated per means: use for_each_means: true",
            )
        years = self.number(entry.get("over_years", 15), f"{where} › over_years", 1, 100) or 15.0
        needs = self.need(entry.get("needs"), f"{where} › needs", per_means)
        if solution is None:
            return None
        return OpportunitySpec(
            solution=solution,
            title=title,
            description=str(entry.get("description") or "").strip(),
            potential=potential or "medium",
            feasibility=feasibility or "medium",
            energy_saving_pct=saving,
            avoided_mass_pct=mass,
            over_years=years,
            needs=needs,
        )

    def need(self, raw: Any, where: str, per_means: bool) -> NeedSpec | None:
        if raw is None:
            return None
        entry = self.mapping(raw, where, {"kind", "category", "skill", "hours_per_year"})
        if entry is None:
            return None
        kind = self.code(entry.get("kind"), v.EXCHANGE_KINDS, f"{where} › kind", "need kind")
        category = self.category(entry.get("category"), f"{where} › category")
        skill = self.code(entry.get("skill"), v.SKILLS, f"{where} › skill", "skill")
        if kind == "capacity" and category is None and not per_means:
            self.problem(where, "machine capacity needs a category (or a rule run per means)")
        if kind == "skill" and skill is None:
            self.problem(where, "a skill need names its skill")
        hours = self.number(entry.get("hours_per_year"), f"{where} › hours_per_year", 0)
        return NeedSpec(kind, category, skill, hours) if kind else None

    def barrier(self, raw: Any, where: str, default_solution: str | None) -> BarrierSpec | None:
        entry = self.mapping(raw, where, {"category", "comment", "solution"})
        if entry is None:
            return None
        category = self.code(
            entry.get("category"), v.BARRIER_CATEGORIES, f"{where} › category", "barrier category"
        )
        solution = self.code(entry.get("solution"), v.SOLUTIONS, f"{where} › solution", "solution code")
        if solution is None and default_solution is None and entry.get("solution") is None:
            self.problem(where, "a barrier outside an opportunity names the solution it hinders")
        if category is None:
            if entry.get("category") is None:
                self.problem(where, "'category' is required")
            return None
        return BarrierSpec(
            category, self.text(entry, "comment", where, required=False), solution or default_solution
        )

    def cooperation(
        self, raw: Any, where: str, default_solution: str | None, per_means: bool
    ) -> CooperationSpec | None:
        keys = {
            "direction",
            "kind",
            "solution",
            "category",
            "skill",
            "strength",
            "hours_per_year",
            "description",
        }
        entry = self.mapping(raw, where, keys)
        if entry is None:
            return None
        direction = self.code(entry.get("direction"), v.DIRECTIONS, f"{where} › direction", "direction")
        kind = self.code(entry.get("kind"), v.EXCHANGE_KINDS, f"{where} › kind", "exchange kind")
        solution = (
            self.code(entry.get("solution"), v.SOLUTIONS, f"{where} › solution", "solution code")
            or default_solution
        )
        category = self.category(entry.get("category"), f"{where} › category")
        skill = self.code(entry.get("skill"), v.SKILLS, f"{where} › skill", "skill")
        strength = self.number(entry.get("strength", 1.0), f"{where} › strength", 0, 1)
        for key, value in (("direction", direction), ("kind", kind), ("solution", solution)):
            if value is None and entry.get(key) is None:
                self.problem(where, f"{key!r} is required")
        if kind == "capacity" and category is None and not per_means:
            self.problem(where, "machine capacity needs a category (or a rule run per means)")
        if kind == "skill" and skill is None:
            self.problem(where, "a skill signal names its skill")
        if direction is None or kind is None or solution is None:
            return None
        return CooperationSpec(
            direction=direction,
            kind=kind,
            solution=solution,
            category=category,
            skill=skill,
            strength=1.0 if strength is None else strength,
            hours_per_year=self.number(entry.get("hours_per_year"), f"{where} › hours_per_year", 0),
            description=self.text(entry, "description", where, required=False),
        )

    def order_rules(self, rules: list[Rule]) -> tuple[Rule, ...]:
        """Order rules so that each runs after the rules setting the flags it reads."""
        setters: dict[str, list[str]] = {}
        for rule in rules:
            for flag in rule.flags:
                setters.setdefault(flag, []).append(rule.id)
        for flag, where in self.flags_read.items():
            if flag not in setters:
                self.problem(where, f"flag {flag!r} is never set by any rule")
        graph = {
            rule.id: {s for flag in flags_read(rule.when) for s in setters.get(flag, [])} for rule in rules
        }
        cycle = find_cycle(graph)
        if cycle:
            path = " → ".join(f'rule "{r}"' for r in cycle)
            self.problem(
                f'rule "{cycle[0]}" › when', f"rules reading each other's flags form a cycle: {path}"
            )
            return tuple(rules)
        return tuple(_topological(rules, graph))

    def webinar_topics(self, raw: Any, rules: tuple[Rule, ...]) -> tuple[WebinarTopic, ...]:
        issue_ids = {issue.id for rule in rules for issue in rule.issues}
        checks: dict[str, Callable[[str], bool]] = {
            "solution": lambda rest: rest in v.SOLUTIONS,
            "barrier": lambda rest: rest in v.BARRIER_CATEGORIES,
            "issue": lambda rest: rest in issue_ids,
            "need": lambda rest: (
                (rest.startswith("skill:") and rest[6:] in v.SKILLS)
                or (rest.startswith("capacity:") and (self.categories is None or rest[9:] in self.categories))
            ),
        }
        topics = []
        for index, item in enumerate(self.items(raw, "webinar_topics")):
            where = f"webinar_topics[{index}]"
            entry = self.mapping(item, where, {"theme", "title", "description"})
            if entry is None:
                continue
            theme = self.text(entry, "theme", where)
            head, _, rest = theme.partition(":")
            if theme and (head not in checks or not checks[head](rest)):
                self.problem(
                    f"{where} › theme",
                    f"unknown theme {theme!r} (solution:<code>, need:skill:<skill>, need:capacity:<category>, barrier:<category> or issue:<issue id>)",
                )
            topics.append(
                WebinarTopic(
                    theme,
                    self.text(entry, "title", where),
                    self.text(entry, "description", where, required=False),
                )
            )
        return tuple(topics)


def find_cycle(graph: Mapping[str, Collection[str]]) -> list[str] | None:
    """A cycle of the directed graph as a path that returns to its start, or None."""
    state: dict[str, int] = {}  # 1 visiting, 2 done
    stack: list[str] = []

    def visit(node: str) -> list[str] | None:
        state[node] = 1
        stack.append(node)
        for successor in sorted(graph.get(node, ())):
            if state.get(successor) == 1:
                return [*stack[stack.index(successor) :], successor]
            if successor not in state and (found := visit(successor)):
                return found
        stack.pop()
        state[node] = 2
        return None

    for node in graph:
        if node not in state and (found := visit(node)):
            return found
    return None


def _topological(rules: list[Rule], depends_on: Mapping[str, set[str]]) -> list[Rule]:
    done: set[str] = set()
    ordered: list[Rule] = []
    remaining = list(rules)
    while remaining:
        ready = next(rule for rule in remaining if depends_on[rule.id] <= done)
        ordered.append(ready)
        done.add(ready.id)
        remaining.remove(ready)
    return ordered
