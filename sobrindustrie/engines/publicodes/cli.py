"""`sobrindustrie funding eligibility`: a company's eligibility to every programme of a directory.

    sobrindustrie funding eligibility --programmes DIR --company COMPANY.json
        [--date DD/MM/YYYY] [--interface publicodes-interface.yaml]

Prints a JSON object mapping each programme (file name without `.yaml`) to true, false or null
(undefined), sorted by name. A programme that cannot be evaluated (its rules are refused, such as a
reference to a name that exists nowhere) is an error, not a result: it is left out of the JSON and
listed on stderr with the reason; the command still succeeds. Bad input (missing directory, malformed
company file or date, no interface) is reported on stderr with exit status 2.
"""

from __future__ import annotations

import argparse
import datetime
import json
import sys
from pathlib import Path

from sobrindustrie.engines.publicodes.catalogue import INTERFACE_FILE_NAME, evaluate_catalogue, load_catalogue
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
    parser.add_argument(
        "--company",
        required=True,
        type=Path,
        metavar="COMPANY.json",
        help='{"region", "workforce", "micro_entrepreneur", "naf", "objectives"}, any key may be absent',
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


def _read_company(path: Path) -> Company:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except OSError as error:
        raise CompanyError("company", f"cannot read {path}: {error.strerror or error}") from None
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise CompanyError("company", f"{path} is not valid JSON: {error}") from None
    return Company.from_mapping(data)


def main(argv: list[str]) -> int:
    """Run the command on `argv` (what follows `funding eligibility`); the exit status."""
    arguments = _parser().parse_args(argv)  # exits with status 2 on a usage error
    today = arguments.date or datetime.date.today()
    try:
        company = _read_company(arguments.company)
        catalogue = load_catalogue(arguments.programmes, arguments.interface)
        eligibility = evaluate_catalogue(catalogue, company, today)
    except CompanyError as error:
        print(f"{PROG}: {arguments.company}: {error}", file=sys.stderr)
        return EXIT_BAD_INPUT
    except PublicodesError as error:
        print(f"{PROG}: {error}", file=sys.stderr)
        return EXIT_BAD_INPUT
    for reason in eligibility.errors.values():
        print(f"{PROG}: not evaluated: {reason}", file=sys.stderr)
    print(json.dumps(dict(sorted(eligibility.results.items())), ensure_ascii=False, indent=2))
    return 0
