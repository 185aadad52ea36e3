"""Who may manage the people of a programme: invite them, send or revoke invitations, deactivate
and reactivate accounts.

The programme's ADEME officers and consultants, and platform staff. Each may only act on the roles
they may grant: an ADEME officer's account carries validation powers, so only ADEME and staff
invite (or deactivate) ADEME officers; nobody grants the staff role here (the Django admin does).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from sobrindustrie.accounts.access import Capability, access_of
from sobrindustrie.accounts.enums import Role

if TYPE_CHECKING:
    from sobrindustrie.accounts.models import User
    from sobrindustrie.programmes.models import Programme


def can_manage_people(user: User, programme: Programme) -> bool:
    """Open the programme's People page and invite people to it."""
    return access_of(user).on_programme(Capability.INVITE_PEOPLE, programme.pk)


def grantable_roles(user: User) -> list[Role]:
    """The roles `user` may invite people with (in the order the invitation form lists them)."""
    if user.is_platform_staff or user.role == Role.ADEME:
        return [Role.SME, Role.PARTNER, Role.CONSULTANT, Role.ADEME]
    if user.role == Role.CONSULTANT:
        return [Role.SME, Role.PARTNER, Role.CONSULTANT]
    return []


def is_on_programme(account: User, programme: Programme) -> bool:
    """Whether an account belongs to the programme: by its organisation, or as programme staff."""
    if account.organisation_id is not None:
        return account.organisation.programme_id == programme.pk
    return account.programmes.filter(pk=programme.pk).exists()


def may_act_on(user: User, account: User) -> bool:
    """The part of `can_manage_account` that depends on the two accounts only (the People page
    checks it for each row, having checked the programme once)."""
    return account.pk != user.pk and account.role in grantable_roles(user) and not account.is_superuser


def can_manage_account(user: User, account: User, programme: Programme) -> bool:
    """Deactivate or reactivate `account` from `programme`'s People page: never oneself, only an
    account of that programme, only a role one may grant."""
    return (
        may_act_on(user, account)
        and can_manage_people(user, programme)
        and is_on_programme(account, programme)
    )
