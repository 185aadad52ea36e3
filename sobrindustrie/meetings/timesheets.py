"""Totals of the days spent, per axis and per object, against the programme's caps.

Which rows of other apps time can be booked on is declared in `OBJECT_SOURCES`: today the
organisations for diagnostics (one diagnostic per laureate SME); the funding, evaluation and teams
apps add their own sources when they arrive, without changing the time entries already recorded.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from decimal import Decimal

from django.db import models
from django.utils.translation import gettext as _

from sobrindustrie.meetings.enums import Axis, TimeObjectKind
from sobrindustrie.meetings.models import TimeEntry
from sobrindustrie.organisations.models import Organisation
from sobrindustrie.programmes.models import Programme

#: Share of a cap from which a total is flagged as close to it (the engine's warn_ratio).
WARN_RATIO = Decimal("0.8")


def _laureates(programme: Programme) -> models.QuerySet[Organisation]:
    return Organisation.objects.for_programme(programme).laureates().active()


#: For each object kind, the rows time can be booked on; kinds without a source take a free label.
OBJECT_SOURCES: dict[str, Callable[[Programme], models.QuerySet]] = {  # type: ignore[type-arg]
    TimeObjectKind.DIAGNOSTIC: _laureates,
}


def caps_of(programme: Programme) -> dict[str, Decimal]:
    return {
        TimeObjectKind.DIAGNOSTIC: programme.diagnostic_days_cap,
        TimeObjectKind.FUNDING_ORDER: programme.funding_order_days_cap,
        TimeObjectKind.EVALUATION: programme.evaluation_days_cap,
    }


@dataclass
class AxisTotal:
    axis: int
    label: str
    days: Decimal


@dataclass
class ObjectTotal:
    kind: str
    kind_label: str
    label: str
    days: Decimal
    cap: Decimal | None
    entry_count: int

    @property
    def over_cap(self) -> bool:
        return self.cap is not None and self.days > self.cap

    @property
    def near_cap(self) -> bool:
        return self.cap is not None and not self.over_cap and self.days >= self.cap * WARN_RATIO

    @property
    def left(self) -> Decimal | None:
        return None if self.cap is None else self.cap - self.days


def axis_totals(entries: Iterable[TimeEntry]) -> list[AxisTotal]:
    days = {axis.value: Decimal(0) for axis in Axis}
    for entry in entries:
        days[entry.axis] += entry.days
    return [AxisTotal(axis.value, str(axis.label), days[axis.value]) for axis in Axis]


def object_totals(programme: Programme, entries: Iterable[TimeEntry]) -> list[ObjectTotal]:
    """One total per object, capped kinds first, over-cap objects first within a kind."""
    caps = caps_of(programme)
    totals: dict[str, ObjectTotal] = {}
    for entry in entries:
        total = totals.get(entry.object_key)
        if total is None:
            kind = TimeObjectKind(entry.object_kind)
            total = totals[entry.object_key] = ObjectTotal(
                kind, str(kind.label), entry.object_display or _("(unnamed)"), Decimal(0), caps.get(kind), 0
            )
        total.days += entry.days
        total.entry_count += 1
    kind_order = list(TimeObjectKind.values)
    return sorted(
        totals.values(), key=lambda t: (kind_order.index(t.kind), not t.over_cap, t.label.casefold())
    )
