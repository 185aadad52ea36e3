from __future__ import annotations

from typing import TYPE_CHECKING

from django.db import models

from sobrindustrie.accounts.enums import Role

if TYPE_CHECKING:
    from sobrindustrie.accounts.models import User


def _programme_staff(user: User, prefix: str) -> models.Q | None:
    """The rows of the programmes a user runs or oversees; None for SME members and partners."""
    if user.is_platform_staff:
        return models.Q()
    if user.role in (Role.ADEME, Role.CONSULTANT):
        return models.Q(**{f"{prefix}programme__staff_members": user})
    return None


class ProjectTeamQuerySet(models.QuerySet):  # type: ignore[type-arg]
    def visible_to(self, user: User) -> ProjectTeamQuerySet:
        """Staff all; ADEME and consultants their programmes' teams; SME members and partners the
        teams their organisation currently belongs to."""
        if not user.is_authenticated:
            return self.none()
        staff = _programme_staff(user, "")
        if staff is not None:
            return self.filter(staff)
        if user.organisation_id is None:
            return self.none()
        from sobrindustrie.teams.models import TeamMembership

        current = TeamMembership.objects.current().filter(organisation_id=user.organisation_id)
        return self.filter(pk__in=current.values("team_id"))

    def for_programme(self, programme: object) -> ProjectTeamQuerySet:
        return self.filter(programme=programme)


class MembershipQuerySet(models.QuerySet):  # type: ignore[type-arg]
    def current(self) -> MembershipQuerySet:
        return self.filter(left_on__isnull=True)

    def former(self) -> MembershipQuerySet:
        return self.filter(left_on__isnull=False)


class ProspectQuerySet(models.QuerySet):  # type: ignore[type-arg]
    def visible_to(self, user: User) -> ProspectQuerySet:
        """Prospecting is the consultant's work, read by ADEME: programme staff and platform staff
        only. Structures still being approached must not learn what was said about them."""
        if not user.is_authenticated:
            return self.none()
        staff = _programme_staff(user, "team__")
        return self.none() if staff is None else self.filter(staff)

    def for_programme(self, programme: object) -> ProspectQuerySet:
        return self.filter(team__programme=programme)

    def open(self) -> ProspectQuerySet:
        return self.exclude(status__in=["committed", "declined"])


class ProspectContactQuerySet(models.QuerySet):  # type: ignore[type-arg]
    def visible_to(self, user: User) -> ProspectContactQuerySet:
        if not user.is_authenticated:
            return self.none()
        staff = _programme_staff(user, "prospect__team__")
        return self.none() if staff is None else self.filter(staff)


class CommitteeMemberQuerySet(models.QuerySet):  # type: ignore[type-arg]
    def visible_to(self, user: User) -> CommitteeMemberQuerySet:
        """Programme staff, and the structures that currently sit on the committee (they see who
        else sits on it)."""
        if not user.is_authenticated:
            return self.none()
        staff = _programme_staff(user, "")
        if staff is not None:
            return self.filter(staff)
        if user.organisation_id is None:
            return self.none()
        from sobrindustrie.teams.models import CommitteeMember

        seats = CommitteeMember.objects.current().filter(organisation_id=user.organisation_id)
        return self.filter(programme__in=seats.values("programme_id"))

    def current(self) -> CommitteeMemberQuerySet:
        return self.filter(left_on__isnull=True)

    def for_programme(self, programme: object) -> CommitteeMemberQuerySet:
        return self.filter(programme=programme)


class CommitteeSubgroupQuerySet(models.QuerySet):  # type: ignore[type-arg]
    def visible_to(self, user: User) -> CommitteeSubgroupQuerySet:
        if not user.is_authenticated:
            return self.none()
        staff = _programme_staff(user, "")
        if staff is not None:
            return self.filter(staff)
        if user.organisation_id is None:
            return self.none()
        from sobrindustrie.teams.models import CommitteeMember

        seats = CommitteeMember.objects.current().filter(organisation_id=user.organisation_id)
        return self.filter(programme__in=seats.values("programme_id"))

    def for_programme(self, programme: object) -> CommitteeSubgroupQuerySet:
        return self.filter(programme=programme)
