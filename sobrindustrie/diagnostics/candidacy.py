"""Import of the candidacies to the call for expressions of interest (AMI).

A file (XLSX, or CSV in UTF-8 with or without BOM or in Latin-1, separated by `;` or `,`) holds one
candidate company per row. The import is in three steps:

1. `read_table` decodes the file into rows of text cells;
2. `build_plan` checks every cell in memory (reporting each problem with its row and column) and
   compares the rows with the database in a handful of queries: what would be created, updated
   or left unchanged;
3. `confirm_import` applies a plan inside one transaction, in bulk, while a lock row refuses a
   second import of the same programme. Nothing is half-written: any error rolls everything back.

Re-importing the same file changes nothing: only the fields whose value differs are written. A
column absent from the file leaves its field alone; a column present with an empty cell empties it.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
import unicodedata
import zipfile
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.core.validators import EmailValidator, URLValidator
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from openpyxl import Workbook, load_workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from sobrindustrie.core.enums import Solution
from sobrindustrie.core.spreadsheets import csv_bytes, workbook_bytes
from sobrindustrie.core.uploads import UploadRefused, check_archive_size
from sobrindustrie.core.upsert import differs
from sobrindustrie.diagnostics.enums import ImportStatus
from sobrindustrie.diagnostics.models import Candidacy, CandidacyImport
from sobrindustrie.organisations.enums import OrganisationKind, TurnoverBand
from sobrindustrie.organisations.models import Commune, Organisation, Person, Site
from sobrindustrie.organisations.validators import (
    normalise_naf,
    normalise_siret,
    validate_naf,
    validate_siret,
)

if TYPE_CHECKING:
    from sobrindustrie.accounts.models import User
    from sobrindustrie.programmes.models import Programme

MAX_BYTES = 15 * 1024 * 1024
MAX_ROWS = 20000
STALE_LOCK = dt.timedelta(hours=1)
BATCH = 500
CONSENT_SCOPE = "Candidature à l'AMI Sobr'Industrie : contact et suivi dans le cadre du programme"
SITE_REF = "candidature"


@dataclass(frozen=True)
class Column:
    key: str
    header: str  # the template's header: French, fixed (the file format does not follow the UI language)
    required: bool = False
    help: Any = ""


CONTACT_FIELDS = (
    ("first_name", "prénom"),
    ("last_name", "nom"),
    ("email", "e-mail"),
    ("phone", "téléphone"),
    ("job_title", "fonction"),
)
COLUMNS: tuple[Column, ...] = (
    Column("siret", "SIRET", True, gettext_lazy("14 digits; spaces allowed. Identifies the company.")),
    Column("name", "Raison sociale", True, gettext_lazy("Company name, up to 200 characters.")),
    Column("naf_code", "Code NAF", False, gettext_lazy("NAF rev. 2 code, e.g. 25.62A or 2562A.")),
    Column("workforce", "Effectif", False, gettext_lazy("Whole number of employees.")),
    Column("turnover_band", "Chiffre d'affaires", False, gettext_lazy("lt_2m, 2_10m, 10_50m or gt_50m.")),
    Column("website", "Site web", False, gettext_lazy("Address of the website.")),
    Column("description", "Activité", False, gettext_lazy("What the company makes.")),
    Column("address", "Adresse", False, gettext_lazy("Street address of the head office.")),
    Column("postcode", "Code postal", False, gettext_lazy("5 digits.")),
    Column("city", "Commune", False, gettext_lazy("Commune name or INSEE code.")),
    Column(
        "site_name", "Site de production", False, gettext_lazy("Name of the production site, if different.")
    ),
    Column("site_address", "Adresse du site", False, ""),
    Column("site_postcode", "Code postal du site", False, ""),
    Column("site_city", "Commune du site", False, ""),
    Column("project_idea", "Idée de projet", False, gettext_lazy("The project described in the candidacy.")),
    Column(
        "solutions",
        "Solutions d'intérêt",
        False,
        gettext_lazy("Solution codes separated by commas, e.g. pooling, retrofit."),
    ),
    Column(
        "preformed_group",
        "Groupe pré-constitué",
        False,
        gettext_lazy("Same label for candidates who applied together."),
    ),
    Column("submitted_on", "Date de candidature", False, gettext_lazy("DD/MM/YYYY or YYYY-MM-DD.")),
    *(
        Column(
            f"contact{n}_{name}",
            f"Contact {n} {label}",
            n == 1 and name in ("first_name", "last_name", "email"),
            "",
        )
        for n in (1, 2)
        for name, label in CONTACT_FIELDS
    ),
)
BY_KEY = {column.key: column for column in COLUMNS}
ORG_FIELDS = {
    "name": "name",
    "naf_code": "naf_code",
    "workforce": "workforce",
    "turnover_band": "turnover_band",
    "website": "website",
    "description": "description",
    "address": "address",
    "postcode": "postcode",
    "solutions": "solution_interests",
    "preformed_group": "preformed_group",
}
MAX_LENGTHS = {
    "name": 200,
    "address": 250,
    "site_name": 150,
    "site_address": 250,
    "preformed_group": 120,
    "website": 200,
}


class ImportFileError(ValueError):
    """The file as a whole cannot be read (empty, not a table, too big...)."""


class ImportRefused(Exception):
    """The import cannot run now (another one runs, or this one is no longer waiting)."""


def _normalise(text: str) -> str:
    """Lower case, no accents, non-alphanumerics as single underscores: for matching names."""
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "_", plain.lower()).strip("_")


HEADER_ALIASES = {_normalise(c.header): c.key for c in COLUMNS} | {_normalise(c.key): c.key for c in COLUMNS}


# --- Reading the file ------------------------------------------------------------------------------


@dataclass
class Table:
    header: list[str]
    rows: list[tuple[int, list[str]]]  # (row number as a spreadsheet shows it, cells)
    file_format: str
    numeric_cells: set[tuple[int, int]] = field(default_factory=set)  # XLSX cells typed as numbers


def read_table(data: bytes, file_name: str) -> Table:
    """Decode an XLSX or CSV file; raise ImportFileError when it is not a readable table."""
    if not data.strip():
        raise ImportFileError(_("The file is empty."))
    if len(data) > MAX_BYTES:
        raise ImportFileError(
            _("The file is too large (%(size)d MB; at most %(max)d MB).")
            % {"size": len(data) // 1_000_000, "max": MAX_BYTES // 1_000_000}
        )
    if data[:4] == b"PK\x03\x04" or file_name.lower().endswith(".xlsx"):
        table = _read_xlsx(data)
    elif data[:5] == b"%PDF-" or b"\x00" in data[:2048]:
        raise ImportFileError(_("This is not a CSV or XLSX file: use the template."))
    else:
        table = _read_csv(data)
    if not table.header or not any(table.header):
        raise ImportFileError(_("The file is empty."))
    if not table.rows:
        raise ImportFileError(_("The file has a header row but no candidacy below it."))
    if len(table.rows) > MAX_ROWS:
        raise ImportFileError(
            _("The file has %(count)d rows; at most %(max)d.") % {"count": len(table.rows), "max": MAX_ROWS}
        )
    return table


def _decode(data: bytes) -> tuple[str, str]:
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8"), "UTF-8 (BOM)"
    try:
        return data.decode("utf-8"), "UTF-8"
    except UnicodeDecodeError:
        pass
    try:
        # Windows-1252 is what spreadsheets call "Latin-1"; it adds € and curly quotes.
        return data.decode("cp1252"), "Latin-1"
    except UnicodeDecodeError:
        return data.decode("latin-1"), "Latin-1"


def _separator(header_line: str) -> str:
    counts = dict.fromkeys(";,\t", 0)
    quoted = False
    for char in header_line:
        if char == '"':
            quoted = not quoted
        elif not quoted and char in counts:
            counts[char] += 1
    best = max(counts, key=lambda sep: counts[sep])
    if counts[best] == 0:
        raise ImportFileError(
            _(
                "The header row has a single column: separate the columns with “;” or “,” (or use the XLSX template)."
            )
        )
    return best


def _read_csv(data: bytes) -> Table:
    text, encoding = _decode(data)
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    first_line = next((line for line in text.split("\n") if line.strip()), "")
    separator = _separator(first_line)
    reader = csv.reader(io.StringIO(text), delimiter=separator)
    records = [[cell.strip() for cell in record] for record in reader]
    records = [record for record in records if any(record)] if records else []
    if not records:
        raise ImportFileError(_("The file is empty."))
    header, body = records[0], records[1:]
    label = {";": ";", ",": ",", "\t": "tab"}[separator]
    return Table(header, [(index + 2, row) for index, row in enumerate(body)], f"CSV {encoding}, « {label} »")


def _cell_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "oui" if value else "non"
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _read_xlsx(data: bytes) -> Table:
    try:
        # Before openpyxl inflates anything: a 1 MB file may unpack to gigabytes.
        check_archive_size(data)
    except UploadRefused as error:
        raise ImportFileError(str(error)) from None
    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError):
        raise ImportFileError(
            _("This XLSX file cannot be read: save it again from the spreadsheet, or use CSV.")
        ) from None
    try:
        sheet = workbook.worksheets[0]
        header: list[str] = []
        rows: list[tuple[int, list[str]]] = []
        numeric: set[tuple[int, int]] = set()
        for number, values in enumerate(sheet.iter_rows(values_only=True), start=1):
            cells = [_cell_text(value) for value in values]
            if not any(cells):
                continue
            if not header:
                header = cells
                continue
            for index, value in enumerate(values):
                if isinstance(value, int | float) and not isinstance(value, bool):
                    numeric.add((number, index))
            rows.append((number, cells))
    finally:
        workbook.close()
    return Table(header, rows, "XLSX", numeric)


# --- Checking the rows ------------------------------------------------------------------------------


@dataclass(frozen=True)
class CellError:
    row: int
    column: str  # letter, "" for the whole row
    header: str
    message: str

    def __str__(self) -> str:
        if not self.row:
            return self.message
        if not self.column:
            return _("Row %(row)d: %(message)s") % {"row": self.row, "message": self.message}
        return _("Row %(row)d, column %(column)s (%(header)s): %(message)s") % {
            "row": self.row,
            "column": self.column,
            "header": self.header,
            "message": self.message,
        }

    def as_dict(self) -> dict[str, Any]:
        return {"row": self.row, "column": self.column, "header": self.header, "message": self.message}


@dataclass
class RowChange:
    row: int
    siret: str
    name: str
    outcome: str  # created, updated, unchanged
    changed: list[str] = field(default_factory=list)  # labels of the fields that change


@dataclass
class ImportPlan:
    """What an import would do; `errors` empty means it can be applied."""

    columns: list[str] = field(default_factory=list)  # keys present in the file, in file order
    errors: list[CellError] = field(default_factory=list)
    changes: list[RowChange] = field(default_factory=list)
    counts: Counter[str] = field(default_factory=Counter)
    new_organisations: list[Organisation] = field(default_factory=list)
    changed_organisations: dict[int, tuple[Organisation, set[str]]] = field(default_factory=dict)
    new_people: list[Person] = field(default_factory=list)
    changed_people: list[tuple[Person, set[str]]] = field(default_factory=list)
    new_candidacies: list[Candidacy] = field(default_factory=list)
    changed_candidacies: list[tuple[Candidacy, set[str]]] = field(default_factory=list)
    new_sites: list[Site] = field(default_factory=list)
    changed_sites: list[tuple[Site, set[str]]] = field(default_factory=list)

    @property
    def is_valid(self) -> bool:
        return not self.errors

    def summary(self) -> dict[str, int]:
        return dict(self.counts)


class _Row:
    """One row being checked: reads typed values and records problems with their place."""

    def __init__(
        self, number: int, cells: dict[str, str], letters: dict[str, str], table: Table, index: dict[str, int]
    ):
        self.number = number
        self.cells = cells
        self.letters = letters
        self.table = table
        self.index = index
        self.errors: list[CellError] = []

    def has(self, key: str) -> bool:
        return key in self.cells

    def text(self, key: str) -> str:
        value = self.cells.get(key, "")
        limit = MAX_LENGTHS.get(key)
        if limit and len(value) > limit:
            self.error(
                key, _("At most %(max)d characters (%(count)d here).") % {"max": limit, "count": len(value)}
            )
        return value

    def error(self, key: str, message: str) -> None:
        self.errors.append(
            CellError(
                self.number,
                self.letters.get(key, ""),
                BY_KEY[key].header if key in BY_KEY else "",
                str(message),
            )
        )

    def is_numeric_cell(self, key: str) -> bool:
        return (self.number, self.index.get(key, -1)) in self.table.numeric_cells


def _map_header(table: Table) -> tuple[dict[str, int], list[CellError]]:
    """Map each known column to its index; report unknown, duplicate and missing columns."""
    positions: dict[str, int] = {}
    errors: list[CellError] = []
    for index, raw in enumerate(table.header):
        letter = get_column_letter(index + 1)
        if not raw:
            if any(index < len(cells) and cells[index] for _n, cells in table.rows):
                errors.append(CellError(1, letter, "", _("This column has values but no header.")))
            continue
        key = HEADER_ALIASES.get(_normalise(raw))
        if key is None:
            errors.append(
                CellError(
                    1,
                    letter,
                    raw,
                    _("Unknown column “%(header)s”: use the template's headers.") % {"header": raw},
                )
            )
        elif key in positions:
            errors.append(
                CellError(
                    1,
                    letter,
                    raw,
                    _("Column “%(header)s” appears twice (also column %(other)s).")
                    % {"header": raw, "other": get_column_letter(positions[key] + 1)},
                )
            )
        else:
            positions[key] = index
    for column in COLUMNS:
        if column.required and column.key not in positions:
            errors.append(
                CellError(
                    1,
                    "",
                    column.header,
                    _("The required column “%(header)s” is missing.") % {"header": column.header},
                )
            )
    return positions, errors


@dataclass
class _Reference:
    """Everything the check compares with, read in a few queries."""

    organisations: dict[str, Organisation]  # by SIRET, whole programme
    slugs: set[str]
    people: dict[int, dict[str, Person]]  # organisation pk -> e-mail -> person
    candidacies: dict[int, Candidacy]
    sites: dict[int, Site]
    orgs_with_main_site: set[int]
    communes: dict[str, Commune]
    communes_by_postcode: dict[str, list[Commune]]
    communes_by_name: dict[str, list[Commune]]

    @classmethod
    def load(cls, programme: Programme) -> _Reference:
        organisations = list(Organisation.objects.for_programme(programme))
        by_siret = {org.siret: org for org in organisations if org.siret}
        org_ids = [org.pk for org in organisations]
        people: dict[int, dict[str, Person]] = defaultdict(dict)
        for person in Person.objects.filter(organisation_id__in=org_ids).exclude(email=""):
            people[person.organisation_id][person.email.lower()] = person
        communes = {commune.pk: commune for commune in Commune.objects.all()}
        by_postcode: dict[str, list[Commune]] = defaultdict(list)
        by_name: dict[str, list[Commune]] = defaultdict(list)
        for commune in communes.values():
            for postcode in commune.postcodes.split(";"):
                by_postcode[postcode.strip()].append(commune)
            by_name[_normalise(commune.name)].append(commune)
        sites = Site.objects.filter(organisation_id__in=org_ids)
        return cls(
            organisations=by_siret,
            slugs={org.slug for org in organisations},
            people=people,
            candidacies={c.organisation_id: c for c in Candidacy.objects.filter(organisation_id__in=org_ids)},
            sites={s.organisation_id: s for s in sites if s.external_ref == SITE_REF},
            orgs_with_main_site={s.organisation_id for s in sites if s.is_main},
            communes=communes,
            communes_by_postcode=by_postcode,
            communes_by_name=by_name,
        )

    def commune(self, city: str, postcode: str) -> Commune | None:
        if re.fullmatch(r"\d[\dAB]\d{3}", city) and city in self.communes:
            return self.communes[city]
        name = _normalise(city)
        candidates = self.communes_by_postcode.get(postcode, [])
        if name:
            named = [c for c in candidates if _normalise(c.name) == name] or (
                self.communes_by_name.get(name, []) if not candidates else []
            )
            return named[0] if len(named) == 1 else None
        return candidates[0] if len(candidates) == 1 else None

    def unique_slug(self, name: str) -> str:
        base = slugify(name)[:70] or "entreprise"
        slug, n = base, 2
        while slug in self.slugs:
            slug, n = f"{base}-{n}", n + 1
        self.slugs.add(slug)
        return slug


SOLUTION_ALIASES = {
    **{_normalise(code): code for code in Solution.values},
    **{_normalise(str(label)): code for code, label in Solution.choices},
}
TURNOVER_ALIASES = {
    **{_normalise(code): code for code in TurnoverBand.values},
    **{_normalise(str(label)): code for code, label in TurnoverBand.choices},
}
URL = URLValidator()
EMAIL = EmailValidator()


def _location(row: _Row, ref: _Reference, prefix: str) -> dict[str, Any]:
    """Address, postcode, commune and coordinates from a row's (site_)address/postcode/city cells."""
    values: dict[str, Any] = {}
    if row.has(f"{prefix}address"):
        values["address"] = row.text(f"{prefix}address")
    postcode = row.text(f"{prefix}postcode") if row.has(f"{prefix}postcode") else None
    if postcode is not None:
        if postcode and not re.fullmatch(r"\d{5}", postcode):
            row.error(f"{prefix}postcode", _("A French postcode has 5 digits."))
        values["postcode"] = postcode
    if row.has(f"{prefix}city"):
        city = row.text(f"{prefix}city")
        commune = ref.commune(city, postcode or "") if (city or postcode) else None
        values["commune"] = commune
        values["city_name"] = "" if commune else city[:120]
        if commune is not None:
            values["latitude"], values["longitude"] = commune.latitude, commune.longitude
    return values


def _organisation_values(row: _Row, ref: _Reference) -> dict[str, Any]:
    values: dict[str, Any] = {}
    name = row.text("name")
    if not name:
        row.error("name", _("The company name is required."))
    values["name"] = name
    if row.has("naf_code"):
        typed = row.text("naf_code")
        naf = normalise_naf(typed)
        if naf:
            try:
                validate_naf(typed)  # its message quotes the code as the file writes it
            except ValidationError as error:
                row.error("naf_code", error.messages[0])
        values["naf_code"] = naf
    if row.has("workforce"):
        raw = row.text("workforce").replace(" ", "").replace("\xa0", "")
        if raw and not raw.isdigit():
            row.error("workforce", _("Give a whole number of employees, e.g. 42."))
        values["workforce"] = int(raw) if raw.isdigit() else None
    if row.has("turnover_band"):
        raw = row.text("turnover_band")
        band = TURNOVER_ALIASES.get(_normalise(raw), "") if raw else ""
        if raw and not band:
            row.error(
                "turnover_band", _("Use one of: %(codes)s.") % {"codes": ", ".join(TurnoverBand.values)}
            )
        values["turnover_band"] = band
    if row.has("website"):
        website = row.text("website")
        if website and not re.match(r"^[a-z]+://", website, re.I):
            website = f"https://{website}"
        if website:
            try:
                URL(website)
            except ValidationError:
                row.error("website", _("This is not a web address."))
        values["website"] = website
    for key in ("description", "preformed_group"):
        if row.has(key):
            values[key] = row.text(key)
    if row.has("solutions"):
        codes = []
        for item in re.split(r"[,;|\n]", row.text("solutions")):
            if not item.strip():
                continue
            code = SOLUTION_ALIASES.get(_normalise(item))
            if code is None:
                row.error(
                    "solutions",
                    _("Unknown solution “%(value)s”; the codes are %(codes)s.")
                    % {"value": item.strip(), "codes": ", ".join(Solution.values)},
                )
            elif code not in codes:
                codes.append(code)
        values["solution_interests"] = codes
    values.update(_location(row, ref, ""))
    return values


def _contact_values(row: _Row, n: int) -> dict[str, str] | None:
    keys = [f"contact{n}_{name}" for name, _label in CONTACT_FIELDS]
    if not any(row.cells.get(key) for key in keys):
        if n == 1:
            for name in ("first_name", "last_name", "email"):
                row.error(f"contact1_{name}", _("The first contact is required."))
        return None
    # Only the columns present in the file: an absent column leaves the field alone.
    values = {
        name: row.text(f"contact{n}_{name}")
        for name, _label in CONTACT_FIELDS
        if row.has(f"contact{n}_{name}")
    }
    for name in ("first_name", "last_name", "email"):
        if not values.get(name):
            row.error(f"contact{n}_{name}", _("Required when a contact is given."))
    values["email"] = values.get("email", "").lower()
    if values["email"]:
        try:
            EMAIL(values["email"])
        except ValidationError:
            row.error(f"contact{n}_email", _("This is not an e-mail address."))
    for name, limit in (("first_name", 100), ("last_name", 100), ("phone", 30), ("job_title", 150)):
        if len(values.get(name, "")) > limit:
            row.error(f"contact{n}_{name}", _("At most %(max)d characters.") % {"max": limit})
    return values


def _date(row: _Row, key: str) -> dt.date | None:
    raw = row.text(key)
    if not raw:
        return None
    for pattern in ("%Y-%m-%d", "%d/%m/%Y", "%d/%m/%y", "%d-%m-%Y", "%d.%m.%Y"):
        try:
            return dt.datetime.strptime(raw, pattern).date()
        except ValueError:
            continue
    row.error(key, _("Write the date as DD/MM/YYYY."))
    return None


def _siret(row: _Row, seen: dict[str, int]) -> str:
    siret = normalise_siret(row.text("siret"))
    if not siret:
        row.error("siret", _("The SIRET is required."))
        return ""
    try:
        validate_siret(siret)
    except ValidationError as error:
        message = error.messages[0]
        if error.code == "siret_length" and len(siret) == 13 and row.is_numeric_cell("siret"):
            message += " " + _("The spreadsheet may have dropped a leading zero: format the column as text.")
        row.error("siret", message)
        return ""
    if siret in seen:
        row.error("siret", _("This SIRET is already on row %(row)d.") % {"row": seen[siret]})
        return ""
    seen[siret] = row.number
    return siret


def _diff(instance: Any, values: dict[str, Any]) -> set[str]:
    """Fields whose new value differs; foreign keys compare ids, so no query per row."""
    changed = set()
    for name, value in values.items():
        model_field = instance._meta.get_field(name)
        if model_field.is_relation:
            current_id = getattr(instance, model_field.attname)
            if current_id != (value.pk if value is not None else None):
                changed.add(name)
        elif differs(getattr(instance, name), value):
            changed.add(name)
    return changed


def build_plan(programme: Programme, table: Table) -> ImportPlan:
    """Check every row and work out what the import would change, without writing anything."""
    positions, header_errors = _map_header(table)
    plan = ImportPlan(columns=sorted(positions, key=positions.__getitem__), errors=header_errors)
    if header_errors:
        return plan
    ref = _Reference.load(programme)
    letters = {key: get_column_letter(index + 1) for key, index in positions.items()}
    seen_sirets: dict[str, int] = {}
    seen_rows: dict[tuple[str, ...], int] = {}
    width = len(table.header)
    today = timezone.localdate()
    for number, cells in table.rows:
        if len(cells) > width and any(cells[width:]):
            plan.errors.append(
                CellError(
                    number,
                    "",
                    "",
                    _(
                        "This row has %(count)d cells but the header has %(width)d columns (a separator inside an unquoted cell?)."
                    )
                    % {"count": len(cells), "width": width},
                )
            )
            continue
        values_by_key = {
            key: (cells[index] if index < len(cells) else "") for key, index in positions.items()
        }
        signature = tuple(values_by_key[key] for key in plan.columns)
        if signature in seen_rows:
            plan.errors.append(
                CellError(number, "", "", _("This row repeats row %(row)d.") % {"row": seen_rows[signature]})
            )
            continue
        seen_rows[signature] = number
        row = _Row(number, values_by_key, letters, table, positions)
        siret = _siret(row, seen_sirets)
        org_values = _organisation_values(row, ref)
        contacts = [c for c in (_contact_values(row, 1), _contact_values(row, 2)) if c is not None]
        if len(contacts) == 2 and contacts[0]["email"] and contacts[0]["email"] == contacts[1]["email"]:
            row.error("contact2_email", _("Same e-mail as contact 1."))
        submitted_on = _date(row, "submitted_on") if row.has("submitted_on") else None
        existing = ref.organisations.get(siret) if siret else None
        if existing is not None and existing.kind != OrganisationKind.LAUREATE_SME:
            row.error(
                "siret",
                _("This SIRET belongs to “%(name)s”, recorded as %(kind)s, not as a laureate.")
                % {"name": existing.name, "kind": existing.get_kind_display()},
            )
        if row.errors:
            plan.errors.extend(row.errors)
            continue
        _plan_row(plan, ref, row, siret, existing, org_values, contacts, submitted_on, today)
    plan.errors.sort(key=lambda e: (e.row, e.column))
    return plan


def _plan_row(
    plan: ImportPlan,
    ref: _Reference,
    row: _Row,
    siret: str,
    existing: Organisation | None,
    org_values: dict[str, Any],
    contacts: list[dict[str, str]],
    submitted_on: dt.date | None,
    today: dt.date,
) -> None:
    org_values["kind"] = OrganisationKind.LAUREATE_SME
    if existing is None:
        organisation = Organisation(
            programme_id=None, siret=siret, slug=ref.unique_slug(org_values["name"]), **org_values
        )
        plan.new_organisations.append(organisation)
        change = RowChange(row.number, siret, org_values["name"], "created")
        plan.counts["organisations_created"] += 1
    else:
        organisation = existing
        commune = org_values.get("commune")
        if existing.latitude is not None and (commune is None or commune.pk == existing.commune_id):
            # Keep coordinates someone entered by hand when the commune does not change.
            org_values.pop("latitude", None)
            org_values.pop("longitude", None)
        changed = _diff(existing, org_values)
        for name in changed:
            setattr(existing, name, org_values[name])
        if changed:
            plan.changed_organisations[existing.pk] = (existing, changed)
        change = RowChange(
            row.number,
            siret,
            org_values["name"],
            "updated" if changed else "unchanged",
            sorted(str(Organisation._meta.get_field(n).verbose_name) for n in changed),
        )
        plan.counts["organisations_updated" if changed else "organisations_unchanged"] += 1
    _plan_people(plan, ref, organisation, contacts, submitted_on or today, change)
    _plan_candidacy(plan, ref, row, organisation, submitted_on, change)
    _plan_site(plan, ref, row, organisation, change)
    if change.outcome == "unchanged" and change.changed:
        change.outcome = "updated"
    plan.changes.append(change)


def _plan_people(
    plan: ImportPlan,
    ref: _Reference,
    organisation: Organisation,
    contacts: list[dict[str, str]],
    consent_on: dt.date,
    change: RowChange,
) -> None:
    known = ref.people.get(organisation.pk, {}) if organisation.pk else {}
    for contact in contacts:
        person = known.get(contact["email"])
        if person is None:
            plan.new_people.append(
                Person(
                    organisation=organisation,
                    consent_given_on=consent_on,
                    consent_scope=CONSENT_SCOPE,
                    **contact,
                )
            )
            plan.counts["contacts_created"] += 1
            if change.outcome != "created":
                change.changed.append(str(_("new contact %(email)s") % {"email": contact["email"]}))
            continue
        changed = _diff(person, contact)
        for name in changed:
            setattr(person, name, contact[name])
        if changed:
            plan.changed_people.append((person, changed))
            plan.counts["contacts_updated"] += 1
            change.changed.append(str(_("contact %(email)s") % {"email": contact["email"]}))
        else:
            plan.counts["contacts_unchanged"] += 1


def _plan_candidacy(
    plan: ImportPlan,
    ref: _Reference,
    row: _Row,
    organisation: Organisation,
    submitted_on: dt.date | None,
    change: RowChange,
) -> None:
    values: dict[str, Any] = {}
    if row.has("project_idea"):
        values["project_idea"] = row.text("project_idea")
    if row.has("submitted_on"):
        values["submitted_on"] = submitted_on
    candidacy = ref.candidacies.get(organisation.pk) if organisation.pk else None
    if candidacy is None:
        plan.new_candidacies.append(Candidacy(organisation=organisation, **values))
        return
    changed = _diff(candidacy, values)
    for name in changed:
        setattr(candidacy, name, values[name])
    if changed:
        plan.changed_candidacies.append((candidacy, changed))
        change.changed.extend(str(Candidacy._meta.get_field(n).verbose_name) for n in sorted(changed))


def _plan_site(
    plan: ImportPlan, ref: _Reference, row: _Row, organisation: Organisation, change: RowChange
) -> None:
    keys = ("site_name", "site_address", "site_postcode", "site_city")
    if not any(row.cells.get(key) for key in keys):
        return
    values = _location(row, ref, "site_")
    values["name"] = row.text("site_name") or str(_("Main site"))
    site = ref.sites.get(organisation.pk) if organisation.pk else None
    if site is None:
        is_main = not organisation.pk or organisation.pk not in ref.orgs_with_main_site
        plan.new_sites.append(
            Site(organisation=organisation, external_ref=SITE_REF, is_main=is_main, **values)
        )
        if change.outcome != "created":
            change.changed.append(str(_("production site")))
        return
    changed = _diff(site, values)
    for name in changed:
        setattr(site, name, values[name])
    if changed:
        plan.changed_sites.append((site, changed))
        change.changed.append(str(_("production site")))


# --- Applying a plan --------------------------------------------------------------------------------


def _write(plan: ImportPlan, programme: Programme, user: User | None, record: CandidacyImport) -> None:
    now = timezone.now()
    history = {"default_user": user, "default_change_reason": f"candidacy import {record.pk}"}
    for organisation in plan.new_organisations:
        organisation.programme = programme
    bulk_create_with_history(plan.new_organisations, Organisation, batch_size=BATCH, **history)
    _bulk_update(Organisation, list(plan.changed_organisations.values()), now, history, versioned=True)
    bulk_create_with_history(plan.new_people, Person, batch_size=BATCH, **history)
    _bulk_update(Person, plan.changed_people, now, history, versioned=True)
    for candidacy in plan.new_candidacies:
        candidacy.last_import = record
    bulk_create_with_history(plan.new_candidacies, Candidacy, batch_size=BATCH, **history)
    _bulk_update(Candidacy, plan.changed_candidacies, now, history, versioned=False)
    bulk_create_with_history(plan.new_sites, Site, batch_size=BATCH, **history)
    _bulk_update(Site, plan.changed_sites, now, history, versioned=False)


def _bulk_update(
    model: Any, items: list[tuple[Any, set[str]]], now: dt.datetime, history: dict[str, Any], versioned: bool
) -> None:
    if not items:
        return
    fields: set[str] = set().union(*(changed for _obj, changed in items)) | {"updated_at"}
    objects = []
    for obj, _changed in items:
        obj.updated_at = now
        if versioned:
            obj.version += 1
            fields.add("version")
        objects.append(obj)
    bulk_update_with_history(objects, model, sorted(fields), batch_size=BATCH, **history)


def preview_import(
    programme: Programme, data: bytes, file_name: str, user: User | None
) -> tuple[CandidacyImport, ImportPlan]:
    """Read and check a file; store it as a previewed import waiting for confirmation."""
    record = CandidacyImport(
        programme=programme, file_name=file_name[:250], uploaded_by=user, status=ImportStatus.PREVIEWED
    )
    try:
        table = read_table(data, file_name)
    except ImportFileError as error:
        plan = ImportPlan(errors=[CellError(0, "", "", str(error))])
        record.status = ImportStatus.FAILED
        record.errors = [e.as_dict() for e in plan.errors]
        record.save()
        return record, plan
    plan = build_plan(programme, table)
    record.file_format = table.file_format
    record.errors = [e.as_dict() for e in plan.errors]
    record.summary = plan.summary()
    if plan.is_valid:
        record.rows = {"header": table.header, "rows": table.rows}
    else:
        record.status = ImportStatus.FAILED
    record.save()
    return record, plan


def _release_stale_locks(programme: Programme) -> None:
    """A lock older than an hour belongs to a process that died: mark it failed."""
    CandidacyImport.objects.filter(
        programme=programme, status=ImportStatus.RUNNING, started_at__lt=timezone.now() - STALE_LOCK
    ).update(status=ImportStatus.FAILED, finished_at=timezone.now())


def _acquire(record: CandidacyImport) -> None:
    _release_stale_locks(record.programme)
    try:
        with transaction.atomic():
            taken = CandidacyImport.objects.filter(pk=record.pk, status=ImportStatus.PREVIEWED).update(
                status=ImportStatus.RUNNING, started_at=timezone.now()
            )
    except IntegrityError:
        running = CandidacyImport.objects.filter(
            programme=record.programme, status=ImportStatus.RUNNING
        ).first()
        raise ImportRefused(
            _(
                "Another import of this programme is running (started by %(user)s at %(time)s): try again when it ends."
            )
            % {
                "user": (running.uploaded_by if running and running.uploaded_by else _("someone")),
                "time": timezone.localtime(running.started_at).strftime("%H:%M")
                if running and running.started_at
                else "?",
            }
        ) from None
    if not taken:
        raise ImportRefused(_("This import is no longer waiting for confirmation: upload the file again."))


def confirm_import(record: CandidacyImport, user: User | None) -> ImportPlan:
    """Apply a previewed import, all or nothing. The rows are checked again against the database
    as it is now (someone may have edited an organisation since the preview)."""
    _acquire(record)
    record.refresh_from_db()
    table = Table(record.rows["header"], [(n, cells) for n, cells in record.rows["rows"]], record.file_format)
    plan = ImportPlan()
    try:
        with transaction.atomic():
            plan = build_plan(record.programme, table)
            if plan.is_valid:
                _write(plan, record.programme, user, record)
    except Exception:
        _finish(
            record,
            ImportStatus.FAILED,
            plan,
            [CellError(0, "", "", _("The import failed; nothing was written."))],
        )
        raise
    if not plan.is_valid:
        _finish(record, ImportStatus.FAILED, plan, plan.errors)
    else:
        _finish(record, ImportStatus.APPLIED, plan, [])
    return plan


def _finish(record: CandidacyImport, status: str, plan: ImportPlan, errors: Iterable[CellError]) -> None:
    # The rows hold personal data (contacts): keep them no longer than the import needs them.
    CandidacyImport.objects.filter(pk=record.pk).update(
        status=status,
        rows=[],
        summary=plan.summary(),
        errors=[e.as_dict() for e in errors],
        finished_at=timezone.now(),
    )
    record.refresh_from_db()


# --- Templates ---------------------------------------------------------------------------------------


def template_xlsx() -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Candidatures"
    for index, column in enumerate(COLUMNS, start=1):
        cell = sheet.cell(row=1, column=index, value=column.header)
        cell.font = Font(bold=True)
        sheet.column_dimensions[get_column_letter(index)].width = max(14, len(column.header) + 4)
    # SIRET and postcodes as text, so that the spreadsheet keeps their leading zeros.
    for key in ("siret", "postcode", "site_postcode"):
        letter = get_column_letter([c.key for c in COLUMNS].index(key) + 1)
        for row in range(2, 1002):
            sheet[f"{letter}{row}"].number_format = "@"
    sheet.freeze_panes = "A2"
    help_sheet = workbook.create_sheet("Aide")
    help_sheet.append([_("Column"), _("Required"), _("What to write")])
    for column in COLUMNS:
        help_sheet.append([column.header, _("yes") if column.required else "", str(column.help)])
    help_sheet.append([])
    help_sheet.append([_("Solution codes")])
    for code, label in Solution.choices:
        help_sheet.append([code, str(label)])
    help_sheet.column_dimensions["A"].width = 28
    help_sheet.column_dimensions["C"].width = 70
    return workbook_bytes(workbook)


def template_csv() -> bytes:
    """Header row only, `;`-separated, UTF-8 with BOM (what a French spreadsheet opens correctly)."""
    return csv_bytes([[column.header for column in COLUMNS]])
