"""The `sobrindustrie` console script.

Pure engine commands (calendar, teams solve, funding eligibility) run without Django. Commands that
read or write the platform's data set Django up and delegate to a management command.
"""

from __future__ import annotations

import importlib
import os
import sys
from collections.abc import Callable, Sequence

USAGE = """usage: sobrindustrie COMMAND ...

commands:
  calendar add-working-days DATE N      add N French working days to DATE
  calendar working-days START END       count French working days, both ends included
  teams solve INSTANCE.json             form optimal teams (OR-Tools CP-SAT)
  teams instance --programme SLUG       write the instance of a programme's cooperation analysis
  funding eligibility --programmes DIR (--company COMPANY.json | --companies COMPANIES.json)
                                        eligibility of one company, or of named companies at once
  funding import-mte DIR                import Mission Transition Écologique programme files
  funding refresh DIR [--dry-run|--yes] update the catalogue from a programmes directory: report what is
                                        new, changed, withdrawn, expired, then apply all or nothing
  funding aides-territoires [--dry-run|--yes]
                                        the same for the regional calls of Aides-territoires (API)
  funding deadlines                     notify owners of schemes closing within 30 days (daily)
  footprint travel --mode tgv --km 250  kgCO2e of a trip (Impact CO2 modes)
  footprint factors                     list the emission-factor library
  backup OUT.tar.gz                     database and uploaded files in one archive
  restore IN.tar.gz                     replace all data with a backup (checked first)
  generate-dataset [--programmes N ...] a large synthetic dataset for scale tests
  deliverables build --programme SLUG --out DIR
                                        every deliverable of a programme, a zip with its table of contents
  manage ARGS...                        any Django management command
"""

# command -> (module, function); the function takes the remaining argv and returns an exit code.
PURE_COMMANDS: dict[str, tuple[str, str]] = {
    "calendar": ("sobrindustrie.engines.calendar", "main"),
    "teams": ("sobrindustrie.engines.teams.cli", "main"),
    "funding eligibility": ("sobrindustrie.engines.publicodes.cli", "main"),
    "footprint": ("sobrindustrie.engines.footprint.cli", "main"),
}

# command -> Django management command that implements it.
DJANGO_COMMANDS: dict[str, str] = {
    "teams instance": "teams_instance",
    "funding import-mte": "import_mte",
    "funding refresh": "refresh_funding_catalogue",
    "funding aides-territoires": "import_aides_territoires",
    "funding deadlines": "send_funding_deadline_notices",
}
# one-word commands implemented by a Django management command of the same name
DJANGO_SINGLE_COMMANDS = {
    "backup": "backup",
    "restore": "restore",
    "generate-dataset": "generate_dataset",
    "deliverables": "deliverables",
}


def _load(module: str, function: str) -> Callable[[list[str]], int]:
    return getattr(importlib.import_module(module), function)  # type: ignore[no-any-return]


def _run_django(command: str, argv: list[str]) -> int:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django
    from django.apps import apps
    from django.core.management import call_command, execute_from_command_line
    from django.core.management.base import CommandError

    # Once only: setting up again reconfigures logging, which closes the handlers already there, and
    # absl's (OR-Tools imports absl) then closes the stream it was given, even one still in use.
    if not apps.ready:
        django.setup()
    if command == "manage":
        execute_from_command_line(["sobrindustrie", *argv])
        return 0
    try:
        call_command(command, *argv)
    except CommandError as error:
        print(f"sobrindustrie: {error}", file=sys.stderr)
        return 2
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    if not args or args[0] in {"-h", "--help"}:
        print(USAGE)
        return 0 if args else 2
    two_words = " ".join(args[:2])
    if two_words in DJANGO_COMMANDS:
        return _run_django(DJANGO_COMMANDS[two_words], args[2:])
    if two_words in PURE_COMMANDS:
        return _load(*PURE_COMMANDS[two_words])(args[2:])
    if args[0] in PURE_COMMANDS:
        return _load(*PURE_COMMANDS[args[0]])(args[1:])
    if args[0] in DJANGO_SINGLE_COMMANDS:
        return _run_django(DJANGO_SINGLE_COMMANDS[args[0]], args[1:])
    if args[0] == "manage":
        return _run_django("manage", args[1:])
    print(f"sobrindustrie: unknown command {args[0]!r}\n\n{USAGE}", file=sys.stderr)
    return 2


if __name__ == "__main__":
    raise SystemExit(main())
