"""Exceptions of the Publicodes engine.

Every refusal is a `PublicodesError` (or a `CompanyError` for a bad company description), so callers
(the CLI, the catalogue importer, the Django views) catch one class and show a message that names the
file and the rule at fault.
"""

from __future__ import annotations


class PublicodesError(ValueError):
    """Rules that the engine refuses or cannot evaluate.

    `source` names the file (or programme) the rules come from, `rule` the dotted name of the rule at
    fault; either may be None when unknown. `reason` is the message without that location.
    """

    def __init__(self, reason: str, *, rule: str | None = None, source: str | None = None) -> None:
        self.reason = reason
        self.rule = rule
        self.source = source
        super().__init__(self._render())

    def _render(self) -> str:
        where = []
        if self.source:
            where.append(self.source)
        if self.rule:
            where.append(f"rule {self.rule!r}")
        return f"{', '.join(where)}: {self.reason}" if where else self.reason

    def located(self, source: str) -> PublicodesError:
        """The same error, attributed to `source` (the file being read) unless it already names one."""
        if self.source:
            return self
        return type(self)(self.reason, rule=self.rule, source=source)


class UnknownReferenceError(PublicodesError):
    """Rules naming a rule that exists nowhere (the reference engine refuses them at evaluation too)."""


class CompanyError(ValueError):
    """A company description that cannot become a situation; `field` names the key at fault."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(f"{field}: {message}")
        self.field = field
        self.message = message
