from __future__ import annotations

import re
from datetime import date, datetime
from decimal import Decimal
from typing import Any

import pytest

from sobrindustrie.engines.obligations import (
    DeliverableRecord,
    MeetingRecord,
    ObligationInputError,
    TimeRecord,
    evaluate_obligations,
    milestone_calendar,
)
from tests.engines.obligations.builders import facts, meeting


@pytest.mark.parametrize(
    ("record", "message"),
    [
        (meeting("m1", "seminar", date(2026, 1, 5)), "meeting 'm1': unknown kind 'seminar'"),
        (meeting("m1", "copil", date(2026, 1, 5), mode="phone"), "meeting 'm1': unknown mode 'phone'"),
        (meeting("m1", "copil", date(2026, 1, 5), cancelled=True), "cannot be both held and cancelled"),
        (
            meeting("m1", "copil", date(2026, 4, 5)),
            "marked held but starts on 2026-04-05, after today 2026-03-10",
        ),
        (meeting("m1", "team_followup", date(2026, 1, 5), team_ids=("t9",)), "team_ids ['t9'] are not among"),
        (
            MeetingRecord("m1", "copil", datetime(2026, 1, 5, 10, 0), held=True),
            "meeting 'm1': starts_at must be a datetime.date, got datetime",
        ),
        (
            meeting("m1", "copil", date(2026, 1, 5), minutes_submitted_on=date(2026, 1, 4)),
            "minutes_submitted_on 2026-01-04 must fall between the meeting (2026-01-05) and today",
        ),
        (
            meeting("m1", "copil", date(2026, 3, 20), held=False, minutes_submitted_on=date(2026, 3, 1)),
            "has minutes_submitted_on but is not marked held",
        ),
        (
            meeting("m1", "copil", date(2026, 1, 5), minutes_validated_on=date(2026, 1, 8)),
            "minutes_validated_on is set but minutes_submitted_on is not",
        ),
    ],
)
def test_it_refuses_inconsistent_meetings(record: MeetingRecord, message: str) -> None:
    with pytest.raises(ObligationInputError, match=_literal(message)):
        evaluate_obligations(facts(), [record])


def test_it_refuses_duplicate_ids() -> None:
    twice = [meeting("m1", "copil", date(2026, 1, 5)), meeting("m1", "copil", date(2026, 2, 5))]
    with pytest.raises(ObligationInputError, match="meeting id 'm1' appears twice"):
        evaluate_obligations(facts(), twice)


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        (
            {"deliverables": [DeliverableRecord("d1", "REPORT_M6", date(2026, 4, 1))]},
            "delivered_on 2026-04-01 is after today",
        ),
        (
            {"deliverables": [DeliverableRecord("d1", "", None)]},
            "deliverable 'd1': code must be a non-empty string",
        ),
        ({"time_records": [TimeRecord("r1", "workshop", "x", Decimal(1))]}, "unknown object_kind 'workshop'"),
        (
            {"time_records": [TimeRecord("r1", "diagnostic", "x", Decimal(-1))]},
            "days must be a non-negative Decimal",
        ),
        (
            {"time_records": [TimeRecord("r1", "diagnostic", "x", 1.5)]},  # type: ignore[arg-type]
            "days must be a non-negative Decimal, got 1.5",
        ),
        (
            {"time_records": [TimeRecord("r1", "diagnostic", "", Decimal(1))]},
            "object_id must be a non-empty string",
        ),
    ],
)
def test_it_refuses_inconsistent_deliverables_and_time_records(kwargs: dict[str, Any], message: str) -> None:
    with pytest.raises(ObligationInputError, match=_literal(message)):
        evaluate_obligations(facts(), **kwargs)


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"ends_on": date(2025, 10, 20)}, "ends_on 2025-10-20 must be after starts_on 2025-10-20"),
        ({"caps": {"workshop": Decimal(2)}}, "caps has unknown object kind 'workshop'"),
        ({"caps": {"diagnostic": 5}}, "caps['diagnostic'] must be a non-negative Decimal, got 5"),
        ({"team_ids": ("t1", "t1")}, "team id 't1' appears twice"),
        ({"today": datetime(2026, 3, 10, 8, 0)}, "today must be a datetime.date, got datetime"),
    ],
)
def test_it_refuses_inconsistent_facts(changes: dict[str, Any], message: str) -> None:
    with pytest.raises(ObligationInputError, match=_literal(message)):
        evaluate_obligations(facts(**changes))
    with pytest.raises(ObligationInputError, match=_literal(message)):
        milestone_calendar(facts(**changes))


def _literal(message: str) -> str:
    return re.escape(message)
