"""Who may see and manage project teams, their prospecting and the partners' committee.

Reading a team goes through `ProjectTeam.objects.visible_to(user)` (its current members, the
programme's ADEME officers and consultants, platform staff); these functions decide the rest.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from sobrindustrie.programmes.perms import can_manage_programme, can_see_programme_overview

if TYPE_CHECKING:
    from sobrindustrie.accounts.models import User
    from sobrindustrie.programmes.models import Programme
    from sobrindustrie.teams.models import ProjectTeam


def can_manage_team(user: User, team: ProjectTeam) -> bool:
    """Consultants of the programme and staff manage teams; members work inside them."""
    return can_manage_programme(user, team.programme)


def can_see_team_list(user: User) -> bool:
    """The list of every team of a programme is for ADEME, consultants and staff; SME members and
    partners have their own "my teams" page."""
    return can_see_programme_overview(user)


def can_see_prospecting(user: User) -> bool:
    """Prospecting (who was approached, what they said) is read by ADEME and run by consultants;
    the programme itself is checked by `Programme.objects.visible_to`."""
    return can_see_programme_overview(user)


def can_manage_prospecting(user: User, programme: Programme) -> bool:
    return can_manage_programme(user, programme)


def can_see_committee(user: User, programme: Programme) -> bool:
    """Programme staff, and structures that currently sit on the committee."""
    if can_see_programme_overview(user):
        return True
    from sobrindustrie.teams.models import CommitteeMember

    return (
        user.organisation_id is not None
        and CommitteeMember.objects.current()
        .filter(programme=programme, organisation_id=user.organisation_id)
        .exists()
    )


def can_manage_committee(user: User, programme: Programme) -> bool:
    return can_manage_programme(user, programme)


def can_export_committee_roster(user: User) -> bool:
    """The roster holds people's e-mails and phones: for the programme's staff only."""
    return can_see_programme_overview(user)
