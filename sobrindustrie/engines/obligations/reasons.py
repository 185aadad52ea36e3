"""Why an obligation has its status: a reason code and its parameters, never a sentence.

The engine returns a `Reason`; pages and documents word it in the reader's language (the Django side
holds the translatable wording of every code). `english` words it in English for the command line,
logs and the engine's own tests.

Parameters by code (dates are `datetime.date`, days are `Decimal`, counts `int`):

- count.*: held, planned, minimum, maximum (None: no maximum), start (None while the window opens at
  a meeting not held yet), due; and for the three not-yet-fulfilled codes (planned_cover,
  missing_soon, missing) also not_open_yet, missing, days_left.
- mode.*: allowed (sorted mode codes); next_wrong: planned_on, mode; met, unknown, wrong: first_on,
  mode (None when not recorded).
- deadline.*: due, submitted_on (None while not submitted), and days (late by, overdue since, or
  left) except for met; the subject is either deliverable (its code) or meeting_kind and meeting_on
  (the minutes of that meeting).
- cap.*: used, cap, object_kind ("diagnostic", "funding_order", "evaluation").
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from enum import StrEnum

ReasonValue = int | bool | str | date | Decimal | tuple[str, ...] | None


class ReasonCode(StrEnum):
    COUNT_ABOVE_MAXIMUM = "count.above_maximum"
    COUNT_WOULD_EXCEED = "count.would_exceed"
    COUNT_MET = "count.met"
    COUNT_SHORT = "count.short"
    COUNT_PLANNED_COVER = "count.planned_cover"
    COUNT_MISSING_SOON = "count.missing_soon"
    COUNT_MISSING = "count.missing"
    MODE_NEXT_WRONG = "mode.next_wrong"
    MODE_NONE_YET = "mode.none_yet"
    MODE_MET = "mode.met"
    MODE_UNKNOWN = "mode.unknown"
    MODE_WRONG = "mode.wrong"
    DEADLINE_MET = "deadline.met"
    DEADLINE_SUBMITTED_LATE = "deadline.submitted_late"
    DEADLINE_LATE = "deadline.late"
    DEADLINE_AT_RISK = "deadline.at_risk"
    DEADLINE_ON_TRACK = "deadline.on_track"
    CAP_OVER = "cap.over"
    CAP_NEAR = "cap.near"
    CAP_WITHIN = "cap.within"


@dataclass(frozen=True)
class Reason:
    code: ReasonCode
    params: Mapping[str, ReasonValue] = field(default_factory=dict)

    def __getitem__(self, name: str) -> ReasonValue:
        return self.params[name]


def english(reason: Reason) -> str:
    """The reason as one English sentence, with the codes and ISO dates of the data."""
    p = reason.params
    family = reason.code.value.split(".", 1)[0]
    if family == "count":
        return _count(reason.code, p)
    if family == "mode":
        return _mode(reason.code, p)
    if family == "deadline":
        return _deadline(reason.code, p)
    return _cap(reason.code, p)


def _count(code: ReasonCode, p: Mapping[str, ReasonValue]) -> str:
    held, planned, maximum = p["held"], p["planned"], p["maximum"]
    required = requirement(int(str(p["minimum"] or 0)), None if maximum is None else int(str(maximum)))
    if p["start"] is None:
        span = f"by {p['due']} (counting starts at a meeting not held yet)"
    else:
        span = f"between {p['start']} and {p['due']}"
    if code is ReasonCode.COUNT_ABOVE_MAXIMUM:
        return f"{held} held {span}, above the maximum of {maximum}."
    if code is ReasonCode.COUNT_WOULD_EXCEED:
        return f"{held} held and {planned} planned {span}: holding them all would exceed the maximum of {maximum}."
    if code is ReasonCode.COUNT_MET:
        return f"{held} held {span} ({required} required)."
    if code is ReasonCode.COUNT_SHORT:
        return f"{held} held {span}, short of the {required} required."
    situation = f"{held} held and {planned} planned {span} ({required} required)"
    if p["not_open_yet"]:
        situation = f"Not open yet: {planned} planned {span} ({required} required)"
    days_left = _day_count(int(str(p["days_left"])))
    if code is ReasonCode.COUNT_PLANNED_COVER:
        return f"{situation}; the planned meetings cover what is missing."
    if code is ReasonCode.COUNT_MISSING_SOON:
        return f"{situation}; {p['missing']} more to plan with {days_left} left."
    return f"{situation}; {p['missing']} more to plan, {days_left} left."


def requirement(minimum: int, maximum: int | None) -> str:
    if maximum is None:
        return f"at least {minimum}"
    if minimum == maximum:
        return f"exactly {minimum}"
    if minimum == 0:
        return f"at most {maximum}"
    return f"{minimum} to {maximum}"


def _mode(code: ReasonCode, p: Mapping[str, ReasonValue]) -> str:
    allowed = " or ".join(str(mode) for mode in p["allowed"] or ())  # type: ignore[union-attr]
    if code is ReasonCode.MODE_NEXT_WRONG:
        return f"None held yet; the next one, planned on {p['planned_on']}, is {p['mode']}, not {allowed}."
    if code is ReasonCode.MODE_NONE_YET:
        return f"None held yet; the first one must be {allowed}."
    when = f"The first one, on {p['first_on']},"
    if code is ReasonCode.MODE_MET:
        return f"{when} was {p['mode']}."
    if code is ReasonCode.MODE_UNKNOWN:
        return f"{when} has no mode recorded; it must be {allowed}."
    return f"{when} was {p['mode']}, not {allowed}."


def _deadline(code: ReasonCode, p: Mapping[str, ReasonValue]) -> str:
    if "deliverable" in p:
        what = f"Deliverable {p['deliverable']}"
    else:
        what = f"Minutes of the {p['meeting_kind']} meeting of {p['meeting_on']}"
    due = p["due"]
    if code is ReasonCode.DEADLINE_MET:
        return f"{what} submitted on {p['submitted_on']}, due {due}."
    days = _day_count(int(str(p["days"])))
    if code is ReasonCode.DEADLINE_SUBMITTED_LATE:
        return f"{what} submitted on {p['submitted_on']}, {days} after the due date {due}."
    if code is ReasonCode.DEADLINE_LATE:
        return f"{what} not submitted; it was due on {due}, {days} ago."
    return f"{what} not submitted yet; due on {due}, in {days}."


def _cap(code: ReasonCode, p: Mapping[str, ReasonValue]) -> str:
    used, cap = Decimal(str(p["used"])), Decimal(str(p["cap"]))
    kind = str(p["object_kind"]).replace("_", " ")
    situation = f"{_days(used)} days spent on this {kind} for a cap of {_days(cap)}"
    if code is ReasonCode.CAP_OVER:
        return f"{situation}: {_days(used - cap)} days over."
    if code is ReasonCode.CAP_NEAR:
        return f"{situation}: {_days(cap - used)} days left."
    return f"{situation}."


def _days(value: Decimal) -> str:
    # 3.50 -> "3.5", 5.0 -> "5": the sums of Django DecimalFields carry trailing zeros.
    return format(value.normalize(), "f")


def _day_count(days: int) -> str:
    return "1 day" if days == 1 else f"{days} days"
