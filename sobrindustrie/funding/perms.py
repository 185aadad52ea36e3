"""Who may do what in the funding area.

- Consultants of the programme (and platform staff) manage everything: the catalogue's tracking
  fields and curated schemes, shortlists, applications and their moves, documents, days of support.
  The CCTP makes the financial engineering their work (Axe 3).
- ADEME officers of the programme read everything: matching, grids, interviews, syntheses.
- SME members read their own organisation's eligibility and the applications of the actions their
  organisation leads or contributes to.
- Partners read the applications of their teams' actions.
- Everyone signed in reads the catalogue, which is public information.
Objects are fetched through `visible_to(user)`, so whoever may not see one gets a 404.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from sobrindustrie.accounts.enums import Role
from sobrindustrie.programmes.perms import can_manage_programme

if TYPE_CHECKING:
    from sobrindustrie.accounts.models import User
    from sobrindustrie.organisations.models import Organisation
    from sobrindustrie.programmes.models import Programme


def can_manage_funding(user: User, programme: Programme) -> bool:
    return user.is_authenticated and can_manage_programme(user, programme)


def can_oversee_funding(user: User, programme: Programme) -> bool:
    """The programme-wide pages (matching, grids, syntheses): ADEME, consultants, platform staff."""
    if not user.is_authenticated:
        return False
    if user.is_platform_staff:
        return True
    return user.role in (Role.ADEME, Role.CONSULTANT) and programme.staff_members.filter(pk=user.pk).exists()


def can_edit_catalogue(user: User, programme: Programme) -> bool:
    """Schemes are shared by the programmes; a consultant edits them from a programme they run."""
    return can_manage_funding(user, programme)


def can_see_eligibility(user: User, organisation: Organisation) -> bool:
    if can_oversee_funding(user, organisation.programme):
        return True
    return user.is_authenticated and user.role == Role.SME and user.organisation_id == organisation.pk


def can_edit_funding_profile(user: User, organisation: Organisation) -> bool:
    """The company itself knows its legal status; the consultant may record it too."""
    if can_manage_funding(user, organisation.programme):
        return True
    return user.is_authenticated and user.role == Role.SME and user.organisation_id == organisation.pk
