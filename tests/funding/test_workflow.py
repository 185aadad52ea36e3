"""The applications' transitions, the amount rules and the status log."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from sobrindustrie.funding import workflow
from sobrindustrie.funding.enums import ApplicationStatus as S
from sobrindustrie.funding.models import FundingApplication
from sobrindustrie.funding.services import apply_transition, create_application
from tests.funding.conftest import FundingWorld

pytestmark = pytest.mark.usefixtures("english")


def _move(fw: FundingWorld, name: str, **values: object) -> FundingApplication:
    return apply_transition(fw.application, name, fw.world.users["consultant"], values)


def test_the_table_covers_every_status() -> None:
    targets = {transition.target for transition in workflow.TRANSITIONS}
    assert targets | {S.IDENTIFIED} == set(S.values)
    assert (
        workflow.available(S.PAID) == workflow.available(S.REFUSED) == workflow.available(S.WITHDRAWN) == []
    )
    assert [t.name for t in workflow.available(S.SUBMITTED)] == ["grant", "refuse", "withdraw"]


def test_an_application_goes_from_identified_to_paid(funding_world: FundingWorld) -> None:
    _move(funding_world, "start", preparation_started_on=dt.date(2026, 4, 1))
    _move(funding_world, "submit", submitted_on=dt.date(2026, 5, 2), amount_requested_eur=Decimal("20000"))
    _move(funding_world, "grant", decision_on=dt.date(2026, 7, 1), amount_granted_eur=Decimal("15000"))
    app = _move(funding_world, "pay", paid_on=dt.date(2026, 9, 1), amount_paid_eur=Decimal("15000"))
    app.refresh_from_db()
    assert app.status == S.PAID and app.obtained_eur == Decimal("15000")
    assert list(app.log.values_list("from_status", "to_status")) == [
        (S.IDENTIFIED, S.IN_PREPARATION), (S.IN_PREPARATION, S.SUBMITTED),
        (S.SUBMITTED, S.GRANTED), (S.GRANTED, S.PAID),
    ]  # fmt: skip


def test_a_move_not_in_the_table_is_refused_with_the_possible_ones(funding_world: FundingWorld) -> None:
    with pytest.raises(ValidationError, match="Possible moves: “Start preparing”, “Withdraw”"):
        _move(funding_world, "grant", decision_on=dt.date(2026, 7, 1), amount_granted_eur=Decimal("1"))
    funding_world.application.refresh_from_db()
    assert funding_world.application.status == S.IDENTIFIED


def test_granted_above_requested_is_refused_naming_the_field(funding_world: FundingWorld) -> None:
    _move(funding_world, "start", preparation_started_on=dt.date(2026, 4, 1))
    _move(funding_world, "submit", submitted_on=dt.date(2026, 5, 2), amount_requested_eur=Decimal("20000"))
    with pytest.raises(ValidationError) as caught:
        _move(funding_world, "grant", decision_on=dt.date(2026, 7, 1), amount_granted_eur=Decimal("25000"))
    message = caught.value.message_dict["amount_granted_eur"][0]
    assert (
        "25\u202f000 €" in message
        and "20\u202f000 €" in message
        and "exceeds the amount requested" in message
    )
    app = FundingApplication.objects.get(pk=funding_world.application.pk)
    assert app.status == S.SUBMITTED and app.amount_granted_eur is None
    assert funding_world.application.status == S.SUBMITTED  # the object is left as it was


def test_paid_above_granted_and_missing_facts_are_refused(funding_world: FundingWorld) -> None:
    app = funding_world.application
    app.status = S.GRANTED
    app.preparation_started_on, app.submitted_on, app.decision_on = (
        dt.date(2026, 4, 1), dt.date(2026, 5, 2), dt.date(2026, 7, 1),
    )  # fmt: skip
    app.amount_granted_eur = Decimal("10000")
    app.save()
    with pytest.raises(ValidationError) as caught:
        _move(funding_world, "pay", paid_on=dt.date(2026, 8, 1), amount_paid_eur=Decimal("12000"))
    assert "exceeds the amount granted" in caught.value.message_dict["amount_paid_eur"][0]
    with pytest.raises(ValidationError) as caught:
        _move(funding_world, "pay", amount_paid_eur=Decimal("9000"))
    assert "paid_on" in caught.value.message_dict


def test_dates_must_follow_each_other(funding_world: FundingWorld) -> None:
    _move(funding_world, "start", preparation_started_on=dt.date(2026, 4, 1))
    with pytest.raises(ValidationError) as caught:
        _move(funding_world, "submit", submitted_on=dt.date(2026, 3, 1), amount_requested_eur=Decimal("1"))
    assert "comes before" in caught.value.message_dict["submitted_on"][0]


def test_an_amount_granted_cannot_exist_before_a_decision(funding_world: FundingWorld) -> None:
    app = funding_world.application
    app.amount_granted_eur = Decimal("100")
    with pytest.raises(ValidationError) as caught:
        app.full_clean()
    assert "Not yet" in caught.value.message_dict["amount_granted_eur"][0]


def test_the_applicant_must_take_part_in_the_action(funding_world: FundingWorld) -> None:
    outsider = FundingApplication(
        action=funding_world.action, organisation=funding_world.co_sme_org, scheme=funding_world.scheme
    )
    with pytest.raises(ValidationError) as caught:
        create_application(outsider, funding_world.world.users["consultant"])
    assert "lead the action or contribute" in caught.value.message_dict["organisation"][0]
