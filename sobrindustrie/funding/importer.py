"""Import of a directory of Mission Transition Écologique programme files.

Every `*.yaml` file of the directory becomes (or updates) one FundingScheme, matched on its file name.
Each file is imported in its own transaction: a refused file (malformed YAML, unknown construct,
self-referencing rule, unknown nature of aid...) is reported with its reason and the others still
import. Re-importing saves only what changed (`core.upsert`), and never touches what the consultant
tracks (funders, deadlines, notes). The shared interface file is stored too, so that eligibility is
evaluated without the source folder.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Collection
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from sobrindustrie.core.upsert import upsert
from sobrindustrie.engines.publicodes import Interface, PublicodesError
from sobrindustrie.engines.publicodes.catalogue import INTERFACE_FILE_NAME, find_interface, read_yaml
from sobrindustrie.funding.enums import SchemeSource
from sobrindustrie.funding.models import CatalogueImport, FundingScheme, PublicodesInterface
from sobrindustrie.funding.mte import ProgrammeFileError, read_programme_file

INTERFACE_NAME = "mte"


class CatalogueError(ValueError):
    """The directory or its interface cannot be read: nothing was imported."""


@dataclass
class ImportReport:
    directory: str
    interface: str = ""
    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    #: (file name, reason)
    refused: list[tuple[str, str]] = field(default_factory=list)

    def lines(self) -> list[str]:
        lines = [
            f"Directory: {self.directory}",
            f"Interface ({INTERFACE_FILE_NAME}): {self.interface}",
            f"Created: {len(self.created)}",
            f"Updated: {len(self.updated)}" + (f" ({', '.join(self.updated)})" if self.updated else ""),
            f"Unchanged: {len(self.unchanged)}",
            f"Refused: {len(self.refused)}",
        ]
        lines += [f"  - {name}: {reason}" for name, reason in self.refused]
        return lines


def fingerprint(data: object) -> str:
    return hashlib.sha256(
        json.dumps(data, ensure_ascii=False, sort_keys=True, default=str).encode()
    ).hexdigest()


def store_interface(path: Path) -> tuple[PublicodesInterface, Interface, str]:
    """Read and keep the interface; CatalogueError if it is missing or malformed."""
    try:
        rules = read_yaml(path)
        interface = Interface.from_rules(rules, source=path.name)
    except PublicodesError as error:
        raise CatalogueError(str(error)) from None
    assert isinstance(rules, dict)
    values = {"rules": rules, "sha256": fingerprint(rules)}
    current = current_interface()
    if current is None or current.sha256 != values["sha256"]:
        values["source"] = path.name[:300]  # the file's name, never the server's path to it
    row, status = upsert(PublicodesInterface, {"name": INTERFACE_NAME}, values)
    return row, interface, status


def current_interface() -> PublicodesInterface | None:
    return PublicodesInterface.objects.filter(name=INTERFACE_NAME).first()


def import_directory(
    directory: Path,
    interface_path: Path | None = None,
    *,
    source_date: dt.date | None = None,
    only: Collection[str] | None = None,
) -> ImportReport:
    """Import the programme files of `directory` (or only the slugs in `only`).

    `source_date` is recorded as the date of the information; without it, a new scheme gets today's
    date and an existing one keeps its date (so that re-importing unchanged files changes nothing).
    """
    if not directory.is_dir():
        raise CatalogueError(f"{directory} is not a directory")
    interface_path = interface_path or find_interface(directory)
    if interface_path is None:
        raise CatalogueError(
            f"no {INTERFACE_FILE_NAME} in or next to {directory}: give its path with --interface"
        )
    report = ImportReport(str(directory))
    _row, interface, report.interface = store_interface(interface_path)
    for path in sorted(directory.glob("*.yaml")):
        if path.name == INTERFACE_FILE_NAME or (only is not None and path.stem not in only):
            continue
        try:
            status = _import_file(path, interface, source_date)
        except ProgrammeFileError as error:
            report.refused.append((path.name, error.reason))
            continue
        getattr(report, status).append(path.stem)
    CatalogueImport.objects.create(
        source=SchemeSource.MTE,
        directory=directory.name[:300],
        created=len(report.created),
        updated=len(report.updated),
        unchanged=len(report.unchanged),
        refused=[{"file": name, "reason": reason} for name, reason in report.refused],
    )
    return report


def _import_file(path: Path, interface: Interface, source_date: dt.date | None) -> str:
    values = read_programme_file(path, interface)
    slug = path.stem
    existing = FundingScheme.objects.filter(slug=slug).values_list("source", flat=True).first()
    if existing == SchemeSource.CURATED:
        raise ProgrammeFileError(path.name, f"the identifier {slug!r} is already used by a curated scheme")
    if source_date is not None:
        values.setdefault("source_date", source_date)
    elif existing is None:
        values.setdefault("source_date", timezone.localdate())
    try:
        with transaction.atomic():
            _scheme, status = upsert(FundingScheme, {"slug": slug}, values)
    except ValidationError as error:
        raise ProgrammeFileError(path.name, _messages(error)) from None
    return status


def _messages(error: ValidationError) -> str:
    if hasattr(error, "error_dict"):
        return "; ".join(f"{name}: {' '.join(messages)}" for name, messages in error.message_dict.items())
    return " ".join(error.messages)


def interface_rules() -> dict[str, Any] | None:
    row = current_interface()
    return row.rules if row is not None else None
