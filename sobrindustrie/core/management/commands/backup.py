from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from sobrindustrie.core.backup import BackupError, create_backup, verify_backup


class Command(BaseCommand):
    help = "Write the database and uploaded files to one archive (.tar.gz)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("target", type=Path)
        parser.add_argument(
            "--verify",
            action="store_true",
            help="then restore the archive into a scratch database and compare fingerprints",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        target: Path = options["target"]
        summary = create_backup(target)
        self.stdout.write(
            f"Backup written to {target}: {summary.rows} rows, {summary.files} files, "
            f"fingerprint {summary.fingerprint[:16]}"
        )
        if options["verify"]:
            try:
                verified = verify_backup(target)
            except BackupError as error:
                raise CommandError(f"verification failed: {error}") from error
            self.stdout.write(
                f"Verified: {verified.rows} rows restored into a scratch database, same fingerprint; "
                f"{summary.files} files match their checksums"
            )
