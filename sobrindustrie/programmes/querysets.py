from __future__ import annotations

from typing import TYPE_CHECKING

from django.db import models

from sobrindustrie.accounts.enums import Role

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


def overseen_programmes_q(user: User, prefix: str = "") -> models.Q | None:
    """Q for the rows (reached through `prefix`, e.g. "team__") of the programmes a user oversees:
    every programme for platform staff, their own for ADEME officers and consultants; None for
    SME members and partners, whose visibility each area decides."""
    if user.is_platform_staff:
        return models.Q()
    if user.role in (Role.ADEME, Role.CONSULTANT):
        return models.Q(**{f"{prefix}programme__staff_members": user})
    return None
