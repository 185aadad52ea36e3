"""Load (or refresh) the default funding catalogue shipped with the platform. Idempotent."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from sobrindustrie.funding.catalogue import load_default_catalogue


class Command(BaseCommand):
    help = "Load (or refresh) the default funding catalogue of industrial SMEs in PACA. Idempotent."

    def handle(self, *args: Any, **options: Any) -> None:
        report = load_default_catalogue()
        if options["verbosity"] > 0:
            self.stdout.write("\n".join(report.lines()))
