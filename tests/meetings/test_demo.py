from __future__ import annotations

import pytest

from sobrindustrie.demo import meetings as demo_meetings
from sobrindustrie.demo.loader import load_demo
from sobrindustrie.engines.obligations import ObligationStatus
from sobrindustrie.meetings import models
from sobrindustrie.meetings.enums import MinutesStatus
from sobrindustrie.meetings.obligations import compliance
from sobrindustrie.programmes.models import Programme

MODELS = [
    models.Meeting,
    models.Invitation,
    models.Guest,
    models.Minutes,
    models.MinutesLog,
    models.Decision,
    models.Survey,
    models.SurveyQuestion,
    models.SurveyInvitation,
    models.SurveyResponse,
    models.SurveyAnswer,
    models.TimeEntry,
    models.RestitutionEvent,
    models.Registration,
    models.ChecklistItem,
    models.MeetingDocument,
]


def _counts() -> dict[str, int]:
    counts = {}
    for model in MODELS:
        counts[model.__name__] = model.objects.count()
        if hasattr(model, "history"):
            counts[f"{model.__name__} history"] = model.history.count()
    return counts


@pytest.fixture
def programme(db: object, settings: object, tmp_path: object) -> Programme:
    settings.MEDIA_ROOT = tmp_path  # type: ignore[attr-defined]
    load_demo(password="secret-demo-1")
    programme = Programme.objects.get(slug="sobrindustrie-paca-2025")
    demo_meetings.load(programme)
    return programme


def test_the_demo_is_idempotent_valid_and_shows_every_status(programme: Programme) -> None:
    # One test: loading the demo takes most of a minute.
    before = _counts()
    demo_meetings.load(programme)
    assert _counts() == before

    for model in (
        models.Meeting,
        models.TimeEntry,
        models.Decision,
        models.Registration,
        models.ChecklistItem,
    ):
        for row in model.objects.all():
            row.full_clean()

    statuses = set(models.Minutes.objects.values_list("status", flat=True))
    assert statuses == set(MinutesStatus.values)
    result = compliance(programme)
    assert {row.result.status for row in result.rows} == set(ObligationStatus)
    assert any(m.is_late for m in models.Minutes.objects.all())
    assert models.SurveyResponse.objects.count() >= 10
