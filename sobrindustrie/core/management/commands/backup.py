from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from sobrindustrie.core.backup import create_backup


class Command(BaseCommand):
    help = "Write the database and uploaded files to one archive (.tar.gz)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("target", type=Path)

    def handle(self, *args: Any, **options: Any) -> None:
        summary = create_backup(options["target"])
        self.stdout.write(
            f"Backup written to {options['target']}: {summary.rows} rows, {summary.files} files, "
            f"fingerprint {summary.fingerprint[:16]}"
        )
