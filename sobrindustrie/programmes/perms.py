"""Who may see and manage a programme."""

from __future__ import annotations

from typing import TYPE_CHECKING

from sobrindustrie.accounts.enums import Role

if TYPE_CHECKING:
    from sobrindustrie.accounts.models import User
    from sobrindustrie.programmes.models import Programme


def can_view_programme(user: User, programme: Programme) -> bool:
    from sobrindustrie.programmes.models import Programme

    return Programme.objects.visible_to(user).filter(pk=programme.pk).exists()


def can_manage_programme(user: User, programme: Programme) -> bool:
    """Consultants run the programme; platform staff administer every programme."""
    if user.is_platform_staff:
        return True
    return user.role == Role.CONSULTANT and programme.staff_members.filter(pk=user.pk).exists()


def can_see_programme_overview(user: User) -> bool:
    """ADEME, consultants and staff see the whole programme; SMEs and partners their own space."""
    return user.is_platform_staff or user.role in (Role.ADEME, Role.CONSULTANT)
