from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from django.db import models
from django.utils import timezone

from sobrindustrie.accounts.enums import Role

if TYPE_CHECKING:
    from sobrindustrie.accounts.models import User


def _programme_staff_filter(user: User, prefix: str = "") -> models.Q | None:
    """The rows of the programmes a user works on, or None when the user works on none."""
    if user.is_platform_staff:
        return models.Q()
    if user.role in (Role.ADEME, Role.CONSULTANT):
        return models.Q(**{f"{prefix}programme__staff_members": user})
    return None


class MeetingQuerySet(models.QuerySet):  # type: ignore[type-arg]
    def visible_to(self, user: User) -> MeetingQuerySet:
        """ADEME and consultants see every meeting of their programmes, platform staff every meeting;
        SME members and partners the meetings they are invited to (team-wide meetings come with teams)."""
        if not user.is_authenticated:
            return self.none()
        from sobrindustrie.meetings.models import Invitation

        programme_filter = _programme_staff_filter(user)
        if programme_filter is not None:
            return self.filter(programme_filter)
        return self.filter(pk__in=Invitation.objects.filter(user=user).values("meeting_id"))

    def for_programme(self, programme: object) -> MeetingQuerySet:
        return self.filter(programme=programme)

    def in_month(self, year: int, month: int) -> MeetingQuerySet:
        start = timezone.make_aware(dt.datetime(year, month, 1))
        end = timezone.make_aware(dt.datetime(year + month // 12, month % 12 + 1, 1))
        return self.filter(starts_at__gte=start, starts_at__lt=end)

    def upcoming(self) -> MeetingQuerySet:
        return self.filter(starts_at__gte=timezone.now()).exclude(status="cancelled")


class ProgrammeRowQuerySet(models.QuerySet):  # type: ignore[type-arg]
    """Rows that belong to a programme and are read by its staff only (time spent, reports)."""

    def visible_to(self, user: User) -> ProgrammeRowQuerySet:
        if not user.is_authenticated:
            return self.none()
        programme_filter = _programme_staff_filter(user)
        if programme_filter is None:
            return self.none()
        return self.filter(programme_filter)

    def for_programme(self, programme: object) -> ProgrammeRowQuerySet:
        return self.filter(programme=programme)
