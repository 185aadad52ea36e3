"""Factories of the evaluation area."""

from __future__ import annotations

import datetime as dt

import factory

from sobrindustrie.evaluation.models import (
    BalanceLine,
    Consequence,
    EcoCriterion,
    Evaluation,
    GhgBalance,
    Trip,
)


class EvaluationFactory(factory.django.DjangoModelFactory):
    """An evaluation; pass `team` (its programme follows)."""

    class Meta:
        model = Evaluation

    programme = factory.SelfAttribute("team.programme")
    project_holder = "Provence Usinage"
    title = factory.Sequence(lambda n: f"Mutualisation de la presse plieuse {n}")
    description = "Deux PME partagent une presse plieuse au lieu d'en acheter une seconde."
    main_objective = "Éviter l'achat d'une machine neuve."
    targeted_aspects = ["climate", "resources"]
    main_sector = "Mécanique"
    current_phase = "implementation"
    reference_scenario = "Chaque PME achète sa propre presse plieuse."


class ConsequenceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Consequence

    evaluation = factory.SubFactory(EvaluationFactory)
    position = factory.Sequence(lambda n: n)
    description = factory.Sequence(lambda n: f"Conséquence {n}")
    life_cycle_stage = "acquisition"
    aspects = ["climate"]
    direction = "better"
    magnitude = "medium"
    certainty = "high"
    horizon = "medium"


class BalanceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = GhgBalance

    evaluation = factory.SubFactory(EvaluationFactory)


class BalanceLineFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = BalanceLine

    balance = factory.SubFactory(BalanceFactory)
    position = factory.Sequence(lambda n: n + 1)
    label = "Fuites d'air comprimé réparées"
    kind = "energy"
    effect = "avoided"
    quantity = 12000
    unit = "kWh"
    factor_id = "electricity.fr.consumption_mix"


class TripFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Trip

    day = dt.date(2026, 3, 12)
    origin = "Marseille"
    destination = "Montpellier"
    km = 250
    mode = "tgv"
    people = 1


class EcoCriterionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = EcoCriterion

    criterion = "Déplacements en train en priorité"
    justification = "Toutes les entreprises sont à moins de 3 h de train."
    status = "in_progress"
