"""Adapt the models to the method's plain facts, and the diagnostics to the cooperation engine."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from typing import Any

from django.db.models import Prefetch
from django.utils import timezone

from sobrindustrie.diagnostics.enums import OpportunityStatus
from sobrindustrie.diagnostics.methods.evaluate import Evaluation, evaluate
from sobrindustrie.diagnostics.methods.facts import DiagnosticFacts, MeansFacts
from sobrindustrie.diagnostics.models import (
    Answer,
    CooperationSignal,
    Diagnostic,
    MeansObservation,
    Opportunity,
)
from sobrindustrie.engines.teams.inputs import Signal
from sobrindustrie.organisations.models import ProductionMeans


def means_facts(means: ProductionMeans, observation: MeansObservation | None, year: int) -> MeansFacts:
    """A production means as the diagnostic sees it: the observation overrides the declaration."""
    utilisation = means.utilisation_rate
    condition = means.condition
    retrofit = None
    if observation is not None:
        if observation.observed_utilisation_rate is not None:
            utilisation = observation.observed_utilisation_rate
        condition = observation.observed_condition or condition
        retrofit = observation.retrofit_potential or None
    return MeansFacts(
        id=str(means.pk),
        name=means.name,
        category=means.category,
        top_category=means.top_category,
        utilisation_rate=utilisation,
        condition=condition,
        maintenance_mode=means.maintenance_mode,
        contractor_distance_km=means.contractor_distance_km,
        planned_action=means.planned_action,
        sharing_hours_per_week=means.sharing_hours_per_week,
        annual_consumption_kwh=means.annual_consumption_kwh,
        annual_operating_hours=means.annual_operating_hours,
        rated_power_kw=means.rated_power_kw,
        energy_carrier=means.energy_carrier,
        age_years=float(year - means.year) if means.year else None,
        mass_kg=means.mass_kg,
        retrofit_potential=retrofit,
    )


def facts_for(
    diagnostic: Diagnostic,
    answers: Iterable[Answer] | None = None,
    means: Iterable[ProductionMeans] | None = None,
    observations: Iterable[MeansObservation] | None = None,
) -> DiagnosticFacts:
    """The diagnostic's facts; pass rows already fetched to avoid one query each."""
    if answers is None:
        answers = diagnostic.answers.all()
    if means is None:
        means = diagnostic.organisation.production_means.all()
    if observations is None:
        observations = diagnostic.observations.all()
    global_answers: dict[str, Any] = {}
    per_means: dict[str, dict[str, Any]] = defaultdict(dict)
    for answer in answers:
        if answer.production_means_id is None:
            global_answers[answer.question_id] = answer.value
        else:
            per_means[answer.question_id][str(answer.production_means_id)] = answer.value
    by_means = {observation.production_means_id: observation for observation in observations}
    year = (diagnostic.planned_on or timezone.localdate()).year
    return DiagnosticFacts(
        answers=global_answers,
        means_answers=dict(per_means),
        means=tuple(means_facts(m, by_means.get(m.pk), year) for m in means),
    )


def evaluate_diagnostic(diagnostic: Diagnostic) -> Evaluation:
    return evaluate(diagnostic.method.method, facts_for(diagnostic))


def evaluate_programme(diagnostics: list[Diagnostic]) -> dict[int, Evaluation]:
    """Evaluate many diagnostics with four queries in all (the synthesis reads every one)."""
    ids = [d.pk for d in diagnostics]
    answers: dict[int, list[Answer]] = defaultdict(list)
    for answer in Answer.objects.filter(diagnostic_id__in=ids):
        answers[answer.diagnostic_id].append(answer)
    observations: dict[int, list[MeansObservation]] = defaultdict(list)
    for observation in MeansObservation.objects.filter(diagnostic_id__in=ids):
        observations[observation.diagnostic_id].append(observation)
    means: dict[int, list[ProductionMeans]] = defaultdict(list)
    org_ids = {d.organisation_id for d in diagnostics}
    for item in ProductionMeans.objects.filter(organisation_id__in=org_ids):
        means[item.organisation_id].append(item)
    return {
        d.pk: evaluate(
            d.method.method, facts_for(d, answers[d.pk], means[d.organisation_id], observations[d.pk])
        )
        for d in diagnostics
    }


def cooperation_signals(programme: object) -> list[Signal]:
    """What the cooperation analysis reads from the diagnostics of a programme, as engine signals.

    Needs of opportunities that are not dismissed become "needs" signals of their solution; the
    diagnostic's cooperation signals are passed as they are. Organisation ids are the pks as text.
    """
    diagnostics = Diagnostic.objects.for_programme(programme).prefetch_related(
        Prefetch(
            "opportunities",
            queryset=Opportunity.objects.exclude(status=OpportunityStatus.DISMISSED).exclude(need_kind=""),
            to_attr="needing",
        ),
        Prefetch("cooperation_signals", queryset=CooperationSignal.objects.all(), to_attr="signals"),
    )
    result = []
    for diagnostic in diagnostics:
        org_id = str(diagnostic.organisation_id)
        for opportunity in diagnostic.needing:
            result.append(
                Signal(
                    org_id=org_id,
                    solution=opportunity.solution,
                    kind="needs",
                    category=opportunity.need_category or None,
                    skill=opportunity.need_skill or None,
                    strength=1.0 if opportunity.status == OpportunityStatus.RETAINED else 0.7,
                )
            )
        for signal in diagnostic.signals:
            result.append(
                Signal(
                    org_id=org_id,
                    solution=signal.solution,
                    kind=signal.direction,
                    category=signal.category or None,
                    skill=signal.skill or None,
                    strength=signal.strength,
                )
            )
    return result
