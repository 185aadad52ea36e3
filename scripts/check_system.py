"""Warn, never fail, when this machine lacks a system package an optional export needs.

`make run` and `make test` call it first, so a newcomer reads what to install instead of meeting a
PDF error later. The platform and its suite run without these packages.
"""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sobrindustrie.core.pdf import INSTALL_COMMAND, system_problems


def main() -> int:
    problems = system_problems()
    if problems:
        for problem in problems:
            print(f"warning: {problem}", file=sys.stderr)
        print(f"warning: install them with: sudo {INSTALL_COMMAND}", file=sys.stderr)
    if shutil.which("soffice") is None and shutil.which("libreoffice") is None:
        print(
            "note: LibreOffice is not installed: only `make office-check` needs it (the platform does not)",
            file=sys.stderr,
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
