from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from sobrindustrie.api.openapi import COMMITTED_SCHEMA, current_schema, render


class Command(BaseCommand):
    help = "Write the API's OpenAPI schema to docs/api/openapi.json (commit the result)."

    def handle(self, *args: Any, **options: Any) -> None:
        COMMITTED_SCHEMA.parent.mkdir(parents=True, exist_ok=True)
        COMMITTED_SCHEMA.write_text(render(current_schema()), encoding="utf-8")
        self.stdout.write(f"Wrote {COMMITTED_SCHEMA}")
