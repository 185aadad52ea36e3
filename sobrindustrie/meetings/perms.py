"""Who may do what with meetings, minutes, surveys, time spent and events.

Views fetch meetings through `Meeting.objects.visible_to(user)` (an outsider gets a 404); these
functions decide what a user who sees the meeting may do with it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from sobrindustrie.accounts.enums import Role
from sobrindustrie.meetings.enums import MinutesStatus
from sobrindustrie.programmes.perms import can_manage_programme

if TYPE_CHECKING:
    from sobrindustrie.accounts.models import User
    from sobrindustrie.meetings.models import Meeting
    from sobrindustrie.programmes.models import Programme


def _works_on(user: User, programme: Programme) -> bool:
    return programme.staff_members.filter(pk=user.pk).exists()


def can_manage_meetings(user: User, programme: Programme) -> bool:
    """Consultants of the programme (and platform staff) create meetings, write minutes, record time."""
    return can_manage_programme(user, programme)


def can_oversee(user: User, programme: Programme) -> bool:
    """ADEME and consultants of the programme, and platform staff: they read all its meetings,
    draft minutes, survey details, time spent and obligations."""
    if user.is_platform_staff:
        return True
    return user.role in (Role.ADEME, Role.CONSULTANT) and _works_on(user, programme)


def can_validate_minutes(user: User, programme: Programme) -> bool:
    """Validating or returning minutes is ADEME's act as the contracting authority, nobody else's."""
    return user.role == Role.ADEME and _works_on(user, programme)


def can_read_minutes(user: User, meeting: Meeting) -> bool:
    """Overseers read minutes at every stage; invitees once ADEME has validated them."""
    if can_oversee(user, meeting.programme):
        return True
    minutes = getattr(meeting, "minutes", None)
    return minutes is not None and minutes.status == MinutesStatus.VALIDATED


def is_programme_member(user: User, programme: Programme) -> bool:
    """Whether a user belongs to a programme: works on it, or belongs to one of its organisations."""
    if not user.is_active:
        return False
    if user.organisation_id is not None:
        return user.organisation.programme_id == programme.pk
    return _works_on(user, programme)
