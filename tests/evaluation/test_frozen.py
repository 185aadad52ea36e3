from __future__ import annotations

import pytest
from django.urls import reverse

from sobrindustrie.evaluation.enums import EvaluationStatus
from tests.evaluation.conftest import EvalWorld


@pytest.mark.parametrize("page", ["evaluation_edit"])
def test_a_submitted_evaluation_cannot_be_edited(eval_world: EvalWorld, page: str) -> None:
    evaluation = eval_world.evaluation
    evaluation.status = EvaluationStatus.SUBMITTED
    evaluation.save()
    client = eval_world.world.client("consultant")
    response = client.get(reverse(f"www:{page}", args=[evaluation.pk]))
    assert response.status_code == 302
    assert response["Location"] == evaluation.get_absolute_url()
    posted = client.post(reverse(f"www:{page}", args=[evaluation.pk]), {"title": "Changed"})
    assert posted.status_code == 302
    evaluation.refresh_from_db()
    assert evaluation.status == EvaluationStatus.SUBMITTED
