from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from sobrindustrie.core.backup import BackupError, restore_backup


class Command(BaseCommand):
    help = "Replace all data with a backup archive's (checked before anything changes)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("source", type=Path)

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            summary = restore_backup(options["source"])
        except BackupError as error:
            raise CommandError(str(error)) from error
        if summary.upgraded_by:
            self.stdout.write(
                f"The backup was taken on an older schema: verified there, then upgraded by "
                f"{len(summary.upgraded_by)} migration(s): {', '.join(summary.upgraded_by)}"
            )
        self.stdout.write(
            f"Restored {summary.rows} rows and {summary.files} files; fingerprint {summary.fingerprint[:16]} verified"
        )
