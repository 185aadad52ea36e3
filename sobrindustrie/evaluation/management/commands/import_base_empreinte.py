from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from sobrindustrie.evaluation.factor_library import import_export


class Command(BaseCommand):
    help = (
        "Import an ADEME Base Empreinte CSV export as a new version of the emission factors "
        "(all or nothing: a faulty row refuses the file, each problem named with its line)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", help="The CSV export (semicolon-separated, French column names).")
        parser.add_argument(
            "--source-version", required=True, help="Base Empreinte's version of the export, e.g. 23.6."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        path = Path(options["path"])
        try:
            data = path.read_bytes()
        except OSError as error:
            raise CommandError(f"cannot read {path}: {error.strerror}") from None
        try:
            version = import_export(data, source_version=options["source_version"], file_name=path.name)
        except ValidationError as error:
            raise CommandError("nothing imported:\n" + "\n".join(error.messages)) from None
        self.stdout.write(
            f"{version}: {version.factors.count()} emission factors imported "
            f"({version.rows} rows read, {version.skipped_posts} post rows and "
            f"{version.skipped_other} other rows skipped, {version.encoding})"
        )
