from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from sobrindustrie.engines.obligations import (
    DeliverableRecord,
    ObligationStatus,
    ScopeKind,
    evaluate_obligations,
)
from tests.engines.obligations.builders import by_scope, catalogue, facts, meeting, single

REPORT_M6: dict[str, Any] = {
    "code": "REPORT_M6",
    "kind": "deliverable_deadline",
    "label": "M6 report",
    "deliverable": "REPORT_M6",
    "due": {"anchor": "notified_on", "months": 6},
    "warning_days": 30,
}
MINUTES: dict[str, Any] = {
    "code": "MINUTES",
    "kind": "minutes_deadline",
    "label": "Minutes within 5 working days",
    "meeting_kinds": ["copil", "team_followup"],
    "working_days": 5,
    "warning_days": 2,
}


def report(records: list[DeliverableRecord], today: date) -> Any:
    return single(
        evaluate_obligations(facts(today=today), deliverables=records, catalogue=catalogue(REPORT_M6)),
        "REPORT_M6",
    )


@pytest.mark.parametrize(
    ("delivered_on", "today", "status", "explanation"),
    [
        (
            date(2026, 4, 17),
            date(2026, 5, 1),
            ObligationStatus.MET,
            "submitted on 2026-04-17, due 2026-04-20",
        ),
        (date(2026, 4, 20), date(2026, 5, 1), ObligationStatus.MET, "due 2026-04-20"),
        (None, date(2026, 3, 10), ObligationStatus.ON_TRACK, "due on 2026-04-20, in 41 days"),
        (None, date(2026, 4, 1), ObligationStatus.AT_RISK, "due on 2026-04-20, in 19 days"),
        (None, date(2026, 4, 21), ObligationStatus.LATE, "it was due on 2026-04-20, 1 day ago"),
        (
            date(2026, 4, 24),
            date(2026, 5, 1),
            ObligationStatus.BREACHED,
            "4 days after the due date 2026-04-20",
        ),
    ],
)
def test_it_rates_a_report_against_its_due_date(
    delivered_on: date | None, today: date, status: ObligationStatus, explanation: str
) -> None:
    result = report([DeliverableRecord("d1", "REPORT_M6", delivered_on)], today)

    assert result.status is status
    assert result.due_on == date(2026, 4, 20)
    assert explanation in result.explanation
    assert result.counted_ids == (("d1",) if delivered_on else ())


def test_it_uses_the_earliest_delivery_of_the_code_only() -> None:
    records = [
        DeliverableRecord("late_copy", "REPORT_M6", date(2026, 4, 28)),
        DeliverableRecord("other", "REPORT_M12", date(2026, 4, 1)),
        DeliverableRecord("on_time", "REPORT_M6", date(2026, 4, 15)),
        DeliverableRecord("pending", "REPORT_M6", None),
    ]
    result = report(records, date(2026, 5, 1))

    assert result.status is ObligationStatus.MET
    assert result.counted_ids == ("on_time",)


def test_it_clamps_a_month_based_due_date_to_the_end_of_a_short_month() -> None:
    result = single(
        evaluate_obligations(
            facts(notified_on=date(2025, 8, 31), today=date(2025, 9, 1)), catalogue=catalogue(REPORT_M6)
        ),
        "REPORT_M6",
    )

    assert result.due_on == date(2026, 2, 28)


def copil(submitted_on: date | None) -> Any:
    # Thursday 30 April 2026: 1 and 8 May are Friday holidays, so 5 working days end on Monday 11 May.
    return meeting("c1", "copil", date(2026, 4, 30), minutes_submitted_on=submitted_on)


@pytest.mark.parametrize(
    ("submitted_on", "today", "status"),
    [
        (date(2026, 5, 11), date(2026, 5, 20), ObligationStatus.MET),
        (None, date(2026, 5, 5), ObligationStatus.ON_TRACK),
        (None, date(2026, 5, 10), ObligationStatus.AT_RISK),
        (None, date(2026, 5, 12), ObligationStatus.LATE),
        (date(2026, 5, 12), date(2026, 5, 20), ObligationStatus.BREACHED),
    ],
)
def test_it_rates_minutes_against_five_working_days(
    submitted_on: date | None, today: date, status: ObligationStatus
) -> None:
    results = evaluate_obligations(facts(today=today), [copil(submitted_on)], catalogue=catalogue(MINUTES))
    result = single(results, "MINUTES")

    assert result.status is status
    assert result.scope_kind is ScopeKind.MEETING
    assert result.scope == "c1"
    assert result.due_on == date(2026, 5, 11)
    assert result.counted_ids == ("c1",)


def test_it_only_expects_minutes_of_held_meetings_of_the_listed_kinds() -> None:
    meetings = [
        meeting("f1", "team_followup", date(2026, 3, 2), team_ids=("t1",)),
        meeting("x1", "ademe_exchange", date(2026, 3, 3)),
        meeting("c2", "copil", date(2026, 3, 4), held=False, cancelled=True),
        meeting("c3", "copil", date(2026, 4, 2), held=False),
    ]
    results = by_scope(evaluate_obligations(facts(), meetings, catalogue=catalogue(MINUTES)), "MINUTES")

    assert list(results) == ["f1"]
    assert results["f1"].due_on == date(2026, 3, 9)
    assert results["f1"].status is ObligationStatus.LATE  # today is 10 March
