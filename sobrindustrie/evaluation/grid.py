"""The Empreinte Projet level-1 grid: environmental aspects and the scales qualifying a consequence.

The grid is versioned data (data/empreinte_projet_level1_v*.yaml), not code, so that ADEME's official
grid can replace the platform's without a migration. An evaluation stores the version it used and is
always read back with that version.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path

import yaml
from django.utils.translation import gettext

DATA_DIR = Path(__file__).parent / "data"
CURRENT_VERSION = "1.0"
_FILES = {"1.0": "empreinte_projet_level1_v1.yaml"}


@dataclass(frozen=True)
class Level:
    code: str
    label: str  # English msgid
    weight: float = 1.0  # magnitude and certainty weights; direction sign for directions

    @property
    def display(self) -> str:
        return gettext(self.label)


@dataclass(frozen=True)
class Grid:
    version: str
    name: str
    source: str
    aspects: tuple[Level, ...]
    directions: tuple[Level, ...]
    magnitudes: tuple[Level, ...]
    certainties: tuple[Level, ...]
    horizons: tuple[Level, ...]
    phases: tuple[Level, ...]

    @property
    def display_name(self) -> str:
        return gettext(self.name)

    @property
    def display_source(self) -> str:
        return gettext(self.source)

    def choices(self, scale: str) -> list[tuple[str, str]]:
        return [(level.code, level.display) for level in getattr(self, scale)]

    def level(self, scale: str, code: str) -> Level | None:
        return next((level for level in getattr(self, scale) if level.code == code), None)

    def label(self, scale: str, code: str) -> str:
        level = self.level(scale, code)
        return level.display if level else code


def _levels(raw: list[dict[str, object]], weight_key: str = "weight") -> tuple[Level, ...]:
    return tuple(
        Level(code=str(item["code"]), label=str(item["label"]), weight=float(item.get(weight_key, 1)))  # type: ignore[arg-type]
        for item in raw
    )


@cache
def load_grid(version: str = CURRENT_VERSION) -> Grid:
    """The grid of `version`; raises LookupError for a version the platform does not ship."""
    if version not in _FILES:
        raise LookupError(f"unknown Empreinte Projet grid version {version!r}")
    raw = yaml.safe_load((DATA_DIR / _FILES[version]).read_text(encoding="utf-8"))
    return Grid(
        version=str(raw["version"]),
        name=str(raw["name"]),
        source=str(raw["source"]).strip(),
        aspects=_levels(raw["aspects"]),
        directions=_levels(raw["directions"], "sign"),
        magnitudes=_levels(raw["magnitudes"]),
        certainties=_levels(raw["certainties"]),
        horizons=_levels(raw["horizons"]),
        phases=_levels(raw["phases"]),
    )
