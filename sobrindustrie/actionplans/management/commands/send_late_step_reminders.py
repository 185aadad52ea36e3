"""Run daily (cron, systemd timer): remind each owner of their late steps."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.utils import timezone

from sobrindustrie.actionplans.reminders import describe, remind_late_steps
from sobrindustrie.funding.management.commands.refresh_funding_catalogue import day


class Command(BaseCommand):
    help = (
        "Remind the owner of every late step, at most once per step and day: in the platform (and by "
        "e-mail at once or in the daily digest as each prefers) for account holders, by a plain e-mail "
        "for the others; name the owners who cannot be reminded."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--today", type=day, help="Treat this day (YYYY-MM-DD) as today.")

    def handle(self, *args: Any, **options: Any) -> None:
        result = remind_late_steps(options["today"] or timezone.localdate())
        self.stdout.write(
            f"{result.late_steps} late step(s), {result.recorded} reminder(s) recorded, "
            f"{result.without_account} owner(s) without an active account: "
            f"{result.emailed_steps} step(s) e-mailed in {result.emails} e-mail(s), "
            f"{len(result.unreachable)} not reminded."
        )
        if result.unreachable:
            self.stdout.write(
                "Owners who cannot be reminded (reach them another way, or choose another owner):"
            )
            for item in result.unreachable:
                self.stdout.write(f"- {describe(item)}")
