from __future__ import annotations

import pytest

from sobrindustrie.demo import diagnostics as demo_diagnostics
from sobrindustrie.demo.loader import load_demo
from sobrindustrie.diagnostics.enums import DiagnosticStatus, OpportunityStatus
from sobrindustrie.diagnostics.models import (
    Answer,
    Barrier,
    Candidacy,
    CooperationSignal,
    Diagnostic,
    DiagnosticSession,
    MeansObservation,
    MethodVersion,
    Opportunity,
    StatusChange,
)
from sobrindustrie.programmes.models import Programme

MODELS = [
    MethodVersion,
    Candidacy,
    Diagnostic,
    DiagnosticSession,
    Answer,
    MeansObservation,
    Opportunity,
    Barrier,
    CooperationSignal,
    StatusChange,
]


def _counts() -> dict[str, int]:
    counts = {model.__name__: model.objects.count() for model in MODELS}
    for model in MODELS:
        history = getattr(model, "history", None)
        if history is not None:
            counts[f"{model.__name__} history"] = history.count()
    return counts


@pytest.fixture
def programme(db: object) -> Programme:
    load_demo(password="demo-test-password")
    programme = Programme.objects.get(slug="sobrindustrie-paca-2025")
    demo_diagnostics.load(programme)
    return programme


def test_every_laureate_has_a_diagnostic_and_every_state_is_shown(programme: Programme) -> None:
    diagnostics = Diagnostic.objects.for_programme(programme)
    assert diagnostics.count() == 15
    assert set(diagnostics.values_list("status", flat=True)) == set(DiagnosticStatus.values)
    method = MethodVersion.objects.get(programme=programme)
    assert method.is_validated and method.validated_by is not None
    for diagnostic in diagnostics.exclude(status=DiagnosticStatus.PLANNED):
        assert diagnostic.answers.exists()
        assert diagnostic.sessions.exists()
        assert diagnostic.opportunities.exclude(status=OpportunityStatus.DISMISSED).exists(), diagnostic
        assert diagnostic.days_spent <= programme.diagnostic_days_cap
    for diagnostic in diagnostics.filter(status=DiagnosticStatus.VALIDATED):
        assert diagnostic.validated_by is not None and diagnostic.accepted_by is not None
    assert CooperationSignal.objects.filter(diagnostic__programme=programme).exists()
    assert Barrier.objects.filter(opportunity__diagnostic__programme=programme).exists()


def test_loading_twice_changes_nothing(programme: Programme) -> None:
    before = _counts()
    demo_diagnostics.load(programme)
    assert _counts() == before


def test_every_demo_row_is_valid(programme: Programme) -> None:
    for model in (Diagnostic, DiagnosticSession, Opportunity, MeansObservation, CooperationSignal):
        for row in model.objects.all():
            row.full_clean()
