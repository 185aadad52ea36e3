"""The tree of consequences: nesting, moving, no cycles, deleting leaves only, concurrent edits."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from sobrindustrie.core.models import ConcurrentEditError
from sobrindustrie.evaluation import services
from sobrindustrie.evaluation.models import Consequence
from sobrindustrie.evaluation.results import build_tree, flatten
from tests.evaluation.conftest import EvalWorld


def _node(description: str) -> Consequence:
    return Consequence(
        description=description, direction="better", magnitude="low", certainty="high", horizon="short"
    )


def _outline(evaluation) -> list[str]:  # type: ignore[no-untyped-def]
    return [
        f"{r.number} {r.consequence.description}" for r in flatten(build_tree(evaluation.consequences.all()))
    ]


@pytest.fixture
def tree(eval_world: EvalWorld) -> dict[str, Consequence]:
    evaluation = eval_world.evaluation
    a = services.add_consequence(evaluation, None, _node("A"))
    b = services.add_consequence(evaluation, None, _node("B"))
    a1 = services.add_consequence(evaluation, a, _node("A1"))
    a2 = services.add_consequence(evaluation, a, _node("A2"))
    a1x = services.add_consequence(evaluation, a1, _node("A1x"))
    return {"A": a, "B": b, "A1": a1, "A2": a2, "A1x": a1x}


def test_it_nests_and_numbers_like_an_outline(eval_world: EvalWorld, tree: dict[str, Consequence]) -> None:
    assert _outline(eval_world.evaluation) == ["1 A", "1.1 A1", "1.1.1 A1x", "1.2 A2", "2 B"]


def test_it_moves_up_and_down_among_siblings(eval_world: EvalWorld, tree: dict[str, Consequence]) -> None:
    services.move_consequence(tree["A2"], -1)
    assert _outline(eval_world.evaluation) == ["1 A", "1.1 A2", "1.2 A1", "1.2.1 A1x", "2 B"]
    services.move_consequence(Consequence.objects.get(pk=tree["B"].pk), -1)
    assert _outline(eval_world.evaluation)[0] == "1 B"
    services.move_consequence(Consequence.objects.get(pk=tree["B"].pk), -1)  # already first: no move
    assert _outline(eval_world.evaluation)[0] == "1 B"


def test_it_moves_a_subtree_under_another_node(eval_world: EvalWorld, tree: dict[str, Consequence]) -> None:
    services.move_under(tree["A1"], tree["B"])
    assert _outline(eval_world.evaluation) == ["1 A", "1.1 A2", "2 B", "2.1 A1", "2.1.1 A1x"]
    services.move_under(Consequence.objects.get(pk=tree["A1"].pk), None)
    assert _outline(eval_world.evaluation)[-2:] == ["3 A1", "3.1 A1x"]


@pytest.mark.parametrize("target", ["A", "A1", "A1x"])
def test_it_refuses_cycles(eval_world: EvalWorld, tree: dict[str, Consequence], target: str) -> None:
    with pytest.raises(ValidationError, match="under itself or one of its own consequences"):
        services.move_under(tree["A"], tree[target])


def test_it_deletes_leaves_only(eval_world: EvalWorld, tree: dict[str, Consequence]) -> None:
    with pytest.raises(ValidationError, match="has consequences below it"):
        services.delete_consequence(tree["A1"])
    services.delete_consequence(tree["A1x"])
    services.delete_consequence(Consequence.objects.get(pk=tree["A1"].pk))
    assert _outline(eval_world.evaluation) == ["1 A", "1.1 A2", "2 B"]


def test_a_stale_version_is_refused(eval_world: EvalWorld, tree: dict[str, Consequence]) -> None:
    stale = tree["A2"].version
    fresh = Consequence.objects.get(pk=tree["A2"].pk)
    fresh.description = "A2 bis"
    fresh.save_checked(fresh.version)
    with pytest.raises(ConcurrentEditError):
        services.move_consequence(Consequence.objects.get(pk=fresh.pk), -1, expected_version=stale)


def test_a_submitted_evaluation_is_frozen(eval_world: EvalWorld, tree: dict[str, Consequence]) -> None:
    services.apply_transition(eval_world.evaluation, "submit", eval_world.world.users["consultant"])
    node = Consequence.objects.select_related("evaluation").get(pk=tree["B"].pk)
    with pytest.raises(ValidationError, match="only be changed while it is a draft"):
        services.add_consequence(node.evaluation, node, _node("C"))
