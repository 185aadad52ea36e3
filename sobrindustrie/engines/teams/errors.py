"""The one exception the teams engine raises for bad input."""

from __future__ import annotations


class TeamsInputError(ValueError):
    """Input that the teams engine refuses; `field` names where the problem is (e.g. ``weights[3].w``)."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(f"{field}: {message}")
        self.field = field
        self.message = message
