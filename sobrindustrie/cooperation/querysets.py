"""Reads of the cooperation analysis, each filtered by who may see it.

Managers and ADEME see their programmes' analyses, opportunities, constraints and scenarios; an SME
member sees only the opportunities that concern their own company (and the analyses they come
from); partners and outsiders see nothing.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db import models

from sobrindustrie.accounts.enums import Role

if TYPE_CHECKING:
    from sobrindustrie.accounts.models import User


def _programme_filter(user: User, path: str) -> models.Q | None:
    """Q for rows of the programmes an ADEME officer or consultant works on; None for other roles."""
    if user.role in (Role.ADEME, Role.CONSULTANT):
        return models.Q(**{f"{path}staff_members": user})
    return None


class ProgrammeScopedQuerySet(models.QuerySet):  # type: ignore[type-arg]
    """Rows reached from a programme through `programme_path` (e.g. ``analysis__programme__``)."""

    programme_path = "programme__"

    def visible_to(self, user: User) -> ProgrammeScopedQuerySet:
        if not user.is_authenticated:
            return self.none()
        if user.is_platform_staff:
            return self.all()
        condition = _programme_filter(user, self.programme_path)
        return self.filter(condition) if condition is not None else self.none()

    def for_programme(self, programme: object) -> ProgrammeScopedQuerySet:
        return self.filter(**{self.programme_path.removesuffix("__"): programme})


class AnalysisQuerySet(ProgrammeScopedQuerySet):
    def visible_to(self, user: User) -> AnalysisQuerySet:
        """Also the analyses of an SME member's programme: they hold no company detail themselves."""
        if user.is_authenticated and user.role == Role.SME and user.organisation_id:
            return self.filter(programme__organisations=user.organisation_id)
        return super().visible_to(user)  # type: ignore[return-value]

    def latest_for(self, programme: object) -> object | None:
        return self.for_programme(programme).order_by("-run_at", "-pk").first()


class OpportunityQuerySet(ProgrammeScopedQuerySet):
    programme_path = "analysis__programme__"

    def visible_to(self, user: User) -> OpportunityQuerySet:
        """An SME member sees the opportunities in which their company is provider or receiver."""
        if user.is_authenticated and user.role == Role.SME:
            if user.organisation_id is None:
                return self.none()
            return self.concerning(user.organisation_id)
        return super().visible_to(user)  # type: ignore[return-value]

    def concerning(self, organisation: object) -> OpportunityQuerySet:
        return self.filter(models.Q(provider=organisation) | models.Q(receiver=organisation))


class ConstraintQuerySet(ProgrammeScopedQuerySet):
    pass


class ScenarioQuerySet(ProgrammeScopedQuerySet):
    programme_path = "analysis__programme__"
