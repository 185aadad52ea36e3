"""`sobrindustrie funding import-mte DIR`: import Mission Transition Écologique programme files."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from sobrindustrie.funding.importer import CatalogueError, import_directory


def _date(text: str) -> dt.date:
    try:
        return dt.datetime.strptime(text, "%d/%m/%Y").date()
    except ValueError:
        raise CommandError(f"--source-date: {text!r} is not a date written DD/MM/YYYY") from None


class Command(BaseCommand):
    help = (
        "Import every programme file (*.yaml) of a directory in the Mission Transition Écologique format. "
        "Idempotent: only what changed is saved. Refused files are reported with their reason; the others "
        "still import."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("directory", type=Path, help="Directory of programme files (programs/).")
        parser.add_argument(
            "--interface",
            type=Path,
            help="publicodes-interface.yaml (default: found in or next to the directory).",
        )
        parser.add_argument(
            "--source-date", type=_date, help="Date of the information, DD/MM/YYYY (e.g. the export's date)."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            report = import_directory(
                options["directory"], options["interface"], source_date=options["source_date"]
            )
        except CatalogueError as error:
            raise CommandError(str(error)) from None
        if options["verbosity"] > 0:
            self.stdout.write("\n".join(report.lines()))
