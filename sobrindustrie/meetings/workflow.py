"""The minutes' workflow as an explicit transition table.

    draft ──submit──► submitted ──validate──► validated
      ▲                 │   │
      └──withdraw───────┘   └──return──► returned ──submit──► submitted

Consultants submit and withdraw; ADEME validates or returns (with a reason). Anything else is
refused with a `TransitionError` that says why, never silently ignored.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from sobrindustrie.meetings.enums import MinutesStatus
from sobrindustrie.meetings.perms import can_manage_meetings, can_validate_minutes

if TYPE_CHECKING:
    from sobrindustrie.accounts.models import User
    from sobrindustrie.meetings.models import Minutes


class TransitionError(Exception):
    """A workflow step refused; the message tells the user why."""


@dataclass(frozen=True)
class Transition:
    action: str
    label: Promise
    sources: frozenset[MinutesStatus]
    target: MinutesStatus
    allowed: Callable[[User, Minutes], bool]
    who: Promise
    needs_comment: bool = False


def _consultant(user: User, minutes: Minutes) -> bool:
    return can_manage_meetings(user, minutes.meeting.programme)


def _ademe(user: User, minutes: Minutes) -> bool:
    return can_validate_minutes(user, minutes.meeting.programme)


TRANSITIONS: dict[str, Transition] = {
    transition.action: transition
    for transition in (
        Transition(
            "submit",
            _("Submit to ADEME"),
            frozenset({MinutesStatus.DRAFT, MinutesStatus.RETURNED}),
            MinutesStatus.SUBMITTED,
            _consultant,
            _("the programme's consultants"),
        ),
        Transition(
            "withdraw",
            _("Withdraw to edit"),
            frozenset({MinutesStatus.SUBMITTED}),
            MinutesStatus.DRAFT,
            _consultant,
            _("the programme's consultants"),
        ),
        Transition(
            "validate",
            _("Validate"),
            frozenset({MinutesStatus.SUBMITTED}),
            MinutesStatus.VALIDATED,
            _ademe,
            _("ADEME officers of the programme"),
        ),
        Transition(
            "return",
            _("Return for changes"),
            frozenset({MinutesStatus.SUBMITTED}),
            MinutesStatus.RETURNED,
            _ademe,
            _("ADEME officers of the programme"),
            needs_comment=True,
        ),
    )
}


def check_transition(minutes: Minutes, action: str, user: User, comment: str = "") -> Transition:
    """The transition `action` if `user` may apply it to `minutes` now; TransitionError otherwise."""
    transition = TRANSITIONS.get(action)
    if transition is None:
        raise TransitionError(_("Unknown action “%(action)s”.") % {"action": action})
    if minutes.status not in transition.sources:
        raise TransitionError(
            _("Minutes that are “%(status)s” cannot be “%(action)s”: only %(sources)s minutes can.")
            % {
                "status": MinutesStatus(minutes.status).label,
                "action": transition.label,
                "sources": ", ".join(str(MinutesStatus(s).label).lower() for s in sorted(transition.sources)),
            }
        )
    if not transition.allowed(user, minutes):
        raise TransitionError(
            _("Only %(who)s may “%(action)s” minutes.") % {"who": transition.who, "action": transition.label}
        )
    if transition.needs_comment and not comment.strip():
        raise TransitionError(_("Say what must change: a reason is required to return minutes."))
    if action == "submit" and not minutes.body.strip():
        raise TransitionError(_("The minutes are empty: write them before submitting."))
    return transition


def available_transitions(minutes: Minutes, user: User) -> list[Transition]:
    """The transitions `user` may apply now, to offer as buttons."""
    return [
        transition
        for transition in TRANSITIONS.values()
        if minutes.status in transition.sources and transition.allowed(user, minutes)
    ]
