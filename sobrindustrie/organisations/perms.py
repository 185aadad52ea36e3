"""Object-level permissions on organisations and their inventory.

Views fetch objects through `visible_to(user)` querysets, so an outsider gets a 404 rather than a
403: they must not learn that another company's page exists.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from sobrindustrie.accounts.access import Capability, access_of

if TYPE_CHECKING:
    from sobrindustrie.accounts.models import User
    from sobrindustrie.organisations.models import Organisation, Person


def can_edit_organisation(user: User, organisation: Organisation) -> bool:
    """Consultants of the programme, platform staff, and the organisation's own members.

    ADEME officers read everything and edit nothing here: the inventory is the company's and the
    consultant's work.
    """
    return access_of(user).on_organisation(
        Capability.EDIT_ORGANISATION, organisation.pk, organisation.programme_id
    )


def can_create_organisation(user: User) -> bool:
    return access_of(user).holds(Capability.MANAGE_PEOPLE)


def can_manage_personal_data(user: User, person: Person) -> bool:
    """GDPR requests (export, erasure) are handled by the programme's operator, or asked by the
    person themselves for the export."""
    organisation = person.organisation
    return access_of(user).on_organisation(
        Capability.MANAGE_PEOPLE, organisation.pk, organisation.programme_id
    )


def can_export_personal_data(user: User, person: Person) -> bool:
    return can_manage_personal_data(user, person) or (
        person.user_id is not None and person.user_id == user.pk
    )


def can_edit_sites_and_contacts(user: User, organisation: Organisation) -> bool:
    """Create and edit an organisation's sites and contact people: whoever edits the organisation
    (its consultants, platform staff, its own members). ADEME reads them."""
    return can_edit_organisation(user, organisation)
