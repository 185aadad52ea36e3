"""Who may do what with evaluations and the service's own footprint.

Reading goes through the `visible_to(user)` querysets (404 otherwise); these functions decide writes.
Consultants of the programme (and platform staff) write evaluations, balances, the travel log and
the eco-responsibility criteria; ADEME reads everything and validates submitted evaluations.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from sobrindustrie.accounts.access import Capability, access_of
from sobrindustrie.programmes.perms import can_manage_programme, can_see_programme_overview

if TYPE_CHECKING:
    from sobrindustrie.accounts.models import User
    from sobrindustrie.programmes.models import Programme


def can_manage_evaluations(user: User, programme: Programme) -> bool:
    return can_manage_programme(user, programme)


def can_validate_evaluations(user: User, programme: Programme) -> bool:
    """ADEME officers of the programme validate; platform staff may stand in."""
    return access_of(user).on_programme(Capability.VALIDATE_REPORTS, programme.pk)


def can_see_synthesis(user: User) -> bool:
    """The synthesis (L4.2) and the service's footprint: ADEME, consultants and staff."""
    return can_see_programme_overview(user)
