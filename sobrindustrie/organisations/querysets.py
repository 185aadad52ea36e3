from __future__ import annotations

from typing import TYPE_CHECKING

from django.db import models

from sobrindustrie.programmes.querysets import overseen_programmes_q

if TYPE_CHECKING:
    from sobrindustrie.accounts.models import User


class OrganisationQuerySet(models.QuerySet):  # type: ignore[type-arg]
    def visible_to(self, user: User) -> OrganisationQuerySet:
        """Staff, ADEME and consultants see their programmes' organisations; SME members and
        partners see their own organisation only (teams widen this for partners later)."""
        if not user.is_authenticated:
            return self.none()
        overseen = overseen_programmes_q(user)
        if overseen is not None:
            return self.filter(overseen)
        if user.organisation_id is None:
            return self.none()
        return self.filter(pk=user.organisation_id)

    def active(self) -> OrganisationQuerySet:
        return self.filter(is_archived=False)

    def for_programme(self, programme: object) -> OrganisationQuerySet:
        return self.filter(programme=programme)

    def laureates(self) -> OrganisationQuerySet:
        return self.filter(kind="laureate_sme")


class OwnedByOrganisationQuerySet(models.QuerySet):  # type: ignore[type-arg]
    """For rows that belong to one organisation (people, production means, needs, offers)."""

    def visible_to(self, user: User) -> OwnedByOrganisationQuerySet:
        from sobrindustrie.organisations.models import Organisation

        return self.filter(organisation__in=Organisation.objects.visible_to(user))
