"""A light SVG map of organisations: points on a schematic region outline, no tiles, no script.

Coordinates are projected with an equirectangular projection scaled by cos(latitude), which is
accurate enough at the scale of a French region and keeps the output a few kilobytes.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from sobrindustrie.core.markup import markup_number

# A schematic outline of Provence-Alpes-Côte d'Azur (lon, lat), clockwise from the Rhône delta.
PACA_OUTLINE: tuple[tuple[float, float], ...] = (
    (4.23, 43.46),
    (4.65, 43.87),
    (4.65, 44.15),
    (4.80, 44.45),
    (5.10, 44.38),
    (5.45, 44.50),
    (5.42, 44.83),
    (5.80, 44.72),
    (6.05, 44.95),
    (6.35, 45.12),
    (6.63, 45.10),
    (7.05, 44.78),
    (6.85, 44.52),
    (6.95, 44.28),
    (7.40, 44.12),
    (7.72, 43.99),
    (7.50, 43.78),
    (7.20, 43.65),
    (6.93, 43.48),
    (6.65, 43.27),
    (6.35, 43.10),
    (6.10, 43.08),
    (5.80, 43.08),
    (5.35, 43.21),
    (5.05, 43.33),
    (4.80, 43.35),
)


@dataclass(frozen=True)
class MapPoint:
    latitude: float
    longitude: float
    label: str
    url: str = ""


@dataclass(frozen=True)
class MapLink:
    a: MapPoint
    b: MapPoint
    weight: float = 1.0


@dataclass(frozen=True)
class ProjectedMap:
    width: int
    height: int
    outline: str
    points: list[tuple[float, float, MapPoint]]
    links: list[tuple[float, float, float, float, float]]


class Projection:
    def __init__(self, bounds: Sequence[tuple[float, float]], width: int = 400, margin: int = 12) -> None:
        lons = [lon for lon, _ in bounds]
        lats = [lat for _, lat in bounds]
        self.west, self.east = min(lons), max(lons)
        self.south, self.north = min(lats), max(lats)
        self.kx = math.cos(math.radians((self.south + self.north) / 2))
        span_x = (self.east - self.west) * self.kx or 1.0
        span_y = (self.north - self.south) or 1.0
        self.scale = (width - 2 * margin) / span_x
        self.margin = margin
        self.width = width
        self.height = round(span_y * self.scale + 2 * margin)

    def __call__(self, latitude: float, longitude: float) -> tuple[float, float]:
        x = self.margin + (longitude - self.west) * self.kx * self.scale
        y = self.margin + (self.north - latitude) * self.scale
        return round(x, 1), round(y, 1)


def project(points: Iterable[MapPoint], links: Iterable[MapLink] = (), width: int = 400) -> ProjectedMap:
    points = list(points)
    bounds = list(PACA_OUTLINE) + [(p.longitude, p.latitude) for p in points]
    projection = Projection(bounds, width=width)
    outline = " ".join(
        f"{markup_number(x)},{markup_number(y)}"
        for x, y in (projection(lat, lon) for lon, lat in PACA_OUTLINE)
    )
    projected = [(*projection(p.latitude, p.longitude), p) for p in points]
    projected_links = [
        (
            *projection(link.a.latitude, link.a.longitude),
            *projection(link.b.latitude, link.b.longitude),
            link.weight,
        )
        for link in links
    ]
    return ProjectedMap(projection.width, projection.height, outline, projected, projected_links)
