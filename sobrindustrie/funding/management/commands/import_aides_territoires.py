"""`sobrindustrie funding aides-territoires`: bring the regional calls of Aides-territoires into the catalogue.

Searches the API (settings AIDES_TERRITOIRES_TOKEN, _URL, _QUERY; --perimeter and --text narrow it),
then reports and applies the difference like `funding refresh`: all or nothing, --dry-run, --yes or a
prompt. Aids the search no longer returns are marked withdrawn, kept for history.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import parse_qsl

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone
from django.utils.translation import gettext as _

from sobrindustrie.funding.aides_territoires import AidesTerritoiresClient, AidesTerritoiresError, read_aids
from sobrindustrie.funding.enums import SchemeSource
from sobrindustrie.funding.management.commands.refresh_funding_catalogue import (
    add_confirmation_arguments,
    report_and_apply,
)
from sobrindustrie.funding.refresh import RefreshRefused, plan_refresh


class Command(BaseCommand):
    help = "Refresh the Aides-territoires calls of the funding catalogue (report, then apply all or nothing)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--perimeter", help="Aides-territoires perimeter id (e.g. the region's).")
        parser.add_argument("--text", help="Words to search for.")
        add_confirmation_arguments(parser)

    def handle(self, *args: Any, **options: Any) -> None:
        today = options["today"] or timezone.localdate()
        query = dict(parse_qsl(settings.AIDES_TERRITOIRES_QUERY))
        if options["perimeter"]:
            query["perimeter"] = options["perimeter"]
        if options["text"]:
            query["text"] = options["text"]
        try:
            client = AidesTerritoiresClient(settings.AIDES_TERRITOIRES_TOKEN, settings.AIDES_TERRITOIRES_URL)
            aids = list(client.aids(query))
            plan = plan_refresh(SchemeSource.AIDES_TERRITOIRES, read_aids(aids), "aides-territoires", today)
        except AidesTerritoiresError as error:
            raise CommandError(
                _("Aides-territoires: %(error)s. Nothing was changed.") % {"error": error}
            ) from None
        except RefreshRefused as error:
            lines = [_("Refused, nothing was changed:")] + [f"  - {item.line()}" for item in error.broken]
            raise CommandError("\n".join(lines)) from None
        report_and_apply(self, plan, options)
