from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from sobrindustrie.engines.obligations import ObligationStatus, ScopeKind, evaluate_obligations
from tests.engines.obligations.builders import by_scope, catalogue, facts, meeting, single

FOLLOWUPS: dict[str, Any] = {
    "code": "FOLLOWUPS",
    "kind": "count",
    "label": "At least 3 follow-ups per team",
    "scope": "team",
    "meeting_kinds": ["team_followup"],
    "min": 3,
    "from": {"anchor": "starts_on"},
    "due": {"anchor": "ends_on"},
    "warning_days": 30,
}
WEBINARS: dict[str, Any] = {
    "code": "WEBINARS",
    "kind": "count",
    "label": "One or two webinars after workshop 1",
    "meeting_kinds": ["webinar"],
    "min": 1,
    "max": 2,
    "from": {"anchor": "first_held:workshop_1"},
    "due": {"anchor": "notified_on", "months": 12},
    "warning_days": 30,
}
STRATEGIC: dict[str, Any] = {
    "code": "STRATEGIC",
    "kind": "count",
    "label": "Attend a strategic coordination meeting",
    "meeting_kinds": ["strategic_coordination"],
    "attended_by_consultant": True,
    "min": 1,
    "from": {"anchor": "starts_on"},
    "due": {"anchor": "ends_on"},
    "warning_days": 60,
}
FINAL_EVENT: dict[str, Any] = {
    "code": "FINAL_EVENT",
    "kind": "count",
    "label": "Final event in person",
    "meeting_kinds": ["restitution_event"],
    "modes": ["in_person", "hybrid"],
    "min": 1,
    "from": {"anchor": "starts_on", "years": 2, "snap": "year_start"},
    "due": {"anchor": "starts_on", "years": 2, "snap": "year_end", "not_after": "ends_on"},
    "warning_days": 60,
}


def followup(meeting_id: str, on: date, team: str = "t1", **fields: Any) -> Any:
    return meeting(meeting_id, "team_followup", on, team_ids=(team,), **fields)


def test_it_meets_a_minimum_per_team_and_lists_the_counted_meetings() -> None:
    meetings = [
        followup("f1", date(2026, 1, 5)),
        followup("f2", date(2026, 2, 5)),
        followup("f3", date(2026, 3, 5)),
        followup("f4", date(2026, 3, 6), team="t2"),
    ]
    results = by_scope(evaluate_obligations(facts(), meetings, catalogue=catalogue(FOLLOWUPS)), "FOLLOWUPS")

    assert set(results) == {"t1", "t2"}
    assert results["t1"].status is ObligationStatus.MET
    assert results["t1"].scope_kind is ScopeKind.TEAM
    assert results["t1"].counted_ids == ("f1", "f2", "f3")
    assert results["t1"].due_on == date(2027, 10, 15)
    assert results["t2"].status is ObligationStatus.ON_TRACK
    assert results["t2"].counted_ids == ("f4",)
    assert "2 more to plan, 584 days left" in results["t2"].explanation


def test_it_ignores_cancelled_unheld_and_out_of_window_meetings() -> None:
    meetings = [
        followup("f1", date(2026, 1, 5)),
        followup("cancelled", date(2026, 1, 6), held=False, cancelled=True),
        followup("never_recorded", date(2026, 1, 7), held=False),
        followup("before_start", date(2025, 10, 1)),
        meeting("no_team", "team_followup", date(2026, 1, 8)),
    ]
    result = by_scope(evaluate_obligations(facts(), meetings, catalogue=catalogue(FOLLOWUPS)), "FOLLOWUPS")[
        "t1"
    ]

    assert result.counted_ids == ("f1",)


def test_it_puts_a_shortfall_at_risk_when_little_time_is_left() -> None:
    # 25 days left for 2 missing meetings at 30 days each.
    today = date(2027, 9, 20)
    meetings = [followup("f1", date(2026, 1, 5))]
    result = by_scope(
        evaluate_obligations(facts(today=today), meetings, catalogue=catalogue(FOLLOWUPS)), "FOLLOWUPS"
    )["t1"]

    assert result.status is ObligationStatus.AT_RISK
    assert "2 more to plan with 25 days left" in result.explanation


def test_it_counts_planned_meetings_as_covering_the_shortfall() -> None:
    today = date(2027, 9, 20)
    meetings = [
        followup("f1", date(2026, 1, 5)),
        followup("f2", date(2027, 10, 1), held=False),
        followup("f3", date(2027, 10, 10), held=False),
    ]
    result = by_scope(
        evaluate_obligations(facts(today=today), meetings, catalogue=catalogue(FOLLOWUPS)), "FOLLOWUPS"
    )["t1"]

    assert result.status is ObligationStatus.ON_TRACK
    assert result.counted_ids == ("f1",)


def test_it_breaches_a_minimum_when_the_window_closes_short_and_is_never_late() -> None:
    meetings = [followup("f1", date(2026, 1, 5)), followup("f2", date(2027, 5, 5))]
    results = evaluate_obligations(facts(today=date(2027, 10, 16)), meetings, catalogue=catalogue(FOLLOWUPS))

    statuses = {result.scope: result.status for result in results}
    assert statuses == {"t1": ObligationStatus.BREACHED, "t2": ObligationStatus.BREACHED}
    assert (
        "2 held between 2025-10-20 and 2027-10-15, short of the at least 3 required" in results[0].explanation
    )


def test_it_does_not_count_webinars_until_workshop_1_is_held() -> None:
    meetings = [meeting("w0", "webinar", date(2026, 1, 10))]
    result = single(evaluate_obligations(facts(), meetings, catalogue=catalogue(WEBINARS)), "WEBINARS")

    assert result.status is ObligationStatus.ON_TRACK
    assert result.counted_ids == ()
    assert result.due_on == date(2026, 10, 20)
    assert "counting starts at a meeting not held yet" in result.explanation


def test_it_counts_webinars_from_the_first_workshop_1() -> None:
    meetings = [
        meeting("w0", "webinar", date(2026, 1, 10)),
        meeting("ws1", "workshop_1", date(2026, 1, 15)),
        meeting("w1", "webinar", date(2026, 2, 10)),
    ]
    result = single(evaluate_obligations(facts(), meetings, catalogue=catalogue(WEBINARS)), "WEBINARS")

    assert result.status is ObligationStatus.MET
    assert result.counted_ids == ("w1",)
    assert "between 2026-01-15 and 2026-10-20 (1 to 2 required)" in result.explanation


def test_it_warns_when_planned_webinars_would_exceed_the_maximum() -> None:
    meetings = [
        meeting("ws1", "workshop_1", date(2026, 1, 15)),
        meeting("w1", "webinar", date(2026, 2, 10)),
        meeting("w2", "webinar", date(2026, 3, 2)),
        meeting("w3", "webinar", date(2026, 5, 2), held=False),
    ]
    result = single(evaluate_obligations(facts(), meetings, catalogue=catalogue(WEBINARS)), "WEBINARS")

    assert result.status is ObligationStatus.AT_RISK
    assert "would exceed the maximum of 2" in result.explanation


def test_it_breaches_a_maximum_as_soon_as_it_is_exceeded() -> None:
    meetings = [meeting("ws1", "workshop_1", date(2026, 1, 15))] + [
        meeting(f"w{day}", "webinar", date(2026, 2, day)) for day in (2, 3, 4)
    ]
    result = single(evaluate_obligations(facts(), meetings, catalogue=catalogue(WEBINARS)), "WEBINARS")

    assert result.status is ObligationStatus.BREACHED
    assert result.counted_ids == ("w2", "w3", "w4")
    assert "above the maximum of 2" in result.explanation


def test_it_only_counts_strategic_meetings_the_consultant_attended() -> None:
    absent = [meeting("s1", "strategic_coordination", date(2026, 2, 1))]
    present = [
        *absent,
        meeting("s2", "strategic_coordination", date(2026, 3, 1), attended_by_consultant=True),
    ]

    missed = single(evaluate_obligations(facts(), absent, catalogue=catalogue(STRATEGIC)), "STRATEGIC")
    attended = single(evaluate_obligations(facts(), present, catalogue=catalogue(STRATEGIC)), "STRATEGIC")

    assert missed.status is ObligationStatus.ON_TRACK
    assert attended.status is ObligationStatus.MET
    assert attended.counted_ids == ("s2",)


def test_it_places_the_final_event_window_in_the_last_year_capped_at_the_end() -> None:
    meetings = [meeting("e1", "restitution_event", date(2026, 12, 1), mode="in_person")]
    result = single(
        evaluate_obligations(facts(today=date(2027, 3, 1)), meetings, catalogue=catalogue(FINAL_EVENT)),
        "FINAL_EVENT",
    )

    assert result.due_on == date(2027, 10, 15)
    assert result.counted_ids == ()
    assert "between 2027-01-01 and 2027-10-15" in result.explanation


@pytest.mark.parametrize(
    ("mode", "status"),
    [("in_person", ObligationStatus.MET), ("hybrid", ObligationStatus.MET), ("remote", None)],
)
def test_it_only_counts_the_final_event_in_an_allowed_mode(
    mode: str, status: ObligationStatus | None
) -> None:
    meetings = [meeting("e2", "restitution_event", date(2027, 6, 10), mode=mode)]
    result = single(
        evaluate_obligations(facts(today=date(2027, 10, 20)), meetings, catalogue=catalogue(FINAL_EVENT)),
        "FINAL_EVENT",
    )

    assert result.status is (status or ObligationStatus.BREACHED)


def test_it_says_a_window_is_not_open_yet() -> None:
    result = single(evaluate_obligations(facts(), [], catalogue=catalogue(FINAL_EVENT)), "FINAL_EVENT")

    assert result.status is ObligationStatus.ON_TRACK
    assert result.explanation.startswith("Not open yet: 0 planned between 2027-01-01 and 2027-10-15")
    assert "1 more to plan, 287 days left" in result.explanation


def test_it_gives_no_team_instance_before_teams_exist() -> None:
    assert evaluate_obligations(facts(team_ids=()), [], catalogue=catalogue(FOLLOWUPS)) == []
