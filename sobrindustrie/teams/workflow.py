"""The prospecting pipeline of an outside structure, as an explicit transition table.

Every move of a prospect goes through `check_transition`: a move that is not in the table is refused
with a message naming the statuses it could go to, never ignored. All transitions are made by the
people who manage the team (consultants of the programme, platform staff; see `perms`).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from sobrindustrie.teams.enums import ProspectStatus

S = ProspectStatus


@dataclass(frozen=True)
class Transition:
    name: str
    source: str
    target: str


TRANSITIONS: tuple[Transition, ...] = (
    Transition("contact", S.TO_CONTACT, S.CONTACTED),
    Transition("show_interest", S.CONTACTED, S.INTERESTED),
    Transition("commit", S.CONTACTED, S.COMMITTED),
    Transition("commit", S.INTERESTED, S.COMMITTED),
    Transition("decline", S.CONTACTED, S.DECLINED),
    Transition("decline", S.INTERESTED, S.DECLINED),
    # Corrections and second chances: a cooled interest, a withdrawal, a structure to approach again.
    Transition("cool_down", S.INTERESTED, S.CONTACTED),
    Transition("withdraw", S.COMMITTED, S.DECLINED),
    Transition("reopen", S.DECLINED, S.TO_CONTACT),
)


def next_statuses(source: str) -> list[str]:
    """The statuses a prospect in `source` may move to, in pipeline order."""
    targets = {t.target for t in TRANSITIONS if t.source == source}
    return [status for status in S.values if status in targets]


def check_transition(source: str, target: str) -> Transition:
    """The transition from `source` to `target`, or a ValidationError saying where it may go instead."""
    for transition in TRANSITIONS:
        if transition.source == source and transition.target == target:
            return transition
    allowed = ", ".join(str(S(status).label) for status in next_statuses(source)) or "—"
    raise ValidationError(
        format_lazy(
            _(
                "A structure cannot go from “{source}” to “{target}”. From “{source}” it may go to: {allowed}."
            ),
            source=S(source).label,
            target=S(target).label if target in S.values else target,
            allowed=allowed,
        ),
        code="invalid_transition",
    )
