"""Who may see and run the cooperation analysis and team formation of a programme.

Consultants (and platform staff) run the analysis, edit constraints, run the optimiser, save and
adopt scenarios; ADEME officers read all of it; an SME member reads only the opportunities that
concern their own company; partners see none of it. Views combine these with `visible_to`
querysets so that whoever may not see a page gets a 404.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from sobrindustrie.accounts.access import Capability, access_of
from sobrindustrie.programmes.perms import can_manage_programme, can_see_programme_overview

if TYPE_CHECKING:
    from sobrindustrie.accounts.models import User
    from sobrindustrie.programmes.models import Programme


def can_read_cooperation(user: User, programme: Programme) -> bool:
    """The whole analysis (map, every opportunity, scenarios, synthesis): ADEME, consultants, staff.

    The programme itself must already have been fetched through `Programme.objects.visible_to`."""
    return can_see_programme_overview(user)


def can_manage_cooperation(user: User, programme: Programme) -> bool:
    """Run the analysis and the optimiser, edit constraints, save and adopt scenarios."""
    return can_manage_programme(user, programme)


def can_list_opportunities(user: User, programme: Programme) -> bool:
    """Readers see every opportunity; an SME member those of their company (the queryset filters)."""
    return access_of(user).on_programme(Capability.READ_OPPORTUNITIES, programme.pk)
