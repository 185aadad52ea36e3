from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from sobrindustrie.meetings.services import anonymise_past_registrations


class Command(BaseCommand):
    help = "Erase the personal data of event registrations 90 days after the event. Run daily."

    def handle(self, *args: Any, **options: Any) -> None:
        count = anonymise_past_registrations()
        self.stdout.write(f"{count} registration(s) anonymised.")
