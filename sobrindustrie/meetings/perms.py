"""Who may do what with meetings, minutes, surveys, time spent and events.

Views fetch meetings through `Meeting.objects.visible_to(user)` (an outsider gets a 404); these
functions decide what a user who sees the meeting may do with it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from sobrindustrie.accounts.access import Capability, access_of
from sobrindustrie.meetings.enums import MinutesStatus
from sobrindustrie.programmes.perms import can_manage_programme

if TYPE_CHECKING:
    from sobrindustrie.accounts.models import User
    from sobrindustrie.meetings.models import Meeting
    from sobrindustrie.programmes.models import Programme


def can_manage_meetings(user: User, programme: Programme) -> bool:
    """Consultants of the programme (and platform staff) create meetings, write minutes, record time."""
    return can_manage_programme(user, programme)


def can_oversee(user: User, programme: Programme) -> bool:
    """ADEME and consultants of the programme, and platform staff: they read all its meetings,
    draft minutes, survey details, time spent and obligations."""
    return access_of(user).on_programme(Capability.OVERSEE_PROGRAMME, programme.pk)


def can_validate_minutes(user: User, programme: Programme) -> bool:
    """Validating or returning minutes is ADEME's act as the contracting authority, nobody else's."""
    return access_of(user).on_programme(Capability.ACT_AS_AUTHORITY, programme.pk)


def can_read_minutes(user: User, meeting: Meeting) -> bool:
    """Overseers read minutes at every stage; invitees once ADEME has validated them."""
    if can_oversee(user, meeting.programme):
        return True
    minutes = getattr(meeting, "minutes", None)
    return minutes is not None and minutes.status == MinutesStatus.VALIDATED


def is_programme_member(user: User, programme: Programme) -> bool:
    """Whether a user belongs to a programme: works on it, or belongs to one of its organisations."""
    return access_of(user).on_programme(Capability.VIEW_PROGRAMME, programme.pk)
