"""Who may do what with a team's action plan.

Seeing a plan follows seeing the team (`ProjectTeam.objects.visible_to`): outsiders get a 404.
Among those who see it:

- consultants of the programme and platform staff manage the plan: every action, adoption of
  versions, follow-ups, abandoning or reopening actions, raising difficulties to ADEME;
- SME members of a current member organisation edit the plan's coordination, add actions, and
  edit the actions their organisation leads or contributes to (responsible, accountable or
  consulted). The issue asks for this narrower rule rather than "every action of the team": an
  action commits its lead company, so another company should not rewrite it; the consultant can;
- partners (outside structures in the team) read;
- ADEME officers of the programme read everything, answer the difficulties raised to them and may
  close them.

`plan_access` computes the user's standing on a team once per request, so that list pages check
each action without a query per row.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from sobrindustrie.accounts.access import Capability, access_of
from sobrindustrie.accounts.enums import Role
from sobrindustrie.actionplans.enums import EDITING_ROLES
from sobrindustrie.programmes.perms import can_manage_programme

if TYPE_CHECKING:
    from sobrindustrie.accounts.models import User
    from sobrindustrie.actionplans.models import Action, Difficulty
    from sobrindustrie.programmes.models import Programme
    from sobrindustrie.teams.models import ProjectTeam


@dataclass(frozen=True)
class PlanAccess:
    can_manage: bool
    #: The user's organisation when it is an SME member of the team today, else None.
    member_organisation_id: int | None
    is_programme_ademe: bool

    @property
    def can_edit_plan(self) -> bool:
        """Coordination and new actions."""
        return self.can_manage or self.member_organisation_id is not None

    @property
    def can_record_follow_up(self) -> bool:
        return self.can_manage

    @property
    def can_adopt(self) -> bool:
        return self.can_manage

    def can_edit_action(self, action: Action) -> bool:
        """Uses `action.contributors.all()`: prefetch it on lists."""
        if self.can_manage:
            return True
        org = self.member_organisation_id
        if org is None:
            return False
        if action.lead_organisation_id == org:
            return True
        return any(c.organisation_id == org and c.role in EDITING_ROLES for c in action.contributors.all())

    def can_raise(self, difficulty: Difficulty) -> bool:
        """Reporting difficulties to ADEME is the consultant's contractual duty (CCTP, Axe 2); they
        qualify what the team reports before it reaches ADEME."""
        return self.can_manage and difficulty.is_open and not difficulty.is_raised

    def can_answer(self, difficulty: Difficulty) -> bool:
        return self.is_programme_ademe and difficulty.is_raised and difficulty.is_open

    def can_resolve(self, difficulty: Difficulty) -> bool:
        return difficulty.is_open and (self.is_programme_ademe or self.can_edit_action(difficulty.action))


def plan_access(user: User, team: ProjectTeam) -> PlanAccess:
    member_org = None
    if (
        user.is_authenticated
        and user.role == Role.SME
        and user.organisation_id is not None
        and team.memberships.current().filter(organisation_id=user.organisation_id).exists()
    ):
        member_org = user.organisation_id
    return PlanAccess(
        can_manage=user.is_authenticated and can_manage_programme(user, team.programme),
        member_organisation_id=member_org,
        is_programme_ademe=user.is_authenticated and is_programme_ademe(user, team.programme),
    )


def is_programme_ademe(user: User, programme: Programme) -> bool:
    return access_of(user).on_programme(Capability.ACT_AS_AUTHORITY, programme.pk)


def can_oversee_plans(user: User, programme: Programme) -> bool:
    """The programme-wide views (teams compared, difficulties raised): ADEME, consultants, staff."""
    return access_of(user).on_programme(Capability.OVERSEE_PROGRAMME, programme.pk)


def can_write_experience_notes(user: User, programme: Programme) -> bool:
    """The consultant runs the collective sessions and records what was learned."""
    return can_manage_programme(user, programme)
