"""Reads of the diagnostics app. A company's diagnostic is business-sensitive: an SME member sees
their own company's, and those another company explicitly shared with theirs; partners see none."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db import models

from sobrindustrie.accounts.access import Capability, Scope, access_of
from sobrindustrie.programmes.querysets import overseen_programmes_q, programmes_q

if TYPE_CHECKING:
    from sobrindustrie.accounts.models import User


class MethodVersionQuerySet(models.QuerySet):  # type: ignore[type-arg]
    def visible_to(self, user: User) -> MethodVersionQuerySet:
        """ADEME and consultants of the programme read its methods; companies and partners do not."""
        if not user.is_authenticated:
            return self.none()
        overseen = overseen_programmes_q(user)
        return self.none() if overseen is None else self.filter(overseen)

    def validated(self) -> MethodVersionQuerySet:
        return self.filter(status="validated")

    def for_programme(self, programme: object) -> MethodVersionQuerySet:
        return self.filter(programme=programme)


class DiagnosticQuerySet(models.QuerySet):  # type: ignore[type-arg]
    def visible_to(self, user: User) -> DiagnosticQuerySet:
        if not user.is_authenticated:
            return self.none()
        overseen = overseen_programmes_q(user)
        if overseen is not None:
            return self.filter(overseen)
        access = access_of(user)
        if access.scope(Capability.OWN_DIAGNOSTIC) == Scope.ORGANISATION and user.organisation_id is not None:
            shared = self.filter(shared_with=user.organisation_id).values("pk")
            return self.filter(models.Q(organisation_id=user.organisation_id) | models.Q(pk__in=shared))
        return self.none()

    def for_programme(self, programme: object) -> DiagnosticQuerySet:
        return self.filter(programme=programme)


class OwnedByDiagnosticQuerySet(models.QuerySet):  # type: ignore[type-arg]
    """Rows that belong to one diagnostic (sessions, answers, observations, opportunities...)."""

    def visible_to(self, user: User) -> OwnedByDiagnosticQuerySet:
        from sobrindustrie.diagnostics.models import Diagnostic

        return self.filter(diagnostic__in=Diagnostic.objects.visible_to(user).values("pk"))


class CandidacyImportQuerySet(models.QuerySet):  # type: ignore[type-arg]
    def visible_to(self, user: User) -> CandidacyImportQuerySet:
        """Imports are the consultants' tool; ADEME does not need them."""
        if not user.is_authenticated:
            return self.none()
        # ADEME officers oversee the programme but have no use for the consultants' imports.
        return self.filter(programmes_q(user, Capability.MANAGE_PROGRAMME, "programme_id"))
