from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from sobrindustrie.accounts.models import User
from sobrindustrie.diagnostics.candidacy import (
    ImportFileError,
    ImportRefused,
    build_plan,
    confirm_import,
    preview_import,
    read_table,
)
from sobrindustrie.programmes.models import Programme


class Command(BaseCommand):
    help = (
        "Import the candidacies of the call for expressions of interest (XLSX or CSV, the template's "
        "columns). All or nothing: any problem is listed with its row and column and nothing is written."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("programme", help="Slug of the programme.")
        parser.add_argument("path", help="XLSX or CSV file.")
        parser.add_argument(
            "--dry-run", action="store_true", help="Check and show the changes, write nothing."
        )
        parser.add_argument("--user", metavar="EMAIL", help="Account recorded as the author of the changes.")

    def handle(self, *args: Any, **options: Any) -> None:
        programme = Programme.objects.filter(slug=options["programme"]).first()
        if programme is None:
            raise CommandError(f"no programme with slug {options['programme']!r}")
        path = Path(options["path"])
        if not path.is_file():
            raise CommandError(f"no such file: {path}")
        user = User.objects.filter(email=(options["user"] or "").lower()).first() if options["user"] else None
        data = path.read_bytes()
        if options["dry_run"]:
            try:
                plan = build_plan(programme, read_table(data, path.name))
            except ImportFileError as error:
                raise CommandError(str(error)) from None
        else:
            record, plan = preview_import(programme, data, path.name, user)
            if plan.is_valid:
                try:
                    plan = confirm_import(record, user)
                except ImportRefused as error:
                    raise CommandError(str(error)) from None
        if not plan.is_valid:
            for error in plan.errors:
                self.stderr.write(str(error))
            raise CommandError(f"{len(plan.errors)} problem(s): nothing was imported")
        for key, count in sorted(plan.summary().items()):
            self.stdout.write(f"{key}: {count}")
        if options["dry_run"]:
            self.stdout.write("dry run: nothing was written")
