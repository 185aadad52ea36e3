"""Reads of action plans: everything is seen through the team it belongs to.

A plan, its actions, follow-ups and difficulties are visible to whoever sees the team
(`ProjectTeam.objects.visible_to`): staff, ADEME and consultants of the programme, and the current
members of the team (SMEs and outside partners). Anyone else gets a 404.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db import models

if TYPE_CHECKING:
    from sobrindustrie.accounts.models import User


def _visible_teams(user: User) -> models.QuerySet:  # type: ignore[type-arg]
    from sobrindustrie.teams.models import ProjectTeam

    return ProjectTeam.objects.visible_to(user).values("pk")


class ActionPlanQuerySet(models.QuerySet):  # type: ignore[type-arg]
    def visible_to(self, user: User) -> ActionPlanQuerySet:
        return self.filter(team__in=_visible_teams(user))

    def for_programme(self, programme: object) -> ActionPlanQuerySet:
        return self.filter(team__programme=programme)


class ActionQuerySet(models.QuerySet):  # type: ignore[type-arg]
    def visible_to(self, user: User) -> ActionQuerySet:
        return self.filter(plan__team__in=_visible_teams(user))

    def for_programme(self, programme: object) -> ActionQuerySet:
        return self.filter(plan__team__programme=programme)


class PlanRowQuerySet(models.QuerySet):  # type: ignore[type-arg]
    """Rows hanging on a plan (follow-ups)."""

    def visible_to(self, user: User) -> PlanRowQuerySet:
        return self.filter(plan__team__in=_visible_teams(user))


class ActionRowQuerySet(models.QuerySet):  # type: ignore[type-arg]
    """Rows hanging on an action (steps, indicators, difficulties...)."""

    def visible_to(self, user: User) -> ActionRowQuerySet:
        return self.filter(action__plan__team__in=_visible_teams(user))


class DifficultyQuerySet(ActionRowQuerySet):
    def for_programme(self, programme: object) -> DifficultyQuerySet:
        return self.filter(action__plan__team__programme=programme)

    def unresolved(self) -> DifficultyQuerySet:
        return self.exclude(status="resolved")

    def raised(self) -> DifficultyQuerySet:
        """Raised to ADEME at some point (resolved ones included: ADEME keeps their history)."""
        return self.filter(raised_at__isnull=False)


class ExperienceNoteQuerySet(models.QuerySet):  # type: ignore[type-arg]
    def visible_to(self, user: User) -> ExperienceNoteQuerySet:
        """Lessons learned are written to be shared across the programme: its staff and every member
        of its organisations read them."""
        from sobrindustrie.programmes.models import Programme

        return self.filter(programme__in=Programme.objects.visible_to(user).values("pk"))

    def for_programme(self, programme: object) -> ExperienceNoteQuerySet:
        return self.filter(programme=programme)
