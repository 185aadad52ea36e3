"""The diagnostic workflow as an explicit transition table, with who may fire each transition.

    planned ──start──► in progress ──draft_sheet──► sheet drafted ──accept──► accepted ──validate──► validated
                           ▲                            │  (company)             │  (ADEME)
                           └──── reopen / request_changes ┘                      │
                           └──────────────────── send_back ──────────────────────┘

A refused transition raises `TransitionRefused` with a message saying why; it never does nothing.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from sobrindustrie.accounts.access import Capability, access_of
from sobrindustrie.diagnostics.enums import DiagnosticStatus, OpportunityStatus
from sobrindustrie.diagnostics.perms import can_manage_diagnostics, is_company_member

if TYPE_CHECKING:
    from sobrindustrie.accounts.models import User
    from sobrindustrie.diagnostics.models import Diagnostic

CONSULTANT = "consultant"
COMPANY = "company"
ADEME = "ademe"

S = DiagnosticStatus


class TransitionRefused(Exception):
    """A transition that may not happen now, or not by this user; the message says why."""


@dataclass(frozen=True)
class Transition:
    name: str
    source: str
    target: str
    label: Promise
    actor: str
    needs_comment: bool = False


TRANSITIONS = (
    Transition("start", S.PLANNED, S.IN_PROGRESS, _("Start the diagnostic"), CONSULTANT),
    Transition(
        "draft_sheet", S.IN_PROGRESS, S.SHEET_DRAFTED, _("Submit the sheet to the company"), CONSULTANT
    ),
    Transition("reopen", S.SHEET_DRAFTED, S.IN_PROGRESS, _("Reopen for changes"), CONSULTANT),
    Transition("accept", S.SHEET_DRAFTED, S.ACCEPTED, _("Accept the sheet"), COMPANY),
    Transition("request_changes", S.SHEET_DRAFTED, S.IN_PROGRESS, _("Ask for changes"), COMPANY, True),
    Transition("validate", S.ACCEPTED, S.VALIDATED, _("Validate the diagnostic"), ADEME),
    Transition("send_back", S.ACCEPTED, S.IN_PROGRESS, _("Send back to the consultant"), ADEME, True),
)
BY_NAME = {transition.name: transition for transition in TRANSITIONS}
ACTOR_LABELS = {CONSULTANT: _("the consultant"), COMPANY: _("a member of the company"), ADEME: _("ADEME")}


def may_act_as(user: User, diagnostic: Diagnostic, actor: str) -> bool:
    if actor == CONSULTANT:
        return can_manage_diagnostics(user, diagnostic.programme)
    if actor == COMPANY:
        return is_company_member(user, diagnostic)
    return access_of(user).on_programme(Capability.ACT_AS_AUTHORITY, diagnostic.programme_id)


def available_transitions(user: User, diagnostic: Diagnostic) -> list[Transition]:
    """Transitions from the current status this user may fire (preconditions checked on firing)."""
    return [
        transition
        for transition in TRANSITIONS
        if transition.source == diagnostic.status and may_act_as(user, diagnostic, transition.actor)
    ]


def check_transition(user: User, diagnostic: Diagnostic, name: str, comment: str = "") -> Transition:
    """Return the transition when it may happen now, else raise TransitionRefused saying why."""
    transition = BY_NAME.get(name)
    if transition is None:
        raise TransitionRefused(_("Unknown transition “%(name)s”.") % {"name": name})
    if transition.source != diagnostic.status:
        raise TransitionRefused(
            _("“%(label)s” is only possible from the status “%(source)s”; the diagnostic is “%(status)s”.")
            % {
                "label": transition.label,
                "source": S(transition.source).label,
                "status": diagnostic.get_status_display(),
            }
        )
    if not may_act_as(user, diagnostic, transition.actor):
        raise TransitionRefused(
            _("“%(label)s” is done by %(actor)s.")
            % {"label": transition.label, "actor": ACTOR_LABELS[transition.actor]}
        )
    if transition.needs_comment and not comment.strip():
        raise TransitionRefused(_("Say what should change: a comment is required."))
    if transition.name == "draft_sheet":
        _check_sheet_ready(diagnostic)
    return transition


def _check_sheet_ready(diagnostic: Diagnostic) -> None:
    if not diagnostic.sessions.exists():
        raise TransitionRefused(
            _("Record at least one session (visit or interview) before drafting the sheet.")
        )
    if not diagnostic.opportunities.exclude(status=OpportunityStatus.DISMISSED).exists():
        raise TransitionRefused(_("The sheet needs at least one opportunity that is not dismissed."))
