from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from django.db import models
from django.utils import timezone

from sobrindustrie.programmes.querysets import overseen_programmes_q

if TYPE_CHECKING:
    from sobrindustrie.accounts.models import User


class MeetingQuerySet(models.QuerySet):  # type: ignore[type-arg]
    def visible_to(self, user: User) -> MeetingQuerySet:
        """ADEME and consultants see every meeting of their programmes, platform staff every meeting;
        SME members and partners the meetings they are invited to (team-wide meetings come with teams)."""
        if not user.is_authenticated:
            return self.none()
        from sobrindustrie.meetings.models import Invitation

        programme_filter = overseen_programmes_q(user)
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
        programme_filter = overseen_programmes_q(user)
        if programme_filter is None:
            return self.none()
        return self.filter(programme_filter)

    def for_programme(self, programme: object) -> ProgrammeRowQuerySet:
        return self.filter(programme=programme)
