"""Who may do what: the platform's one access model.

A user holds one role (`accounts.enums.Role`). What a role may do is DATA: `ROLE_CAPABILITIES`
gives, for each role, the capabilities it holds and the scope of each one:

    ALL           every programme (platform staff)
    PROGRAMME     the programmes the user works on (`User.programmes`: ADEME officers, consultants)
    ORGANISATION  the user's own organisation (and, for programme-wide pages, its programme)
    TEAM          the project teams the user's organisation currently belongs to

`access_of(user)` resolves, once per request, who the user is on each programme (the programmes
they work on, their organisation and its programme, their current teams); `AccessMiddleware` puts
it on `request.access`. Everything that decides access reads it: the `visible_to` querysets and
the `perms.py` functions, the workflow actor rules, the menu, the page rules of
`sobrindustrie/www/url_access.py` (one line per URL, enforced by the middleware) and the views'
`sobrindustrie.www.access` helpers.

Adding a role (say a regional council co-funding the programme): add it to `Role` (its label),
add its row here, and add it to the `world` fixture of the tests; nothing else names roles.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from enum import StrEnum
from functools import cached_property
from typing import TYPE_CHECKING, Any

from sobrindustrie.accounts.enums import Role

if TYPE_CHECKING:
    from sobrindustrie.accounts.models import User


class Scope(StrEnum):
    ALL = "all"
    PROGRAMME = "programme"
    ORGANISATION = "organisation"
    TEAM = "team"


class Capability(StrEnum):
    #: Pages any signed-in user has (their tokens, notifications, the list of their programmes).
    SIGN_IN = "sign_in"
    #: Open a programme's shared pages (meetings, spaces, news, schemes, lessons learned).
    VIEW_PROGRAMME = "view_programme"
    #: Read every company, diagnostic, team and record of the programme (overview pages).
    OVERSEE_PROGRAMME = "oversee_programme"
    #: Run the programme: meetings, diagnostics, teams, plans, funding, evaluations, documents.
    MANAGE_PROGRAMME = "manage_programme"
    #: The contracting authority's own acts: validate the method, minutes and diagnostics, answer
    #: the difficulties raised to it. Nobody stands in for ADEME here.
    ACT_AS_AUTHORITY = "act_as_authority"
    #: Validate deliverables and evaluations (platform staff may stand in for ADEME).
    VALIDATE_REPORTS = "validate_reports"
    #: Work in the COPIL space (add and edit its documents).
    CONTRIBUTE_COPIL = "contribute_copil"
    #: Read an organisation's page and inventory.
    VIEW_ORGANISATION = "view_organisation"
    #: Edit an organisation's contact details, description, machines, needs and offers.
    EDIT_ORGANISATION = "edit_organisation"
    #: Edit what only the programme's operator decides on an organisation: its kind, SIRET,
    #: programme status (archived) and pre-formed group (see `organisations.fields`).
    QUALIFY_ORGANISATION = "qualify_organisation"
    #: Create organisations; handle people's personal-data requests (export, erasure).
    MANAGE_PEOPLE = "manage_people"
    #: Let people in: the programme's People page, invitations, deactivating accounts (which roles
    #: one may grant is `accounts.perms.grantable_roles`).
    INVITE_PEOPLE = "invite_people"
    #: The company's own say on its diagnostic (share it, accept its sheet).
    OWN_DIAGNOSTIC = "own_diagnostic"
    #: Read cooperation opportunities (an SME: those concerning its company).
    READ_OPPORTUNITIES = "read_opportunities"
    #: Work inside a team: its workspace, the plan's coordination, the actions the company leads.
    WORK_IN_TEAM = "work_in_team"
    #: Contribute documents to the organisation's and the teams' spaces.
    CONTRIBUTE_DOCUMENTS = "contribute_documents"
    #: Read an organisation's funding eligibility and edit its funding profile.
    FUNDING_ELIGIBILITY = "funding_eligibility"
    #: Read a funding application's amounts and documents (teammates see only that it exists,
    #: its scheme and status).
    FUNDING_DETAILS = "funding_details"


C, S = Capability, Scope

#: The table. One row per role; a capability absent from a row is not held.
ROLE_CAPABILITIES: dict[str, dict[Capability, Scope]] = {
    Role.ADEME: {
        C.SIGN_IN: S.ALL,
        C.VIEW_PROGRAMME: S.PROGRAMME,
        C.OVERSEE_PROGRAMME: S.PROGRAMME,
        C.ACT_AS_AUTHORITY: S.PROGRAMME,
        C.VALIDATE_REPORTS: S.PROGRAMME,
        C.CONTRIBUTE_COPIL: S.PROGRAMME,
        C.INVITE_PEOPLE: S.PROGRAMME,
        C.VIEW_ORGANISATION: S.PROGRAMME,
        C.READ_OPPORTUNITIES: S.PROGRAMME,
        C.FUNDING_ELIGIBILITY: S.PROGRAMME,
        C.FUNDING_DETAILS: S.PROGRAMME,
    },
    Role.CONSULTANT: {
        C.SIGN_IN: S.ALL,
        C.VIEW_PROGRAMME: S.PROGRAMME,
        C.OVERSEE_PROGRAMME: S.PROGRAMME,
        C.MANAGE_PROGRAMME: S.PROGRAMME,
        C.VIEW_ORGANISATION: S.PROGRAMME,
        C.EDIT_ORGANISATION: S.PROGRAMME,
        C.QUALIFY_ORGANISATION: S.PROGRAMME,
        C.MANAGE_PEOPLE: S.PROGRAMME,
        C.INVITE_PEOPLE: S.PROGRAMME,
        C.READ_OPPORTUNITIES: S.PROGRAMME,
        C.CONTRIBUTE_DOCUMENTS: S.PROGRAMME,
        C.FUNDING_ELIGIBILITY: S.PROGRAMME,
        C.FUNDING_DETAILS: S.PROGRAMME,
    },
    Role.SME: {
        C.SIGN_IN: S.ALL,
        C.VIEW_PROGRAMME: S.ORGANISATION,
        C.VIEW_ORGANISATION: S.ORGANISATION,
        C.EDIT_ORGANISATION: S.ORGANISATION,
        C.OWN_DIAGNOSTIC: S.ORGANISATION,
        C.READ_OPPORTUNITIES: S.ORGANISATION,
        C.WORK_IN_TEAM: S.TEAM,
        C.CONTRIBUTE_DOCUMENTS: S.TEAM,
        C.FUNDING_ELIGIBILITY: S.ORGANISATION,
        C.FUNDING_DETAILS: S.ORGANISATION,
    },
    Role.PARTNER: {
        C.SIGN_IN: S.ALL,
        C.VIEW_PROGRAMME: S.ORGANISATION,
        C.VIEW_ORGANISATION: S.ORGANISATION,
        C.EDIT_ORGANISATION: S.ORGANISATION,
        C.CONTRIBUTE_DOCUMENTS: S.TEAM,
    },
    Role.STAFF: {
        C.SIGN_IN: S.ALL,
        C.VIEW_PROGRAMME: S.ALL,
        C.OVERSEE_PROGRAMME: S.ALL,
        C.MANAGE_PROGRAMME: S.ALL,
        C.VALIDATE_REPORTS: S.ALL,
        C.VIEW_ORGANISATION: S.ALL,
        C.EDIT_ORGANISATION: S.ALL,
        C.QUALIFY_ORGANISATION: S.ALL,
        C.MANAGE_PEOPLE: S.ALL,
        C.INVITE_PEOPLE: S.ALL,
        C.OWN_DIAGNOSTIC: S.ALL,
        C.READ_OPPORTUNITIES: S.ALL,
        C.CONTRIBUTE_DOCUMENTS: S.ALL,
        C.FUNDING_ELIGIBILITY: S.ALL,
        C.FUNDING_DETAILS: S.ALL,
    },
}


#: Field rules: the fields of a model that need more than the capability to edit the object,
#: and what they need. An SME member edits its organisation's contact details, description,
#: machines, needs and offers; its kind, SIRET, programme, status and pre-formed group (which feeds
#: the team-formation must-links) are the programme operator's to decide.
GUARDED_FIELDS: dict[str, dict[str, Capability]] = {
    "organisations.Organisation": {
        "programme": C.QUALIFY_ORGANISATION,
        "kind": C.QUALIFY_ORGANISATION,
        "siret": C.QUALIFY_ORGANISATION,
        "is_archived": C.QUALIFY_ORGANISATION,
        "preformed_group": C.QUALIFY_ORGANISATION,
    },
}


def roles_holding(
    capability: Capability, table: dict[str, dict[Capability, Scope]] | None = None
) -> set[str]:
    """The roles whose row holds a capability (at any scope)."""
    rows = ROLE_CAPABILITIES if table is None else table
    return {role for role, row in rows.items() if capability in row}


def roles_with_scope(scope: Scope) -> frozenset[str]:
    """The roles that open programmes with this scope (e.g. PROGRAMME: those assigned to programmes)."""
    return frozenset(r for r, row in ROLE_CAPABILITIES.items() if row.get(C.VIEW_PROGRAMME) == scope)


@dataclass
class Access:
    """Who one user is on each programme, resolved once (see `access_of`)."""

    user_id: int | None
    role: str | None
    organisation_id: int | None = None
    organisation_programme_id: int | None = None
    _programme_ids: frozenset[int] | None = field(default=None, repr=False)

    @property
    def capabilities(self) -> dict[Capability, Scope]:
        return ROLE_CAPABILITIES.get(self.role or "", {})

    def scope(self, capability: Capability) -> Scope | None:
        return self.capabilities.get(capability)

    def holds(self, capability: Capability) -> bool:
        """The role holds the capability somewhere (the coarse check made before any object)."""
        return capability in self.capabilities

    @cached_property
    def programme_ids(self) -> frozenset[int]:
        """The programmes the user works on (ADEME officers, consultants): one query, once."""
        if self._programme_ids is not None:
            return self._programme_ids
        if self.user_id is None:
            return frozenset()
        from sobrindustrie.programmes.models import Programme

        return frozenset(Programme.objects.filter(staff_members=self.user_id).values_list("pk", flat=True))

    @cached_property
    def team_ids(self) -> frozenset[int]:
        """The teams the user's organisation belongs to today: one query, once."""
        if self.organisation_id is None:
            return frozenset()
        from sobrindustrie.teams.models import TeamMembership

        rows = TeamMembership.objects.current().filter(organisation_id=self.organisation_id)
        return frozenset(rows.values_list("team_id", flat=True))

    def on_programme(self, capability: Capability, programme_id: int | None) -> bool:
        """Whether the capability reaches (some of) this programme: ALL everywhere, PROGRAMME on
        the programmes worked on, ORGANISATION and TEAM on the organisation's programme."""
        scope = self.scope(capability)
        if scope is None or programme_id is None:
            return False
        if scope == S.ALL:
            return True
        if scope == S.PROGRAMME:
            return programme_id in self.programme_ids
        return programme_id == self.organisation_programme_id

    def on_organisation(
        self, capability: Capability, organisation_id: int | None, programme_id: int | None
    ) -> bool:
        """Whether the capability reaches this organisation (TEAM: a current teammate)."""
        scope = self.scope(capability)
        if scope in (S.ALL, S.PROGRAMME):
            return self.on_programme(capability, programme_id)
        if scope == S.ORGANISATION:
            return organisation_id is not None and organisation_id == self.organisation_id
        if scope == S.TEAM and organisation_id is not None:
            return organisation_id == self.organisation_id or organisation_id in self.teammate_ids
        return False

    def on_team(self, capability: Capability, team_id: int | None, programme_id: int | None) -> bool:
        """Whether the capability reaches this team (ORGANISATION scope does not: a team is shared)."""
        scope = self.scope(capability)
        if scope in (S.ALL, S.PROGRAMME):
            return self.on_programme(capability, programme_id)
        return scope == S.TEAM and team_id in self.team_ids

    @cached_property
    def teammate_ids(self) -> frozenset[int]:
        if not self.team_ids:
            return frozenset()
        from sobrindustrie.teams.models import TeamMembership

        rows = TeamMembership.objects.current().filter(team_id__in=self.team_ids)
        return frozenset(rows.values_list("organisation_id", flat=True))

    def forbidden_fields(self, model_label: str, names: Iterable[str], programme_id: int | None) -> list[str]:
        """Among `names`, the fields of `model_label` ("app.Model") this user may not change on an
        object of this programme (see `GUARDED_FIELDS`)."""
        guarded = GUARDED_FIELDS.get(model_label, {})
        return [n for n in names if n in guarded and not self.on_programme(guarded[n], programme_id)]

    def programme_ids_for(self, capability: Capability) -> frozenset[int] | None:
        """For querysets: the programmes where the capability holds at programme scope; None when it
        holds on every programme; empty when it holds only for an organisation or a team."""
        scope = self.scope(capability)
        if scope == S.ALL:
            return None
        if scope == S.PROGRAMME:
            return self.programme_ids
        return frozenset()


ANONYMOUS = Access(user_id=None, role=None)


def role_of(user: Any) -> str | None:
    """The row of the table a user reads: superusers read the staff row whatever their role."""
    if not getattr(user, "is_authenticated", False) or not getattr(user, "is_active", True):
        return None
    return Role.STAFF if user.is_superuser else user.role


def access_of(user: User | Any) -> Access:
    """The user's access, computed once and kept on the user object for the rest of the request."""
    cached = getattr(user, "_access", None)
    if cached is not None:
        return cached  # type: ignore[no-any-return]
    role = role_of(user)
    if role is None:
        return ANONYMOUS
    organisation = user.organisation if user.organisation_id is not None else None
    access = Access(
        user_id=user.pk,
        role=role,
        organisation_id=user.organisation_id,
        organisation_programme_id=organisation.programme_id if organisation is not None else None,
    )
    user._access = access
    return access


def forget_access(user: Any) -> None:
    """Drop the cached access (after changing a user's role, organisation or programmes)."""
    user.__dict__.pop("_access", None)
