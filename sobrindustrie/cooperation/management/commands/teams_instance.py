"""``sobrindustrie teams instance --programme SLUG [--output FILE]``: the team-formation instance that
the platform's own analysis produces, in the format `sobrindustrie teams solve` reads."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from sobrindustrie.cooperation.services import instance_data
from sobrindustrie.engines.teams import TeamsInputError
from sobrindustrie.programmes.models import Programme


class Command(BaseCommand):
    help = "Write the team-formation instance (JSON) of a programme's cooperation analysis."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--programme", required=True, metavar="SLUG", help="the programme's short name")
        parser.add_argument("--output", metavar="FILE", help="write there instead of standard output")
        parser.add_argument(
            "--include-outside",
            action="store_true",
            help="partition the outside structures too, not only the laureates",
        )
        parser.add_argument(
            "--fresh",
            action="store_true",
            help="detect the opportunities now instead of reading the latest stored analysis",
        )
        parser.add_argument("--k", type=int, help="number of teams (default: the programme's target)")
        parser.add_argument("--min-size", type=int, help="smallest team size")
        parser.add_argument("--max-size", type=int, help="largest team size")
        parser.add_argument(
            "--no-floor",
            action="store_true",
            help="leave out min_team_score (by default every team must hold at least one cooperation)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        slug = options["programme"]
        programme = Programme.objects.filter(slug=slug).first()
        if programme is None:
            known = ", ".join(Programme.objects.order_by("slug").values_list("slug", flat=True)) or "none"
            raise CommandError(f"--programme: no programme {slug!r} (known: {known})")
        for name in ("k", "min_size", "max_size"):
            if options[name] is not None and options[name] < 1:
                raise CommandError(f"--{name.replace('_', '-')}: must be at least 1, got {options[name]}")
        try:
            data = instance_data(
                programme,
                include_outside=options["include_outside"],
                fresh=options["fresh"],
                k=options["k"],
                min_size=options["min_size"],
                max_size=options["max_size"],
                cohesive=not options["no_floor"],
            )
        except TeamsInputError as error:
            raise CommandError(f"the inventory holds a value the analysis refuses: {error}") from None
        text = json.dumps(data, ensure_ascii=False, indent=2) + "\n"
        if options["output"]:
            Path(options["output"]).write_text(text, encoding="utf-8")
            self.stderr.write(
                f"{len(data['organisations'])} organisations, {len(data['weights'])} weighted pairs "
                f"written to {options['output']}"
            )
        else:
            self.stdout.write(text, ending="")
