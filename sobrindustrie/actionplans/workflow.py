"""The actions' status workflow as an explicit transition table.

    planned ──► in_progress ──► done
       │  ╲         ▲   │         │ (reopen: consultants)
       │   ╲        │   ▼         ▼
       │    ╰──► paused ◄──   in_progress
       ▼
    abandoned (consultants only, from any open status) ──► planned (revived: consultants)

Team members move their actions forward or pause them; abandoning, reopening a finished action
and reviving an abandoned one are decisions taken with the consultant, so only the programme's
consultants record them. A move that is not in the table is refused with the moves that are.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from sobrindustrie.actionplans.enums import ActionStatus

EDITOR = "editor"
MANAGER = "manager"

S = ActionStatus
TRANSITIONS: dict[tuple[str, str], str] = {
    (S.PLANNED, S.IN_PROGRESS): EDITOR,
    (S.PLANNED, S.PAUSED): EDITOR,
    (S.PLANNED, S.ABANDONED): MANAGER,
    (S.IN_PROGRESS, S.DONE): EDITOR,
    (S.IN_PROGRESS, S.PAUSED): EDITOR,
    (S.IN_PROGRESS, S.ABANDONED): MANAGER,
    (S.PAUSED, S.IN_PROGRESS): EDITOR,
    (S.PAUSED, S.ABANDONED): MANAGER,
    (S.DONE, S.IN_PROGRESS): MANAGER,
    (S.ABANDONED, S.PLANNED): MANAGER,
}


def targets(current: str, can_manage: bool) -> list[str]:
    """Statuses a user may move an action to from `current`, in the enum's order."""
    return [
        status
        for status in ActionStatus.values
        if (who := TRANSITIONS.get((current, status))) and (who == EDITOR or can_manage)
    ]


def check_transition(current: str, new: str, can_manage: bool) -> None:
    """Raise a ValidationError saying why the move is refused; staying put is always allowed."""
    if current == new:
        return
    who = TRANSITIONS.get((current, new))
    labels = dict(ActionStatus.choices)
    if who is None:
        allowed = ", ".join(str(labels[s]) for s in targets(current, True)) or "—"
        raise ValidationError(
            _(
                "An action cannot go from “%(current)s” to “%(new)s”. From “%(current)s” it may go to: %(allowed)s."
            )
            % {"current": labels[current], "new": labels[new], "allowed": allowed}
        )
    if who == MANAGER and not can_manage:
        raise ValidationError(
            _("Only the programme's consultants may move an action from “%(current)s” to “%(new)s”.")
            % {"current": labels[current], "new": labels[new]}
        )


def check_progress(status: str, progress: int) -> None:
    """An action not started is at 0 %, a finished one at 100 %."""
    if not 0 <= progress <= 100:
        raise ValidationError(_("Progress is a percentage between 0 and 100."))
    if status == ActionStatus.PLANNED and progress != 0:
        raise ValidationError(_("An action still to come has not started: its progress must be 0 %."))
    if status == ActionStatus.DONE and progress != 100:
        raise ValidationError(_("A finished action is at 100 %."))
