"""Run daily (cron, systemd timer): remind each owner of their late steps."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.utils import timezone

from sobrindustrie.actionplans.reminders import remind_late_steps
from sobrindustrie.funding.management.commands.refresh_funding_catalogue import day


class Command(BaseCommand):
    help = (
        "Remind the owner of every late step (in the platform, and by e-mail at once or in the daily "
        "digest as each prefers), at most once per step and day."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--today", type=day, help="Treat this day (YYYY-MM-DD) as today.")

    def handle(self, *args: Any, **options: Any) -> None:
        result = remind_late_steps(options["today"] or timezone.localdate())
        self.stdout.write(
            f"{result.late_steps} late step(s), {result.recorded} reminder(s) recorded, "
            f"{result.without_account} owner(s) without an active account."
        )
