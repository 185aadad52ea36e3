from __future__ import annotations

from typing import TYPE_CHECKING

from django.db import models

from sobrindustrie.accounts.access import Access, Capability, Scope, access_of

if TYPE_CHECKING:
    from sobrindustrie.accounts.models import User


class ProgrammeQuerySet(models.QuerySet):  # type: ignore[type-arg]
    def visible_to(self, user: User) -> ProgrammeQuerySet:
        """Programmes a user may open: all for platform staff, assigned ones for ADEME and
        consultants, their organisation's programme for SME members and partners."""
        return self.filter(_programmes_q(access_of(user), Capability.VIEW_PROGRAMME, "pk"))


def overseen_programmes_q(user: User, prefix: str = "") -> models.Q | None:
    """Q for the rows (reached through `prefix`, e.g. "team__") of the programmes a user oversees:
    every programme for platform staff, their own for ADEME officers and consultants; None for
    SME members and partners, whose visibility each area decides."""
    access = access_of(user)
    if access.scope(Capability.OVERSEE_PROGRAMME) not in (Scope.ALL, Scope.PROGRAMME):
        return None
    return _programmes_q(access, Capability.OVERSEE_PROGRAMME, f"{prefix}programme_id")


def programmes_q(user: User, capability: Capability, field: str) -> models.Q:
    """Q for the rows whose programme (`field`, e.g. "team__programme_id") `capability` reaches."""
    return _programmes_q(access_of(user), capability, field)


def _programmes_q(access: Access, capability: Capability, field: str) -> models.Q:
    """Q for the rows whose programme (`field`) the capability reaches (see `Access.on_programme`)."""
    scope = access.scope(capability)
    if scope == Scope.ALL:
        return models.Q()
    if scope == Scope.PROGRAMME:
        return models.Q(**{f"{field}__in": access.programme_ids})
    if scope is not None and access.organisation_programme_id is not None:
        return models.Q(**{field: access.organisation_programme_id})
    return models.Q(pk__in=[])
