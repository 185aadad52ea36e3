"""Consultant days per funding order against the programme's cap."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from sobrindustrie.funding.models import FundingApplication
from sobrindustrie.funding.services import record_days
from sobrindustrie.funding.synthesis import grid_rows, with_days
from sobrindustrie.meetings.enums import TimeObjectKind
from sobrindustrie.meetings.timesheets import OBJECT_SOURCES
from tests.funding.conftest import FundingWorld


def _row(fw: FundingWorld):  # type: ignore[no-untyped-def]
    return grid_rows(with_days(FundingApplication.objects.filter(pk=fw.application.pk)))[0]


def test_days_are_summed_and_flagged_over_the_cap(funding_world: FundingWorld) -> None:
    consultant = funding_world.world.users["consultant"]
    record_days(funding_world.application, consultant, dt.date(2026, 5, 1), Decimal("4"))
    row = _row(funding_world)
    assert (row.days, row.cap, row.over_cap) == (Decimal("4"), Decimal("6"), False)
    record_days(funding_world.application, consultant, dt.date(2026, 6, 1), Decimal("2"))
    assert _row(funding_world).over_cap is False  # 6 days: at the cap, not over it
    record_days(funding_world.application, consultant, dt.date(2026, 7, 1), Decimal("0.5"))
    row = _row(funding_world)
    assert row.days == Decimal("6.5") and row.over_cap


def test_days_are_time_entries_of_a_consultant_of_the_programme(funding_world: FundingWorld) -> None:
    entry = record_days(
        funding_world.application, funding_world.world.users["consultant"], dt.date(2026, 5, 1), Decimal("1")
    )
    assert entry.object_kind == TimeObjectKind.FUNDING_ORDER and entry.axis == 3
    assert entry.content_object == funding_world.application
    with pytest.raises(ValidationError) as caught:
        record_days(
            funding_world.application,
            funding_world.world.users["outsider_consultant"],
            dt.date(2026, 5, 1),
            Decimal("1"),
        )
    assert "consultant" in caught.value.message_dict
    sources = OBJECT_SOURCES[TimeObjectKind.FUNDING_ORDER](funding_world.programme)
    assert list(sources) == [funding_world.application]
