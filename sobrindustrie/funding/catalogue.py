"""The default catalogue shipped with the platform (`funding/data/catalogue.yaml`).

Loading it imports the selected Mission Transition Écologique files shipped in `data/mte/` (with the
importer, so the same checks apply), writes why each one is in the catalogue, and creates or updates
the curated entries. Idempotent: loading twice changes nothing.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Final

import yaml
from django.db import transaction

from sobrindustrie.core.upsert import upsert
from sobrindustrie.funding.enums import SchemeSource
from sobrindustrie.funding.importer import ImportReport, import_directory
from sobrindustrie.funding.models import FundingScheme

DATA_DIR: Final = Path(__file__).resolve().parent / "data"
CATALOGUE_FILE: Final = DATA_DIR / "catalogue.yaml"
#: Fields of a curated entry that the YAML may give, besides slug, why and the dates.
CURATED_FIELDS: Final = (
    "title",
    "promise",
    "description",
    "long_description",
    "contact_operator",
    "other_operators",
    "nature",
    "funding_amount_text",
    "max_amount_eur",
    "max_rate_percent",
    "url",
    "source_url",
    "valid_from",
    "valid_until",
)
#: Tracking fields a curated entry starts with; the consultant's later edits are kept on reloading.
INITIAL_TRACKING_FIELDS: Final = (
    "funders",
    "instructing_bodies",
    "spending_type",
    "is_call_for_projects",
    "submission_deadlines",
)


@dataclass
class CatalogueReport:
    mte: ImportReport
    curated: dict[str, str] = field(default_factory=dict)
    reasons: dict[str, str] = field(default_factory=dict)

    def lines(self) -> list[str]:
        lines = self.mte.lines()
        lines += [f"Curated {slug}: {status}" for slug, status in self.curated.items()]
        changed = sum(1 for status in self.reasons.values() if status != "unchanged")
        lines.append(f"Reasons of selection: {changed} written, {len(self.reasons) - changed} unchanged")
        return lines


def read_catalogue(path: Path = CATALOGUE_FILE) -> dict[str, Any]:
    with path.open(encoding="utf-8") as handle:
        return yaml.safe_load(handle)  # type: ignore[no-any-return]


@transaction.atomic
def load_default_catalogue(path: Path = CATALOGUE_FILE) -> CatalogueReport:
    data = read_catalogue(path)
    mte = data["mte"]
    selection = {item["slug"]: item["why"] for item in data["selection"]}
    report = CatalogueReport(
        import_directory(
            path.parent / mte["directory"],
            path.parent / mte["interface"],
            source_date=_day(mte["source_date"]),
            only=set(selection),
        )
    )
    for slug, why in selection.items():
        scheme = FundingScheme.objects.filter(slug=slug).first()
        if scheme is not None:
            report.reasons[slug] = upsert(FundingScheme, {"pk": scheme.pk}, {"selection_reason": why})[1]
    for raw in data.get("curated", []):
        values = {name: raw[name] for name in CURATED_FIELDS if name in raw}
        values.update(
            source=SchemeSource.CURATED,
            source_date=_day(raw["source_date"]),
            selection_reason=raw["why"],
        )
        if not FundingScheme.objects.filter(slug=raw["slug"]).exists():
            values.update({name: raw[name] for name in INITIAL_TRACKING_FIELDS if name in raw})
        _scheme, report.curated[raw["slug"]] = upsert(FundingScheme, {"slug": raw["slug"]}, values)
    return report


def _day(value: object) -> dt.date:
    return value if isinstance(value, dt.date) else dt.date.fromisoformat(str(value))
