"""The consultant's travel log read through the footprint engine: kgCO2e per trip, totals per month
and per mode, share of collective land transport, and the rule on justifications."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from sobrindustrie.engines.footprint import (
    FactorLibrary,
    FootprintError,
    TravelLogSummary,
    load_library,
    needs_justification,
    summarise_travel_log,
    travel_emissions,
)
from sobrindustrie.engines.footprint import Trip as EngineTrip
from sobrindustrie.evaluation.models import Trip


def mode_label(slug: str, library: FactorLibrary | None = None) -> str:
    library = library or load_library()
    mode = library.travel_modes.get(slug)
    if mode is None:
        return slug
    return mode.label_fr if (get_language() or "fr").startswith("fr") else mode.label_en


def mode_choices() -> list[tuple[str, str]]:
    library = load_library()
    return [(slug, f"{mode_label(slug, library)} ({slug})") for slug in sorted(library.travel_modes)]


def validate_trip(mode: str, km: float | None, people: int | None, justification: str) -> dict[str, str]:
    """Errors by field for a trip, from the engine's own rules; empty when the trip is fine."""
    library = load_library()
    if mode not in library.travel_modes:
        return {"mode": _("Unknown travel mode “%s”.") % mode}
    errors: dict[str, str] = {}
    if km is not None and people is not None:
        try:
            travel_emissions(mode, km, people, library)
        except FootprintError as error:
            field = "people" if str(error).startswith("passengers") else "km"
            errors[field] = str(error)
    if needs_justification(mode, library) and not justification.strip():
        errors["justification"] = _(
            "A trip by %(mode)s needs a justification: say why train, coach, bus, bike or walking was not used."
        ) % {"mode": mode_label(mode, library)}
    return errors


def engine_trip(trip: Trip) -> EngineTrip:
    return EngineTrip(
        day=trip.day,
        origin=trip.origin,
        destination=trip.destination,
        km=trip.km,
        mode=trip.mode,
        people=trip.people,
        justification=trip.justification,
        meeting=str(trip.meeting) if trip.meeting_id else "",
    )


@dataclass(frozen=True)
class TripRow:
    trip: Trip
    kg_co2e: float
    mode_label: str
    justified: bool


def summarise(trips: Iterable[Trip]) -> tuple[list[TripRow], TravelLogSummary]:
    trips = list(trips)
    library = load_library()
    summary = summarise_travel_log([engine_trip(t) for t in trips], library)
    rows = [
        TripRow(trip, footprint.kg_co2e, mode_label(trip.mode, library), footprint.justified)
        for trip, footprint in zip(trips, summary.trips, strict=True)
    ]
    return rows, summary


def raise_for(errors: dict[str, str]) -> None:
    if errors:
        raise ValidationError(errors)
