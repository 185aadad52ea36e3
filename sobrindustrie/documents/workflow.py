"""The publication workflow: every communication is validated by the COPIL before it is shared.

    draft ──submit──▶ submitted ──validate──▶ validated ──publish──▶ published
      ▲                   │
      └────── return ◀────┘   (with a comment; `returned` items are edited and submitted again)

Consultants write and submit; ADEME (the COPIL) validates or sends back; consultants publish what
was validated. Platform staff may do everything. A refused transition raises `TransitionRefused`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.utils.translation import gettext_lazy as _

from sobrindustrie.accounts.access import Capability, access_of
from sobrindustrie.documents.enums import PublicationStatus as S

if TYPE_CHECKING:
    from django.utils.functional import Promise

    from sobrindustrie.accounts.models import User
    from sobrindustrie.documents.models import Publishable


class TransitionRefused(Exception):
    """The transition does not exist from this status, or this user may not perform it."""


@dataclass(frozen=True)
class Transition:
    name: str
    sources: tuple[str, ...]
    target: str
    #: Who may fire it: the capability of `accounts.access`, on the item's programme.
    capability: Capability
    label: Promise


TRANSITIONS = {
    t.name: t
    for t in [
        Transition(
            "submit",
            (S.DRAFT, S.RETURNED),
            S.SUBMITTED,
            Capability.MANAGE_PROGRAMME,
            _("Submit to the COPIL"),
        ),
        Transition("validate", (S.SUBMITTED,), S.VALIDATED, Capability.VALIDATE_REPORTS, _("Validate")),
        Transition(
            "return", (S.SUBMITTED,), S.RETURNED, Capability.VALIDATE_REPORTS, _("Send back with a comment")
        ),
        Transition("publish", (S.VALIDATED,), S.PUBLISHED, Capability.MANAGE_PROGRAMME, _("Publish")),
    ]
}


def programme_of(item: Publishable) -> object:
    space = getattr(item, "space", None)
    return space.programme if space is not None else item.team.programme  # type: ignore[attr-defined]


def may(user: User, name: str, item: Publishable) -> bool:
    """Whether `user` may apply transition `name` to `item` now."""
    transition = TRANSITIONS.get(name)
    if transition is None or item.status not in transition.sources or not user.is_authenticated:
        return False
    return access_of(user).on_programme(transition.capability, programme_of(item).pk)  # type: ignore[attr-defined]


def available(user: User, item: Publishable) -> list[Transition]:
    return [t for name, t in TRANSITIONS.items() if may(user, name, item)]
