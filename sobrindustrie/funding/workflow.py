"""The funding applications' status workflow as an explicit transition table.

    identified ──start──► in_preparation ──submit──► submitted ──grant──► granted ──pay──► paid
        │                      │                        │   ╲                 │
        │                      │                        │    ╰─refuse──► refused
        ╰──────────────────────┴───────withdraw─────────┴──────────────────────╯──► withdrawn

Each move asks for the facts it establishes (a submission date and the amount requested, a decision
date and the amount granted...), and every status requires the facts of the moves that led to it,
so an application can never claim "granted" without saying how much. Only the programme's
consultants move applications (the CCTP gives them the building of the applications); a move that is
not in the table is refused with the moves that are.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from sobrindustrie.funding.enums import ApplicationStatus

if TYPE_CHECKING:
    from sobrindustrie.funding.models import FundingApplication

S = ApplicationStatus


@dataclass(frozen=True)
class Transition:
    name: str
    sources: frozenset[str]
    target: str
    label: Any
    #: Fields the user gives when making the move (they become required by the target status).
    fields: tuple[str, ...] = ()


TRANSITIONS: tuple[Transition, ...] = (
    Transition(
        "start",
        frozenset({S.IDENTIFIED}),
        S.IN_PREPARATION,
        gettext_lazy("Start preparing"),
        ("preparation_started_on",),
    ),
    Transition(
        "submit",
        frozenset({S.IN_PREPARATION}),
        S.SUBMITTED,
        gettext_lazy("Record the submission"),
        ("submitted_on", "amount_requested_eur", "reference"),
    ),
    Transition(
        "grant",
        frozenset({S.SUBMITTED}),
        S.GRANTED,
        gettext_lazy("Record the grant"),
        ("decision_on", "amount_granted_eur"),
    ),
    Transition(
        "refuse", frozenset({S.SUBMITTED}), S.REFUSED, gettext_lazy("Record a refusal"), ("decision_on",)
    ),
    Transition(
        "pay",
        frozenset({S.GRANTED}),
        S.PAID,
        gettext_lazy("Record the payment"),
        ("paid_on", "amount_paid_eur"),
    ),
    Transition(
        "withdraw",
        frozenset({S.IDENTIFIED, S.IN_PREPARATION, S.SUBMITTED, S.GRANTED}),
        S.WITHDRAWN,
        gettext_lazy("Withdraw"),
    ),
)
BY_NAME = {transition.name: transition for transition in TRANSITIONS}

#: The facts each status stands on. Optional fields ("reference") are left out.
REQUIRED_FIELDS: dict[str, tuple[str, ...]] = {
    S.IDENTIFIED: (),
    S.IN_PREPARATION: ("preparation_started_on",),
    S.SUBMITTED: ("submitted_on", "amount_requested_eur"),
    S.GRANTED: ("submitted_on", "amount_requested_eur", "decision_on", "amount_granted_eur"),
    S.REFUSED: ("submitted_on", "amount_requested_eur", "decision_on"),
    S.PAID: (
        "submitted_on",
        "amount_requested_eur",
        "decision_on",
        "amount_granted_eur",
        "paid_on",
        "amount_paid_eur",
    ),
    S.WITHDRAWN: (),
}
#: Facts that cannot exist before a status is reached (an amount granted before any decision).
ALLOWED_FROM: dict[str, frozenset[str]] = {
    "amount_granted_eur": frozenset({S.GRANTED, S.PAID, S.WITHDRAWN}),
    "amount_paid_eur": frozenset({S.PAID, S.WITHDRAWN}),
    "paid_on": frozenset({S.PAID, S.WITHDRAWN}),
    "decision_on": frozenset({S.GRANTED, S.REFUSED, S.PAID, S.WITHDRAWN}),
}


def available(status: str) -> list[Transition]:
    """The moves possible from `status`, in the table's order."""
    return [transition for transition in TRANSITIONS if status in transition.sources]


def check(status: str, name: str) -> Transition:
    """The transition `name` from `status`; ValidationError naming the moves allowed otherwise."""
    transition = BY_NAME.get(name)
    if transition is not None and status in transition.sources:
        return transition
    labels = dict(ApplicationStatus.choices)
    allowed = ", ".join(f"“{t.label}”" for t in available(status)) or _("none (final status)")
    raise ValidationError(
        _("This move is not possible from the status “%(status)s”. Possible moves: %(allowed)s.")
        % {"status": labels[status], "allowed": allowed}
    )


def status_errors(application: FundingApplication) -> dict[str, str]:
    """Field → message for facts a status lacks or cannot have yet."""
    errors: dict[str, str] = {}
    status_label = ApplicationStatus(application.status).label
    for name in REQUIRED_FIELDS.get(application.status, ()):
        if getattr(application, name) in (None, ""):
            errors[name] = _("An application “%(status)s” needs this: %(field)s.") % {
                "status": status_label,
                "field": application._meta.get_field(name).verbose_name,
            }
    for name, statuses in ALLOWED_FROM.items():
        if getattr(application, name) is not None and application.status not in statuses:
            errors[name] = _("Not yet: an application “%(status)s” has no %(field)s.") % {
                "status": status_label,
                "field": application._meta.get_field(name).verbose_name,
            }
    return errors
