"""Who may do what in the funding area.

- Consultants of the programme (and platform staff) manage everything: the catalogue's tracking
  fields and curated schemes, shortlists, applications and their moves, documents, days of support.
  The CCTP makes the financial engineering their work (Axe 3).
- ADEME officers of the programme read everything: matching, grids, interviews, syntheses.
- SME members read their own organisation's eligibility and the applications of the actions their
  organisation leads or contributes to.
- Partners read the applications of their teams' actions.
- Within a team, an application's amounts, file number, notes and documents (`DETAIL_FIELDS`) stay
  with the applying organisation, the consultants and ADEME (`Capability.FUNDING_DETAILS`):
  teammates see that it exists, its scheme and its status, in pages, exports and the API alike.
- Everyone signed in reads the catalogue, which is public information.
Objects are fetched through `visible_to(user)`, so whoever may not see one gets a 404.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from sobrindustrie.accounts.access import Capability, access_of
from sobrindustrie.accounts.enums import Role
from sobrindustrie.programmes.perms import can_manage_programme

if TYPE_CHECKING:
    from collections.abc import Iterable

    from sobrindustrie.accounts.models import User
    from sobrindustrie.funding.models import FundingApplication
    from sobrindustrie.organisations.models import Organisation
    from sobrindustrie.programmes.models import Programme


def can_manage_funding(user: User, programme: Programme) -> bool:
    return user.is_authenticated and can_manage_programme(user, programme)


def can_oversee_funding(user: User, programme: Programme) -> bool:
    """The programme-wide pages (matching, grids, syntheses): ADEME, consultants, platform staff."""
    return access_of(user).on_programme(Capability.OVERSEE_PROGRAMME, programme.pk)


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


#: What only the applying organisation, the consultants and ADEME read of an application.
DETAIL_FIELDS = ("amount_requested_eur", "amount_granted_eur", "amount_paid_eur", "reference", "notes")


def can_see_funding_details(user: User, application: FundingApplication) -> bool:
    """Select `organisation` with the application: its programme decides for programme scopes."""
    organisation = application.organisation
    return access_of(user).on_organisation(
        Capability.FUNDING_DETAILS, organisation.pk, organisation.programme_id
    )


def withhold_details(user: User, applications: Iterable[FundingApplication]) -> None:
    """Blank, in memory, the details a user may not read, and mark the application
    (`details_withheld`) so that pages and exports say so. Only for display: the users concerned
    never edit applications (editing is the consultant's)."""
    for application in applications:
        if can_see_funding_details(user, application):
            continue
        for name in DETAIL_FIELDS:
            setattr(application, name, "" if name in ("reference", "notes") else None)
        application.details_withheld = True  # type: ignore[attr-defined]
