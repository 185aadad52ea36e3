from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

import pytest

from sobrindustrie.engines.obligations import (
    ObligationInputError,
    ObligationStatus,
    ScopeKind,
    TimeRecord,
    evaluate_obligations,
)
from tests.engines.obligations.builders import by_scope, catalogue, facts, meeting, single

FIRST_IN_PERSON: dict[str, Any] = {
    "code": "FIRST_IN_PERSON",
    "kind": "first_meeting_mode",
    "label": "First committee in person",
    "meeting_kinds": ["partners_committee"],
    "modes": ["in_person", "hybrid"],
}
CAPS: list[dict[str, Any]] = [
    {
        "code": f"{kind.upper()}_CAP",
        "kind": "time_cap",
        "label": f"{kind} cap",
        "object_kind": kind,
        "warn_ratio": 0.8,
    }
    for kind in ("diagnostic", "funding_order", "evaluation")
]


def committee(meeting_id: str, on: date, mode: str | None, held: bool = True) -> Any:
    return meeting(meeting_id, "partners_committee", on, held=held, mode=mode)


@pytest.mark.parametrize(
    ("meetings", "status", "counted"),
    [
        ([], ObligationStatus.ON_TRACK, ()),
        ([committee("p1", date(2026, 5, 4), None, held=False)], ObligationStatus.ON_TRACK, ()),
        ([committee("p1", date(2026, 5, 4), "remote", held=False)], ObligationStatus.AT_RISK, ()),
        ([committee("p1", date(2026, 2, 4), None)], ObligationStatus.AT_RISK, ("p1",)),
        (
            [committee("p1", date(2026, 2, 4), "hybrid"), committee("p2", date(2026, 3, 4), "remote")],
            ObligationStatus.MET,
            ("p1",),
        ),
        (
            [committee("p2", date(2026, 3, 4), "in_person"), committee("p1", date(2026, 2, 4), "remote")],
            ObligationStatus.BREACHED,
            ("p1",),
        ),
    ],
)
def test_it_checks_the_mode_of_the_first_committee(
    meetings: list[Any], status: ObligationStatus, counted: tuple[str, ...]
) -> None:
    result = single(
        evaluate_obligations(facts(), meetings, catalogue=catalogue(FIRST_IN_PERSON)), "FIRST_IN_PERSON"
    )

    assert result.status is status
    assert result.counted_ids == counted
    assert result.due_on is None


def test_it_explains_a_first_committee_in_the_wrong_mode() -> None:
    result = single(
        evaluate_obligations(
            facts(), [committee("p1", date(2026, 2, 4), "remote")], catalogue=catalogue(FIRST_IN_PERSON)
        ),
        "FIRST_IN_PERSON",
    )

    assert result.explanation == "The first one, on 2026-02-04, was remote, not hybrid or in_person."


def days(record_id: str, kind: str, object_id: str, amount: str) -> TimeRecord:
    return TimeRecord(id=record_id, object_kind=kind, object_id=object_id, days=Decimal(amount))


def test_it_rates_days_per_object_against_the_programme_caps() -> None:
    records = [
        days("r1", "diagnostic", "acme", "2"),
        days("r2", "diagnostic", "acme", "1.5"),
        days("r3", "diagnostic", "bolt", "4"),
        days("r4", "diagnostic", "cogs", "5.00"),
        days("r5", "diagnostic", "dyna", "5.5"),
        days("r6", "evaluation", "team-1", "3.5"),
        days("r7", "funding_order", "order-9", "7"),
    ]
    results = evaluate_obligations(facts(), time_records=records, catalogue=catalogue(*CAPS))
    diagnostics = by_scope(results, "DIAGNOSTIC_CAP")

    assert {scope: result.status for scope, result in diagnostics.items()} == {
        "acme": ObligationStatus.MET,  # 3.5 of 5, below 80 %
        "bolt": ObligationStatus.AT_RISK,  # exactly 80 %
        "cogs": ObligationStatus.AT_RISK,  # the whole cap, not over it
        "dyna": ObligationStatus.BREACHED,
    }
    assert diagnostics["acme"].counted_ids == ("r1", "r2")
    assert diagnostics["acme"].scope_kind is ScopeKind.OBJECT
    assert diagnostics["acme"].explanation == "3.5 days spent on this diagnostic for a cap of 5."
    assert (
        diagnostics["dyna"].explanation == "5.5 days spent on this diagnostic for a cap of 5: 0.5 days over."
    )
    assert single(results, "EVALUATION_CAP").status is ObligationStatus.AT_RISK
    assert single(results, "FUNDING_ORDER_CAP").status is ObligationStatus.BREACHED


def test_it_reads_caps_from_the_programme_not_from_the_catalogue() -> None:
    records = [days("r1", "diagnostic", "acme", "5.5")]
    generous = facts(caps={"diagnostic": Decimal("8")})

    result = single(
        evaluate_obligations(generous, time_records=records, catalogue=catalogue(*CAPS)), "DIAGNOSTIC_CAP"
    )

    assert result.status is ObligationStatus.MET


def test_it_requires_a_cap_for_objects_that_have_days() -> None:
    no_caps = facts(caps={})
    assert evaluate_obligations(no_caps, catalogue=catalogue(*CAPS)) == []
    with pytest.raises(ObligationInputError, match="caps has no value for 'diagnostic'.*DIAGNOSTIC_CAP"):
        evaluate_obligations(
            no_caps, time_records=[days("r1", "diagnostic", "acme", "1")], catalogue=catalogue(*CAPS)
        )
