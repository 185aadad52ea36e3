"""French working days (jours ouvrés) and the calendar arithmetic the contract's deadlines need.

A working day is a Monday to Friday that is not a public holiday of metropolitan France, as listed by
the `holidays` package (`holidays.country_holidays("FR")`, i.e. `holidays.France()`, without subdivision: Alsace-Moselle's Good Friday and
26 December are not holidays here). Whit Monday counts as a holiday, as the law still lists it.

Conventions, chosen to read the contract's "dans les N jours ouvrés suivants" literally:

- `add_working_days(d, n)` starts counting on the day after `d`: the result is the n-th working day
  after `d` (before `d` when n is negative). Adding 0 returns `d` itself, even when `d` is not a
  working day, so that `add_working_days(d, 0) == d` always holds; use `next_working_day` to roll a
  date forward instead.
- `count_working_days(start, end)` includes both ends.

Run as `sobrindustrie calendar add-working-days 2026-04-30 5` or
`sobrindustrie calendar working-days 2026-05-01 2026-05-31`.
"""

from __future__ import annotations

import argparse
import calendar
import functools
import re
import sys
from collections.abc import Sequence
from datetime import date, datetime, timedelta

import holidays

_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_ONE_DAY = timedelta(days=1)


class CalendarError(ValueError):
    """A date computation was asked something impossible (bad order, out of the supported range)."""


@functools.cache
def _holidays_of(year: int) -> frozenset[date]:
    # One frozen set per year: cheap membership tests and no shared mutable state between threads,
    # unlike a single `holidays.France()` that grows as it is queried.
    return frozenset(holidays.country_holidays("FR", years=year).keys())


def _require_date(value: date, name: str) -> date:
    # A datetime is a date subclass whose comparisons with plain dates raise: refuse it up front.
    if isinstance(value, datetime) or not isinstance(value, date):
        raise CalendarError(f"{name} must be a datetime.date, got {type(value).__name__}")
    return value


def is_public_holiday(d: date) -> bool:
    """Whether `d` is a public holiday of metropolitan France (whatever day of the week it falls on)."""
    _require_date(d, "d")
    return d in _holidays_of(d.year)


def public_holidays(year: int) -> list[date]:
    """The public holidays of metropolitan France in `year`, sorted."""
    return sorted(_holidays_of(year))


def is_working_day(d: date) -> bool:
    """Whether `d` is a French working day: Monday to Friday and not a public holiday."""
    _require_date(d, "d")
    return d.weekday() < 5 and d not in _holidays_of(d.year)


def next_working_day(d: date) -> date:
    """`d` itself if it is a working day, otherwise the first working day after it."""
    _require_date(d, "d")
    while not is_working_day(d):
        d = _step(d, 1)
    return d


def add_working_days(d: date, n: int) -> date:
    """The n-th working day after `d` (counting starts the day after `d`); before `d` if n < 0.

    `add_working_days(d, 0)` is `d`, working day or not. Raises CalendarError when the result would
    leave the range of `datetime.date`.
    """
    _require_date(d, "d")
    if isinstance(n, bool) or not isinstance(n, int):
        raise CalendarError(f"n must be an integer, got {type(n).__name__}")
    direction = 1 if n > 0 else -1
    remaining = abs(n)
    while remaining:
        d = _step(d, direction)
        if is_working_day(d):
            remaining -= 1
    return d


def count_working_days(start: date, end: date) -> int:
    """The number of working days from `start` to `end`, both included.

    Raises CalendarError when `end` is before `start`; `start == end` gives 1 or 0.
    """
    _require_date(start, "start")
    _require_date(end, "end")
    if end < start:
        raise CalendarError(f"end {end.isoformat()} is before start {start.isoformat()}")
    weeks, extra_days = divmod((end - start).days + 1, 7)
    # Every whole week holds five weekdays; the leftover days are the last ones of the span and
    # start on the same weekday as `start`.
    weekdays = weeks * 5 + sum(1 for offset in range(extra_days) if (start.weekday() + offset) % 7 < 5)
    holidays_on_weekdays = sum(
        1
        for year in range(start.year, end.year + 1)
        for holiday in _holidays_of(year)
        if start <= holiday <= end and holiday.weekday() < 5
    )
    return weekdays - holidays_on_weekdays


def month_end(d: date) -> date:
    """The last day of the month of `d`."""
    _require_date(d, "d")
    return d.replace(day=calendar.monthrange(d.year, d.month)[1])


def month_start(d: date) -> date:
    """The first day of the month of `d`."""
    _require_date(d, "d")
    return d.replace(day=1)


def year_end(d: date) -> date:
    """31 December of the year of `d`."""
    _require_date(d, "d")
    return date(d.year, 12, 31)


def year_start(d: date) -> date:
    """1 January of the year of `d`."""
    _require_date(d, "d")
    return date(d.year, 1, 1)


def add_months(d: date, months: int) -> date:
    """`d` moved by whole calendar months, clamped to the end of a shorter month.

    31 August + 6 months is 28 (or 29) February; 15 October - 2 months is 15 August.
    """
    _require_date(d, "d")
    month_index = d.year * 12 + (d.month - 1) + months
    year, month_zero_based = divmod(month_index, 12)
    if not date.min.year <= year <= date.max.year:
        raise CalendarError(f"{d.isoformat()} + {months} months is out of the supported date range")
    last_day = calendar.monthrange(year, month_zero_based + 1)[1]
    return date(year, month_zero_based + 1, min(d.day, last_day))


def _step(d: date, direction: int) -> date:
    try:
        return d + _ONE_DAY if direction > 0 else d - _ONE_DAY
    except OverflowError:
        raise CalendarError(f"stepping from {d.isoformat()} leaves the supported date range") from None


# --- command line -----------------------------------------------------------------------------------


def _parse_date(text: str) -> date:
    # date.fromisoformat also accepts forms like "20260430" or "2026-W18-4": keep to one spelling.
    if not _ISO_DATE.fullmatch(text):
        raise argparse.ArgumentTypeError(f"invalid date {text!r}: expected YYYY-MM-DD")
    try:
        return date.fromisoformat(text)
    except ValueError as error:
        raise argparse.ArgumentTypeError(f"invalid date {text!r}: {error}") from None


def _parse_int(text: str) -> int:
    try:
        return int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"invalid number of days {text!r}: expected an integer") from None


def _build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="sobrindustrie calendar", description="French working days (public holidays excluded)."
    )
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    add = commands.add_parser(
        "add-working-days",
        help="the N-th working day after DATE",
        description="Print the N-th working day after DATE; counting starts the day after DATE.",
    )
    add.add_argument("date", type=_parse_date, metavar="DATE", help="YYYY-MM-DD")
    add.add_argument("n", type=_parse_int, metavar="N", help="number of working days (negative: before)")
    count = commands.add_parser(
        "working-days",
        help="count working days from START to END, both included",
        description="Print the number of working days from START to END, both included.",
    )
    count.add_argument("start", type=_parse_date, metavar="START", help="YYYY-MM-DD")
    count.add_argument("end", type=_parse_date, metavar="END", help="YYYY-MM-DD")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of `sobrindustrie calendar`; `argv` is what follows `calendar`.

    Prints the result on stdout and returns 0; bad input gives a message on stderr and returns 2.
    """
    parser = _build_parser()
    try:
        args = parser.parse_args(sys.argv[1:] if argv is None else list(argv))
    except SystemExit as exit_request:
        # argparse has already printed its message (or the help); report its code instead of exiting.
        return exit_request.code if isinstance(exit_request.code, int) else 2
    try:
        if args.command == "add-working-days":
            print(add_working_days(args.date, args.n).isoformat())
        else:
            print(count_working_days(args.start, args.end))
    except CalendarError as error:
        print(f"sobrindustrie calendar: error: {error}", file=sys.stderr)
        return 2
    return 0
