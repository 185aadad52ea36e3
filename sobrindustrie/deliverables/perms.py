"""Who sees the deliverables registry, who produces deliverables and who validates them.

Deliverables gather business-sensitive material (diagnostic sheets, funding amounts): the registry is
for the programme's ADEME officers and consultants and for platform staff. SME members and partners
get a 404, like any outsider. Consultants generate and submit; ADEME validates or sends back.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from sobrindustrie.accounts.access import Capability, access_of
from sobrindustrie.programmes.perms import can_manage_programme, can_see_programme_overview

if TYPE_CHECKING:
    from sobrindustrie.accounts.models import User
    from sobrindustrie.programmes.models import Programme


def can_see_deliverables(user: User, programme: Programme) -> bool:
    """Callers first look the programme up through `Programme.objects.visible_to(user)`."""
    return user.is_authenticated and can_see_programme_overview(user)


def can_produce_deliverables(user: User, programme: Programme) -> bool:
    return can_manage_programme(user, programme)


def can_validate_deliverables(user: User, programme: Programme) -> bool:
    return access_of(user).on_programme(Capability.VALIDATE_REPORTS, programme.pk)
