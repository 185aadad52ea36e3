"""Who may do what with diagnostics, methods, imports and the synthesis.

Views fetch diagnostics through `Diagnostic.objects.visible_to(user)`, so a company that may not
see another's diagnostic gets a 404; these functions then decide what a visible object allows.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from sobrindustrie.accounts.enums import Role

if TYPE_CHECKING:
    from sobrindustrie.accounts.models import User
    from sobrindustrie.diagnostics.models import Diagnostic, MethodVersion
    from sobrindustrie.programmes.models import Programme


def _works_on(user: User, programme: Programme, role: str) -> bool:
    return user.role == role and programme.staff_members.filter(pk=user.pk).exists()


def can_manage_diagnostics(user: User, programme: Programme) -> bool:
    """Consultants of the programme run diagnostics, imports and the synthesis; staff administer."""
    return user.is_platform_staff or _works_on(user, programme, Role.CONSULTANT)


def can_oversee_diagnostics(user: User, programme: Programme) -> bool:
    """ADEME officers and consultants of the programme read every diagnostic and the synthesis."""
    return can_manage_diagnostics(user, programme) or _works_on(user, programme, Role.ADEME)


def can_edit_diagnostic(user: User, diagnostic: Diagnostic) -> bool:
    """Answers, observations, sessions and opportunities are written while the diagnostic is open."""
    return diagnostic.is_editable and can_manage_diagnostics(user, diagnostic.programme)


def is_company_member(user: User, diagnostic: Diagnostic) -> bool:
    return user.role == Role.SME and user.organisation_id == diagnostic.organisation_id


def can_share_diagnostic(user: User, diagnostic: Diagnostic) -> bool:
    """Sharing is the company's decision: its own members decide (staff may fix a mistake)."""
    return user.is_platform_staff or is_company_member(user, diagnostic)


def can_validate_method(user: User, method: MethodVersion) -> bool:
    """The COPIL validates the method: an ADEME officer of the programme records it."""
    return not method.is_validated and _works_on(user, method.programme, Role.ADEME)
