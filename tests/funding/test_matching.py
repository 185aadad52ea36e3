"""Schemes ranked for an action: the order, the reasons, the unknowns, what is left out and why."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from sobrindustrie.funding.eligibility import evaluate
from sobrindustrie.funding.enums import AidNature, SchemeSource, SpendingType
from sobrindustrie.funding.matching import rank
from sobrindustrie.funding.services import organisations_concerned
from tests.actionplans.factories import ContributorFactory
from tests.funding.conftest import FundingWorld
from tests.funding.factories import SchemeFactory, region_rules

pytestmark = pytest.mark.usefixtures("english")

TODAY = dt.date(2026, 11, 28)


def _rank(fw: FundingWorld, schemes: list[object]):  # type: ignore[no-untyped-def]
    organisations = organisations_concerned(fw.action)
    eligibility = evaluate(organisations, schemes, TODAY)
    return rank(fw.action, schemes, [eligibility[o.pk] for o in organisations], TODAY)


def test_schemes_are_ranked_by_fit_with_reasons_and_unknowns(funding_world: FundingWorld) -> None:
    best = SchemeFactory(title="Best", max_rate_percent=Decimal("50"), max_amount_eur=Decimal("30000"))
    partial = SchemeFactory(title="Partial", max_rate_percent=Decimal("20"), max_amount_eur=None)
    loan = SchemeFactory(
        title="Loan", nature=AidNature.LOAN, source=SchemeSource.CURATED, publicodes_rules={},
        max_amount_eur=None, max_rate_percent=None, funding_amount_text="", loan_amount_text="Selon projet",
    )  # fmt: skip
    call = SchemeFactory(
        title="Call",
        is_call_for_projects=True,
        submission_deadlines=["2027-02-15", "2026-03-01"],
        max_rate_percent=Decimal("10"),
    )
    result = _rank(funding_world, [partial, loan, best, call])
    assert [m.scheme.title for m in result.matches] == ["Best", "Call", "Partial", "Loan"]
    first = result.matches[0]
    assert first.expected_eur == Decimal("20000")  # 50 % of the 40 000 € investment, under the ceiling
    assert "Every organisation concerned is eligible." in first.reasons
    assert any("whole need" in reason for reason in first.reasons)
    assert any("Valid until 31/12/2027" in reason for reason in first.reasons)
    assert any("15/02/2027" in reason for reason in result.matches[1].reasons)
    assert any("part of the need: up to 8\u202f000 €" in reason for reason in result.matches[2].reasons)
    loan_match = result.matches[3]
    assert any("undetermined" in unknown for unknown in loan_match.unknowns)
    assert any("Selon projet" in unknown for unknown in loan_match.unknowns)
    assert not result.excluded


def test_schemes_that_cannot_fund_the_action_are_left_out_with_the_reason(
    funding_world: FundingWorld,
) -> None:
    schemes = [
        SchemeFactory(title="Study", nature=AidNature.STUDY),
        SchemeFactory(title="Elsewhere", publicodes_rules=region_rules("Bretagne")),
        SchemeFactory(title="Expired", valid_until=dt.date(2026, 6, 30)),
        SchemeFactory(title="Closed call", is_call_for_projects=True, submission_deadlines=["2026-10-01"]),
        SchemeFactory(title="Operating only", spending_type=SpendingType.OPERATING),
    ]
    result = _rank(funding_world, schemes)
    assert not result.matches
    reasons = {m.scheme.title: m.exclusion for m in result.excluded}
    assert "does not fund a need" in reasons["Study"]
    assert reasons["Elsewhere"] == f"{funding_world.world.sme_org.name} is not eligible."
    assert "ended on 30/06/2026" in reasons["Expired"]
    assert "01/10/2026" in reasons["Closed call"]
    assert "operating spending only" in reasons["Operating only"]


def test_every_organisation_concerned_must_be_eligible(funding_world: FundingWorld) -> None:
    scheme = SchemeFactory(title="Industry only")
    assert _rank(funding_world, [scheme]).matches
    trader = funding_world.world.other_sme_org
    trader.naf_code = "46.69B"
    trader.save()
    ContributorFactory(action=funding_world.action, organisation=trader, role="responsible")
    result = _rank(funding_world, [scheme])
    assert result.excluded[0].exclusion == f"{trader.name} is not eligible."
    # An informed party does not apply for anything: it does not count.
    funding_world.action.contributors.update(role="informed")
    assert _rank(funding_world, [scheme]).matches


def test_a_training_need_prefers_training(funding_world: FundingWorld) -> None:
    action = funding_world.action
    action.funding_nature = "training"
    action.save()
    training = SchemeFactory(title="Training", nature=AidNature.TRAINING)
    financing = SchemeFactory(title="Financing")
    loan = SchemeFactory(title="Loan", nature=AidNature.LOAN)
    result = _rank(funding_world, [financing, training, loan])
    assert [m.scheme.title for m in result.matches] == ["Training", "Financing"]
    assert [m.scheme.title for m in result.excluded] == ["Loan"]


def test_an_action_that_does_not_say_what_for_keeps_every_nature(funding_world: FundingWorld) -> None:
    action = funding_world.action
    action.funding_nature = ""
    study = SchemeFactory(title="Study", nature=AidNature.STUDY)
    result = _rank(funding_world, [study])
    assert result.matches and any(
        "does not say what the funding is for" in u for u in result.matches[0].unknowns
    )
