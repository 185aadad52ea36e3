from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest

from sobrindustrie.engines.calendar import (
    CalendarError,
    add_months,
    add_working_days,
    count_working_days,
    is_public_holiday,
    is_working_day,
    month_end,
    next_working_day,
    public_holidays,
    year_end,
    year_start,
)


@pytest.mark.parametrize(
    "holiday",
    [
        date(2026, 1, 1),  # New Year's Day, Thursday
        date(2026, 4, 6),  # Easter Monday
        date(2026, 5, 1),  # Labour Day, Friday
        date(2026, 5, 8),  # Victory in Europe Day, Friday
        date(2026, 5, 14),  # Ascension, Thursday
        date(2026, 5, 25),  # Whit Monday
        date(2026, 7, 14),  # Bastille Day, Tuesday
        date(2025, 8, 15),  # Assumption, Friday
        date(2027, 11, 1),  # All Saints' Day, Monday
        date(2026, 11, 11),  # Armistice Day, Wednesday
        date(2026, 12, 25),  # Christmas, Friday
    ],
)
def test_it_excludes_french_public_holidays_falling_on_weekdays(holiday: date) -> None:
    assert holiday.weekday() < 5
    assert is_public_holiday(holiday)
    assert not is_working_day(holiday)


@pytest.mark.parametrize(
    "ordinary_day",
    [
        date(2026, 4, 3),  # Good Friday: a holiday in Alsace-Moselle only
        date(2025, 12, 26),  # Saint Stephen's Day: Alsace-Moselle only
        date(2026, 4, 7),  # the Tuesday after Easter Monday
        date(2026, 5, 15),  # the Friday after Ascension ("pont"), still a working day
    ],
)
def test_it_keeps_metropolitan_working_days(ordinary_day: date) -> None:
    assert is_working_day(ordinary_day)


def test_it_treats_weekends_as_non_working_even_without_holiday() -> None:
    assert not is_working_day(date(2026, 5, 2))  # Saturday
    assert not is_working_day(date(2026, 5, 3))  # Sunday
    assert is_public_holiday(
        date(2026, 8, 15)
    )  # Assumption on a Saturday: a holiday, not a working day anyway
    assert not is_working_day(date(2026, 8, 15))


def test_it_lists_the_eleven_holidays_of_a_year_in_order() -> None:
    assert public_holidays(2026) == [
        date(2026, 1, 1),
        date(2026, 4, 6),
        date(2026, 5, 1),
        date(2026, 5, 8),
        date(2026, 5, 14),
        date(2026, 5, 25),
        date(2026, 7, 14),
        date(2026, 8, 15),
        date(2026, 11, 1),
        date(2026, 11, 11),
        date(2026, 12, 25),
    ]


def test_it_adds_working_days_starting_the_day_after() -> None:
    # 1 May and 8 May 2026 are Fridays and holidays: Mon 4 to Thu 7 are days 1-4, Mon 11 is day 5.
    assert add_working_days(date(2026, 4, 30), 5) == date(2026, 5, 11)
    assert add_working_days(date(2026, 4, 30), 1) == date(2026, 5, 4)


def test_it_skips_ascension_and_whit_monday() -> None:
    # Wed 13 May + 1 skips Ascension (Thu 14) to Fri 15; Fri 22 + 1 skips Whit Monday (25) to Tue 26.
    assert add_working_days(date(2026, 5, 13), 1) == date(2026, 5, 15)
    assert add_working_days(date(2026, 5, 22), 1) == date(2026, 5, 26)


def test_it_skips_easter_monday_and_bastille_day() -> None:
    assert add_working_days(date(2026, 4, 3), 1) == date(2026, 4, 7)
    assert add_working_days(date(2026, 7, 13), 1) == date(2026, 7, 15)


def test_it_crosses_a_year_boundary() -> None:
    # Thu 24 Dec 2026 + 1: Christmas is Friday, so Monday 28; Thu 31 Dec + 1: 1 Jan 2027 is Friday.
    assert add_working_days(date(2026, 12, 24), 1) == date(2026, 12, 28)
    assert add_working_days(date(2026, 12, 31), 1) == date(2027, 1, 4)
    assert add_working_days(date(2026, 12, 24), 5) == date(2027, 1, 4)  # 28, 29, 30, 31 Dec, then 4 Jan


def test_it_counts_back_with_a_negative_number() -> None:
    assert add_working_days(date(2026, 5, 11), -5) == date(2026, 4, 30)
    assert add_working_days(date(2027, 1, 4), -1) == date(2026, 12, 31)


def test_it_returns_the_same_day_when_adding_zero_even_on_a_non_working_day() -> None:
    assert add_working_days(date(2026, 5, 1), 0) == date(2026, 5, 1)
    assert add_working_days(date(2026, 5, 2), 0) == date(2026, 5, 2)


def test_it_starts_from_a_weekend_like_from_any_day() -> None:
    assert add_working_days(date(2026, 5, 2), 1) == date(2026, 5, 4)


def test_it_rolls_forward_to_the_next_working_day() -> None:
    assert next_working_day(date(2026, 5, 1)) == date(2026, 5, 4)
    assert next_working_day(date(2026, 5, 4)) == date(2026, 5, 4)
    assert next_working_day(date(2026, 12, 25)) == date(2026, 12, 28)


def test_it_counts_working_days_with_both_ends_included() -> None:
    assert count_working_days(date(2026, 5, 4), date(2026, 5, 4)) == 1
    assert count_working_days(date(2026, 5, 4), date(2026, 5, 8)) == 4  # Friday 8 May is a holiday
    assert count_working_days(date(2026, 5, 2), date(2026, 5, 3)) == 0
    # May 2026: 21 weekdays minus 1, 8, 14 (Ascension) and 25 (Whit Monday).
    assert count_working_days(date(2026, 5, 1), date(2026, 5, 31)) == 17


def test_it_counts_a_whole_year() -> None:
    # 2026 has 261 weekdays, 9 holidays of which fall on weekdays (15 Aug is a Saturday, 1 Nov a Sunday).
    assert count_working_days(date(2026, 1, 1), date(2026, 12, 31)) == 252


def test_it_counts_across_a_year_boundary() -> None:
    # 28-31 Dec 2026 (4), 1 Jan 2027 holiday, 4-8 Jan (5).
    assert count_working_days(date(2026, 12, 28), date(2027, 1, 8)) == 9


def test_it_counts_the_same_as_adding() -> None:
    start = date(2025, 10, 20)
    for offset in range(0, 800, 13):
        end = start + timedelta(days=offset)
        expected = sum(1 for day in range(offset + 1) if is_working_day(start + timedelta(days=day)))
        assert count_working_days(start, end) == expected
    assert count_working_days(date(2026, 5, 1), add_working_days(date(2026, 4, 30), 5)) == 5


def test_it_refuses_an_end_before_the_start() -> None:
    with pytest.raises(CalendarError, match="end 2026-05-01 is before start 2026-05-31"):
        count_working_days(date(2026, 5, 31), date(2026, 5, 1))


def test_it_refuses_datetimes_and_non_integer_counts() -> None:
    with pytest.raises(CalendarError, match="d must be a datetime.date, got datetime"):
        is_working_day(datetime(2026, 5, 4, 9, 30))
    with pytest.raises(CalendarError, match="n must be an integer, got float"):
        add_working_days(date(2026, 5, 4), 1.5)  # type: ignore[arg-type]


def test_it_reports_leaving_the_date_range() -> None:
    with pytest.raises(CalendarError, match="leaves the supported date range"):
        add_working_days(date(9999, 12, 30), 5)


def test_it_computes_month_and_year_bounds() -> None:
    assert month_end(date(2028, 2, 10)) == date(2028, 2, 29)
    assert month_end(date(2027, 2, 10)) == date(2027, 2, 28)
    assert year_end(date(2026, 3, 1)) == date(2026, 12, 31)
    assert year_start(date(2026, 3, 1)) == date(2026, 1, 1)


def test_it_adds_months_clamping_to_shorter_months() -> None:
    assert add_months(date(2025, 10, 20), 6) == date(2026, 4, 20)
    assert add_months(date(2025, 8, 31), 6) == date(2026, 2, 28)
    assert add_months(date(2027, 10, 15), -2) == date(2027, 8, 15)
    assert add_months(date(2025, 12, 31), 2) == date(2026, 2, 28)
    assert add_months(date(2026, 1, 31), -2) == date(2025, 11, 30)
