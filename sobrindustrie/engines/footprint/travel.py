"""Travel emissions computed as ADEME Impact CO2 computes them, and the service's own travel log.

A trip's emissions are the mode's factor (construction + use, plus contrails for the plane, per
passenger.km; the plane's factor chosen by the trip's distance) times the distance, for each person.
Cars are the exception, as in Impact CO2: their factor is for one person alone in the car, and people
sharing a car share its emissions, so the car emits the same whatever the number of people in it.

The travel log answers the specification's eco-responsibility clause: travel by collective land
transport first (train, coach, bus), any other mode justified.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sobrindustrie.engines.footprint.errors import TravelInputError, UnknownTravelModeError
from sobrindustrie.engines.footprint.factors import FactorLibrary, TravelMode, load_library

# Impact CO2's carpool setting goes up to 5 people in a car.
MAX_CAR_OCCUPANTS = 5


@dataclass(frozen=True)
class TravelEmission:
    """The emissions of `passengers` people travelling `km` by `mode`, with how they were computed."""

    mode: str
    km: float
    passengers: int
    factor_id: str
    factor_value: float  # kgCO2e per passenger.km (per car km for cars)
    kg_co2e: float  # the whole group
    kg_co2e_per_person: float
    components: Mapping[str, float] = field(hash=False)  # kgCO2e of the group per life-cycle part
    library_reference: str
    # False when Impact CO2 would not list the mode at this distance (a 200 km flight, a 40 km walk).
    shown_by_impactco2: bool = True
    band: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "mode": self.mode,
            "km": self.km,
            "passengers": self.passengers,
            "kg_co2e": self.kg_co2e,
            "kg_co2e_per_person": self.kg_co2e_per_person,
            "components_kg_co2e": dict(self.components),
            "factor_id": self.factor_id,
            "factor_kg_co2e_per_passenger_km": self.factor_value,
            "band": self.band,
            "shown_by_impactco2": self.shown_by_impactco2,
            "library": self.library_reference,
        }


def travel_breakdown(
    mode_slug: str, km: float, passengers: int = 1, library: FactorLibrary | None = None
) -> TravelEmission:
    """Emissions of a trip of `km` by `mode_slug` (an Impact CO2 slug) for `passengers` people.

    Raises `UnknownTravelModeError` (listing the valid slugs) or `TravelInputError` (negative or
    non-finite distance, fewer than one passenger, more people than a car holds).
    """
    library = library or load_library()
    mode = library.travel_mode(mode_slug)
    _check_distance(km)
    _check_passengers(mode, passengers)
    band = mode.band_for(km)
    factor = library.factor(band.factor_id)
    # People in one car share it; on collective transport each person counts.
    people_counted = 1 if mode.carpool else passengers
    total = factor.value * km * people_counted
    return TravelEmission(
        mode=mode.slug,
        km=km,
        passengers=passengers,
        factor_id=factor.id,
        factor_value=factor.value,
        kg_co2e=total,
        kg_co2e_per_person=total / passengers,
        components={part: value * km * people_counted for part, value in factor.components.items()},
        library_reference=library.reference,
        shown_by_impactco2=mode.shown_by_impactco2(km),
        band=band.label_en,
    )


def travel_emissions(
    mode_slug: str, km: float, passengers: int = 1, library: FactorLibrary | None = None
) -> float:
    """kgCO2e of a trip of `km` by `mode_slug` for `passengers` people together (see `travel_breakdown`)."""
    return travel_breakdown(mode_slug, km, passengers, library).kg_co2e


def needs_justification(mode_slug: str, library: FactorLibrary | None = None) -> bool:
    """True when the mode is not train, coach, bus, bike or walking: the travel log must say why."""
    return (library or load_library()).travel_mode(mode_slug).needs_justification


def is_collective_land_transport(mode_slug: str, library: FactorLibrary | None = None) -> bool:
    """True for trains (TGV, Intercités, TER, RER), tram, metro, coach and buses."""
    return (library or load_library()).travel_mode(mode_slug).collective_land


@dataclass(frozen=True)
class Trip:
    """One journey of the service's travel log (one direction; log the return as another trip)."""

    day: date
    origin: str
    destination: str
    km: float
    mode: str
    people: int = 1
    justification: str = ""
    meeting: str = ""  # the meeting the trip served, as the caller names it

    def describe(self) -> str:
        return f"{self.day.isoformat()} {self.origin} → {self.destination}"


@dataclass(frozen=True)
class TripFootprint:
    trip: Trip
    kg_co2e: float
    passenger_km: float
    collective_land: bool
    needs_justification: bool

    @property
    def justified(self) -> bool:
        """False when the mode needs a justification and the trip gives none."""
        return not self.needs_justification or bool(self.trip.justification.strip())


@dataclass(frozen=True)
class TravelTotal:
    """Totals of a group of trips: a month ('2026-03') or a mode slug."""

    key: str
    trips: int
    passenger_km: float
    kg_co2e: float


@dataclass(frozen=True)
class TravelLogSummary:
    trips: tuple[TripFootprint, ...]
    total_kg_co2e: float
    total_passenger_km: float
    by_month: tuple[TravelTotal, ...]  # chronological
    by_mode: tuple[TravelTotal, ...]  # largest emissions first
    # Share of passenger.km (and of trips) made by collective land transport; None for an empty log.
    collective_share_of_distance: float | None
    collective_share_of_trips: float | None
    missing_justifications: tuple[TripFootprint, ...]
    library_reference: str = field(default="")


def trip_footprint(
    trip: Trip, library: FactorLibrary | None = None, *, require_justification: bool = False
) -> TripFootprint:
    """The footprint of one logged trip; with `require_justification`, refuse an unjustified mode."""
    library = library or load_library()
    emission = travel_breakdown(trip.mode, trip.km, trip.people, library)
    mode = library.travel_mode(trip.mode)
    footprint = TripFootprint(
        trip=trip,
        kg_co2e=emission.kg_co2e,
        passenger_km=trip.km * trip.people,
        collective_land=mode.collective_land,
        needs_justification=mode.needs_justification,
    )
    if require_justification and not footprint.justified:
        raise TravelInputError(
            f"justification: a trip by {mode.label_en} ({mode.slug}) must say why train, coach, bus, "
            f"bike or walking was not used"
        )
    return footprint


def summarise_travel_log(trips: Iterable[Trip], library: FactorLibrary | None = None) -> TravelLogSummary:
    """Footprint of every trip, totals per month and per mode, share of collective land transport.

    Trips lacking a needed justification are counted and listed in `missing_justifications`; a trip
    with bad data raises `TravelInputError` (or `UnknownTravelModeError`) naming it by position.
    """
    library = library or load_library()
    footprints = []
    for position, trip in enumerate(trips, start=1):
        try:
            footprints.append(trip_footprint(trip, library))
        except (TravelInputError, UnknownTravelModeError) as error:
            raise type(error)(f"trip {position} ({trip.describe()}): {error}") from None
    total_km = sum(f.passenger_km for f in footprints)
    collective_km = sum(f.passenger_km for f in footprints if f.collective_land)
    collective_trips = sum(1 for f in footprints if f.collective_land)
    by_mode = _totals(footprints, lambda f: f.trip.mode)
    return TravelLogSummary(
        trips=tuple(footprints),
        total_kg_co2e=sum(f.kg_co2e for f in footprints),
        total_passenger_km=total_km,
        by_month=tuple(
            sorted(_totals(footprints, lambda f: f.trip.day.strftime("%Y-%m")), key=lambda t: t.key)
        ),
        by_mode=tuple(sorted(by_mode, key=lambda t: (-t.kg_co2e, t.key))),
        collective_share_of_distance=collective_km / total_km if total_km else None,
        collective_share_of_trips=collective_trips / len(footprints) if footprints else None,
        missing_justifications=tuple(f for f in footprints if not f.justified),
        library_reference=library.reference,
    )


def _totals(footprints: list[TripFootprint], key_of: Callable[[TripFootprint], str]) -> list[TravelTotal]:
    groups: dict[str, list[TripFootprint]] = defaultdict(list)
    for footprint in footprints:
        groups[key_of(footprint)].append(footprint)
    return [
        TravelTotal(
            key=key,
            trips=len(group),
            passenger_km=sum(f.passenger_km for f in group),
            kg_co2e=sum(f.kg_co2e for f in group),
        )
        for key, group in groups.items()
    ]


def _check_distance(km: float) -> None:
    if isinstance(km, bool) or not isinstance(km, int | float) or not math.isfinite(km):
        raise TravelInputError(f"km: the distance must be a number of kilometres, got {km!r}")
    if km < 0:
        raise TravelInputError(f"km: the distance must be ≥ 0 km, got {km:g}")


def _check_passengers(mode: TravelMode, passengers: int) -> None:
    if isinstance(passengers, bool) or not isinstance(passengers, int) or passengers < 1:
        raise TravelInputError(f"passengers: at least one person travels, got {passengers!r}")
    if mode.carpool and passengers > MAX_CAR_OCCUPANTS:
        raise TravelInputError(
            f"passengers: a car carries at most {MAX_CAR_OCCUPANTS} people (Impact CO2's carpool model), "
            f"got {passengers}; log one trip per car"
        )
