"""Net qualitative result per aspect, and the workflow's refusals."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from sobrindustrie.evaluation import services
from sobrindustrie.evaluation.enums import EvaluationStatus, NetResult
from sobrindustrie.evaluation.grid import load_grid
from sobrindustrie.evaluation.models import Consequence
from sobrindustrie.evaluation.results import aspect_results, net_result
from tests.evaluation.conftest import EvalWorld


def _c(
    direction: str, magnitude: str = "medium", certainty: str = "high", aspects=("climate",)
) -> Consequence:  # type: ignore[no-untyped-def]
    return Consequence(
        description=f"{direction} {magnitude}",
        direction=direction,
        magnitude=magnitude,
        certainty=certainty,
        horizon="short",
        aspects=list(aspects),
    )


@pytest.mark.parametrize(
    "consequences,expected",
    [
        ([], NetResult.NOT_ASSESSED),
        ([_c("better")], NetResult.BETTER),
        # high gain (3 × 1) against a medium, low-certainty loss (2 × 0.5): better.
        ([_c("better", "high"), _c("worse", "medium", "low")], NetResult.BETTER),
        ([_c("better", "low"), _c("worse", "high")], NetResult.WORSE),
        ([_c("better", "medium"), _c("worse", "medium")], NetResult.BALANCED),
        ([_c("neutral")], NetResult.NEUTRAL),
        ([_c("uncertain"), _c("uncertain")], NetResult.UNCERTAIN),
    ],
)
def test_net_result(consequences: list[Consequence], expected: NetResult) -> None:
    assert net_result(consequences, load_grid())[0] == expected


def test_each_aspect_keeps_the_consequences_behind_it() -> None:
    gain = _c("better", aspects=("climate", "resources"))
    loss = _c("worse", "low", aspects=("pollution",))
    results = {r.aspect.code: r for r in aspect_results([gain, loss], load_grid())}
    assert results["climate"].result == NetResult.BETTER
    assert results["resources"].consequences == (gain,)
    assert results["pollution"].result == NetResult.WORSE
    assert results["water"].result == NetResult.NOT_ASSESSED


def test_submission_is_refused_without_a_reference_scenario(eval_world: EvalWorld) -> None:
    evaluation = eval_world.evaluation
    evaluation.reference_scenario = "   "
    evaluation.save()
    with pytest.raises(ValidationError) as refusal:
        services.apply_transition(evaluation, "submit", eval_world.world.users["consultant"])
    assert "reference_scenario" in refusal.value.message_dict
    assert "reference scenario is empty" in refusal.value.message_dict["reference_scenario"][0]
    evaluation.refresh_from_db()
    assert evaluation.status == EvaluationStatus.DRAFT


def test_workflow_draft_submitted_validated(eval_world: EvalWorld) -> None:
    users = eval_world.world.users
    evaluation = eval_world.evaluation
    with pytest.raises(ValidationError, match="not available"):
        services.apply_transition(evaluation, "submit", users["ademe"])
    services.apply_transition(evaluation, "submit", users["consultant"])
    with pytest.raises(ValidationError, match="not available"):
        services.apply_transition(evaluation, "validate", users["consultant"])
    services.apply_transition(evaluation, "validate", users["ademe"])
    evaluation.refresh_from_db()
    assert evaluation.status == EvaluationStatus.VALIDATED
    assert evaluation.validated_by == users["ademe"]
    assert evaluation.grid_version == "1.0"
    with pytest.raises(ValidationError, match="cannot be"):
        services.apply_transition(evaluation, "return", users["ademe"])
