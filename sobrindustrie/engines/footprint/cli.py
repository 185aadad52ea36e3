"""`sobrindustrie footprint ...`: travel emissions, the factor library, GHG balances.

    footprint travel --mode tgv --km 250 [--passengers N] [--json]
    footprint factors [--category energy|freight|material|monetary|travel] [--json]
    footprint balance BALANCE.json [--seed N] [--draws N] [--json]
    footprint import-impactco2 DEPLACEMENT.json [--output FILE]
    footprint check-base-empreinte EXPORT.csv [--json]

Bad input (an unknown mode, a negative distance, a unit mismatch) is reported on stderr, exit code 2.
"""

from __future__ import annotations

import argparse
import json
import sys
from dataclasses import asdict
from pathlib import Path
from typing import Any

from sobrindustrie.engines.footprint.balance import BalanceResult, InputSensitivity, compute_balance_from_dict
from sobrindustrie.engines.footprint.base_empreinte import BaseEmpreinteImportError, parse_export
from sobrindustrie.engines.footprint.errors import FootprintError
from sobrindustrie.engines.footprint.factors import FACTOR_CATEGORIES, EmissionFactor, load_library
from sobrindustrie.engines.footprint.impactco2 import derive_travel_document_from_file, dump_travel_document
from sobrindustrie.engines.footprint.travel import travel_breakdown


def main(argv: list[str]) -> int:
    """Run the command in `argv` (what follows `footprint`); return the exit code."""
    parser = _parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exit_:  # argparse exits on --help (0) and on usage errors (2)
        return int(exit_.code or 0)
    try:
        return int(args.run(args))
    except FootprintError as error:
        print(f"footprint: error: {error}", file=sys.stderr)
        return 2


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="sobrindustrie footprint",
        description="Travel emissions, the emission-factor library, GHG balances.",
    )
    commands = parser.add_subparsers(required=True, metavar="COMMAND")

    travel = commands.add_parser("travel", help="kgCO2e of a trip, as ADEME Impact CO2 computes it")
    travel.add_argument(
        "--mode", required=True, help="Impact CO2 slug: tgv, ter, autocar, voiturethermique..."
    )
    travel.add_argument("--km", required=True, type=float, help="distance in km")
    travel.add_argument("--passengers", type=int, default=1, help="people travelling together (default 1)")
    travel.add_argument("--json", action="store_true", help="print the detailed computation as JSON")
    travel.set_defaults(run=_travel)

    factors = commands.add_parser("factors", help="list the emission-factor library")
    factors.add_argument("--category", choices=FACTOR_CATEGORIES)
    factors.add_argument("--json", action="store_true")
    factors.set_defaults(run=_factors)

    balance = commands.add_parser(
        "balance", help="GHG balance of activity lines against a reference scenario"
    )
    balance.add_argument(
        "file", type=Path, help="JSON: {reference_scenario, lines: [...], seed?, draws?, on?}"
    )
    balance.add_argument("--seed", type=int)
    balance.add_argument("--draws", type=int)
    balance.add_argument("--json", action="store_true")
    balance.set_defaults(run=_balance)

    importer = commands.add_parser("import-impactco2", help="derive the travel factors from deplacement.json")
    importer.add_argument("source", type=Path, help="Impact CO2's deplacement.json (its LICENSE beside it)")
    importer.add_argument("--output", type=Path, help="file to write (default: standard output)")
    importer.set_defaults(run=_import)

    check = commands.add_parser(
        "check-base-empreinte",
        help="read an ADEME Base Empreinte CSV export and list its emission factors (nothing stored)",
    )
    check.add_argument("file", type=Path, help="the CSV export (semicolon-separated, French columns)")
    check.add_argument("--json", action="store_true")
    check.set_defaults(run=_check_base_empreinte)
    return parser


def _check_base_empreinte(args: argparse.Namespace) -> int:
    try:
        data = args.file.read_bytes()
    except OSError as error:
        raise FootprintError(f"cannot read {args.file}: {error.strerror}") from None
    try:
        export = parse_export(data)
    except BaseEmpreinteImportError as error:
        for row_error in error.errors:
            print(f"footprint: {row_error.describe()}", file=sys.stderr)
        return 2
    if args.json:
        print(_json({"encoding": export.encoding, "factors": [asdict(e) for e in export.elements]}))
        return 0
    print(
        f"{len(export.elements)} emission factors ({export.rows} rows, {export.skipped_posts} post rows "
        f"and {export.skipped_other} other rows skipped, {export.encoding})"
    )
    for element in export.elements:
        uncertainty = "" if element.uncertainty is None else f" ±{element.uncertainty * 100:g} %"
        print(
            f"{element.identifier:>8} {element.value:>12.6g} {element.unit:<22}{uncertainty}  {element.label}"
        )
    return 0


def _travel(args: argparse.Namespace) -> int:
    emission = travel_breakdown(args.mode, args.km, args.passengers)
    print(_json(emission.to_dict()) if args.json else f"{emission.kg_co2e:.6g}")
    return 0


def _factors(args: argparse.Namespace) -> int:
    library = load_library()
    chosen = [f for f in library.factors.values() if args.category in (None, f.category)]
    if args.json:
        print(
            _json(
                {
                    "library": library.name,
                    "reference": library.reference,
                    "factors": [_factor_dict(f) for f in chosen],
                }
            )
        )
        return 0
    print(f"{library.name} {library.reference}")
    for factor in chosen:
        flag = "  (to verify)" if factor.to_verify else ""
        print(f"{factor.id:<36} {factor.value:>10.6g} {factor.unit:<22} {factor.source.name}{flag}")
    return 0


def _balance(args: argparse.Namespace) -> int:
    try:
        data = json.loads(args.file.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as error:
        raise FootprintError(f"cannot read {args.file}: {error}") from None
    if isinstance(data, dict):
        data.update({key: getattr(args, key) for key in ("seed", "draws") if getattr(args, key) is not None})
    result = compute_balance_from_dict(data)
    print(_json(result.to_dict()) if args.json else _balance_text(result))
    return 0


def _import(args: argparse.Namespace) -> int:
    text = dump_travel_document(derive_travel_document_from_file(args.source))
    if args.output is None:
        sys.stdout.write(text)
    else:
        args.output.write_text(text, encoding="utf-8")
    return 0


def _balance_text(result: BalanceResult) -> str:
    spread = result.spread
    rows = [
        f"Reference scenario: {result.reference_scenario}",
        f"Net balance: {result.central_kg_co2e_per_year:.1f} kgCO2e/yr (central); mean {spread.mean:.1f}, "
        f"median {spread.median:.1f}, 90 % interval [{spread.p5:.1f}, {spread.p95:.1f}]",
        "Lines (kgCO2e/yr, central; share of variance):",
    ]
    rows += [
        f"  {line.position}. {line.label}: {line.central_kg_co2e_per_year:.1f} ({line.factor_id}; {line.variance_share:.0%})"
        for line in result.lines
    ]
    if result.dominant_input is not None:
        top = result.dominant_input
        rows.append(
            f"Dominant input: {_input_name(top)} ({top.label}), {top.variance_share:.0%} of the variance"
        )
    rows.append(
        f"Library {result.library_name} {result.library_reference}; seed {result.seed}, {result.draws} draws"
    )
    rows += [f"Warning: {warning.english}" for warning in result.warnings]
    rows.append(f"Sign convention: {result.sign_convention}")
    return "\n".join(rows)


def _input_name(sensitivity: InputSensitivity) -> str:
    if sensitivity.kind == "quantity":
        return f"quantity of line {sensitivity.reference}"
    return f"factor {sensitivity.reference}"


def _factor_dict(factor: EmissionFactor) -> dict[str, Any]:
    return {
        "id": factor.id,
        "category": factor.category,
        "label": {"fr": factor.label_fr, "en": factor.label_en},
        "value": factor.value,
        "unit": factor.unit,
        "components": dict(factor.components),
        "source": {
            "name": factor.source.name,
            "version": factor.source.version,
            "identifier": factor.source.identifier,
            "url": factor.source.url,
        },
        "uncertainty": {
            "relative": factor.uncertainty.relative,
            "distribution": str(factor.uncertainty.distribution),
            "basis": str(factor.uncertainty.basis),
        },
        "valid_from": factor.valid_from.isoformat() if factor.valid_from else None,
        "valid_until": factor.valid_until.isoformat() if factor.valid_until else None,
        "to_verify": factor.to_verify,
        "notes": factor.notes,
    }


def _json(data: Any) -> str:
    return json.dumps(data, ensure_ascii=False, indent=2)
