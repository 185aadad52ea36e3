"""Who may do what with diagnostics, methods, imports and the synthesis.

Views fetch diagnostics through `Diagnostic.objects.visible_to(user)`, so a company that may not
see another's diagnostic gets a 404; these functions then decide what a visible object allows.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from sobrindustrie.accounts.access import Capability, Scope, access_of

if TYPE_CHECKING:
    from sobrindustrie.accounts.models import User
    from sobrindustrie.diagnostics.models import Diagnostic, MethodVersion
    from sobrindustrie.programmes.models import Programme


def _reaches(user: User, capability: Capability, programme: Programme) -> bool:
    return access_of(user).on_programme(capability, programme.pk)


def can_manage_diagnostics(user: User, programme: Programme) -> bool:
    """Consultants of the programme run diagnostics, imports and the synthesis; staff administer."""
    return _reaches(user, Capability.MANAGE_PROGRAMME, programme)


def can_oversee_diagnostics(user: User, programme: Programme) -> bool:
    """ADEME officers and consultants of the programme read every diagnostic and the synthesis."""
    return _reaches(user, Capability.OVERSEE_PROGRAMME, programme)


def can_edit_diagnostic(user: User, diagnostic: Diagnostic) -> bool:
    """Answers, observations, sessions and opportunities are written while the diagnostic is open."""
    return diagnostic.is_editable and can_manage_diagnostics(user, diagnostic.programme)


def is_company_member(user: User, diagnostic: Diagnostic) -> bool:
    """A member of the diagnosed company itself, not someone whose scope merely covers it."""
    access = access_of(user)
    return (
        access.scope(Capability.OWN_DIAGNOSTIC) == Scope.ORGANISATION
        and access.organisation_id == diagnostic.organisation_id
    )


def can_share_diagnostic(user: User, diagnostic: Diagnostic) -> bool:
    """Sharing is the company's decision: its own members decide (staff may fix a mistake)."""
    return access_of(user).on_organisation(
        Capability.OWN_DIAGNOSTIC, diagnostic.organisation_id, diagnostic.programme_id
    )


def can_validate_method(user: User, method: MethodVersion) -> bool:
    """The COPIL validates the method: an ADEME officer of the programme records it."""
    return not method.is_validated and _reaches(user, Capability.ACT_AS_AUTHORITY, method.programme)
