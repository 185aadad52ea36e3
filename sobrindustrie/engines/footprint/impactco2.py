"""Importer of ADEME Impact CO2's travel modes (`deplacement.json`) into the factor library.

Impact CO2 (repository incubateur-ademe/impactco2, MIT licence) lists each travel mode with its
emissions per passenger.km split into life-cycle parts, the `ecv` list, whose ids mean:
5 = construction of the vehicle, 6 = fuel or electricity (use), 7 = contrails (plane only).
Most modes have one `ecv`; the plane has several (`ecvs`), one per haul, chosen by the trip's
distance: Impact CO2 takes the first whose `display.max` is at least the distance, or the last one,
which has no maximum. Cars carry `carpool`: their figure is for one person alone in the car, and
Impact CO2 divides it by the number of people sharing the car.

`derive_travel_document` turns that file into the plain document shipped as
`data/travel_impactco2_v1.json`, so the package works without the source file; run
`sobrindustrie footprint import-impactco2 PATH --output FILE` to regenerate it after an update, and
the test suite checks the shipped document against the source when the source is present.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from sobrindustrie.engines.footprint.errors import ImpactCO2ImportError

SOURCE_REPOSITORY = "incubateur-ademe/impactco2"
SOURCE_COMMIT = "8076a48"
SOURCE_PATH = "src/data/categories/deplacement.json"

# Impact CO2's life-cycle part ids (its data/ecv.json) -> our component names.
ECV_COMPONENTS: dict[int, str] = {5: "construction", 6: "use", 7: "contrails"}


def derive_travel_document(raw_modes: object, license_text: str = "") -> dict[str, Any]:
    """Return the derived travel document for the parsed content of Impact CO2's deplacement.json.

    The document keeps every mode, in the source's order, with its Impact CO2 id, slug, names, type,
    carpool flag, display range and its distance bands (one band for modes without haul variants).
    Raises `ImpactCO2ImportError` naming the mode and field when the structure is not the one known.
    """
    if not isinstance(raw_modes, list) or not raw_modes:
        raise ImpactCO2ImportError("deplacement.json must hold a non-empty list of travel modes")
    return {
        "source": {
            "name": "ADEME Impact CO2, travel modes (deplacement.json)",
            "repository": SOURCE_REPOSITORY,
            "commit": SOURCE_COMMIT,
            "path": SOURCE_PATH,
            "license": "MIT",
            "license_text": license_text.strip(),
        },
        "ecv_components": {str(ecv_id): name for ecv_id, name in ECV_COMPONENTS.items()},
        "modes": [_derive_mode(position, raw) for position, raw in enumerate(raw_modes)],
    }


def derive_travel_document_from_file(path: Path) -> dict[str, Any]:
    """Read deplacement.json at `path` (and the LICENSE file beside it, when present) and derive."""
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as error:
        raise ImpactCO2ImportError(f"cannot read {path}: {error}") from None
    license_path = path.parent / "LICENSE"
    license_text = license_path.read_text(encoding="utf-8") if license_path.is_file() else ""
    return derive_travel_document(raw, license_text)


def dump_travel_document(document: dict[str, Any]) -> str:
    """Serialise a derived document the way the shipped file is written (stable, diff-friendly)."""
    return json.dumps(document, ensure_ascii=False, indent=2) + "\n"


def _derive_mode(position: int, raw: object) -> dict[str, Any]:
    if not isinstance(raw, dict):
        raise ImpactCO2ImportError(f"mode #{position}: expected an object, got {type(raw).__name__}")
    where = f"mode #{position} ({raw.get('slug', '?')})"
    for field in ("id", "slug", "name", "type"):
        if field not in raw:
            raise ImpactCO2ImportError(f"{where}: field {field!r} is missing")
    display = raw.get("display") or {}
    return {
        "impactco2_id": _integer(raw["id"], where, "id"),
        "slug": str(raw["slug"]),
        "name": str(raw["name"]),
        "subtitle": raw.get("subtitle"),
        "type": str(raw["type"]),
        "carpool": bool(raw.get("carpool", False)),
        "display_min_km": display.get("min"),
        "display_max_km": display.get("max"),
        "source_url": raw.get("source"),
        "bands": _derive_bands(raw, where),
    }


def _derive_bands(raw: dict[str, Any], where: str) -> list[dict[str, Any]]:
    if "ecvs" in raw:
        variants = raw["ecvs"]
        if not isinstance(variants, list) or not variants:
            raise ImpactCO2ImportError(f"{where}: 'ecvs' must be a non-empty list")
        bands = []
        for index, variant in enumerate(variants):
            variant_where = f"{where}, ecvs[{index}]"
            if not isinstance(variant, dict):
                raise ImpactCO2ImportError(f"{variant_where}: expected an object")
            max_km = (variant.get("display") or {}).get("max")
            if max_km is None and index != len(variants) - 1:
                raise ImpactCO2ImportError(f"{variant_where}: only the last haul may have no display.max")
            bands.append(
                {
                    "subtitle": variant.get("subtitle"),
                    "empreinte_id": variant.get("empreinteId"),
                    "max_km": max_km,
                    **_components(variant.get("ecv"), variant_where),
                }
            )
        return bands
    if "ecv" in raw:
        components = _components(raw["ecv"], where)
    elif raw.get("total") == 0:
        # Walking and cycling: Impact CO2 gives a total of zero and no breakdown.
        components = dict.fromkeys(ECV_COMPONENTS.values(), 0.0)
    else:
        raise ImpactCO2ImportError(f"{where}: has none of 'ecv', 'ecvs' or a zero 'total'")
    return [{"subtitle": None, "empreinte_id": raw.get("empreinteId"), "max_km": None, **components}]


def _components(ecv: object, where: str) -> dict[str, float]:
    if not isinstance(ecv, list) or not ecv:
        raise ImpactCO2ImportError(f"{where}: 'ecv' must be a non-empty list of {{id, value}}")
    components = dict.fromkeys(ECV_COMPONENTS.values(), 0.0)
    seen: set[int] = set()
    for part in ecv:
        if not isinstance(part, dict):
            raise ImpactCO2ImportError(f"{where}: each ecv entry must be an object {{id, value}}")
        ecv_id = _integer(part.get("id"), where, "ecv id")
        if ecv_id in seen:
            raise ImpactCO2ImportError(f"{where}: ecv id {ecv_id} appears twice")
        seen.add(ecv_id)
        if ecv_id not in ECV_COMPONENTS:
            known = ", ".join(f"{key} ({name})" for key, name in ECV_COMPONENTS.items())
            raise ImpactCO2ImportError(f"{where}: unknown ecv id {ecv_id}; known ids are {known}")
        value = part.get("value")
        if not isinstance(value, int | float) or isinstance(value, bool) or value < 0:
            raise ImpactCO2ImportError(f"{where}: ecv {ecv_id} value must be a number ≥ 0, got {value!r}")
        components[ECV_COMPONENTS[ecv_id]] = float(value)
    return components


def _integer(value: object, where: str, field: str) -> int:
    if not isinstance(value, int) or isinstance(value, bool):
        raise ImpactCO2ImportError(f"{where}: {field} must be an integer, got {value!r}")
    return value
