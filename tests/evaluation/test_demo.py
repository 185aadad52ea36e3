"""The demo evaluations load on top of the demo programme and its teams, and load idempotently."""

from __future__ import annotations

import pytest

from sobrindustrie.demo import evaluation as demo
from sobrindustrie.demo.loader import load_demo
from sobrindustrie.evaluation.models import (
    BalanceLine,
    Consequence,
    EcoCriterion,
    Evaluation,
    GhgBalance,
    Trip,
)
from sobrindustrie.organisations.models import Organisation
from sobrindustrie.programmes.models import Programme
from sobrindustrie.teams.services import NewTeam, create_teams

MODELS = [Evaluation, Consequence, GhgBalance, BalanceLine, Trip, EcoCriterion]
TEAMS = [
    ("Découpe mutualisée", "pooling", ["decoupe-laser-rhodanienne", "toles-etang"]),
    ("Maintenance partagée", "inhouse_maintenance", ["provence-usinage", "inox-process"]),
    ("Rétrofit de presses", "retrofit", ["hydraulique-provence-verte", "azur-mecatronique"]),
    ("Fours sobres", "usage_change", ["thermo-varois", "electronique-durance"]),
]


def _counts() -> dict[str, int]:
    counts = {model.__name__: model.objects.count() for model in MODELS}
    counts.update({f"{model.__name__} history": model.history.count() for model in MODELS})
    return counts


@pytest.fixture
def programme(db: object) -> Programme:
    load_demo(password="secret-demo-1")
    programme = Programme.objects.get(slug="sobrindustrie-paca-2025")
    orgs = {o.slug: o for o in Organisation.objects.filter(programme=programme)}
    create_teams(
        programme,
        [
            NewTeam(name, theme, tuple(orgs[s] for s in slugs), pilot=orgs[slugs[0]])
            for name, theme, slugs in TEAMS
        ],
    )
    return programme


def test_demo_loads_one_evaluation_per_team_and_is_idempotent(programme: Programme) -> None:
    demo.load(programme)
    assert Evaluation.objects.filter(programme=programme).count() == len(TEAMS)
    assert GhgBalance.objects.filter(central_kg__isnull=False).count() == 3
    assert all(b.central_kg < 0 for b in GhgBalance.objects.all())
    assert sorted(Evaluation.objects.values_list("status", flat=True)) == [
        "draft", "draft", "submitted", "validated"
    ]  # fmt: skip
    assert Consequence.objects.filter(parent__isnull=False).exists()
    assert Trip.objects.count() == 15
    cars = Trip.objects.filter(mode="voiturethermique")
    assert cars.count() == 1 and cars.get().justification
    before = _counts()
    demo.load(programme)
    assert _counts() == before
