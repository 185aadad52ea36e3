"""Reads of the funding area.

The catalogue is reference data: anyone who works on a programme reads it. Applications are seen by
the programme's staff (ADEME, consultants), by SME members whose organisation leads or contributes
to the action, and by the partners of the team the action belongs to. Anyone else gets a 404.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from django.db import models

from sobrindustrie.accounts.access import Capability, Scope, access_of
from sobrindustrie.accounts.enums import Role
from sobrindustrie.programmes.querysets import overseen_programmes_q

if TYPE_CHECKING:
    from sobrindustrie.accounts.models import User


class FundingSchemeQuerySet(models.QuerySet):  # type: ignore[type-arg]
    def visible_to(self, user: User) -> FundingSchemeQuerySet:
        """Public information: every signed-in user reads the catalogue."""
        return self.all() if user.is_authenticated else self.none()

    def default_catalogue(self) -> FundingSchemeQuerySet:
        return self.exclude(selection_reason="")

    def in_force(self, today: dt.date) -> FundingSchemeQuerySet:
        """Schemes still published by their source and not past their end of validity."""
        return self.filter(withdrawn_on__isnull=True).filter(
            models.Q(valid_until__isnull=True) | models.Q(valid_until__gte=today)
        )

    def out_of_force(self, today: dt.date) -> FundingSchemeQuerySet:
        """Expired or withdrawn: kept for history, out of eligibility and matching."""
        return self.filter(models.Q(withdrawn_on__isnull=False) | models.Q(valid_until__lt=today))


def visible_action_ids(user: User) -> models.QuerySet | None:  # type: ignore[type-arg]
    """The actions whose funding a user follows, as a subquery; None means every action (staff)."""
    from sobrindustrie.actionplans.models import Action, ActionContributor
    from sobrindustrie.teams.models import TeamMembership

    access = access_of(user)
    if access.scope(Capability.OVERSEE_PROGRAMME) == Scope.ALL:
        return None
    overseen = overseen_programmes_q(user, "plan__team__")
    if overseen is not None:
        return Action.objects.filter(overseen).values("pk")
    if user.organisation_id is None:
        return Action.objects.none().values("pk")
    if user.role == Role.SME:
        contributed = ActionContributor.objects.filter(organisation_id=user.organisation_id).values(
            "action_id"
        )
        return Action.objects.filter(
            models.Q(lead_organisation_id=user.organisation_id) | models.Q(pk__in=contributed)
        ).values("pk")
    if user.role == Role.PARTNER:
        teams = TeamMembership.objects.current().filter(organisation_id=user.organisation_id)
        return Action.objects.filter(plan__team__in=teams.values("team_id")).values("pk")
    return Action.objects.none().values("pk")


class ApplicationQuerySet(models.QuerySet):  # type: ignore[type-arg]
    def visible_to(self, user: User) -> ApplicationQuerySet:
        if not user.is_authenticated:
            return self.none()
        actions = visible_action_ids(user)
        return self.all() if actions is None else self.filter(action__in=actions)

    def for_programme(self, programme: object) -> ApplicationQuerySet:
        return self.filter(action__plan__team__programme=programme)

    def for_team(self, team: object) -> ApplicationQuerySet:
        return self.filter(action__plan__team=team)


class ApplicationRowQuerySet(models.QuerySet):  # type: ignore[type-arg]
    """Rows hanging on an application (documents, status log)."""

    def visible_to(self, user: User) -> ApplicationRowQuerySet:
        from sobrindustrie.funding.models import FundingApplication

        return self.filter(application__in=FundingApplication.objects.visible_to(user).values("pk"))


class ShortlistQuerySet(models.QuerySet):  # type: ignore[type-arg]
    def visible_to(self, user: User) -> ShortlistQuerySet:
        """Shortlists are the consultant's working notes: the programme's staff only."""
        if not user.is_authenticated:
            return self.none()
        overseen = overseen_programmes_q(user, "action__plan__team__")
        return self.none() if overseen is None else self.filter(overseen)
