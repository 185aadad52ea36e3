from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    ADEME = "ademe", _("ADEME / COPIL")
    CONSULTANT = "consultant", _("Consultant")
    SME = "sme", _("SME member")
    PARTNER = "partner", _("Partner")
    STAFF = "staff", _("Staff administrator")


#: Roles that work across a whole programme (as opposed to one organisation).
PROGRAMME_ROLES = frozenset({Role.ADEME, Role.CONSULTANT})
#: Roles bound to one organisation.
ORGANISATION_ROLES = frozenset({Role.SME, Role.PARTNER})
