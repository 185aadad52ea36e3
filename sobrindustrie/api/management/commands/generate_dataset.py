from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from sobrindustrie.api.dataset import DatasetSize, generate

DEFAULTS = DatasetSize()


class Command(BaseCommand):
    help = "Fill an empty database with synthetic programmes (load and query-count measurements)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--programmes", type=int, default=DEFAULTS.programmes)
        parser.add_argument("--smes-per-programme", type=int, default=DEFAULTS.smes_per_programme)
        parser.add_argument("--means-per-sme", type=int, default=DEFAULTS.means_per_sme)
        parser.add_argument("--teams-per-programme", type=int, default=DEFAULTS.teams_per_programme)
        parser.add_argument("--actions-per-team", type=int, default=DEFAULTS.actions_per_team)
        parser.add_argument("--meetings-per-programme", type=int, default=DEFAULTS.meetings_per_programme)
        parser.add_argument("--seed", type=int, default=DEFAULTS.seed)
        parser.add_argument(
            "--outside-per-programme",
            type=int,
            default=DEFAULTS.outside_per_programme,
            help="outside structures besides the SMEs (the company registry of a territory)",
        )
        parser.add_argument("--password", default="synthetic-sobrindustrie")

    def handle(self, *args: Any, **options: Any) -> None:
        size = DatasetSize(
            programmes=options["programmes"],
            smes_per_programme=options["smes_per_programme"],
            means_per_sme=options["means_per_sme"],
            teams_per_programme=options["teams_per_programme"],
            actions_per_team=options["actions_per_team"],
            meetings_per_programme=options["meetings_per_programme"],
            seed=options["seed"],
            outside_per_programme=options["outside_per_programme"],
        )
        if min(vars(size).values()) < 0 or size.programmes < 1:
            raise CommandError("Sizes must be positive.")
        try:
            report = generate(size, options["password"])
        except ValueError as error:
            raise CommandError(str(error)) from error
        for name, count in vars(report).items():
            self.stdout.write(f"{name}: {count}")
        self.stdout.write(f"Password of every synthetic account: {options['password']}")
