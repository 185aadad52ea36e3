"""Imported versions of ADEME's Base Empreinte beside the platform's own factor library.

- `import_export(data, source_version=...)` reads a Base Empreinte CSV export (the engine's
  `base_empreinte.parse_export`) into a new `FactorLibraryVersion`, all or nothing: any faulty row
  refuses the whole file with every error worded with its line number.
- `diff_versions(old, new)` compares two imported versions by element identifier: added, removed,
  and changed (value, unit, uncertainty).
- `source_uncertainties(version)` gives, for each platform factor citing a Base Empreinte element
  present in `version` with a published uncertainty, that uncertainty: a balance draws the factor
  from it instead of the library's assumed one.
"""

from __future__ import annotations

import hashlib
import math
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from sobrindustrie.core.search import fold
from sobrindustrie.engines.footprint import (
    Distribution,
    EmissionFactor,
    FactorLibrary,
    Uncertainty,
    load_library,
)
from sobrindustrie.engines.footprint.base_empreinte import (
    BaseEmpreinteImportError,
    RowError,
    parse_export,
)
from sobrindustrie.engines.footprint.uncertainty import UncertaintyBasis
from sobrindustrie.evaluation.models import FactorLibraryVersion, LibraryFactor

if TYPE_CHECKING:
    from django.db.models import QuerySet

    from sobrindustrie.accounts.models import User

MAX_ERRORS_SHOWN = 50
COMPARED_FIELDS = ("value", "unit", "uncertainty")


def describe_row_error(error: RowError) -> str:
    """The engine's error code worded in the reader's language, with its line and column."""
    params = dict(error.params)
    messages = {
        "encoding": _("the file is neither UTF-8 nor Windows-1252 text"),
        "empty": _("the file is empty"),
        "missing_columns": _("columns missing from the header: %(columns)s"),
        "missing_value": _("the cell is empty"),
        "not_a_number": _("“%(value)s” is not a number"),
        "negative_uncertainty": _("an uncertainty cannot be negative (“%(value)s”)"),
        "duplicate_identifier": _("identifier %(identifier)s appears more than once"),
        "no_factor": _("no emission-factor element among the %(rows)s rows"),
    }
    text = messages.get(error.code, error.code) % params if params else messages.get(error.code, error.code)
    if error.line and error.column:
        return _("Line %(line)s, column “%(column)s”: %(problem)s") % {
            "line": error.line,
            "column": error.column,
            "problem": text,
        }
    if error.line:
        return _("Line %(line)s: %(problem)s") % {"line": error.line, "problem": text}
    return _("File: %(problem)s") % {"problem": text}


def import_export(
    data: bytes, *, source_version: str, file_name: str = "", user: User | None = None
) -> FactorLibraryVersion:
    """Import a Base Empreinte CSV export as a new version; raises `ValidationError` listing the
    problems (line-numbered) and saves nothing when the file or the version label is refused."""
    source_version = source_version.strip()
    if not source_version:
        raise ValidationError({"source_version": _("Give the Base Empreinte version of this export.")})
    if FactorLibraryVersion.objects.filter(source_version=source_version).exists():
        raise ValidationError(
            {"source_version": _("Version %(version)s is already imported.") % {"version": source_version}}
        )
    digest = hashlib.sha256(data).hexdigest()
    same_file = FactorLibraryVersion.objects.filter(sha256=digest).first()
    if same_file is not None:
        raise ValidationError(
            _("This very file was already imported as version %(version)s.")
            % {"version": same_file.source_version}
        )
    try:
        parsed = parse_export(data)
    except BaseEmpreinteImportError as error:
        shown = [describe_row_error(row_error) for row_error in error.errors[:MAX_ERRORS_SHOWN]]
        if len(error.errors) > MAX_ERRORS_SHOWN:
            shown.append(
                _("… and %(count)s more problems.") % {"count": len(error.errors) - MAX_ERRORS_SHOWN}
            )
        raise ValidationError(shown) from None
    with transaction.atomic():
        version = FactorLibraryVersion.objects.create(
            source_version=source_version,
            file_name=file_name[:200],
            sha256=digest,
            encoding=parsed.encoding,
            rows=parsed.rows,
            skipped_posts=parsed.skipped_posts,
            skipped_other=parsed.skipped_other,
            imported_by=user,
        )
        factors = []
        for element in parsed.elements:
            factor = LibraryFactor(
                library_version=version,
                line=element.line,
                identifier=element.identifier[:40],
                name=element.name[:500],
                attribute=element.attribute[:500],
                frontier=element.frontier[:500],
                category=element.category[:500],
                tags=element.tags[:500],
                unit=element.unit[:80],
                value=element.value,
                uncertainty=element.uncertainty,
                status=element.status[:80],
                structure=element.structure[:120],
                contributor=element.contributor[:300],
                programme=element.programme[:300],
                source=element.source[:500],
                location=element.location[:200],
                sub_location=element.sub_location[:200],
                created=element.created[:40],
                modified=element.modified[:40],
                validity=element.validity[:80],
            )
            factor.search_folded = factor.folded_text()  # bulk_create does not call save()
            factors.append(factor)
        LibraryFactor.objects.bulk_create(factors, batch_size=500)
    return version


def search_factors(queryset: QuerySet[LibraryFactor], query: str) -> QuerySet[LibraryFactor]:
    """Every word of `query` found in the factor's folded text (accents and case ignored)."""
    for word in fold(query.strip()[:200]).split():
        queryset = queryset.filter(search_folded__contains=word)
    return queryset


# --- Differences between two versions ------------------------------------------------------------


@dataclass(frozen=True)
class Change:
    field: str  # value, unit or uncertainty
    old: object
    new: object


@dataclass(frozen=True)
class ChangedFactor:
    old: LibraryFactor
    new: LibraryFactor
    changes: tuple[Change, ...]


@dataclass(frozen=True)
class VersionDiff:
    old: FactorLibraryVersion
    new: FactorLibraryVersion
    added: list[LibraryFactor]
    removed: list[LibraryFactor]
    changed: list[ChangedFactor]
    unchanged: int

    @property
    def is_empty(self) -> bool:
        return not (self.added or self.removed or self.changed)


def _same(old: object, new: object) -> bool:
    if isinstance(old, float) and isinstance(new, float):
        return math.isclose(old, new, rel_tol=1e-12, abs_tol=0.0)
    return old == new


def diff_versions(old: FactorLibraryVersion, new: FactorLibraryVersion) -> VersionDiff:
    """What changed from `old` to `new`, matching elements by their Base Empreinte identifier."""
    before = {factor.identifier: factor for factor in old.factors.all()}
    after = {factor.identifier: factor for factor in new.factors.all()}
    changed = []
    unchanged = 0
    for identifier in sorted(before.keys() & after.keys(), key=_identifier_order):
        changes = tuple(
            Change(name, getattr(before[identifier], name), getattr(after[identifier], name))
            for name in COMPARED_FIELDS
            if not _same(getattr(before[identifier], name), getattr(after[identifier], name))
        )
        if changes:
            changed.append(ChangedFactor(before[identifier], after[identifier], changes))
        else:
            unchanged += 1
    return VersionDiff(
        old=old,
        new=new,
        added=[after[key] for key in sorted(after.keys() - before.keys(), key=_identifier_order)],
        removed=[before[key] for key in sorted(before.keys() - after.keys(), key=_identifier_order)],
        changed=changed,
        unchanged=unchanged,
    )


def _identifier_order(identifier: str) -> tuple[int, str]:
    return (int(identifier), "") if identifier.isdigit() else (0, identifier)


# --- The platform's factors and the imported versions -------------------------------------------


def latest_version() -> FactorLibraryVersion | None:
    return FactorLibraryVersion.objects.order_by("-imported_at", "-pk").first()


@dataclass(frozen=True)
class PlatformFactorRow:
    factor: EmissionFactor
    element: LibraryFactor | None  # the cited element in the version shown, when it is there


def platform_factors(
    version: FactorLibraryVersion | None, library: FactorLibrary | None = None
) -> list[PlatformFactorRow]:
    """The library's factors other than travel (travel modes have their own page), each with the
    element it cites in `version` when there is one."""
    library = library or load_library()
    factors = [factor for factor in library.factors.values() if factor.category != "travel"]
    cited = {factor.base_empreinte_id for factor in library.factors.values() if factor.base_empreinte_id}
    elements = {}
    if version is not None and cited:
        elements = {element.identifier: element for element in version.factors.filter(identifier__in=cited)}
    return [PlatformFactorRow(factor, elements.get(factor.base_empreinte_id)) for factor in factors]


def travel_factors_found(
    version: FactorLibraryVersion | None, library: FactorLibrary | None = None
) -> list[PlatformFactorRow]:
    """The travel factors whose cited Base Empreinte element is in `version`, with that element:
    the platform's value (from Impact CO2) beside the one the export publishes."""
    library = library or load_library()
    found = cited_elements(version, library)
    return [
        PlatformFactorRow(library.factors[factor_id], element)
        for factor_id, element in sorted(found.items())
        if library.factors[factor_id].category == "travel"
    ]


def cited_elements(
    version: FactorLibraryVersion | None, library: FactorLibrary | None = None
) -> dict[str, LibraryFactor]:
    """Factor id -> the Base Empreinte element it cites, found in `version`."""
    library = library or load_library()
    if version is None:
        return {}
    by_identifier: dict[str, list[str]] = {}
    for factor in library.factors.values():
        if factor.base_empreinte_id:
            by_identifier.setdefault(factor.base_empreinte_id, []).append(factor.id)
    found = version.factors.filter(identifier__in=list(by_identifier))
    return {factor_id: element for element in found for factor_id in by_identifier[element.identifier]}


def source_uncertainties(
    version: FactorLibraryVersion | None, library: FactorLibrary | None = None
) -> dict[str, Uncertainty]:
    """Factor id -> the uncertainty `version` publishes for the element the factor cites (lognormal:
    a factor is positive and skewed; Base Empreinte's percentage is the 95 % half-width)."""
    return {
        factor_id: Uncertainty(element.uncertainty, Distribution.LOGNORMAL, UncertaintyBasis.SOURCE)
        for factor_id, element in cited_elements(version, library).items()
        if element.uncertainty is not None
    }


def line_factor_uncertainty(
    factor_id: str, travel_mode: str, library: FactorLibrary, overrides: dict[str, Uncertainty]
) -> Uncertainty | None:
    """The uncertainty a balance line's factor is drawn from (None for an unknown factor or mode).
    A travel mode's factors all share the travel uncertainty: its first band's stands for them."""
    if travel_mode and travel_mode in library.travel_modes:
        factor_id = library.travel_modes[travel_mode].bands[0].factor_id
    if factor_id not in library.factors:
        return None
    return overrides.get(factor_id, library.factors[factor_id].uncertainty)
