from __future__ import annotations

from datetime import date
from typing import Any

from sobrindustrie.engines.obligations import ObligationStatus, ScopeKind, evaluate_obligations
from tests.engines.obligations.builders import by_period, catalogue, facts, meeting

MONTHLY: dict[str, Any] = {
    "code": "MONTHLY",
    "kind": "periodic_count",
    "label": "Monthly exchange with ADEME",
    "meeting_kinds": ["ademe_exchange", "copil"],
    "min": 1,
    "period": "calendar_month",
    "warning_days": 7,
}
YEARLY: dict[str, Any] = {
    "code": "YEARLY",
    "kind": "periodic_count",
    "label": "Yearly partners' committee",
    "meeting_kinds": ["partners_committee"],
    "min": 1,
    "period": "calendar_year",
    "min_overlap_days": 90,
    "warning_days": 30,
}


def monthly(records: list[Any], **changes: Any) -> dict[str, Any]:
    return by_period(evaluate_obligations(facts(**changes), records, catalogue=catalogue(MONTHLY)), "MONTHLY")


def test_it_creates_one_instance_per_calendar_month_of_the_programme() -> None:
    results = monthly([])

    # October 2025 to October 2027, both partial months included.
    assert len(results) == 25
    assert results["2025-10"].due_on == date(2025, 10, 31)
    assert results["2027-10"].due_on == date(2027, 10, 15)
    assert results["2026-02"].scope_kind is ScopeKind.PROGRAMME


def test_it_meets_a_month_with_an_exchange_or_a_copil() -> None:
    results = monthly(
        [meeting("x1", "ademe_exchange", date(2026, 1, 12)), meeting("c1", "copil", date(2026, 2, 27))]
    )

    assert results["2026-01"].status is ObligationStatus.MET
    assert results["2026-01"].counted_ids == ("x1",)
    assert results["2026-02"].status is ObligationStatus.MET
    assert results["2026-02"].counted_ids == ("c1",)


def test_it_breaches_a_past_month_without_exchange() -> None:
    results = monthly([meeting("x1", "ademe_exchange", date(2026, 1, 12))])

    assert results["2025-12"].status is ObligationStatus.BREACHED
    assert (
        results["2025-12"].explanation
        == "0 held between 2025-12-01 and 2025-12-31, short of the at least 1 required."
    )


def test_it_does_not_count_an_exchange_before_the_programme_starts() -> None:
    results = monthly([meeting("x0", "ademe_exchange", date(2025, 10, 15))])

    assert results["2025-10"].status is ObligationStatus.BREACHED
    assert "between 2025-10-20 and 2025-10-31" in results["2025-10"].explanation


def test_it_keeps_the_current_month_on_track_early_and_at_risk_late() -> None:
    assert monthly([], today=date(2026, 3, 10))["2026-03"].status is ObligationStatus.ON_TRACK
    late_in_month = monthly([], today=date(2026, 3, 27))["2026-03"]
    assert late_in_month.status is ObligationStatus.AT_RISK
    assert "1 more to plan with 4 days left" in late_in_month.explanation


def test_it_keeps_the_current_month_on_track_when_an_exchange_is_planned() -> None:
    planned = meeting("x2", "ademe_exchange", date(2026, 3, 30), held=False)

    assert monthly([planned], today=date(2026, 3, 27))["2026-03"].status is ObligationStatus.ON_TRACK


def test_it_keeps_future_months_on_track() -> None:
    assert monthly([], today=date(2026, 3, 10))["2026-04"].status is ObligationStatus.ON_TRACK


def test_it_skips_years_the_programme_barely_overlaps() -> None:
    results = by_period(evaluate_obligations(facts(), [], catalogue=catalogue(YEARLY)), "YEARLY")

    # 2025 holds 73 days of the programme, fewer than the 90 required.
    assert sorted(results) == ["2026", "2027"]
    assert results["2027"].due_on == date(2027, 10, 15)


def test_it_keeps_short_years_when_the_overlap_threshold_allows() -> None:
    shorter = {**YEARLY, "min_overlap_days": 73}
    results = by_period(evaluate_obligations(facts(), [], catalogue=catalogue(shorter)), "YEARLY")

    assert sorted(results) == ["2025", "2026", "2027"]
    assert results["2025"].status is ObligationStatus.BREACHED


def test_it_meets_a_year_with_a_complete_committee_but_not_a_subgroup() -> None:
    records = [
        meeting("sub", "partners_subgroup", date(2026, 2, 1)),
        meeting("pc1", "partners_committee", date(2026, 6, 1)),
    ]
    results = by_period(
        evaluate_obligations(facts(today=date(2026, 7, 1)), records, catalogue=catalogue(YEARLY)), "YEARLY"
    )

    assert results["2026"].status is ObligationStatus.MET
    assert results["2026"].counted_ids == ("pc1",)
