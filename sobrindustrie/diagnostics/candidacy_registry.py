"""The company registry beside the rows of a previewed candidacy import.

For each row of the file (a page at a time: each row is one registry lookup, cached a day), the
registry's legal name, NAF code, commune and headcount bracket for the row's SIRET, and the fields
where the file says something else. A lookup that fails marks its row with the reason; it never
blocks the import, which goes on with what the file says.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from sobrindustrie.diagnostics.candidacy import Table, _map_header, _normalise
from sobrindustrie.organisations.registry import CompanyRegistry, RegistryCompany, RegistryUnavailable
from sobrindustrie.organisations.validators import normalise_naf, normalise_siret


@dataclass(frozen=True)
class FileRow:
    """What a row of the file says of the company (only the fields the registry also gives)."""

    row: int
    siret: str
    name: str
    naf_code: str
    city: str


@dataclass
class RegistryRow:
    file: FileRow
    company: RegistryCompany | None = None
    problem: str = ""  # why there is no company: not found, or the registry's failure
    differences: list[str] = field(default_factory=list)  # labels of the fields that differ


def file_rows(table: Table) -> list[FileRow]:
    """The identity columns of every row; an absent column reads as empty."""
    positions, _errors = _map_header(table)

    def cell(cells: list[str], key: str) -> str:
        index = positions.get(key)
        return cells[index].strip() if index is not None and index < len(cells) else ""

    return [
        FileRow(
            row=number,
            siret=normalise_siret(cell(cells, "siret")),
            name=cell(cells, "name"),
            naf_code=normalise_naf(cell(cells, "naf_code")),
            city=cell(cells, "city"),
        )
        for number, cells in table.rows
    ]


def _differences(row: FileRow, company: RegistryCompany) -> list[str]:
    differences = []
    if row.name and _normalise(row.name) != _normalise(company.name):
        differences.append(_("name"))
    if row.naf_code and row.naf_code != company.naf_code:
        differences.append(_("NAF code"))
    city = _normalise(row.city)
    if city and city not in (_normalise(company.commune_name), company.commune_code):
        differences.append(_("commune"))
    return differences


def compare(rows: list[FileRow], registry: CompanyRegistry | None = None) -> list[RegistryRow]:
    """Look each row's SIRET up in the registry. Once the registry is unreachable or out of
    order, the remaining rows are marked without asking again (each would wait for its timeout)."""
    registry = registry or CompanyRegistry.from_settings()
    compared: list[RegistryRow] = []
    down = ""
    for row in rows:
        result = RegistryRow(row)
        compared.append(result)
        if len(row.siret) != 14 or not row.siret.isdigit():
            result.problem = _("No valid SIRET to look up.")
            continue
        if down:
            result.problem = down
            continue
        try:
            result.company = registry.lookup(row.siret)
        except RegistryUnavailable as error:
            result.problem = registry_problem(error.reason)
            if error.reason in ("timeout", "unreachable", "server_error"):
                down = result.problem
            continue
        if result.company is None:
            result.problem = _("Unknown to the registry: check the SIRET.")
        else:
            result.differences = _differences(row, result.company)
    return compared


def registry_problem(reason: str) -> str:
    problems = {
        "timeout": _("The registry did not answer in time."),
        "unreachable": _("The registry cannot be reached."),
        "rate_limited": _("The registry receives too many requests: reload in a minute."),
        "server_error": _("The registry is out of order."),
        "refused": _("The registry refused the lookup."),
        "malformed": _("The registry's answer cannot be read."),
    }
    return problems.get(reason, problems["unreachable"])
