"""A parsed diagnostic method: frozen dataclasses built by `loader.parse_method`."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from sobrindustrie.diagnostics.methods.conditions import Condition


@dataclass(frozen=True)
class Choice:
    value: str
    label: str


@dataclass(frozen=True)
class Question:
    id: str
    section_id: str
    kind: str  # yes_no, choice, number, text
    label: str
    guidance: str = ""
    unit: str = ""
    minimum: float | None = None
    maximum: float | None = None
    choices: tuple[Choice, ...] = ()
    per_means: bool = False
    criteria: tuple[str, ...] = ()
    show_if: Condition | None = None

    def choice_label(self, value: Any) -> str:
        return next((choice.label for choice in self.choices if choice.value == value), str(value))


@dataclass(frozen=True)
class Section:
    id: str
    title: str
    stage: str | None = None
    solution: str | None = None
    guidance: str = ""
    questions: tuple[Question, ...] = ()


@dataclass(frozen=True)
class NeedSpec:
    """What an opportunity needs from others: machine capacity in a category, or a skill."""

    kind: str  # capacity or skill
    category: str | None = None  # None in a per-means rule: the means' category
    skill: str | None = None
    hours_per_year: float | None = None


@dataclass(frozen=True)
class OpportunitySpec:
    solution: str
    title: str
    description: str = ""
    potential: str = "medium"
    feasibility: str = "medium"
    energy_saving_pct: float | None = None
    avoided_mass_pct: float | None = None
    over_years: float = 15.0
    needs: NeedSpec | None = None


@dataclass(frozen=True)
class BarrierSpec:
    category: str
    comment: str = ""
    solution: str | None = None  # required when the rule suggests no opportunity


@dataclass(frozen=True)
class CooperationSpec:
    direction: str  # offers or needs
    kind: str  # capacity or skill
    solution: str
    category: str | None = None  # None in a per-means rule: the means' category
    skill: str | None = None
    strength: float = 1.0
    hours_per_year: float | None = None
    description: str = ""


@dataclass(frozen=True)
class IssueSpec:
    id: str
    label: str


@dataclass(frozen=True)
class Rule:
    id: str
    when: Condition
    description: str = ""
    for_each_means: bool = False
    opportunity: OpportunitySpec | None = None
    barriers: tuple[BarrierSpec, ...] = ()
    cooperation: tuple[CooperationSpec, ...] = ()
    flags: tuple[str, ...] = ()
    issues: tuple[IssueSpec, ...] = ()


@dataclass(frozen=True)
class WebinarTopic:
    """A webinar topic the synthesis may propose when its theme is shared by several companies.

    `theme` names what is counted: "solution:pooling", "need:skill:maintenance",
    "need:capacity:cutting" (a top-level category), "barrier:skills" or "issue:<issue id>".
    """

    theme: str
    title: str
    description: str = ""


@dataclass(frozen=True)
class Method:
    code: str
    version: str
    title: str
    description: str = ""
    criteria: Mapping[str, str] = field(default_factory=dict)
    parameters: Mapping[str, float] = field(default_factory=dict)
    sections: tuple[Section, ...] = ()
    rules: tuple[Rule, ...] = ()  # in evaluation order (a rule comes after the rules whose flags it reads)
    webinar_topics: tuple[WebinarTopic, ...] = ()

    @cached_property
    def questions(self) -> dict[str, Question]:
        return {question.id: question for section in self.sections for question in section.questions}

    def section(self, section_id: str) -> Section | None:
        return next((section for section in self.sections if section.id == section_id), None)

    @property
    def label(self) -> str:
        return f"{self.title} v{self.version}"
