"""Run daily (cron, systemd timer): tell owners of shortlists and applications whose scheme closes soon."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.utils import timezone

from sobrindustrie.funding.deadlines import CLOSING_DAYS, notify_closing_schemes
from sobrindustrie.funding.management.commands.refresh_funding_catalogue import day


class Command(BaseCommand):
    help = (
        f"Notify the owners of shortlists and applications whose scheme closes within {CLOSING_DAYS} days "
        "(once per application and closing day)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--today", type=day, help="Treat this day (YYYY-MM-DD) as today.")

    def handle(self, *args: Any, **options: Any) -> None:
        count = notify_closing_schemes(options["today"] or timezone.localdate())
        self.stdout.write(f"{count} notification(s) recorded.")
