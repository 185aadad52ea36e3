"""Distances between sites and a grid index that finds the sites near a point without scanning them all.

Distances between companies are estimated, not routed: the great-circle distance times ROAD_FACTOR.
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Generic, TypeVar

EARTH_RADIUS_KM = 6371.0088
"""Mean Earth radius (IUGG), in km."""

ROAD_FACTOR = 1.3
"""Road distance over great-circle distance. Detour indices measured on French road networks lie around
1.2-1.4 for trips of a few tens of km; 1.3 is the usual middle value. Stated on every estimate."""

KM_PER_DEGREE = EARTH_RADIUS_KM * math.pi / 180.0

T = TypeVar("T")


def haversine_term(phi1: float, cos1: float, lam1: float, phi2: float, cos2: float, lam2: float) -> float:
    """The haversine of the central angle between two points given in radians (with their latitudes'
    cosines): compare it with a limit instead of computing distances."""
    return math.sin((phi2 - phi1) / 2) ** 2 + cos1 * cos2 * math.sin((lam2 - lam1) / 2) ** 2


def great_circle_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Haversine distance in km between two points given in decimal degrees."""
    phi1, phi2 = math.radians(lat1), math.radians(lat2)
    dphi = phi2 - phi1
    dlambda = math.radians(lon2 - lon1)
    h = math.sin(dphi / 2) ** 2 + math.cos(phi1) * math.cos(phi2) * math.sin(dlambda / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(min(1.0, math.sqrt(h)))


def road_km(lat1: float, lon1: float, lat2: float, lon2: float, road_factor: float = ROAD_FACTOR) -> float:
    """Estimated road distance in km: the great-circle distance times `road_factor`."""
    return great_circle_km(lat1, lon1, lat2, lon2) * road_factor


@dataclass
class GridIndex(Generic[T]):
    """Points bucketed in cells of about `cell_km` (north-south) so that a radius query visits only the
    cells that can hold a point within the radius.

    A query costs the number of points in the visited cells, not the number of points indexed; with
    cells about as large as the usual query radius, that is the points within a few radii.
    `distance_evaluations` counts the distances computed by queries (tests use it to check that no
    query scans everything).
    """

    cell_km: float
    distance_evaluations: int = 0
    # Each point keeps its latitude and longitude in radians and the cosine of its latitude.
    _cells: dict[tuple[int, int], list[tuple[float, float, float, T]]] = field(
        default_factory=dict, repr=False
    )
    _lat_step: float = field(init=False, repr=False)
    _lon_step: float = field(init=False, repr=False)
    _lon_cells: int = field(init=False, repr=False)

    def __post_init__(self) -> None:
        if not self.cell_km > 0:
            raise ValueError("cell_km must be positive")
        self._lat_step = min(180.0, self.cell_km / KM_PER_DEGREE)
        # A whole number of longitude cells around the globe, so that indices wrap at the antimeridian.
        self._lon_cells = max(1, math.floor(360.0 / self._lat_step))
        self._lon_step = 360.0 / self._lon_cells

    def __len__(self) -> int:
        return sum(len(points) for points in self._cells.values())

    def add(self, lat: float, lon: float, item: T) -> None:
        """Index `item` at (lat, lon) in decimal degrees."""
        phi, lam = math.radians(lat), math.radians(lon)
        self._cells.setdefault(self._key(lat, lon), []).append((phi, lam, math.cos(phi), item))

    def within(self, lat: float, lon: float, radius_km: float) -> Iterator[tuple[T, float]]:
        """Yield (item, great-circle km) for every indexed point at most `radius_km` from (lat, lon)."""
        phi, lam = math.radians(lat), math.radians(lon)
        cos_phi = math.cos(phi)
        # Compare haversine terms, not distances: asin only for the points kept.
        limit = math.sin(min(math.pi / 2, radius_km / EARTH_RADIUS_KM / 2)) ** 2
        sin, asin, sqrt = math.sin, math.asin, math.sqrt
        for ilat, ilon in self._cells_near(lat, lon, radius_km):
            points = self._cells.get((ilat, ilon))
            if not points:
                continue
            self.distance_evaluations += len(points)
            for pphi, plam, pcos, item in points:
                h = sin((pphi - phi) / 2) ** 2 + cos_phi * pcos * sin((plam - lam) / 2) ** 2
                if h <= limit:
                    yield item, 2 * EARTH_RADIUS_KM * asin(min(1.0, sqrt(h)))

    def cells_near(self, lat: float, lon: float, radius_km: float) -> Iterator[tuple[int, int]]:
        """Keys of the cells that can hold a point within `radius_km` of (lat, lon)."""
        return self._cells_near(lat, lon, radius_km)

    def key(self, lat: float, lon: float) -> tuple[int, int]:
        """Key of the cell holding (lat, lon)."""
        return self._key(lat, lon)

    def _key(self, lat: float, lon: float) -> tuple[int, int]:
        return math.floor((lat + 90.0) / self._lat_step), self._lon_index(lon)

    def _lon_index(self, lon: float) -> int:
        return math.floor((lon + 180.0) / self._lon_step) % self._lon_cells

    def _cells_near(self, lat: float, lon: float, radius_km: float) -> Iterator[tuple[int, int]]:
        dlat = math.degrees(radius_km / EARTH_RADIUS_KM)
        lat_lo = math.floor((max(-90.0, lat - dlat) + 90.0) / self._lat_step)
        lat_hi = math.floor((min(90.0, lat + dlat) + 90.0) / self._lat_step)
        for ilon in self._lon_range(lat, lon, radius_km, dlat):
            for ilat in range(lat_lo, lat_hi + 1):
                yield ilat, ilon

    def _lon_range(self, lat: float, lon: float, radius_km: float, dlat: float) -> range | list[int]:
        # Widest longitude span of the circle: asin(sin(r/R) / cos(lat)); the whole band near a pole.
        angular = radius_km / EARTH_RADIUS_KM
        cos_lat = math.cos(math.radians(lat))
        if abs(lat) + dlat >= 90.0 or angular >= math.pi / 2 or math.sin(angular) >= cos_lat:
            return range(self._lon_cells)
        dlon = math.degrees(math.asin(math.sin(angular) / cos_lat))
        lo = math.floor((lon - dlon + 180.0) / self._lon_step)
        hi = math.floor((lon + dlon + 180.0) / self._lon_step)
        if hi - lo + 1 >= self._lon_cells:
            return range(self._lon_cells)
        return [i % self._lon_cells for i in range(lo, hi + 1)]
