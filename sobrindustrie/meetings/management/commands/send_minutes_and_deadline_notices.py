"""Run daily, before the notification digest: minutes to write and the contract's deadlines.

Idempotent: a notice already given is never given again, so running it twice a day (or again after
a failure) tells nobody anything twice.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from sobrindustrie.meetings.notifications import send_deadline_notices, send_minutes_reminders


class Command(BaseCommand):
    help = (
        "Notify the consultants of minutes to write (when the meeting is held, and one working day "
        "before the due date), and the consultants and ADEME officers of obligations due soon or late "
        "(once per obligation and status). Run daily, before send_notification_digest."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--date", help="Treat this day (YYYY-MM-DD) as today.")

    def handle(self, *args: Any, **options: Any) -> None:
        today = None
        if options["date"]:
            try:
                today = dt.date.fromisoformat(options["date"])
            except ValueError as error:
                raise CommandError(f"--date: expected YYYY-MM-DD, got {options['date']!r}") from error
        minutes = send_minutes_reminders(today)
        deadlines = send_deadline_notices(today)
        self.stdout.write(
            f"{minutes} minutes notification(s), {deadlines.recorded} deadline notification(s) recorded."
        )
        if deadlines.errors:
            raise CommandError("Obligations not evaluated for " + "; ".join(deadlines.errors))
