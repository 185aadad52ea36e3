from __future__ import annotations

import json
from dataclasses import asdict
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from sobrindustrie.demo.loader import DEFAULT_PASSWORD, load_demo


class Command(BaseCommand):
    help = "Create or refresh the demo programme (Sobr'Industrie PACA 2025–2027). Idempotent."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--password", help="Password given to every demo account.")
        parser.add_argument("--json", action="store_true", help="Print the accounts as JSON.")

    def handle(self, *args: Any, **options: Any) -> None:
        accounts = load_demo(password=options["password"], with_areas=True)
        if options["json"]:
            self.stdout.write(json.dumps([asdict(a) for a in accounts], ensure_ascii=False, indent=2))
            return
        password = options["password"] or f"{DEFAULT_PASSWORD} (unless changed with --password)"
        self.stdout.write(f"Demo programme loaded. Password of every account: {password}\n")
        width = max(len(a.email) for a in accounts)
        for account in accounts:
            self.stdout.write(f"  {account.email:<{width}}  {account.role:<10}  {account.organisation}")
