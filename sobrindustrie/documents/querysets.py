"""Who sees which space and which item in it.

Programme staff (ADEME, consultants) see every space of their programmes and every item whatever
its status; SME members and partners see the programme-wide space, their teams' spaces and their
own organisation's private space — never the COPIL space — and in them only published items and
those they wrote themselves.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db import models

from sobrindustrie.accounts.access import Capability, access_of
from sobrindustrie.programmes.querysets import overseen_programmes_q

if TYPE_CHECKING:
    from sobrindustrie.accounts.models import User


def is_programme_staff(user: User) -> bool:
    return access_of(user).holds(Capability.OVERSEE_PROGRAMME)


class SpaceQuerySet(models.QuerySet):  # type: ignore[type-arg]
    def visible_to(self, user: User) -> SpaceQuerySet:
        if not user.is_authenticated:
            return self.none()
        overseen = overseen_programmes_q(user)
        if overseen is not None:
            return self.filter(overseen)
        if user.organisation_id is None:
            return self.none()
        from sobrindustrie.organisations.models import Organisation
        from sobrindustrie.teams.models import ProjectTeam

        teams = ProjectTeam.objects.visible_to(user).values("pk")
        own_programme = Organisation.objects.filter(pk=user.organisation_id).values("programme_id")
        return self.filter(
            models.Q(kind="programme", programme__in=own_programme)
            | models.Q(kind="team", team__in=teams)
            | models.Q(kind="organisation", organisation_id=user.organisation_id)
        )

    def for_programme(self, programme: object) -> SpaceQuerySet:
        return self.filter(programme=programme)


class PublishableQuerySet(models.QuerySet):  # type: ignore[type-arg]
    def visible_to(self, user: User) -> PublishableQuerySet:
        from sobrindustrie.documents.models import Space

        rows = self.filter(space__in=Space.objects.visible_to(user).values("pk"))
        if is_programme_staff(user):
            return rows
        return rows.filter(models.Q(status="published") | models.Q(created_by=user))

    def published(self) -> PublishableQuerySet:
        return self.filter(status="published")

    def awaiting_validation(self) -> PublishableQuerySet:
        return self.filter(status="submitted")

    def for_programme(self, programme: object) -> PublishableQuerySet:
        return self.filter(space__programme=programme)


class VersionQuerySet(models.QuerySet):  # type: ignore[type-arg]
    def visible_to(self, user: User) -> VersionQuerySet:
        from sobrindustrie.documents.models import Document

        return self.filter(document__in=Document.objects.visible_to(user).values("pk"))


class ShowcaseQuerySet(models.QuerySet):  # type: ignore[type-arg]
    def visible_to(self, user: User) -> ShowcaseQuerySet:
        """Drafts of showcase pages are the programme staff's work; the public sees `published()`."""
        if not is_programme_staff(user):
            return self.filter(status="published")
        overseen = overseen_programmes_q(user, "team__")
        return self.none() if overseen is None else self.filter(overseen)

    def published(self) -> ShowcaseQuerySet:
        return self.filter(status="published")


class CommentQuerySet(models.QuerySet):  # type: ignore[type-arg]
    def unhandled(self) -> CommentQuerySet:
        return self.filter(handled_at__isnull=True)
