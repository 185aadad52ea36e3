from __future__ import annotations

import pytest

from sobrindustrie.cooperation import services
from sobrindustrie.cooperation.enums import ScenarioOrigin
from sobrindustrie.cooperation.models import (
    CooperationAnalysis,
    DetectedOpportunity,
    Scenario,
    TeamConstraint,
)
from sobrindustrie.demo import cooperation as demo_cooperation
from sobrindustrie.demo.loader import load_demo
from sobrindustrie.organisations.models import Organisation
from sobrindustrie.programmes.models import Programme
from sobrindustrie.teams.models import ProjectTeam

MODELS = [CooperationAnalysis, DetectedOpportunity, TeamConstraint, Scenario]


def _counts() -> dict[str, int]:
    counts = {model.__name__: model.objects.count() for model in MODELS}
    counts["Scenario history"] = Scenario.history.count()
    counts["TeamConstraint history"] = TeamConstraint.history.count()
    return counts


@pytest.mark.django_db
def test_the_demo_builds_workshop_2_idempotently() -> None:
    load_demo(password="demo-test-1")
    programme = Programme.objects.get(slug="sobrindustrie-paca-2025")
    demo_cooperation.load(programme)
    first = _counts()
    demo_cooperation.load(programme)
    assert _counts() == first
    assert first["CooperationAnalysis"] == 1 and first["DetectedOpportunity"] > 50
    constraint = TeamConstraint.objects.get(programme=programme)
    slugs = {org.slug for org in constraint.organisations.all()}
    assert slugs == {"toles-etang", "decoupe-laser-rhodanienne"}
    optimum = Scenario.objects.get(name=demo_cooperation.OPTIMAL_NAME)
    variant = Scenario.objects.get(name=demo_cooperation.VARIANT_NAME)
    assert optimum.origin == ScenarioOrigin.OPTIMISER and optimum.is_optimal and optimum.solver_time_s < 1
    assert variant.origin == ScenarioOrigin.HAND_MODIFIED and variant.loss > 0 and not variant.broken
    assert len(optimum.teams) == programme.target_team_count == 5
    ids = {org.pk: org.slug for org in Organisation.objects.filter(programme=programme)}
    for team in optimum.teams:
        assert not slugs <= {ids[pk] for pk in team}
    comparison = services.compare_scenarios(optimum, variant)
    assert len(comparison.moves) == 1
    assert not ProjectTeam.objects.filter(programme=programme).exists()
    # What the teams area's demo calls: the same optimal teams.
    partition = services.optimal_partition(programme)
    assert {frozenset(o.pk for o in team) for team in partition} == {frozenset(t) for t in optimum.teams}
