"""Who may add to a space, edit an item, comment, and handle comments.

Reading goes through the `visible_to(user)` querysets; these functions decide the writes.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from sobrindustrie.accounts.access import Capability, access_of
from sobrindustrie.documents.enums import SpaceKind
from sobrindustrie.documents.querysets import is_programme_staff

if TYPE_CHECKING:
    from sobrindustrie.accounts.models import User
    from sobrindustrie.documents.models import Publishable, Space
    from sobrindustrie.programmes.models import Programme


def _runs(user: User, programme: Programme) -> bool:
    return access_of(user).on_programme(Capability.MANAGE_PROGRAMME, programme.pk)


def can_contribute(user: User, space: Space) -> bool:
    """Consultants everywhere in their programmes; ADEME in the COPIL space; SME members and
    partners in their teams' spaces and their organisation's private space (their drafts are seen
    by them and the programme staff until published)."""
    access = access_of(user)
    if _runs(user, space.programme):
        return True
    if space.kind == SpaceKind.COPIL:
        return access.on_programme(Capability.CONTRIBUTE_COPIL, space.programme_id)
    if space.kind == SpaceKind.ORGANISATION:
        # A company's private space: its own members only, whatever their team scope.
        own = access.organisation_id is not None and space.organisation_id == access.organisation_id
        return own and access.holds(Capability.CONTRIBUTE_DOCUMENTS)
    if space.kind == SpaceKind.TEAM:
        return access.on_team(Capability.CONTRIBUTE_DOCUMENTS, space.team_id, space.programme_id)
    return False


def can_write_posts(user: User, programme: Programme) -> bool:
    """News and webinar pages are the consultant's communication."""
    return _runs(user, programme)


def can_edit_item(user: User, item: Publishable) -> bool:
    """Drafts and sent-back items are edited by the consultant or by whoever wrote them."""
    if not item.is_editable:
        return False
    space = getattr(item, "space", None)
    programme = space.programme if space is not None else item.team.programme  # type: ignore[attr-defined]
    return _runs(user, programme) or item.created_by_id == user.pk


def can_comment(user: User) -> bool:
    """Anyone who sees the item comments on it (team members, partners, the programme staff)."""
    return user.is_authenticated


def can_handle_comments(user: User, programme: Programme) -> bool:
    return _runs(user, programme)


def can_read_comments(user: User, programme: Programme) -> bool:
    """ADEME follows the feedback its programme receives; the consultants handle it."""
    return access_of(user).on_programme(Capability.OVERSEE_PROGRAMME, programme.pk)


def can_see_queue(user: User) -> bool:
    return is_programme_staff(user)


def can_manage_showcase(user: User, programme: Programme) -> bool:
    return _runs(user, programme)
