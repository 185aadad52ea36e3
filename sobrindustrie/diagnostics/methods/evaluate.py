"""Turn a diagnostic's answers and inventory into signals, by the rules of a method.

`evaluate(method, facts)` is a pure function: same method and facts, same signals. Rules run in the
order the loader fixed (a rule after those whose flags it reads). A rule with `for_each_means` is
tried on every production means; it fires when at least one means matches, and its opportunity
concerns the matching means (estimates summed over them).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from sobrindustrie.diagnostics.methods.conditions import Context, holds
from sobrindustrie.diagnostics.methods.facts import DiagnosticFacts, MeansFacts, inventory_metrics
from sobrindustrie.diagnostics.methods.schema import (
    BarrierSpec,
    IssueSpec,
    Method,
    OpportunitySpec,
    Rule,
)

PRICE_PARAMETERS = {
    "electricity": "electricity_price_eur_per_kwh",
    "natural_gas": "natural_gas_price_eur_per_kwh",
}


@dataclass(frozen=True)
class SuggestedNeed:
    kind: str
    category: str | None
    skill: str | None
    hours_per_year: float | None


@dataclass(frozen=True)
class SuggestedOpportunity:
    rule_id: str
    solution: str
    title: str
    description: str
    potential: str
    feasibility: str
    means_ids: tuple[str, ...] = ()
    energy_kwh_by_carrier: Mapping[str, float] = field(default_factory=dict)
    material_kg_per_year: float | None = None
    euros_per_year: float | None = None
    need: SuggestedNeed | None = None
    barriers: tuple[BarrierSpec, ...] = ()

    @property
    def energy_kwh_per_year(self) -> float | None:
        return sum(self.energy_kwh_by_carrier.values()) if self.energy_kwh_by_carrier else None


@dataclass(frozen=True)
class SuggestedCooperation:
    rule_id: str
    direction: str
    kind: str
    solution: str
    category: str | None
    skill: str | None
    strength: float
    hours_per_year: float | None = None
    description: str = ""


@dataclass(frozen=True)
class Evaluation:
    fired: tuple[str, ...]
    flags: frozenset[str]
    inventory: Mapping[str, float | None]
    opportunities: tuple[SuggestedOpportunity, ...] = ()
    # barriers of rules that suggest no opportunity: they apply to the solution they name
    barriers: tuple[tuple[str, BarrierSpec], ...] = ()
    cooperation: tuple[SuggestedCooperation, ...] = ()
    issues: tuple[IssueSpec, ...] = ()


def visible_answers(method: Method, answers: Mapping[str, Any]) -> dict[str, Any]:
    """Drop answers to questions whose `show_if` is false: they were not asked."""
    base = Context(answers=answers)
    return {
        question_id: value
        for question_id, value in answers.items()
        if (question := method.questions.get(question_id)) is not None
        and (question.show_if is None or holds(question.show_if, base))
    }


def evaluate(method: Method, facts: DiagnosticFacts) -> Evaluation:
    inventory = inventory_metrics(facts.means, method.parameters)
    answers = visible_answers(method, facts.answers)
    means_ids = tuple(m.id for m in facts.means)
    flags: set[str] = set()
    fired: list[str] = []
    opportunities: list[SuggestedOpportunity] = []
    barriers: list[tuple[str, BarrierSpec]] = []
    cooperation: list[SuggestedCooperation] = []
    issues: dict[str, IssueSpec] = {}
    for rule in method.rules:
        context = Context(answers, facts.means_answers, inventory, frozenset(flags), means_ids)
        if rule.for_each_means:
            matched = [m for m in facts.means if holds(rule.when, _with_means(context, m))]
            if not matched:
                continue
        elif holds(rule.when, context):
            matched = list(facts.means)  # a rule on the whole company estimates over every means
        else:
            continue
        fired.append(rule.id)
        flags.update(rule.flags)
        for issue in rule.issues:
            issues.setdefault(issue.id, issue)
        if rule.opportunity is not None:
            opportunities.append(_opportunity(rule, rule.opportunity, matched, method.parameters))
        else:
            barriers.extend((rule.id, barrier) for barrier in rule.barriers)
        cooperation.extend(_cooperation(rule, matched))
    return Evaluation(
        fired=tuple(fired),
        flags=frozenset(flags),
        inventory=inventory,
        opportunities=tuple(opportunities),
        barriers=tuple(barriers),
        cooperation=tuple(_deduplicated(cooperation)),
        issues=tuple(issues.values()),
    )


def _with_means(context: Context, means: MeansFacts) -> Context:
    return Context(
        context.answers,
        context.means_answers,
        context.inventory,
        context.flags,
        context.means_ids,
        means.as_mapping(),
    )


def _opportunity(
    rule: Rule, spec: OpportunitySpec, matched: Sequence[MeansFacts], parameters: Mapping[str, float]
) -> SuggestedOpportunity:
    energy: dict[str, float] = {}
    if spec.energy_saving_pct is not None:
        for means in matched:
            if means.annual_consumption_kwh and means.energy_carrier != "none":
                saved = means.annual_consumption_kwh * spec.energy_saving_pct / 100
                energy[means.energy_carrier] = energy.get(means.energy_carrier, 0.0) + saved
    material = None
    if spec.avoided_mass_pct is not None:
        masses = [m.mass_kg for m in matched if m.mass_kg]
        if masses:
            material = sum(masses) * spec.avoided_mass_pct / 100 / spec.over_years
    priced = [kwh * parameters[PRICE_PARAMETERS[c]] for c, kwh in energy.items() if c in PRICE_PARAMETERS]
    need = None
    if spec.needs is not None:
        category = spec.needs.category
        if spec.needs.kind == "capacity" and category is None and matched:
            category = matched[0].category
        need = SuggestedNeed(spec.needs.kind, category, spec.needs.skill, spec.needs.hours_per_year)
    return SuggestedOpportunity(
        rule_id=rule.id,
        solution=spec.solution,
        title=spec.title,
        description=spec.description,
        potential=spec.potential,
        feasibility=spec.feasibility,
        means_ids=tuple(m.id for m in matched) if rule.for_each_means else (),
        energy_kwh_by_carrier={c: round(kwh, 1) for c, kwh in energy.items()},
        material_kg_per_year=None if material is None else round(material, 1),
        euros_per_year=round(sum(priced), 0) if priced else None,
        need=need,
        barriers=rule.barriers,
    )


def _cooperation(rule: Rule, matched: Sequence[MeansFacts]) -> list[SuggestedCooperation]:
    signals = []
    for spec in rule.cooperation:
        categories: list[str | None] = [spec.category]
        if spec.kind == "capacity" and spec.category is None:
            categories = list(dict.fromkeys(m.category for m in matched))
        for category in categories:
            signals.append(
                SuggestedCooperation(
                    rule_id=rule.id,
                    direction=spec.direction,
                    kind=spec.kind,
                    solution=spec.solution,
                    category=category,
                    skill=spec.skill,
                    strength=spec.strength,
                    hours_per_year=spec.hours_per_year,
                    description=spec.description,
                )
            )
    return signals


def _deduplicated(signals: list[SuggestedCooperation]) -> list[SuggestedCooperation]:
    """Keep the strongest signal per (direction, kind, solution, category, skill)."""
    best: dict[tuple[Any, ...], SuggestedCooperation] = {}
    for signal in signals:
        key = (signal.direction, signal.kind, signal.solution, signal.category, signal.skill)
        if key not in best or signal.strength > best[key].strength:
            best[key] = signal
    return list(best.values())
