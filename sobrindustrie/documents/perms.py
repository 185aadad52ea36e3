"""Who may add to a space, edit an item, comment, and handle comments.

Reading goes through the `visible_to(user)` querysets; these functions decide the writes.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from sobrindustrie.accounts.enums import Role
from sobrindustrie.documents.enums import SpaceKind
from sobrindustrie.documents.querysets import is_programme_staff

if TYPE_CHECKING:
    from sobrindustrie.accounts.models import User
    from sobrindustrie.documents.models import Publishable, Space
    from sobrindustrie.programmes.models import Programme


def _runs(user: User, programme: Programme) -> bool:
    return user.role == Role.CONSULTANT and programme.staff_members.filter(pk=user.pk).exists()


def can_contribute(user: User, space: Space) -> bool:
    """Consultants everywhere in their programmes; ADEME in the COPIL space; SME members and
    partners in their teams' spaces and their organisation's private space (their drafts are seen
    by them and the programme staff until published)."""
    if user.is_platform_staff or _runs(user, space.programme):
        return True
    if user.role == Role.ADEME:
        return space.kind == SpaceKind.COPIL and space.programme.staff_members.filter(pk=user.pk).exists()
    if user.organisation_id is None:
        return False
    if space.kind == SpaceKind.ORGANISATION:
        return space.organisation_id == user.organisation_id
    if space.kind == SpaceKind.TEAM:
        from sobrindustrie.teams.models import TeamMembership

        return (
            TeamMembership.objects.current()
            .filter(team_id=space.team_id, organisation_id=user.organisation_id)
            .exists()
        )
    return False


def can_write_posts(user: User, programme: Programme) -> bool:
    """News and webinar pages are the consultant's communication."""
    return user.is_platform_staff or _runs(user, programme)


def can_edit_item(user: User, item: Publishable) -> bool:
    """Drafts and sent-back items are edited by the consultant or by whoever wrote them."""
    if not item.is_editable:
        return False
    space = getattr(item, "space", None)
    programme = space.programme if space is not None else item.team.programme  # type: ignore[attr-defined]
    return user.is_platform_staff or _runs(user, programme) or item.created_by_id == user.pk


def can_comment(user: User) -> bool:
    """Anyone who sees the item comments on it (team members, partners, the programme staff)."""
    return user.is_authenticated


def can_handle_comments(user: User, programme: Programme) -> bool:
    return user.is_platform_staff or _runs(user, programme)


def can_read_comments(user: User, programme: Programme) -> bool:
    """ADEME follows the feedback its programme receives; the consultants handle it."""
    if can_handle_comments(user, programme):
        return True
    return user.role == Role.ADEME and programme.staff_members.filter(pk=user.pk).exists()


def can_see_queue(user: User) -> bool:
    return is_programme_staff(user)


def can_manage_showcase(user: User, programme: Programme) -> bool:
    return user.is_platform_staff or _runs(user, programme)
