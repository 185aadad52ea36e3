"""Reads of the diagnostics app. A company's diagnostic is business-sensitive: an SME member sees
their own company's, and those another company explicitly shared with theirs; partners see none."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db import models

from sobrindustrie.accounts.enums import Role

if TYPE_CHECKING:
    from sobrindustrie.accounts.models import User


def _programme_staff_filter(user: User, prefix: str = "") -> models.Q:
    return models.Q(**{f"{prefix}programme__staff_members": user})


class MethodVersionQuerySet(models.QuerySet):  # type: ignore[type-arg]
    def visible_to(self, user: User) -> MethodVersionQuerySet:
        """ADEME and consultants of the programme read its methods; companies and partners do not."""
        if not user.is_authenticated:
            return self.none()
        if user.is_platform_staff:
            return self.all()
        if user.role in (Role.ADEME, Role.CONSULTANT):
            return self.filter(_programme_staff_filter(user))
        return self.none()

    def validated(self) -> MethodVersionQuerySet:
        return self.filter(status="validated")

    def for_programme(self, programme: object) -> MethodVersionQuerySet:
        return self.filter(programme=programme)


class DiagnosticQuerySet(models.QuerySet):  # type: ignore[type-arg]
    def visible_to(self, user: User) -> DiagnosticQuerySet:
        if not user.is_authenticated:
            return self.none()
        if user.is_platform_staff:
            return self.all()
        if user.role in (Role.ADEME, Role.CONSULTANT):
            return self.filter(_programme_staff_filter(user))
        if user.role == Role.SME and user.organisation_id is not None:
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
        if user.is_platform_staff:
            return self.all()
        if user.role == Role.CONSULTANT:
            return self.filter(_programme_staff_filter(user))
        return self.none()
