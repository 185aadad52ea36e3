"""`sobrindustrie funding eligibility`: a company's eligibility to every programme of a directory.

    sobrindustrie funding eligibility --programmes DIR --company COMPANY.json
        [--date DD/MM/YYYY] [--interface publicodes-interface.yaml]
    sobrindustrie funding eligibility --programmes DIR --companies COMPANIES.json ...

Prints a JSON object mapping each programme (file name without `.yaml`) to true, false or null
(undefined), sorted by name. With `--companies`, the file holds an object of named company profiles
(each in the format of `--company`) and the command prints an object mapping each name to such an
object, sorted by name; the catalogue is loaded once and what companies have in common is evaluated
once. A programme that cannot be evaluated (its rules are refused, such as a reference to a name that
exists nowhere) is an error, not a result: it is left out of the JSON and listed on stderr with the
reason; the command still succeeds. Bad input (missing directory, malformed company file — any of its
companies — or date, no interface) is reported on stderr with exit status 2, and nothing is printed.
"""

from __future__ import annotations

import argparse
import datetime
import json
import sys
from pathlib import Path

from sobrindustrie.engines.publicodes.catalogue import (
    INTERFACE_FILE_NAME,
    Catalogue,
    CatalogueEligibility,
    evaluate_companies,
    load_catalogue,
)
from sobrindustrie.engines.publicodes.errors import CompanyError, PublicodesError
from sobrindustrie.engines.publicodes.situation import Company

PROG = "sobrindustrie funding eligibility"
EXIT_BAD_INPUT = 2


def _date(text: str) -> datetime.date:
    try:
        return datetime.datetime.strptime(text, "%d/%m/%Y").date()
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a date written DD/MM/YYYY") from None


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog=PROG,
        description="Evaluate a company's eligibility to Mission Transition Écologique programmes (Publicodes).",
    )
    parser.add_argument(
        "--programmes", required=True, type=Path, metavar="DIR", help="directory of programme YAML files"
    )
    companies = parser.add_mutually_exclusive_group(required=True)
    companies.add_argument(
        "--company",
        type=Path,
        metavar="COMPANY.json",
        help='{"region", "workforce", "micro_entrepreneur", "naf", "objectives"}, any key may be absent',
    )
    companies.add_argument(
        "--companies",
        type=Path,
        metavar="COMPANIES.json",
        help="an object of named companies, each as in --company: {NAME: {...}, ...}",
    )
    parser.add_argument(
        "--date", type=_date, metavar="DD/MM/YYYY", help="today's date for the rules (default: today)"
    )
    parser.add_argument(
        "--interface",
        type=Path,
        metavar="FILE",
        help=f"the shared rules (default: {INTERFACE_FILE_NAME} in DIR's parent, or in DIR)",
    )
    return parser


def _read_json(path: Path) -> object:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except OSError as error:
        raise CompanyError("company", f"cannot read {path}: {error.strerror or error}") from None
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise CompanyError("company", f"{path} is not valid JSON: {error}") from None


def _read_companies(path: Path) -> dict[str, Company]:
    """The named companies of `path`; CompanyError naming the first company at fault."""
    data = _read_json(path)
    if not isinstance(data, dict):
        raise CompanyError("companies", "must be a JSON object of named companies: {NAME: {...}, ...}")
    companies = {}
    for name, profile in data.items():
        try:
            companies[name] = Company.from_mapping(profile)
        except CompanyError as error:
            raise CompanyError(f"company {name!r}", str(error)) from None
    return companies


def _evaluate(
    catalogue: Catalogue, companies: dict[str, Company], today: datetime.date, *, named: bool
) -> dict[str, CatalogueEligibility]:
    """Every company's eligibility, all checked against the interface before any is evaluated."""
    for name, company in companies.items():
        try:
            catalogue.interface.check(company)
        except CompanyError as error:
            if not named:
                raise
            raise CompanyError(f"company {name!r}", str(error)) from None
    return dict(zip(companies, evaluate_companies(catalogue, list(companies.values()), today), strict=True))


def _report_errors(
    catalogue: Catalogue, eligibility: dict[str, CatalogueEligibility], *, named: bool
) -> None:
    """Programmes not evaluated, on stderr: the refused ones once, then the failures per company."""
    refused = catalogue.refused if named else {}
    for reason in refused.values():
        print(f"{PROG}: not evaluated: {reason}", file=sys.stderr)
    for name, result in sorted(eligibility.items()):
        about = f" for {name!r}" if named else ""
        for slug, reason in result.errors.items():
            if slug not in refused:
                print(f"{PROG}: not evaluated{about}: {reason}", file=sys.stderr)


def main(argv: list[str]) -> int:
    """Run the command on `argv` (what follows `funding eligibility`); the exit status."""
    arguments = _parser().parse_args(argv)  # exits with status 2 on a usage error
    today = arguments.date or datetime.date.today()
    source = arguments.company or arguments.companies
    try:
        if arguments.company:
            companies = {"": Company.from_mapping(_read_json(arguments.company))}
        else:
            companies = _read_companies(arguments.companies)
        catalogue = load_catalogue(arguments.programmes, arguments.interface)
        eligibility = _evaluate(catalogue, companies, today, named=bool(arguments.companies))
    except CompanyError as error:
        print(f"{PROG}: {source}: {error}", file=sys.stderr)
        return EXIT_BAD_INPUT
    except PublicodesError as error:
        print(f"{PROG}: {error}", file=sys.stderr)
        return EXIT_BAD_INPUT
    _report_errors(catalogue, eligibility, named=bool(arguments.companies))
    if arguments.company:
        output: object = dict(sorted(eligibility[""].results.items()))
    else:
        output = {name: dict(sorted(result.results.items())) for name, result in sorted(eligibility.items())}
    print(json.dumps(output, ensure_ascii=False, indent=2))
    return 0
