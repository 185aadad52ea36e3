from __future__ import annotations

from typing import TYPE_CHECKING

from django.db import models

if TYPE_CHECKING:
    from sobrindustrie.accounts.models import User


class ProgrammeQuerySet(models.QuerySet):  # type: ignore[type-arg]
    def visible_to(self, user: User) -> ProgrammeQuerySet:
        """Programmes a user may open: all for platform staff, assigned ones for ADEME and
        consultants, their organisation's programme for SME members and partners."""
        if not user.is_authenticated:
            return self.none()
        if user.is_platform_staff:
            return self.all()
        if user.organisation_id is not None:
            return self.filter(pk=user.organisation.programme_id)
        return self.filter(staff_members=user)
