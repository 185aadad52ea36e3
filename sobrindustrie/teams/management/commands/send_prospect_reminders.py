"""Run daily (cron, systemd timer): e-mail consultants the prospecting next steps that fall due."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from sobrindustrie.teams.reminders import send_prospect_reminders


class Command(BaseCommand):
    help = "E-mail the prospecting next steps that are due (each step is reminded once per due date)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--date", help="Treat this day (YYYY-MM-DD) as today.")
        parser.add_argument(
            "--days-ahead", type=int, default=0, help="Also remind steps due within this many days."
        )
        parser.add_argument("--dry-run", action="store_true", help="Count the e-mails without sending them.")

    def handle(self, *args: Any, **options: Any) -> None:
        today = None
        if options["date"]:
            try:
                today = dt.date.fromisoformat(options["date"])
            except ValueError as error:
                raise CommandError(f"--date: expected YYYY-MM-DD, got {options['date']!r}") from error
        if options["days_ahead"] < 0:
            raise CommandError("--days-ahead: must not be negative")
        count = send_prospect_reminders(today, options["days_ahead"], options["dry_run"])
        verb = "would be sent" if options["dry_run"] else "sent"
        self.stdout.write(f"{count} reminder e-mail(s) {verb}.")
