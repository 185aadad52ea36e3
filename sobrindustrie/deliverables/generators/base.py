"""What a deliverable generator receives and returns.

A generator is a function `generate(ctx: GenerationContext) -> list[GeneratedFile]` registered in
`generators/__init__.py`. It reads the programme's live data and returns finished files (metadata
set and zip entries normalised by `deliverables.office.finalise`), or raises `MissingData` naming
what must exist first: an empty document is never produced.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from sobrindustrie.accounts.models import User
    from sobrindustrie.programmes.models import Programme


@dataclass(frozen=True)
class GeneratedFile:
    name: str  # the file's name, e.g. "L1.3-fiche-provence-usinage.docx"; unique within a deliverable
    content: bytes
    title: str  # the human title shown in the registry and the pack's table of contents

    @property
    def format(self) -> str:
        return self.name.rsplit(".", 1)[-1].lower()


class MissingData(Exception):
    """The deliverable cannot be produced yet; `reasons` say what is missing, in the user's language."""

    def __init__(self, reasons: list[str]) -> None:
        super().__init__("; ".join(reasons))
        self.reasons = reasons


@dataclass
class GenerationContext:
    programme: Programme
    user: User | None  # who asked; None from the command line
    now: datetime  # one instant for a whole build: dates printed and files' metadata use it
    language: str = "fr"
    # Set by the pack build for the reports: code -> files already produced in this build.
    produced: dict[str, list[GeneratedFile]] = field(default_factory=dict)

    @property
    def author(self) -> str:
        return self.user.get_full_name() if self.user and self.user.get_full_name() else "Sobr'Industrie"
