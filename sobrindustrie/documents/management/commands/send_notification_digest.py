from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from sobrindustrie.documents.notifications import send_digest


class Command(BaseCommand):
    help = "E-mail the daily digest of notifications to the users who chose it (run once a day)."

    def handle(self, *args: Any, **options: Any) -> None:
        sent = send_digest()
        self.stdout.write(f"{sent} digest e-mail(s) sent.")
