"""Travel figures checked against Impact CO2's own computation, done by hand from deplacement.json.

Impact CO2 computes a trip as (sum of the mode's ecv values) × km, divided by the number of people
sharing a car; the plane's ecv is the first haul whose display.max is ≥ the distance.
"""

from __future__ import annotations

from datetime import date

import pytest

from sobrindustrie.engines.footprint.errors import TravelInputError, UnknownTravelModeError
from sobrindustrie.engines.footprint.factors import FactorLibrary
from sobrindustrie.engines.footprint.travel import (
    Trip,
    is_collective_land_transport,
    needs_justification,
    summarise_travel_log,
    travel_breakdown,
    travel_emissions,
    trip_footprint,
)


@pytest.mark.parametrize(
    ("mode", "km", "expected"),
    [
        ("tgv", 250, (0.00063 + 0.0023) * 250),  # Marseille - Montpellier: 0.7325
        ("ter", 80, (0.00479 + 0.0229) * 80),  # Marseille - Toulon: 2.2152
        ("intercites", 400, (0.0017 + 0.0058) * 400),  # 3.0
        ("autocar", 300, (0.00442 + 0.033139999999999996) * 300),  # 11.268
        ("busthermique", 10, (0.00892 + 0.1135) * 10),  # 1.2242
        ("voiturethermique", 100, (0.192 + 0.0256) * 100),  # 21.76
        ("voitureelectrique", 100, (0.0198 + 0.0836) * 100),  # 10.34
        ("velo", 5, 0.0),
        ("trottinetteelectrique", 4, (0.0229 + 0.002) * 4),  # 0.0996
    ],
)
def test_it_computes_trips_as_impactco2_does(mode: str, km: float, expected: float) -> None:
    assert travel_emissions(mode, km) == pytest.approx(expected, rel=1e-12)


def test_it_gives_round_figures_for_the_cli_examples() -> None:
    assert travel_emissions("tgv", 250) == pytest.approx(0.7325, rel=1e-12)
    assert travel_emissions("voiturethermique", 100) == pytest.approx(21.76, rel=1e-12)


@pytest.mark.parametrize(
    ("km", "factor_id", "per_km"),
    [
        (300, "travel.avion.court_courrier", 0.000372 + 0.1232 + 0.101),
        (800, "travel.avion.court_courrier", 0.000372 + 0.1232 + 0.101),
        (1000, "travel.avion.court_courrier", 0.000372 + 0.1232 + 0.101),
        (1000.5, "travel.avion.moyen_courrier", 0.000361 + 0.1013 + 0.083),
        (2000, "travel.avion.moyen_courrier", 0.000361 + 0.1013 + 0.083),
        (2001, "travel.avion.long_courrier", 0.000294 + 0.0915 + 0.075),
        (9000, "travel.avion.long_courrier", 0.000294 + 0.0915 + 0.075),
    ],
)
def test_it_chooses_the_planes_haul_by_distance(km: float, factor_id: str, per_km: float) -> None:
    emission = travel_breakdown("avion", km)
    assert emission.factor_id == factor_id
    assert emission.kg_co2e == pytest.approx(per_km * km, rel=1e-12)


def test_a_longer_flight_has_a_lower_factor_per_km_but_a_larger_total() -> None:
    short, medium, long = (travel_breakdown("avion", km) for km in (1000, 2000, 2001))
    assert short.factor_value > medium.factor_value > long.factor_value
    assert short.kg_co2e < medium.kg_co2e  # 224.572 < 369.322
    assert long.kg_co2e == pytest.approx(333.754794, rel=1e-12)


def test_it_splits_a_flight_into_construction_use_and_contrails() -> None:
    emission = travel_breakdown("avion", 1000)
    assert emission.components == pytest.approx({"construction": 0.372, "use": 123.2, "contrails": 101.0})
    assert sum(emission.components.values()) == pytest.approx(emission.kg_co2e)


def test_it_says_when_impactco2_would_not_show_a_mode_at_that_distance() -> None:
    assert not travel_breakdown("avion", 300).shown_by_impactco2
    assert travel_breakdown("avion", 800).shown_by_impactco2
    assert not travel_breakdown("velo", 45).shown_by_impactco2


def test_it_counts_each_passenger_on_collective_transport() -> None:
    emission = travel_breakdown("tgv", 250, passengers=3)
    assert emission.kg_co2e == pytest.approx(3 * 0.7325, rel=1e-12)
    assert emission.kg_co2e_per_person == pytest.approx(0.7325, rel=1e-12)


def test_people_sharing_a_car_share_its_emissions() -> None:
    emission = travel_breakdown("voiturethermique", 100, passengers=2)
    assert emission.kg_co2e == pytest.approx(21.76, rel=1e-12)
    # Impact CO2 with "1 covoitureur" (2 people in the car) shows 10.88 per person.
    assert emission.kg_co2e_per_person == pytest.approx(10.88, rel=1e-12)


def test_it_refuses_a_negative_distance() -> None:
    with pytest.raises(TravelInputError, match=r"km: the distance must be ≥ 0 km, got -12"):
        travel_emissions("tgv", -12)


@pytest.mark.parametrize("km", [float("nan"), float("inf")])
def test_it_refuses_a_distance_that_is_not_a_number(km: float) -> None:
    with pytest.raises(TravelInputError, match=r"km: the distance must be a number"):
        travel_emissions("tgv", km)


def test_it_refuses_a_trip_without_traveller() -> None:
    with pytest.raises(TravelInputError, match=r"passengers: at least one person travels, got 0"):
        travel_emissions("tgv", 10, passengers=0)


def test_it_refuses_more_people_than_a_car_holds() -> None:
    with pytest.raises(
        TravelInputError, match=r"a car carries at most 5 people.*got 6; log one trip per car"
    ):
        travel_emissions("voiturethermique", 10, passengers=6)


def test_it_lists_the_valid_slugs_for_an_unknown_mode() -> None:
    with pytest.raises(
        UnknownTravelModeError, match=r"unknown travel mode 'avoin'; valid modes are: autocar, avion"
    ):
        travel_emissions("avoin", 100)


@pytest.mark.parametrize(
    ("mode", "needed"),
    [
        ("tgv", False),
        ("ter", False),
        ("intercites", False),
        ("rer", False),
        ("autocar", False),
        ("busthermique", False),
        ("buselectrique", False),
        ("tramway", False),
        ("velo", False),
        ("veloelectrique", False),
        ("voiturethermique", True),
        ("voitureelectrique", True),
        ("avion", True),
        ("moto", True),
    ],
)
def test_it_asks_a_justification_for_modes_other_than_train_coach_bus_bike_or_walking(
    mode: str, needed: bool
) -> None:
    assert needs_justification(mode) is needed


def test_collective_land_transport_is_trains_coaches_and_buses() -> None:
    assert is_collective_land_transport("tgv") and is_collective_land_transport("autocar")
    assert is_collective_land_transport("busgnv") and is_collective_land_transport("metro")
    assert not is_collective_land_transport("velo")
    assert not is_collective_land_transport("voiturethermique")
    assert not is_collective_land_transport("avion")


def _log() -> list[Trip]:
    return [
        Trip(date(2026, 3, 2), "Marseille", "Toulon", 80, "ter", people=2, meeting="Follow-up team 1"),
        Trip(date(2026, 3, 2), "Toulon", "Marseille", 80, "ter", people=2),
        Trip(
            date(2026, 3, 19),
            "Marseille",
            "Nice",
            200,
            "voiturethermique",
            people=2,
            justification="Equipment to carry",
        ),
        Trip(date(2026, 4, 7), "Marseille", "Digne", 150, "voiturethermique"),
        Trip(date(2026, 4, 9), "Marseille", "Avignon", 100, "autocar"),
    ]


def test_it_totals_the_travel_log_per_month_and_per_mode(library: FactorLibrary) -> None:
    summary = summarise_travel_log(_log(), library)
    ter = 2 * 2 * 80 * (0.00479 + 0.0229)  # 8.8608
    car = 200 * 0.2176 + 150 * 0.2176  # 43.52 + 32.64 (the shared car counted once)
    coach = 100 * (0.00442 + 0.033139999999999996)  # 3.756
    assert summary.total_kg_co2e == pytest.approx(ter + car + coach, rel=1e-12)
    assert summary.total_passenger_km == 160 + 160 + 400 + 150 + 100
    months = {total.key: total for total in summary.by_month}
    assert list(months) == ["2026-03", "2026-04"]
    assert months["2026-03"].trips == 3
    assert months["2026-03"].kg_co2e == pytest.approx(ter + 43.52, rel=1e-12)
    assert months["2026-04"].kg_co2e == pytest.approx(32.64 + coach, rel=1e-12)
    assert [total.key for total in summary.by_mode] == ["voiturethermique", "ter", "autocar"]
    assert summary.library_reference == library.reference


def test_it_gives_the_share_of_collective_land_transport(library: FactorLibrary) -> None:
    summary = summarise_travel_log(_log(), library)
    assert summary.collective_share_of_distance == pytest.approx((320 + 100) / 970)
    assert summary.collective_share_of_trips == pytest.approx(3 / 5)


def test_it_lists_the_trips_missing_a_justification(library: FactorLibrary) -> None:
    summary = summarise_travel_log(_log(), library)
    assert [f.trip.destination for f in summary.missing_justifications] == ["Digne"]


def test_an_empty_log_has_no_share(library: FactorLibrary) -> None:
    summary = summarise_travel_log([], library)
    assert summary.total_kg_co2e == 0
    assert summary.collective_share_of_distance is None


def test_it_names_the_faulty_trip_in_a_log(library: FactorLibrary) -> None:
    trips = [*_log(), Trip(date(2026, 5, 1), "Nice", "Cannes", -30, "ter")]
    with pytest.raises(
        TravelInputError, match=r"trip 6 \(2026-05-01 Nice → Cannes\): km: the distance must be ≥ 0"
    ):
        summarise_travel_log(trips, library)


def test_it_can_require_the_justification_when_a_trip_is_recorded(library: FactorLibrary) -> None:
    trip = Trip(date(2026, 4, 7), "Marseille", "Digne", 150, "avion")
    with pytest.raises(TravelInputError, match=r"justification: a trip by Plane \(avion\) must say why"):
        trip_footprint(trip, library, require_justification=True)
    justified = Trip(date(2026, 4, 7), "Marseille", "Digne", 150, "avion", justification="No other way")
    assert trip_footprint(justified, library, require_justification=True).justified
