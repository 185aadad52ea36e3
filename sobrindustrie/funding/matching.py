"""Schemes ranked by how well they fit an action's funding need, with the reasons and the unknowns.

A scheme is left out, with the reason, when it cannot fund the action: an organisation concerned is
not eligible, its nature does not pay for what the action needs (a study scheme for an investment),
its validity has ended, or every submission deadline of a call for projects has passed. The others
are scored on four criteria, each saying why in words:

- eligibility of every organisation concerned (lead and contributors): sure, or undetermined;
- nature: the natural kind of aid for the need (financing for an investment) or a possible one
  (a loan for an investment, financing for a study);
- amount: what the scheme could bring (rate × the budget concerned, capped by its ceiling) against
  the need;
- dates: a deadline or validity ahead.

Points are only for ordering; the page shows the reasons, not the score.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Final

from django.utils.translation import gettext as _

from sobrindustrie.actionplans.enums import FundingNature
from sobrindustrie.actionplans.models import Action
from sobrindustrie.funding.eligibility import OrganisationEligibility
from sobrindustrie.funding.enums import AidNature, SpendingType
from sobrindustrie.funding.models import FundingScheme

#: Points for a nature of aid against the need; a nature absent from a need's row cannot fund it.
NATURE_FIT: Final[Mapping[str, Mapping[str, int]]] = {
    FundingNature.STUDY: {AidNature.STUDY: 30, AidNature.FINANCING: 15},
    FundingNature.INVESTMENT: {AidNature.FINANCING: 30, AidNature.LOAN: 20, AidNature.TAX_ADVANTAGE: 15},
    FundingNature.TRAINING: {AidNature.TRAINING: 30, AidNature.FINANCING: 10},
}
#: The spending a scheme must fund for each need (a scheme funding only investment pays no study).
SPENDING_FOR: Final[Mapping[str, frozenset[str]]] = {
    FundingNature.STUDY: frozenset({SpendingType.OPERATING, SpendingType.BOTH}),
    FundingNature.INVESTMENT: frozenset({SpendingType.INVESTMENT, SpendingType.BOTH}),
    FundingNature.TRAINING: frozenset({SpendingType.OPERATING, SpendingType.BOTH}),
}
ELIGIBLE_POINTS, UNDETERMINED_POINTS = 30, 10
FULL_AMOUNT_POINTS, DEADLINE_POINTS, VALIDITY_POINTS = 20, 10, 5


@dataclass
class SchemeMatch:
    scheme: FundingScheme
    score: int = 0
    reasons: list[str] = field(default_factory=list)
    unknowns: list[str] = field(default_factory=list)
    exclusion: str = ""
    expected_eur: Decimal | None = None
    next_deadline: dt.date | None = None
    shortlisted: bool = False

    @property
    def excluded(self) -> bool:
        return bool(self.exclusion)


@dataclass
class ActionMatching:
    action: Action
    organisations: list[OrganisationEligibility]
    matches: list[SchemeMatch]
    excluded: list[SchemeMatch]


def _money(value: Decimal) -> str:
    return f"{value:,.0f} €".replace(",", "\u202f")


def relevant_budget(action: Action) -> Decimal | None:
    """The budget the aid's rate applies to: investment for an investment, operating otherwise."""
    if action.funding_nature == FundingNature.INVESTMENT:
        return action.investment_budget_eur or action.total_budget_eur
    return action.operating_budget_eur or action.total_budget_eur


def expected_amount(scheme: FundingScheme, action: Action) -> Decimal | None:
    """What the scheme could bring at most: rate × budget concerned, capped by its ceiling."""
    budget = relevant_budget(action)
    by_rate = (budget * scheme.max_rate_percent / 100) if budget and scheme.max_rate_percent else None
    if by_rate is not None and scheme.max_amount_eur is not None:
        return min(by_rate, scheme.max_amount_eur)
    return by_rate if by_rate is not None else scheme.max_amount_eur


def match_scheme(
    scheme: FundingScheme,
    action: Action,
    eligibility: Sequence[OrganisationEligibility],
    today: dt.date,
) -> SchemeMatch:
    match = SchemeMatch(scheme)
    for check in (_eligibility, _nature, _dates, _amount):
        check(match, action, eligibility, today)
        if match.excluded:
            break
    return match


def _eligibility(
    match: SchemeMatch, action: Action, eligibility: Sequence[OrganisationEligibility], today: dt.date
) -> None:
    undetermined = []
    for item in eligibility:
        outcome = item.results.get(match.scheme.pk)
        name = item.organisation.name
        if outcome is None or outcome.result is None:
            detail = (
                (outcome.error if outcome else "") or "; ".join(item.facts.unknowns) or _("rules undecided")
            )
            undetermined.append(name)
            match.unknowns.append(
                _("Eligibility of %(org)s undetermined (%(why)s).") % {"org": name, "why": detail}
            )
        elif outcome.result is False:
            match.exclusion = _("%(org)s is not eligible.") % {"org": name}
            return
    if undetermined:
        match.score += UNDETERMINED_POINTS
    else:
        match.score += ELIGIBLE_POINTS
        match.reasons.append(_("Every organisation concerned is eligible."))


def _nature(match: SchemeMatch, action: Action, _e: Sequence[OrganisationEligibility], _t: dt.date) -> None:
    scheme = match.scheme
    if not action.funding_nature:
        match.unknowns.append(
            _("The action does not say what the funding is for (study, investment, training).")
        )
        return
    need = FundingNature(action.funding_nature).label
    points = NATURE_FIT.get(action.funding_nature, {}).get(scheme.nature)
    if points is None:
        match.exclusion = _("A %(nature)s does not fund a need of the kind “%(need)s”.") % {
            "nature": scheme.get_nature_display().lower(),
            "need": need,
        }
        return
    if scheme.spending_type and scheme.spending_type not in SPENDING_FOR.get(
        action.funding_nature, frozenset()
    ):
        match.exclusion = _("It funds %(spending)s spending only, and the need is “%(need)s”.") % {
            "spending": scheme.get_spending_type_display().lower(),
            "need": need,
        }
        return
    match.score += points
    if points >= 30:
        match.reasons.append(
            _("A %(nature)s suits a need of the kind “%(need)s”.")
            % {
                "nature": scheme.get_nature_display().lower(),
                "need": need,
            }
        )
    else:
        match.reasons.append(
            _("A %(nature)s can help with a need of the kind “%(need)s”.")
            % {
                "nature": scheme.get_nature_display().lower(),
                "need": need,
            }
        )


def _dates(match: SchemeMatch, action: Action, _e: Sequence[OrganisationEligibility], today: dt.date) -> None:
    scheme = match.scheme
    if scheme.valid_until and scheme.valid_until < today:
        match.exclusion = _("Its validity ended on %(day)s.") % {
            "day": scheme.valid_until.strftime("%d/%m/%Y")
        }
        return
    deadlines = scheme.deadline_dates()
    match.next_deadline = scheme.next_deadline(today)
    if match.next_deadline is not None:
        match.score += DEADLINE_POINTS
        match.reasons.append(
            _("Next submission deadline: %(day)s.") % {"day": match.next_deadline.strftime("%d/%m/%Y")}
        )
    elif deadlines:
        match.exclusion = _("Every submission deadline has passed (last: %(day)s).") % {
            "day": deadlines[-1].strftime("%d/%m/%Y")
        }
        return
    elif scheme.is_call_for_projects:
        match.unknowns.append(_("Call for projects: no submission deadline recorded."))
    if scheme.valid_from and scheme.valid_from > today:
        match.unknowns.append(_("Opens on %(day)s.") % {"day": scheme.valid_from.strftime("%d/%m/%Y")})
    if scheme.valid_until:
        match.score += VALIDITY_POINTS
        match.reasons.append(_("Valid until %(day)s.") % {"day": scheme.valid_until.strftime("%d/%m/%Y")})


def _amount(match: SchemeMatch, action: Action, _e: Sequence[OrganisationEligibility], _t: dt.date) -> None:
    need = action.funding_need_eur or Decimal(0)
    expected = expected_amount(match.scheme, action)
    match.expected_eur = expected
    if expected is None:
        text = match.scheme.amount_text
        match.unknowns.append(
            _("Amount not stated in figures: read “%(text)s”.") % {"text": text}
            if text
            else _("No amount recorded: see the scheme's own text.")
        )
        return
    if need and expected >= need:
        match.score += FULL_AMOUNT_POINTS
        match.reasons.append(
            _("Could cover the whole need: up to %(expected)s for %(need)s.")
            % {
                "expected": _money(expected),
                "need": _money(need),
            }
        )
    elif need:
        match.score += int(FULL_AMOUNT_POINTS * expected / need)
        match.reasons.append(
            _("Could cover part of the need: up to %(expected)s of %(need)s.")
            % {
                "expected": _money(expected),
                "need": _money(need),
            }
        )


def rank(
    action: Action,
    schemes: Sequence[FundingScheme],
    eligibility: Sequence[OrganisationEligibility],
    today: dt.date,
    shortlisted: frozenset[int] = frozenset(),
) -> ActionMatching:
    """Every scheme for `action`: the fitting ones best first, then the excluded ones with the reason."""
    matches, excluded = [], []
    for scheme in schemes:
        match = match_scheme(scheme, action, eligibility, today)
        match.shortlisted = scheme.pk in shortlisted
        (excluded if match.excluded else matches).append(match)
    matches.sort(key=lambda m: (-m.score, m.scheme.title.casefold()))
    excluded.sort(key=lambda m: m.scheme.title.casefold())
    return ActionMatching(action, list(eligibility), matches, excluded)
