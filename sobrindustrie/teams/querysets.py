from __future__ import annotations

from typing import TYPE_CHECKING

from django.db import models

from sobrindustrie.programmes.querysets import overseen_programmes_q

if TYPE_CHECKING:
    from sobrindustrie.accounts.models import User


class ProjectTeamQuerySet(models.QuerySet):  # type: ignore[type-arg]
    def visible_to(self, user: User) -> ProjectTeamQuerySet:
        """Staff all; ADEME and consultants their programmes' teams; SME members and partners the
        teams their organisation currently belongs to."""
        if not user.is_authenticated:
            return self.none()
        staff = overseen_programmes_q(user, "")
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
        staff = overseen_programmes_q(user, "team__")
        return self.none() if staff is None else self.filter(staff)

    def for_programme(self, programme: object) -> ProspectQuerySet:
        return self.filter(team__programme=programme)

    def open(self) -> ProspectQuerySet:
        return self.exclude(status__in=["committed", "declined"])

    def for_contact_grid(self) -> ProspectQuerySet:
        """By structure name, with what the contact-tracking grid (L1.6) reads: the structure's
        commune, the contact person, and the contacts made (with who made them), newest first."""
        from sobrindustrie.teams.models import ProspectContact

        contacts = ProspectContact.objects.select_related("made_by").order_by("-contacted_on", "-pk")
        return (
            self.select_related("organisation__commune", "contact_person")
            .prefetch_related(models.Prefetch("contacts", queryset=contacts))
            .order_by("organisation__name", "pk")
        )


class ProspectContactQuerySet(models.QuerySet):  # type: ignore[type-arg]
    def visible_to(self, user: User) -> ProspectContactQuerySet:
        if not user.is_authenticated:
            return self.none()
        staff = overseen_programmes_q(user, "prospect__team__")
        return self.none() if staff is None else self.filter(staff)


class CommitteeMemberQuerySet(models.QuerySet):  # type: ignore[type-arg]
    def visible_to(self, user: User) -> CommitteeMemberQuerySet:
        """Programme staff, and the structures that currently sit on the committee (they see who
        else sits on it)."""
        if not user.is_authenticated:
            return self.none()
        staff = overseen_programmes_q(user, "")
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
        staff = overseen_programmes_q(user, "")
        if staff is not None:
            return self.filter(staff)
        if user.organisation_id is None:
            return self.none()
        from sobrindustrie.teams.models import CommitteeMember

        seats = CommitteeMember.objects.current().filter(organisation_id=user.organisation_id)
        return self.filter(programme__in=seats.values("programme_id"))

    def for_programme(self, programme: object) -> CommitteeSubgroupQuerySet:
        return self.filter(programme=programme)
