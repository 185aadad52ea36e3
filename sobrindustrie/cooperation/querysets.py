"""Reads of the cooperation analysis, each filtered by who may see it.

Consultants and ADEME see their programmes' analyses, opportunities, constraints and scenarios,
platform staff every programme's (`overseen_programmes_q`); an SME member sees only the
opportunities that concern their own company (and the analyses they come from); partners and
outsiders see nothing.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db import models

from sobrindustrie.accounts.access import Capability, Scope, access_of
from sobrindustrie.programmes.querysets import overseen_programmes_q

if TYPE_CHECKING:
    from sobrindustrie.accounts.models import User


class ProgrammeScopedQuerySet(models.QuerySet):  # type: ignore[type-arg]
    """Rows reached from their programme through `prefix` + ``programme`` (e.g. ``analysis__``)."""

    prefix = ""

    def visible_to(self, user: User) -> ProgrammeScopedQuerySet:
        if not user.is_authenticated:
            return self.none()
        condition = overseen_programmes_q(user, self.prefix)
        return self.filter(condition) if condition is not None else self.none()

    def for_programme(self, programme: object) -> ProgrammeScopedQuerySet:
        return self.filter(**{f"{self.prefix}programme": programme})


class AnalysisQuerySet(ProgrammeScopedQuerySet):
    def visible_to(self, user: User) -> AnalysisQuerySet:
        """Also the analyses of an SME member's programme: they hold no company detail themselves."""
        if (
            access_of(user).scope(Capability.READ_OPPORTUNITIES) == Scope.ORGANISATION
            and user.organisation_id
        ):
            return self.filter(programme__organisations=user.organisation_id)
        return super().visible_to(user)  # type: ignore[return-value]

    def latest_for(self, programme: object) -> object | None:
        return self.for_programme(programme).order_by("-run_at", "-pk").first()


class OpportunityQuerySet(ProgrammeScopedQuerySet):
    prefix = "analysis__"

    def visible_to(self, user: User) -> OpportunityQuerySet:
        """An SME member sees the opportunities in which their company is provider or receiver."""
        if access_of(user).scope(Capability.READ_OPPORTUNITIES) == Scope.ORGANISATION:
            if user.organisation_id is None:
                return self.none()
            return self.concerning(user.organisation_id)
        return super().visible_to(user)  # type: ignore[return-value]

    def concerning(self, organisation: object) -> OpportunityQuerySet:
        return self.filter(models.Q(provider=organisation) | models.Q(receiver=organisation))


class ConstraintQuerySet(ProgrammeScopedQuerySet):
    pass


class ScenarioQuerySet(ProgrammeScopedQuerySet):
    prefix = "analysis__"
