"""Values of the Publicodes language and the JavaScript semantics the reference engine gives them.

The reference engine (publicodes 1.10.1) is written in TypeScript and computes with JavaScript values:
its comparisons, `et` / `ou` and equalities follow JavaScript's rules (`&&` returns an operand, `===`
never equates `true` and `1`, strings compare by UTF-16 code unit...). The helpers here reproduce those
rules on Python values so that both engines give the same answer on the same rules.

A value is one of: `True` / `False` (oui / non), a `float` (every number, as in JavaScript), a `str`
(a string or a dd/mm/yyyy date), `None` (*non applicable*, JavaScript's `null`) or `UNDEFINED` (the
value is unknown: something it depends on is missing from the situation).
"""

from __future__ import annotations

import calendar
import datetime
import decimal
import enum
import functools
import math
import re
from typing import Final

from sobrindustrie.engines.publicodes.errors import PublicodesError


class Undefined(enum.Enum):
    """The type of `UNDEFINED`, the value of a rule whose inputs are missing (JavaScript's `undefined`)."""

    UNDEFINED = "undefined"

    def __repr__(self) -> str:
        return "UNDEFINED"


UNDEFINED: Final = Undefined.UNDEFINED

Value = bool | float | str | None | Undefined

# The reference engine compares two strings as dates only when both look exactly like dd/mm/yyyy.
_DATE_STRING = re.compile(r"[0-9]{2}/[0-9]{2}/[0-9]{4}")
_EPOCH = datetime.date(1970, 1, 1)
_MS_PER_DAY = 86_400_000.0

# JavaScript's Number(string) accepts these, after trimming white space.
_JS_DECIMAL = re.compile(r"[+-]?(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][+-]?[0-9]+)?")
_JS_RADIX = {"0x": 16, "0X": 16, "0o": 8, "0O": 8, "0b": 2, "0B": 2}


def describe(value: Value) -> str:
    """The value as Publicodes writes it, for messages."""
    if value is UNDEFINED:
        return "undefined"
    if value is None:
        return "non applicable"
    if value is True:
        return "oui"
    if value is False:
        return "non"
    if isinstance(value, float):
        return format_number(value)
    return repr(value)


def format_number(number: float) -> str:
    """The number as JavaScript's String(number) prints it (`2`, `1.5`, `0.00001`, `1e-7`, `NaN`)."""
    if math.isnan(number):
        return "NaN"
    if math.isinf(number):
        return "Infinity" if number > 0 else "-Infinity"
    if number.is_integer() and abs(number) < 1e21:
        return str(int(number))
    if 1e-6 <= abs(number) < 1e21:
        # Python's shortest digits, written positionally as JavaScript does in this range.
        return format(decimal.Decimal(repr(number)), "f")
    mantissa, _, exponent = repr(number).partition("e")
    return f"{mantissa}e{int(exponent):+d}"


def to_string(value: Value) -> str:
    """JavaScript's String(value) for a Publicodes value (null → "null", oui → "true")."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return format_number(value)
    return str(value) if isinstance(value, str) else "undefined"


def is_truthy(value: Value) -> bool:
    """JavaScript truthiness: false, 0, NaN, "" and null are falsy (undefined never reaches here)."""
    if value is None or value is False or value == "":
        return False
    if isinstance(value, float):
        return value != 0 and not math.isnan(value)
    return True


def js_and(left: Value, right: Value) -> Value:
    """`(left ?? false) && (right ?? false)`: the first falsy operand, else the second one."""
    left = False if left is None else left
    right = False if right is None else right
    return right if is_truthy(left) else left


def js_or(left: Value, right: Value) -> Value:
    """`(left ?? false) || (right ?? false)`: the first truthy operand, else the second one."""
    left = False if left is None else left
    right = False if right is None else right
    return left if is_truthy(left) else right


def strict_equals(left: Value, right: Value) -> bool:
    """`(left ?? false) === (right ?? false)`: same type and same value (so `oui` is not `1`)."""
    left = False if left is None else left
    right = False if right is None else right
    if type(left) is not type(right):
        return False
    return left == right


def is_date_string(value: Value) -> bool:
    """True for a string shaped exactly dd/mm/yyyy, which the reference engine compares as a date."""
    return isinstance(value, str) and _DATE_STRING.fullmatch(value) is not None


def calendar_date(day: int, month: int, year: int) -> datetime.date | None:
    """The date JavaScript's `new Date(year, month - 1, day)` lands on, or None if the day rolls over.

    JavaScript rolls a month out of 1..12 into the neighbouring years and reads years 0..99 as
    1900..1999; the reference engine only rejects a date whose day does not exist in its month.
    """
    if 0 <= year <= 99:
        year += 1900
    year, month_index = divmod(year * 12 + month - 1, 12)
    if not 1 <= year <= 9999 or not 1 <= day <= calendar.monthrange(year, month_index + 1)[1]:
        return None
    return datetime.date(year, month_index + 1, day)


def normalize_date(text: str, rule: str | None = None) -> str:
    """A dd/mm/yyyy or mm/yyyy literal as the reference engine stores it (zero-padded dd/mm/yyyy).

    Raises PublicodesError for a day that does not exist (31/02/2024).
    """
    parts = text.split("/")
    if len(parts) == 2:
        parts = ["01", *parts]
    day, month, year = (int(part) for part in parts)
    if calendar_date(day, month, year) is None:
        raise PublicodesError(f"the date {text} does not exist", rule=rule)
    return f"{day:02d}/{month:02d}/{year:02d}"


def date_timestamp(text: str, rule: str | None = None) -> float:
    """Milliseconds since 01/01/1970 (UTC) of a dd/mm/yyyy string, as the reference engine compares dates."""
    timestamp = _timestamp(text)
    if timestamp is None:
        raise PublicodesError(f"the date {text} does not exist", rule=rule)
    return timestamp


@functools.lru_cache(maxsize=4096)
def _timestamp(text: str) -> float | None:
    # A catalogue compares few dates (today, validity dates) again and again.
    day, month, year = (int(part) for part in text.split("/"))
    date = calendar_date(day, month, year)
    return None if date is None else (date - _EPOCH).days * _MS_PER_DAY


def to_number(value: Value) -> float:
    """JavaScript's ToNumber for the values Publicodes computes with (oui → 1, null → 0, "12" → 12)."""
    if value is None or value is False:
        return 0.0
    if value is True:
        return 1.0
    if isinstance(value, float):
        return value
    if isinstance(value, str):
        return _string_to_number(value)
    return math.nan


def _string_to_number(text: str) -> float:
    text = text.strip()
    if not text:
        return 0.0
    if text in {"Infinity", "+Infinity"}:
        return math.inf
    if text == "-Infinity":
        return -math.inf
    if text[:2] in _JS_RADIX:
        try:
            return float(int(text[2:], _JS_RADIX[text[:2]]))
        except ValueError:
            return math.nan
    if _JS_DECIMAL.fullmatch(text):
        return float(text)
    return math.nan


def js_less_than(left: Value, right: Value) -> bool | None:
    """JavaScript's abstract `left < right`: None when a NaN makes the comparison undecidable."""
    if isinstance(left, str) and isinstance(right, str):
        # JavaScript orders strings by UTF-16 code unit, which UTF-16-BE bytes reproduce.
        return left.encode("utf-16-be") < right.encode("utf-16-be")
    left_number, right_number = to_number(left), to_number(right)
    if math.isnan(left_number) or math.isnan(right_number):
        return None
    return left_number < right_number


def compare(operator: str, left: Value, right: Value) -> bool:
    """`left operator right` for `<`, `<=`, `>` and `>=` with JavaScript's semantics."""
    if operator == "<":
        return js_less_than(left, right) is True
    if operator == ">":
        return js_less_than(right, left) is True
    if operator == "<=":
        return js_less_than(right, left) is False
    return js_less_than(left, right) is False
