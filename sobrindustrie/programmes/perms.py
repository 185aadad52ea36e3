"""Who may see and manage a programme."""

from __future__ import annotations

from typing import TYPE_CHECKING

from sobrindustrie.accounts.access import Capability, access_of

if TYPE_CHECKING:
    from sobrindustrie.accounts.models import User
    from sobrindustrie.programmes.models import Programme


def can_view_programme(user: User, programme: Programme) -> bool:
    return access_of(user).on_programme(Capability.VIEW_PROGRAMME, programme.pk)


def can_manage_programme(user: User, programme: Programme) -> bool:
    """Consultants run the programme; platform staff administer every programme."""
    return access_of(user).on_programme(Capability.MANAGE_PROGRAMME, programme.pk)


def can_see_programme_overview(user: User) -> bool:
    """ADEME, consultants and staff see the whole programme; SMEs and partners their own space."""
    return access_of(user).holds(Capability.OVERSEE_PROGRAMME)
