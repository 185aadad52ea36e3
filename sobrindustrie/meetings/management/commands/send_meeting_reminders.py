from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from sobrindustrie.meetings.services import send_due_reminders


class Command(BaseCommand):
    help = (
        "E-mail a reminder (with the .ics) to the invitees of meetings starting within 24 hours. Run hourly."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        sent = send_due_reminders()
        self.stdout.write(f"{sent} reminder(s) sent.")
