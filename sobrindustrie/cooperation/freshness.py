"""Whether a cooperation analysis still describes the data it read.

An analysis is a snapshot (see `models`). When machines, needs, offers, organisations or diagnostics
change afterwards, its opportunities and the team scores built on them no longer match what people
see in the inventory: the pages say so and offer to run it again. The state kept with each analysis
is, per source, the number of rows read and the latest `updated_at` among them: an edit moves the
date, a deletion or an addition moves the count. A handful of aggregate queries, whatever the size
of the programme.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.db.models import Count, Max, QuerySet

from sobrindustrie.organisations.models import Need, Offer, Organisation, ProductionMeans

if TYPE_CHECKING:
    from sobrindustrie.cooperation.models import CooperationAnalysis
    from sobrindustrie.programmes.models import Programme

#: The sources an analysis reads, in the order pages list them.
SOURCES = ("organisations", "means", "needs", "offers", "diagnostics")


@dataclass(frozen=True)
class Change:
    """One source that moved since the analysis: its code and its counts then and now."""

    source: str
    then: int
    now: int


def _sources(programme: Programme) -> dict[str, QuerySet[Any]]:
    organisations = Organisation.objects.for_programme(programme).active()  # type: ignore[attr-defined]
    sources: dict[str, QuerySet[Any]] = {
        "organisations": organisations,
        "means": ProductionMeans.objects.filter(organisation__in=organisations),
        "needs": Need.objects.filter(organisation__in=organisations),
        "offers": Offer.objects.filter(organisation__in=organisations),
    }
    try:  # the diagnostics app is optional for the analysis (see adapters.diagnostic_signals)
        from sobrindustrie.diagnostics.models import Opportunity as DiagnosticOpportunity
    except ImportError:
        return sources
    sources["diagnostics"] = DiagnosticOpportunity.objects.filter(diagnostic__programme=programme)
    return sources


def inputs_state(programme: Programme) -> dict[str, list[Any]]:
    """Per source: [rows, latest change as ISO text or None]."""
    state: dict[str, list[Any]] = {}
    for name, queryset in _sources(programme).items():
        row = queryset.order_by().aggregate(rows=Count("pk"), latest=Max("updated_at"))
        latest = row["latest"]
        state[name] = [row["rows"], latest.isoformat() if latest is not None else None]
    return state


def changes_since(analysis: CooperationAnalysis) -> list[Change]:
    """The sources that changed since the analysis ran; empty when it is up to date, or when it was
    stored before analyses kept their state (nothing to compare with)."""
    then = analysis.inputs_state or {}
    if not then:
        return []
    now = inputs_state(analysis.programme)
    changes = []
    for name in SOURCES:
        if name not in now:
            continue
        before = then.get(name, [0, None])
        if list(before) != list(now[name]):
            changes.append(Change(name, int(before[0]), int(now[name][0])))
    return changes
