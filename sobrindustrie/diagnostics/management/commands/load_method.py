from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from sobrindustrie.accounts.models import User
from sobrindustrie.diagnostics.methods.loader import DEFAULT_METHOD_FILE, MethodError
from sobrindustrie.diagnostics.services import load_method_file, validate_method
from sobrindustrie.programmes.models import Programme


class Command(BaseCommand):
    help = (
        "Load a diagnostic method version from its YAML file into a programme (as a draft). "
        "Idempotent: an unchanged file changes nothing; a validated version never changes."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("programme", help="Slug of the programme.")
        parser.add_argument(
            "path", nargs="?", default=str(DEFAULT_METHOD_FILE), help="YAML file of the method."
        )
        parser.add_argument(
            "--validate-as",
            metavar="EMAIL",
            help="Record the validation by this ADEME officer (the COPIL's decision), e.g. for a demo.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        programme = Programme.objects.filter(slug=options["programme"]).first()
        if programme is None:
            raise CommandError(f"no programme with slug {options['programme']!r}")
        try:
            version, outcome = load_method_file(programme, Path(options["path"]))
        except MethodError as error:
            raise CommandError(f"the method cannot be loaded:\n{error}") from None
        except FileNotFoundError:
            raise CommandError(f"no such file: {options['path']}") from None
        self.stdout.write(f"{version} ({version.get_status_display()}): {outcome}")
        if options["validate_as"] and not version.is_validated:
            officer = User.objects.filter(email=options["validate_as"].lower(), role="ademe").first()
            if officer is None:
                raise CommandError(f"no ADEME officer with e-mail {options['validate_as']!r}")
            validate_method(version, officer)
            self.stdout.write(f"validated by {officer}")
