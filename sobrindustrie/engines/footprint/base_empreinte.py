"""Read ADEME's Base Empreinte (Base Carbone) CSV export into emission-factor elements.

The export has one row per *element* ("Type Ligne" = "Elément": the factor and its total) followed,
for decomposed factors, by rows per *post* ("Type Ligne" = "Poste": the parts of that total). Only
elements of type "Facteur d'émission" are read; posts and other element types are counted and
skipped. Columns are named in French; the ones read here are `REQUIRED_COLUMNS` (the export has
more, in English and Spanish too, which are ignored). Cells use French decimal commas; the file is
`;`-separated and comes either in Windows-1252 (the historical download) or in UTF-8, with or
without a byte-order mark.

`parse_export(data)` reads everything or nothing: any faulty row makes it raise
`BaseEmpreinteImportError` with every problem found, each with its line number in the file (the
header is line 1), its column and an error code with parameters for the web layer to word.
"""

from __future__ import annotations

import csv
import io
import math
import unicodedata
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from sobrindustrie.engines.footprint.errors import FootprintError

TYPE_LINE = "Type Ligne"
IDENTIFIER = "Identifiant de l'élément"
STRUCTURE = "Structure"
ELEMENT_TYPE = "Type de l'élément"
STATUS = "Statut de l'élément"
NAME = "Nom base français"
ATTRIBUTE = "Nom attribut français"
FRONTIER = "Nom frontière français"
CATEGORY = "Code de la catégorie"
TAGS = "Tags français"
UNIT = "Unité français"
CONTRIBUTOR = "Contributeur"
PROGRAMME = "Programme"
SOURCE = "Source"
LOCATION = "Localisation géographique"
SUB_LOCATION = "Sous-localisation géographique français"
CREATED = "Date de création"
MODIFIED = "Date de modification"
VALIDITY = "Période de validité"
UNCERTAINTY = "Incertitude"
TOTAL = "Total poste non décomposé"

#: The columns read; an export missing one of them is refused before any row is read.
REQUIRED_COLUMNS: tuple[str, ...] = (
    TYPE_LINE,
    IDENTIFIER,
    STRUCTURE,
    ELEMENT_TYPE,
    STATUS,
    NAME,
    ATTRIBUTE,
    FRONTIER,
    CATEGORY,
    TAGS,
    UNIT,
    CONTRIBUTOR,
    PROGRAMME,
    SOURCE,
    LOCATION,
    SUB_LOCATION,
    CREATED,
    MODIFIED,
    VALIDITY,
    UNCERTAINTY,
    TOTAL,
)
ELEMENT_LINE = "element"  # "Elément" folded
POST_LINE = "poste"
EMISSION_FACTOR_TYPE = "facteur d'emission"  # "Facteur d'émission" folded
#: Base Empreinte's unit spellings (after "kgCO2e/") -> the platform's (`units.KNOWN_UNITS`).
PLATFORM_UNITS = {
    "kwh": "kWh",
    "kwh pci": "kWh",
    "mwh": "MWh",
    "mwh pci": "MWh",
    "gj": "GJ",
    "gj pci": "GJ",
    "litre": "L",
    "l": "L",
    "m3": "m3",
    "kg": "kg",
    "tonne": "t",
    "t": "t",
    "tonne.km": "t.km",
    "t.km": "t.km",
    "km": "km",
    "passager.km": "passenger.km",
    "euro": "€",
    "keuro": "k€",
    "k€": "k€",
    "€": "€",
}
EMISSION_PREFIXES = ("kgco2e/", "kg co2e/", "kgco2e /")


@dataclass(frozen=True)
class RowError:
    """One problem of the file: `line` (1 = header; 0 = the whole file), `column`, a code and its
    parameters. Codes: encoding, empty, missing_columns, missing_value, not_a_number,
    negative_uncertainty, duplicate_identifier, no_factor."""

    line: int
    column: str
    code: str
    params: dict[str, Any] = field(default_factory=dict, hash=False)

    def describe(self) -> str:
        where = f"line {self.line}" if self.line else "file"
        column = f", column {self.column!r}" if self.column else ""
        details = ", ".join(f"{key}={value!r}" for key, value in sorted(self.params.items()))
        return f"{where}{column}: {self.code}" + (f" ({details})" if details else "")


class BaseEmpreinteImportError(FootprintError):
    """The export cannot be imported; `errors` lists every problem with its line number."""

    def __init__(self, errors: list[RowError]) -> None:
        self.errors = errors
        super().__init__("; ".join(error.describe() for error in errors[:20]))


@dataclass(frozen=True)
class EmpreinteElement:
    """One emission factor of the export, as published (value in `unit`, kgCO2e per something)."""

    line: int
    identifier: str
    name: str
    attribute: str
    frontier: str
    category: str
    tags: str
    unit: str
    value: float
    # Relative half-width of the 95 % interval (Base Empreinte publishes a percentage); None: unpublished.
    uncertainty: float | None
    status: str
    structure: str
    contributor: str
    programme: str
    source: str
    location: str
    sub_location: str
    created: str
    modified: str
    validity: str

    @property
    def platform_unit(self) -> str | None:
        """The platform's spelling of the per-unit (`kWh`, `t.km`...), or None when not recognised."""
        return platform_unit(self.unit)

    @property
    def label(self) -> str:
        return " — ".join(part for part in (self.name, self.attribute, self.frontier) if part)


@dataclass(frozen=True)
class ParsedExport:
    elements: tuple[EmpreinteElement, ...]
    encoding: str
    rows: int
    skipped_posts: int
    skipped_other: int


def fold(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(char for char in decomposed if not unicodedata.combining(char)).casefold().strip()


def platform_unit(unit: str) -> str | None:
    folded = fold(unit).replace(" ", "") if unit else ""
    for prefix in (p.replace(" ", "") for p in EMISSION_PREFIXES):
        if folded.startswith(prefix):
            per = folded.removeprefix(prefix)
            return PLATFORM_UNITS.get(per) or PLATFORM_UNITS.get(per.replace("pci", " pci").strip())
    return None


def decode(data: bytes) -> tuple[str, str]:
    """The text of the export and the encoding used: UTF-8 (with or without BOM), else Windows-1252."""
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8"), "utf-8-sig"
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp1252"), "cp1252"
    except UnicodeDecodeError as error:
        raise BaseEmpreinteImportError([RowError(0, "", "encoding", {"position": error.start})]) from None


def parse_number(text: str) -> float | None:
    """A French-formatted number ("0,0569", "1 234,5") or None when the cell is empty."""
    cleaned = text.strip().replace("\u00a0", "").replace("\u202f", "").replace(" ", "").replace(",", ".")
    if not cleaned:
        return None
    value = float(cleaned)  # ValueError for anything else
    if not math.isfinite(value):
        raise ValueError(text)
    return value


def parse_export(data: bytes) -> ParsedExport:
    """Read the export; raises `BaseEmpreinteImportError` listing every faulty row."""
    text, encoding = decode(data)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=";")
    header = next(reader, None)
    if not header or not any(cell.strip() for cell in header):
        raise BaseEmpreinteImportError([RowError(0, "", "empty")])
    columns = [cell.strip() for cell in header]
    missing = [name for name in REQUIRED_COLUMNS if name not in columns]
    if missing:
        raise BaseEmpreinteImportError([RowError(1, "", "missing_columns", {"columns": ", ".join(missing)})])
    index = {name: columns.index(name) for name in REQUIRED_COLUMNS}
    errors: list[RowError] = []
    elements: list[EmpreinteElement] = []
    posts = other = rows = 0
    while True:
        line = reader.line_num + 1  # where the record starts: a quoted cell may span several lines
        row = next(reader, None)
        if row is None:
            break
        if not any(cell.strip() for cell in row):
            continue
        rows += 1

        def cell(name: str, row: list[str] = row) -> str:
            position = index[name]
            return row[position].strip() if position < len(row) else ""

        line_type = fold(cell(TYPE_LINE))
        if line_type == POST_LINE:
            posts += 1
            continue
        if line_type != ELEMENT_LINE or fold(cell(ELEMENT_TYPE)) != EMISSION_FACTOR_TYPE:
            other += 1
            continue
        element = _element(line, cell, errors)
        if element is not None:
            elements.append(element)
    counts = Counter(element.identifier for element in elements)
    for element in elements:
        if counts[element.identifier] > 1:
            errors.append(
                RowError(element.line, IDENTIFIER, "duplicate_identifier", {"identifier": element.identifier})
            )
    if not errors and not elements:
        errors.append(RowError(0, "", "no_factor", {"rows": rows}))
    if errors:
        raise BaseEmpreinteImportError(sorted(errors, key=lambda error: (error.line, error.column)))
    return ParsedExport(tuple(elements), encoding, rows, posts, other)


def _element(line: int, cell: Any, errors: list[RowError]) -> EmpreinteElement | None:
    found = len(errors)
    for name in (IDENTIFIER, NAME, UNIT, TOTAL):
        if not cell(name):
            errors.append(RowError(line, name, "missing_value"))
    numbers: dict[str, float | None] = {}
    for name in (TOTAL, UNCERTAINTY):
        try:
            numbers[name] = parse_number(cell(name))
        except ValueError:
            errors.append(RowError(line, name, "not_a_number", {"value": cell(name)}))
    uncertainty = numbers.get(UNCERTAINTY)
    if uncertainty is not None and uncertainty < 0:
        errors.append(RowError(line, UNCERTAINTY, "negative_uncertainty", {"value": cell(UNCERTAINTY)}))
    value = numbers.get(TOTAL)
    if len(errors) > found or value is None:
        return None
    return EmpreinteElement(
        line=line,
        identifier=cell(IDENTIFIER),
        name=cell(NAME),
        attribute=cell(ATTRIBUTE),
        frontier=cell(FRONTIER),
        category=cell(CATEGORY),
        tags=cell(TAGS),
        unit=cell(UNIT),
        value=value,
        uncertainty=None if uncertainty is None else uncertainty / 100,
        status=cell(STATUS),
        structure=cell(STRUCTURE),
        contributor=cell(CONTRIBUTOR),
        programme=cell(PROGRAMME),
        source=cell(SOURCE),
        location=cell(LOCATION),
        sub_location=cell(SUB_LOCATION),
        created=cell(CREATED),
        modified=cell(MODIFIED),
        validity=cell(VALIDITY),
    )
