"""The contract's obligations as data: typed definitions, and the loader that validates a YAML catalogue.

A catalogue file (see `sobrindustrie/engines/data/obligations_v1.yaml`) holds `schema_version: 1`, a
`name`, a `source` and a list of `obligations`. Each obligation has a `code` (UPPER_SNAKE_CASE,
unique), an English `label`, a `kind`, an optional `source` (where the contract says so) and the keys
of its kind:

- `count`: `meeting_kinds`, optional `modes` and `attended_by_consultant: true` filters, `min` and/or
  `max`, `from` and `due` date rules bounding the window (both included), `warning_days`, optional
  `scope: team` (one instance per project team) and `milestone: true`.
- `periodic_count`: the same filters and bounds, per `period` (`calendar_month` or `calendar_year`)
  overlapping the programme, skipping periods that overlap it by fewer than `min_overlap_days`.
- `first_meeting_mode`: `meeting_kinds` and the `modes` allowed for the first one held.
- `deliverable_deadline`: a `deliverable` code, a `due` date rule, `warning_days`, `milestone`.
- `minutes_deadline`: `meeting_kinds`, `working_days` after the meeting, `warning_days`.
- `time_cap`: an `object_kind` whose cap is read from the programme's facts, and a `warn_ratio`.

A date rule is a mapping: `anchor` (`notified_on`, `starts_on`, `ends_on`, or `first_held:<kind>`
for the date of the first held meeting of that kind, only allowed in `from`), then optional `years`
and `months` added (clamped to the month's end), an optional `snap` (`month_start`, `month_end`,
`year_start`, `year_end`) and an optional `not_after` facts anchor that caps the result.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation
from enum import StrEnum
from importlib import resources
from pathlib import Path

import yaml

from sobrindustrie.engines.calendar import add_months, month_end, month_start, year_end, year_start
from sobrindustrie.engines.obligations.records import (
    MEETING_KINDS,
    MEETING_MODES,
    TIME_OBJECT_KINDS,
    ObligationError,
    ProgrammeFacts,
)

SCHEMA_VERSION = 1
DEFAULT_CATALOGUE = "obligations_v1.yaml"
FACTS_ANCHORS = ("notified_on", "starts_on", "ends_on")
FIRST_HELD_PREFIX = "first_held:"
_CODE = re.compile(r"[A-Z][A-Z0-9_]*")


class ObligationDataError(ObligationError):
    """A catalogue file is malformed; the message names the file, the obligation and the key."""


class ObligationKind(StrEnum):
    COUNT = "count"
    PERIODIC_COUNT = "periodic_count"
    FIRST_MEETING_MODE = "first_meeting_mode"
    DELIVERABLE_DEADLINE = "deliverable_deadline"
    MINUTES_DEADLINE = "minutes_deadline"
    TIME_CAP = "time_cap"


class Scope(StrEnum):
    PROGRAMME = "programme"
    TEAM = "team"


class Period(StrEnum):
    CALENDAR_MONTH = "calendar_month"
    CALENDAR_YEAR = "calendar_year"


class Snap(StrEnum):
    MONTH_START = "month_start"
    MONTH_END = "month_end"
    YEAR_START = "year_start"
    YEAR_END = "year_end"


_SNAPS: dict[Snap, Callable[[date], date]] = {
    Snap.MONTH_START: month_start,
    Snap.MONTH_END: month_end,
    Snap.YEAR_START: year_start,
    Snap.YEAR_END: year_end,
}


@dataclass(frozen=True)
class DateRule:
    """A date computed from the programme's facts (or, for window starts, from the first held meeting)."""

    anchor: str
    years: int = 0
    months: int = 0
    snap: Snap | None = None
    not_after: str | None = None

    @property
    def needs_records(self) -> bool:
        return self.anchor.startswith(FIRST_HELD_PREFIX)

    def resolve(self, facts: ProgrammeFacts, first_held: Callable[[str], date | None]) -> date | None:
        """The date, or None when it rests on a meeting that has not been held yet."""
        if self.needs_records:
            base = first_held(self.anchor.removeprefix(FIRST_HELD_PREFIX))
            if base is None:
                return None
        else:
            base = _facts_date(facts, self.anchor)
        result = add_months(base, self.years * 12 + self.months)
        if self.snap is not None:
            result = _SNAPS[self.snap](result)
        if self.not_after is not None:
            result = min(result, _facts_date(facts, self.not_after))
        return result

    def resolve_from_facts(self, facts: ProgrammeFacts) -> date:
        """The date of a rule that only rests on the facts (every `due` rule is one)."""
        resolved = self.resolve(facts, _no_records)
        assert resolved is not None, "rules resting on records are refused when loading `due`"
        return resolved


@dataclass(frozen=True)
class MeetingFilter:
    """Which meetings an obligation looks at: their kinds, optionally their modes and the consultant's presence."""

    kinds: frozenset[str]
    modes: frozenset[str] | None = None
    attended_by_consultant: bool = False


@dataclass(frozen=True)
class CountObligation:
    code: str
    label: str
    source: str
    meetings: MeetingFilter
    minimum: int
    maximum: int | None
    window_from: DateRule
    due: DateRule
    warning_days: int
    scope: Scope = Scope.PROGRAMME
    milestone: bool = False
    kind: ObligationKind = ObligationKind.COUNT


@dataclass(frozen=True)
class PeriodicCountObligation:
    code: str
    label: str
    source: str
    meetings: MeetingFilter
    minimum: int
    maximum: int | None
    period: Period
    min_overlap_days: int
    warning_days: int
    scope: Scope = Scope.PROGRAMME
    milestone: bool = False
    kind: ObligationKind = ObligationKind.PERIODIC_COUNT


@dataclass(frozen=True)
class FirstMeetingModeObligation:
    code: str
    label: str
    source: str
    meetings: MeetingFilter
    modes: frozenset[str]
    kind: ObligationKind = ObligationKind.FIRST_MEETING_MODE


@dataclass(frozen=True)
class DeliverableDeadlineObligation:
    code: str
    label: str
    source: str
    deliverable: str
    due: DateRule
    warning_days: int
    milestone: bool = False
    kind: ObligationKind = ObligationKind.DELIVERABLE_DEADLINE


@dataclass(frozen=True)
class MinutesDeadlineObligation:
    code: str
    label: str
    source: str
    meetings: MeetingFilter
    working_days: int
    warning_days: int
    kind: ObligationKind = ObligationKind.MINUTES_DEADLINE


@dataclass(frozen=True)
class TimeCapObligation:
    code: str
    label: str
    source: str
    object_kind: str
    warn_ratio: Decimal
    kind: ObligationKind = ObligationKind.TIME_CAP


ObligationDefinition = (
    CountObligation
    | PeriodicCountObligation
    | FirstMeetingModeObligation
    | DeliverableDeadlineObligation
    | MinutesDeadlineObligation
    | TimeCapObligation
)


@dataclass(frozen=True)
class ObligationCatalogue:
    name: str
    source: str
    obligations: tuple[ObligationDefinition, ...]

    def get(self, code: str) -> ObligationDefinition:
        for obligation in self.obligations:
            if obligation.code == code:
                return obligation
        raise KeyError(code)


@functools.cache
def default_catalogue() -> ObligationCatalogue:
    """The packaged catalogue of the Sobr'Industrie PACA contract (parsed once)."""
    data_file = resources.files("sobrindustrie.engines").joinpath("data", DEFAULT_CATALOGUE)
    return parse_catalogue_text(data_file.read_text(encoding="utf-8"), origin=DEFAULT_CATALOGUE)


def load_catalogue(path: str | Path) -> ObligationCatalogue:
    """Read and validate a catalogue file; raises ObligationDataError naming what is wrong."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as error:
        raise ObligationDataError(f"{path}: cannot read the catalogue: {error.strerror}") from None
    return parse_catalogue_text(text, origin=str(path))


def parse_catalogue_text(text: str, origin: str = "<catalogue>") -> ObligationCatalogue:
    """Validate a catalogue given as YAML text."""
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as error:
        raise ObligationDataError(f"{origin}: not valid YAML: {error}") from None
    return parse_catalogue(data, origin=origin)


def parse_catalogue(data: object, origin: str = "<catalogue>") -> ObligationCatalogue:
    """Validate a catalogue already loaded as Python data (mappings, lists, scalars)."""
    root = _Fields(data, origin)
    version = root.integer("schema_version", minimum=1)
    if version != SCHEMA_VERSION:
        raise root.error("schema_version", f"is {version}, this engine reads version {SCHEMA_VERSION}")
    name = root.text("name")
    source = root.text("source", default="")
    entries = root.items("obligations")
    root.finish()
    obligations: list[ObligationDefinition] = []
    seen: set[str] = set()
    for index, entry in enumerate(entries):
        obligation = _parse_obligation(_Fields(entry, f"{origin}: obligations[{index}]"))
        if obligation.code in seen:
            raise ObligationDataError(
                f"{origin}: obligations[{index}]: code {obligation.code!r} appears twice"
            )
        seen.add(obligation.code)
        obligations.append(obligation)
    return ObligationCatalogue(name=name, source=source, obligations=tuple(obligations))


def _parse_obligation(fields: _Fields) -> ObligationDefinition:
    code = fields.text("code")
    if not _CODE.fullmatch(code):
        raise fields.error("code", f"{code!r} must be UPPER_SNAKE_CASE")
    fields.where = f"{fields.where} ({code})"
    kind_text = fields.choice("kind", [kind.value for kind in ObligationKind])
    parser = _KIND_PARSERS[ObligationKind(kind_text)]
    obligation = parser(fields, code, fields.text("label"), fields.text("source", default=""))
    fields.finish()
    return obligation


def _parse_count(fields: _Fields, code: str, label: str, source: str) -> CountObligation:
    minimum, maximum = _bounds(fields)
    return CountObligation(
        code=code,
        label=label,
        source=source,
        meetings=_meeting_filter(fields),
        minimum=minimum,
        maximum=maximum,
        window_from=_date_rule(fields, "from", allow_records=True),
        due=_date_rule(fields, "due", allow_records=False),
        warning_days=fields.integer("warning_days", minimum=0),
        scope=Scope(fields.choice("scope", [scope.value for scope in Scope], default=Scope.PROGRAMME.value)),
        milestone=fields.boolean("milestone", default=False),
    )


def _parse_periodic_count(fields: _Fields, code: str, label: str, source: str) -> PeriodicCountObligation:
    minimum, maximum = _bounds(fields)
    return PeriodicCountObligation(
        code=code,
        label=label,
        source=source,
        meetings=_meeting_filter(fields),
        minimum=minimum,
        maximum=maximum,
        period=Period(fields.choice("period", [period.value for period in Period])),
        min_overlap_days=fields.integer("min_overlap_days", minimum=1, default=1),
        warning_days=fields.integer("warning_days", minimum=0),
        scope=Scope(fields.choice("scope", [scope.value for scope in Scope], default=Scope.PROGRAMME.value)),
        milestone=fields.boolean("milestone", default=False),
    )


def _parse_first_meeting_mode(
    fields: _Fields, code: str, label: str, source: str
) -> FirstMeetingModeObligation:
    modes = fields.string_set("modes", MEETING_MODES)
    return FirstMeetingModeObligation(
        code=code,
        label=label,
        source=source,
        meetings=MeetingFilter(kinds=fields.string_set("meeting_kinds", MEETING_KINDS)),
        modes=modes,
    )


def _parse_deliverable_deadline(
    fields: _Fields, code: str, label: str, source: str
) -> DeliverableDeadlineObligation:
    return DeliverableDeadlineObligation(
        code=code,
        label=label,
        source=source,
        deliverable=fields.text("deliverable"),
        due=_date_rule(fields, "due", allow_records=False),
        warning_days=fields.integer("warning_days", minimum=0),
        milestone=fields.boolean("milestone", default=False),
    )


def _parse_minutes_deadline(fields: _Fields, code: str, label: str, source: str) -> MinutesDeadlineObligation:
    return MinutesDeadlineObligation(
        code=code,
        label=label,
        source=source,
        meetings=MeetingFilter(kinds=fields.string_set("meeting_kinds", MEETING_KINDS)),
        working_days=fields.integer("working_days", minimum=0),
        warning_days=fields.integer("warning_days", minimum=0),
    )


def _parse_time_cap(fields: _Fields, code: str, label: str, source: str) -> TimeCapObligation:
    object_kind = fields.choice("object_kind", sorted(TIME_OBJECT_KINDS))
    warn_ratio = fields.decimal("warn_ratio")
    if not Decimal(0) < warn_ratio <= Decimal(1):
        raise fields.error("warn_ratio", f"must be greater than 0 and at most 1, got {warn_ratio}")
    return TimeCapObligation(
        code=code, label=label, source=source, object_kind=object_kind, warn_ratio=warn_ratio
    )


_KIND_PARSERS: dict[ObligationKind, Callable[[_Fields, str, str, str], ObligationDefinition]] = {
    ObligationKind.COUNT: _parse_count,
    ObligationKind.PERIODIC_COUNT: _parse_periodic_count,
    ObligationKind.FIRST_MEETING_MODE: _parse_first_meeting_mode,
    ObligationKind.DELIVERABLE_DEADLINE: _parse_deliverable_deadline,
    ObligationKind.MINUTES_DEADLINE: _parse_minutes_deadline,
    ObligationKind.TIME_CAP: _parse_time_cap,
}


def _bounds(fields: _Fields) -> tuple[int, int | None]:
    minimum = fields.integer("min", minimum=0, default=0)
    maximum = fields.optional_integer("max", minimum=0)
    if maximum is None and minimum == 0:
        raise fields.error("min", "is 0 and there is no max: the obligation could never fail")
    if maximum is not None and maximum < minimum:
        raise fields.error("max", f"{maximum} is below min {minimum}")
    return minimum, maximum


def _meeting_filter(fields: _Fields) -> MeetingFilter:
    kinds = fields.string_set("meeting_kinds", MEETING_KINDS)
    modes = fields.string_set("modes", MEETING_MODES) if fields.has("modes") else None
    attended = fields.boolean("attended_by_consultant", default=False)
    return MeetingFilter(kinds=kinds, modes=modes, attended_by_consultant=attended)


def _date_rule(fields: _Fields, key: str, *, allow_records: bool) -> DateRule:
    rule = _Fields(fields.mapping(key), f"{fields.where}: {key}")
    anchors = list(FACTS_ANCHORS)
    anchor = rule.text("anchor")
    if anchor.startswith(FIRST_HELD_PREFIX):
        if not allow_records:
            raise rule.error(
                "anchor", f"{anchor!r} rests on meetings; {key!r} must rest on the programme's dates"
            )
        meeting_kind = anchor.removeprefix(FIRST_HELD_PREFIX)
        if meeting_kind not in MEETING_KINDS:
            raise rule.error("anchor", f"unknown meeting kind {meeting_kind!r} in {anchor!r}")
    elif anchor not in anchors:
        raise rule.error(
            "anchor", f"{anchor!r} is not one of {', '.join(anchors)} or first_held:<meeting kind>"
        )
    snap = rule.optional_choice("snap", [snap.value for snap in Snap])
    parsed = DateRule(
        anchor=anchor,
        years=rule.integer("years", default=0),
        months=rule.integer("months", default=0),
        snap=None if snap is None else Snap(snap),
        not_after=rule.optional_choice("not_after", anchors),
    )
    rule.finish()
    return parsed


class _Fields:
    """Reads the keys of one mapping, remembering which were read so that unknown keys are reported."""

    def __init__(self, data: object, where: str) -> None:
        if not isinstance(data, Mapping):
            raise ObligationDataError(f"{where}: expected a mapping, got {_type_name(data)}")
        self.data: Mapping[object, object] = data
        self.where = where
        self.read: set[str] = set()

    def error(self, key: str, message: str) -> ObligationDataError:
        return ObligationDataError(f"{self.where}: {key}: {message}")

    def has(self, key: str) -> bool:
        return key in self.data

    def _get(self, key: str, default: object, required: bool) -> object:
        self.read.add(key)
        if key not in self.data:
            if required:
                raise ObligationDataError(f"{self.where}: missing key {key!r}")
            return default
        return self.data[key]

    def text(self, key: str, default: str | None = None) -> str:
        value = self._get(key, default, required=default is None)
        if not isinstance(value, str) or (default is None and not value.strip()):
            raise self.error(key, f"must be a non-empty string, got {_type_name(value)}")
        return value

    def choice(self, key: str, allowed: list[str], default: str | None = None) -> str:
        value = self._get(key, default, required=default is None)
        if value not in allowed:
            raise self.error(key, f"{value!r} is not one of {', '.join(allowed)}")
        assert isinstance(value, str)
        return value

    def optional_choice(self, key: str, allowed: list[str]) -> str | None:
        if key not in self.data:
            self.read.add(key)
            return None
        return self.choice(key, allowed)

    def integer(self, key: str, *, minimum: int | None = None, default: int | None = None) -> int:
        value = self._get(key, default, required=default is None)
        if isinstance(value, bool) or not isinstance(value, int):
            raise self.error(key, f"must be an integer, got {_type_name(value)}")
        if minimum is not None and value < minimum:
            raise self.error(key, f"must be at least {minimum}, got {value}")
        return value

    def optional_integer(self, key: str, *, minimum: int) -> int | None:
        if key not in self.data:
            self.read.add(key)
            return None
        return self.integer(key, minimum=minimum)

    def boolean(self, key: str, *, default: bool) -> bool:
        value = self._get(key, default, required=False)
        if not isinstance(value, bool):
            raise self.error(key, f"must be true or false, got {_type_name(value)}")
        return value

    def decimal(self, key: str) -> Decimal:
        value = self._get(key, None, required=True)
        if isinstance(value, bool) or not isinstance(value, int | float | str):
            raise self.error(key, f"must be a number, got {_type_name(value)}")
        try:
            # Through str so that 0.8 in YAML means exactly 0.8, not the nearest binary float.
            number = Decimal(str(value))
        except InvalidOperation:
            raise self.error(key, f"must be a number, got {value!r}") from None
        if not number.is_finite():
            raise self.error(key, f"must be a finite number, got {value!r}")
        return number

    def mapping(self, key: str) -> Mapping[object, object]:
        value = self._get(key, None, required=True)
        if not isinstance(value, Mapping):
            raise self.error(key, f"must be a mapping, got {_type_name(value)}")
        return value

    def items(self, key: str) -> list[object]:
        value = self._get(key, None, required=True)
        if not isinstance(value, list) or not value:
            raise self.error(key, f"must be a non-empty list, got {_type_name(value)}")
        return value

    def string_set(self, key: str, allowed: frozenset[str]) -> frozenset[str]:
        values = self.items(key)
        for value in values:
            if not isinstance(value, str) or value not in allowed:
                raise self.error(key, f"{value!r} is not one of {', '.join(sorted(allowed))}")
        if len(set(values)) != len(values):
            raise self.error(key, "lists a value twice")
        return frozenset(str(value) for value in values)

    def finish(self) -> None:
        unknown = sorted(str(key) for key in self.data if key not in self.read)
        if unknown:
            raise ObligationDataError(f"{self.where}: unknown key(s) {', '.join(map(repr, unknown))}")


def _facts_date(facts: ProgrammeFacts, anchor: str) -> date:
    value = getattr(facts, anchor)
    assert isinstance(value, date)
    return value


def _no_records(_kind: str) -> date | None:
    return None


def _type_name(value: object) -> str:
    if value is None:
        return "nothing"
    return (
        f"{type(value).__name__} {value!r}" if isinstance(value, int | float | str) else type(value).__name__
    )
