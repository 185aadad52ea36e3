"""`sobrindustrie funding refresh DIR`: update the catalogue from a Mission Transition Écologique directory.

Reads every programme file first; one unusable file changes nothing (its name and field are printed).
Prints what is new, changed (which fields), withdrawn and expired, then applies it all in one
transaction: after a confirmation on a terminal, at once with --yes, never with --dry-run. Once
applied, the owners of shortlists and applications whose scheme closes within 30 days are told.
"""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone
from django.utils.translation import gettext as _

from sobrindustrie.funding.deadlines import notify_closing_schemes
from sobrindustrie.funding.refresh import RefreshPlan, RefreshRefused, apply_refresh, plan_mte_refresh


def day(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise CommandError(f"{text!r} is not a date written YYYY-MM-DD") from None


def add_confirmation_arguments(parser: CommandParser) -> None:
    parser.add_argument("--dry-run", action="store_true", help="Report the difference and change nothing.")
    parser.add_argument("--yes", action="store_true", help="Apply without asking for confirmation.")
    parser.add_argument("--today", type=day, help="Treat this day (YYYY-MM-DD) as today.")


def report_and_apply(command: BaseCommand, plan: RefreshPlan, options: dict[str, Any]) -> None:
    """Print the plan; apply it unless dry run or refused at the prompt; then notify closing schemes."""
    command.stdout.write("\n".join(plan.lines()))
    if options["dry_run"]:
        command.stdout.write(_("Dry run: nothing was changed."))
        return
    if not plan.has_changes:
        command.stdout.write(_("Nothing to apply."))
    else:
        if not options["yes"]:
            if not sys.stdin.isatty():
                raise CommandError(_("Give --yes to apply the difference, or --dry-run to only report it."))
            answer = input(_("Apply these changes? [y/N] "))
            if answer.strip().lower() not in {"y", "yes", "o", "oui"}:
                command.stdout.write(_("Nothing was changed."))
                return
        apply_refresh(plan)
        command.stdout.write(_("Applied."))
    told = notify_closing_schemes(plan.today)
    command.stdout.write(_("Notifications of schemes closing within 30 days: %(count)d") % {"count": told})


class Command(BaseCommand):
    help = (
        "Refresh the funding catalogue from a Mission Transition Écologique programmes directory: report "
        "what is new, changed, withdrawn and expired, then apply it all or nothing."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("directory", type=Path, help="Directory of programme files (programs/).")
        parser.add_argument(
            "--interface", type=Path, help="publicodes-interface.yaml (default: in or next to the directory)."
        )
        parser.add_argument("--source-date", type=day, help="Date of the information, YYYY-MM-DD.")
        add_confirmation_arguments(parser)

    def handle(self, *args: Any, **options: Any) -> None:
        today = options["today"] or timezone.localdate()
        try:
            plan = plan_mte_refresh(options["directory"], today, options["interface"], options["source_date"])
        except RefreshRefused as error:
            lines = [_("Refused, nothing was changed:")] + [f"  - {item.line()}" for item in error.broken]
            raise CommandError("\n".join(lines)) from None
        report_and_apply(self, plan, options)
