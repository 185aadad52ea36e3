"""The packaged PACA catalogue applied to the programme's real dates."""

from __future__ import annotations

from collections import Counter
from datetime import date

from sobrindustrie.engines.obligations import (
    DeliverableRecord,
    ObligationKind,
    ObligationStatus,
    evaluate_obligations,
    milestone_calendar,
)
from tests.engines.obligations.builders import by_period, facts, meeting, single


def test_it_dates_the_milestones_of_the_paca_programme() -> None:
    milestones = milestone_calendar(facts())
    dated = {(m.code, m.period): m.due_on for m in milestones}

    assert dated[("REPORT_M6", None)] == date(2026, 4, 20)
    assert dated[("REPORT_M12", None)] == date(2026, 10, 20)
    assert dated[("REPORT_M18", None)] == date(2027, 4, 20)
    assert dated[("REPORT_FINAL", None)] == date(2027, 8, 15)
    assert dated[("COPIL_KICKOFF", None)] == date(2025, 11, 20)
    assert dated[("WORKSHOP_1", None)] == date(2026, 4, 20)
    assert dated[("RESTITUTION_INTERMEDIATE", None)] == date(2026, 12, 31)
    assert dated[("RESTITUTION_FINAL_EVENT", None)] == date(2027, 10, 15)
    assert dated[("SYNTHESIS_WEBINAR", None)] == date(2027, 10, 15)
    assert dated[("PARTNERS_COMMITTEE_YEARLY", "2026")] == date(2026, 12, 31)
    assert dated[("PARTNERS_COMMITTEE_YEARLY", "2027")] == date(2027, 10, 15)
    assert dated[("ADEME_EXCHANGE_MONTHLY", "2025-10")] == date(2025, 10, 31)


def test_it_sorts_milestones_by_date_and_leaves_out_non_milestones() -> None:
    milestones = milestone_calendar(facts())
    codes = Counter(m.code for m in milestones)

    assert [m.due_on for m in milestones] == sorted(m.due_on for m in milestones)
    assert milestones[0].code == "ADEME_EXCHANGE_MONTHLY"
    assert milestones[-1].due_on == date(2027, 10, 15)
    assert codes["ADEME_EXCHANGE_MONTHLY"] == 25
    assert codes["PARTNERS_COMMITTEE_YEARLY"] == 2
    assert "WEBINARS_AFTER_WORKSHOP_1" not in codes  # rests on workshop 1's date
    assert "TEAM_FOLLOWUP_MIN" not in codes
    assert "MINUTES_WITHIN_5_WORKING_DAYS" not in codes
    assert {m.kind for m in milestones} == {
        ObligationKind.DELIVERABLE_DEADLINE,
        ObligationKind.COUNT,
        ObligationKind.PERIODIC_COUNT,
    }


def test_it_gives_window_openings_with_milestones() -> None:
    final_event = next(m for m in milestone_calendar(facts()) if m.code == "RESTITUTION_FINAL_EVENT")

    assert final_event.starts_on == date(2027, 1, 1)


def test_it_finds_everything_on_track_on_the_first_day() -> None:
    results = evaluate_obligations(facts(today=date(2025, 10, 20)))

    assert {result.status for result in results} == {ObligationStatus.ON_TRACK}
    assert Counter(result.code for result in results)["TEAM_FOLLOWUP_MIN"] == 2


def test_it_finds_every_missing_obligation_failed_after_the_end() -> None:
    results = evaluate_obligations(facts(today=date(2027, 10, 20)))
    statuses = {(result.code, result.scope, result.period): result.status for result in results}

    assert statuses[("REPORT_M6", "programme", None)] is ObligationStatus.LATE
    assert statuses[("REPORT_FINAL", "programme", None)] is ObligationStatus.LATE
    assert statuses[("TEAM_FOLLOWUP_MIN", "t1", None)] is ObligationStatus.BREACHED
    assert statuses[("ADEME_EXCHANGE_MONTHLY", "programme", "2027-10")] is ObligationStatus.BREACHED
    assert statuses[("PARTNERS_COMMITTEE_FIRST_IN_PERSON", "programme", None)] is ObligationStatus.ON_TRACK
    assert {
        status for (code, _, _), status in statuses.items() if code != "PARTNERS_COMMITTEE_FIRST_IN_PERSON"
    } == {
        ObligationStatus.LATE,
        ObligationStatus.BREACHED,
    }


def test_it_follows_a_plausible_first_semester() -> None:
    today = date(2026, 4, 27)
    meetings = [
        meeting(
            "copil-1", "copil", date(2025, 11, 4), mode="hybrid", minutes_submitted_on=date(2025, 11, 10)
        ),
        meeting("x-dec", "ademe_exchange", date(2025, 12, 8)),
        meeting(
            "ws1", "workshop_1", date(2026, 1, 20), mode="in_person", minutes_submitted_on=date(2026, 1, 26)
        ),
        meeting("x-jan", "ademe_exchange", date(2026, 1, 12)),
        meeting("web-1", "webinar", date(2026, 2, 17), mode="remote"),
        meeting("x-feb", "ademe_exchange", date(2026, 2, 9)),
        meeting("x-mar", "ademe_exchange", date(2026, 3, 9)),
        meeting(
            "ws2", "workshop_2", date(2026, 4, 9), mode="in_person", minutes_submitted_on=date(2026, 4, 17)
        ),
        meeting("x-apr", "ademe_exchange", date(2026, 4, 28), held=False),
    ]
    deliverables = [DeliverableRecord("m6", "REPORT_M6", date(2026, 4, 20))]

    results = evaluate_obligations(facts(today=today), meetings, deliverables)
    months = by_period(results, "ADEME_EXCHANGE_MONTHLY")
    minutes = {
        result.scope: result.status for result in results if result.code == "MINUTES_WITHIN_5_WORKING_DAYS"
    }

    assert single(results, "REPORT_M6").status is ObligationStatus.MET
    assert single(results, "COPIL_KICKOFF").counted_ids == ("copil-1",)
    assert single(results, "WORKSHOP_1").status is ObligationStatus.MET
    assert single(results, "WORKSHOP_2").status is ObligationStatus.MET
    assert single(results, "WEBINARS_AFTER_WORKSHOP_1").status is ObligationStatus.MET
    # Nothing between 20 and 31 October 2025: the partial first month is breached.
    assert months["2025-10"].status is ObligationStatus.BREACHED
    assert months["2025-11"].counted_ids == ("copil-1",)
    assert months["2026-04"].status is ObligationStatus.ON_TRACK  # planned on the 28th
    # Workshop 2 on Thu 9 April: 5 working days end on Thu 16 April; the minutes came on the 17th.
    assert minutes == {
        "copil-1": ObligationStatus.MET,
        "ws1": ObligationStatus.MET,
        "ws2": ObligationStatus.BREACHED,
    }
