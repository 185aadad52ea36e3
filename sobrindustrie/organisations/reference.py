"""Reference data shipped with the platform: NAF rev. 2, PACA communes, production-means taxonomy.

Files live in `organisations/data/` with their sources cited in docs/data-sources.md. They are read
once per process and kept in memory: they are small and never change at run time.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import yaml

DATA_DIR = Path(__file__).resolve().parent / "data"


@dataclass(frozen=True)
class NafCode:
    code: str
    label: str
    section: str


@dataclass(frozen=True)
class Category:
    code: str
    label_fr: str
    label_en: str
    parent: str | None


@cache
def naf_codes() -> dict[str, NafCode]:
    with (DATA_DIR / "naf_rev2.csv").open(encoding="utf-8") as handle:
        return {
            row["code"]: NafCode(row["code"], row["label"], row["section"]) for row in csv.DictReader(handle)
        }


@cache
def taxonomy() -> dict[str, Category]:
    """Every category and subcategory code of the production-means taxonomy, in file order."""
    with (DATA_DIR / "production_means_taxonomy.yaml").open(encoding="utf-8") as handle:
        raw = yaml.safe_load(handle)
    result: dict[str, Category] = {}
    for top in raw["categories"]:
        result[top["code"]] = Category(top["code"], top["label_fr"], top["label_en"], None)
        for sub in top["subcategories"]:
            result[sub["code"]] = Category(sub["code"], sub["label_fr"], sub["label_en"], top["code"])
    return result


def subcategory_choices() -> list[tuple[str, list[tuple[str, str]]]]:
    """Grouped choices for a <select>: top-level label -> subcategories."""
    groups: dict[str, list[tuple[str, str]]] = {}
    labels: dict[str, str] = {}
    for category in taxonomy().values():
        if category.parent is None:
            labels[category.code] = category.label_fr
            groups[category.code] = []
        else:
            groups[category.parent].append((category.code, category.label_fr))
    return [(labels[code], items) for code, items in groups.items()]


def category_label(code: str) -> str:
    category = taxonomy().get(code)
    return category.label_fr if category else code


def communes_rows() -> list[dict[str, str]]:
    with (DATA_DIR / "communes_paca.csv").open(encoding="utf-8") as handle:
        return list(csv.DictReader(handle))
