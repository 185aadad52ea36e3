"""Who reads what in the evaluation area.

Evaluations: programme staff (ADEME, consultants) and platform staff; the current members of the
evaluated team (SMEs and partners) read their own. The service's own footprint (travel log,
eco-responsibility criteria) concerns the consultant's contract: programme staff only.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db import models

from sobrindustrie.programmes.querysets import overseen_programmes_q

if TYPE_CHECKING:
    from sobrindustrie.accounts.models import User


def _evaluation_filter(user: User, prefix: str) -> models.Q | None:
    """Q selecting the evaluations (through `prefix`) the user may read; None for nothing."""
    if not user.is_authenticated:
        return None
    staff = overseen_programmes_q(user, prefix)
    if staff is not None:
        return staff
    from sobrindustrie.teams.models import ProjectTeam

    return models.Q(**{f"{prefix}team__in": ProjectTeam.objects.visible_to(user).values("pk")})


class EvaluationQuerySet(models.QuerySet):  # type: ignore[type-arg]
    def visible_to(self, user: User) -> EvaluationQuerySet:
        condition = _evaluation_filter(user, "")
        return self.none() if condition is None else self.filter(condition).distinct()

    def for_programme(self, programme: object) -> EvaluationQuerySet:
        return self.filter(programme=programme)


class EvaluationRowQuerySet(models.QuerySet):  # type: ignore[type-arg]
    """Rows hanging on an evaluation (consequences, the balance)."""

    def visible_to(self, user: User) -> EvaluationRowQuerySet:
        condition = _evaluation_filter(user, "evaluation__")
        return self.none() if condition is None else self.filter(condition).distinct()


class ServiceFootprintQuerySet(models.QuerySet):  # type: ignore[type-arg]
    def visible_to(self, user: User) -> ServiceFootprintQuerySet:
        if not user.is_authenticated:
            return self.none()
        staff = overseen_programmes_q(user, "")
        return self.none() if staff is None else self.filter(staff).distinct()

    def for_programme(self, programme: object) -> ServiceFootprintQuerySet:
        return self.filter(programme=programme)
