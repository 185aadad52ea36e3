"""The status workflow and the dependency graph, as pure rules."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from sobrindustrie.actionplans.dependencies import find_cycle
from sobrindustrie.actionplans.enums import ActionStatus as S
from sobrindustrie.actionplans.workflow import TRANSITIONS, check_progress, check_transition, targets


def test_team_members_move_forward_and_pause() -> None:
    assert targets(S.PLANNED, can_manage=False) == [S.IN_PROGRESS, S.PAUSED]
    assert targets(S.IN_PROGRESS, can_manage=False) == [S.DONE, S.PAUSED]
    assert targets(S.PAUSED, can_manage=False) == [S.IN_PROGRESS]
    assert targets(S.DONE, can_manage=False) == []
    assert targets(S.ABANDONED, can_manage=False) == []


def test_consultants_also_abandon_reopen_and_revive() -> None:
    assert S.ABANDONED in targets(S.IN_PROGRESS, can_manage=True)
    assert targets(S.DONE, can_manage=True) == [S.IN_PROGRESS]
    assert targets(S.ABANDONED, can_manage=True) == [S.PLANNED]


@pytest.mark.parametrize("current", S.values)
def test_staying_put_is_always_allowed(current: str) -> None:
    check_transition(current, current, can_manage=False)


def test_a_move_not_in_the_table_is_refused_with_the_allowed_moves() -> None:
    assert (S.PLANNED, S.DONE) not in TRANSITIONS
    with pytest.raises(ValidationError) as refused:
        check_transition(S.PLANNED, S.DONE, can_manage=True)
    message = refused.value.messages[0]
    assert "To come" in message and "Done" in message and "In progress" in message


def test_an_sme_member_cannot_abandon() -> None:
    with pytest.raises(ValidationError, match="consultants"):
        check_transition(S.IN_PROGRESS, S.ABANDONED, can_manage=False)
    check_transition(S.IN_PROGRESS, S.ABANDONED, can_manage=True)


@pytest.mark.parametrize(
    "status,progress,fragment",
    [(S.PLANNED, 10, "0 %"), (S.DONE, 90, "100 %"), (S.IN_PROGRESS, 120, "between 0 and 100")],
)
def test_progress_must_match_the_status(status: str, progress: int, fragment: str) -> None:
    with pytest.raises(ValidationError, match=fragment):
        check_progress(status, progress)


def test_consistent_progress_passes() -> None:
    check_progress(S.PLANNED, 0)
    check_progress(S.IN_PROGRESS, 100)
    check_progress(S.DONE, 100)


def test_no_cycle_in_a_chain() -> None:
    assert find_cycle({1: {2}, 2: {3}}, 3, [4]) is None


def test_a_cycle_is_returned_as_a_path() -> None:
    # 1 needs 2, 2 needs 3; making 3 need 1 closes the loop 3 → 1 → 2 → 3.
    assert find_cycle({1: {2}, 2: {3}}, 3, [1]) == [3, 1, 2, 3]


def test_an_action_cannot_depend_on_itself() -> None:
    assert find_cycle({}, 5, [5]) == [5, 5]


def test_replacing_prerequisites_drops_the_old_edges() -> None:
    # 1 needs 2 today; 2 may need 1 once 1 stops needing 2.
    assert find_cycle({1: {2}}, 1, []) is None
    assert find_cycle({1: set()}, 2, [1]) is None
