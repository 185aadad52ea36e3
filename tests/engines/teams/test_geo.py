from __future__ import annotations

import math
import random

import pytest

from sobrindustrie.engines.teams.geo import EARTH_RADIUS_KM, ROAD_FACTOR, GridIndex, great_circle_km, road_km


def test_it_measures_one_degree_along_the_equator() -> None:
    assert great_circle_km(0, 0, 0, 1) == pytest.approx(EARTH_RADIUS_KM * math.pi / 180)


def test_it_measures_a_quarter_meridian() -> None:
    assert great_circle_km(0, 0, 90, 0) == pytest.approx(EARTH_RADIUS_KM * math.pi / 2)


def test_it_measures_across_the_antimeridian() -> None:
    assert great_circle_km(0, 179.5, 0, -179.5) == pytest.approx(great_circle_km(0, 0, 0, 1))


def test_it_applies_the_road_factor() -> None:
    assert ROAD_FACTOR == 1.3
    assert road_km(43.3, 5.4, 43.5, 5.4) == pytest.approx(great_circle_km(43.3, 5.4, 43.5, 5.4) * 1.3)


@pytest.mark.parametrize(
    ("lat_range", "lon_range"),
    [((43.0, 44.5), (4.5, 7.5)), ((-10, 10), (175, 185)), ((84, 90), (-180, 180))],
    ids=["provence", "antimeridian", "pole"],
)
def test_it_finds_exactly_the_points_a_full_scan_finds(
    lat_range: tuple[float, float], lon_range: tuple[float, float]
) -> None:
    rng = random.Random(3)
    points = [(rng.uniform(*lat_range), (rng.uniform(*lon_range) + 180) % 360 - 180) for _ in range(400)]
    grid: GridIndex[int] = GridIndex(cell_km=40)
    for i, (lat, lon) in enumerate(points):
        grid.add(lat, lon, i)
    for lat, lon in points[:40]:
        for radius in (5, 40, 130):
            found = {i for i, _ in grid.within(lat, lon, radius)}
            expected = {
                i for i, (plat, plon) in enumerate(points) if great_circle_km(lat, lon, plat, plon) <= radius
            }
            assert found == expected


def test_it_looks_only_at_nearby_cells() -> None:
    grid: GridIndex[str] = GridIndex(cell_km=20)
    for i in range(1000):
        grid.add(48.0 + i * 1e-4, 2.0, f"far{i}")  # a cluster near Paris
    grid.add(43.30, 5.40, "near")
    assert [item for item, _ in grid.within(43.31, 5.40, 20)] == ["near"]
    assert grid.distance_evaluations == 1
