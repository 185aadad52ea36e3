"""Hand-made facts, records and catalogues for the obligations tests."""

from __future__ import annotations

import dataclasses
from datetime import date
from decimal import Decimal
from typing import Any

from sobrindustrie.engines.obligations import (
    MeetingRecord,
    ObligationCatalogue,
    ObligationResult,
    ProgrammeFacts,
    parse_catalogue,
)

# The PACA programme's planned dates, notified on its first day.
PACA = ProgrammeFacts(
    notified_on=date(2025, 10, 20),
    starts_on=date(2025, 10, 20),
    ends_on=date(2027, 10, 15),
    today=date(2026, 3, 10),
    team_ids=("t1", "t2"),
    caps={"diagnostic": Decimal("5"), "funding_order": Decimal("6"), "evaluation": Decimal("3.5")},
)


def facts(**changes: Any) -> ProgrammeFacts:
    return dataclasses.replace(PACA, **changes)


def meeting(meeting_id: str, kind: str, on: date, *, held: bool = True, **fields: Any) -> MeetingRecord:
    return MeetingRecord(id=meeting_id, kind=kind, starts_at=on, held=held, **fields)


def catalogue(*obligations: dict[str, Any]) -> ObligationCatalogue:
    return parse_catalogue({"schema_version": 1, "name": "test", "obligations": list(obligations)})


def by_scope(results: list[ObligationResult], code: str) -> dict[str, ObligationResult]:
    return {result.scope: result for result in results if result.code == code}


def by_period(results: list[ObligationResult], code: str) -> dict[str, ObligationResult]:
    return {result.period: result for result in results if result.code == code and result.period}


def single(results: list[ObligationResult], code: str) -> ObligationResult:
    matching = [result for result in results if result.code == code]
    assert len(matching) == 1, matching
    return matching[0]
