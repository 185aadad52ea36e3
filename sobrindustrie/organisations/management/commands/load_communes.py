from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand
from django.db import transaction

from sobrindustrie.core.upsert import upsert
from sobrindustrie.organisations.models import Commune
from sobrindustrie.organisations.reference import communes_rows


class Command(BaseCommand):
    help = "Load (or refresh) the shipped table of communes. Idempotent."

    @transaction.atomic
    def handle(self, *args: Any, **options: Any) -> None:
        counts = {"created": 0, "updated": 0, "unchanged": 0}
        for row in communes_rows():
            _, outcome = upsert(
                Commune,
                {"insee_code": row["insee_code"]},
                {
                    "name": row["name"],
                    "postcodes": row["postcodes"],
                    "department_code": row["department_code"],
                    "latitude": float(row["latitude"]),
                    "longitude": float(row["longitude"]),
                },
            )
            counts[outcome] += 1
        if options["verbosity"] > 0:
            self.stdout.write(
                "Communes: {created} created, {updated} updated, {unchanged} unchanged".format(**counts)
            )
