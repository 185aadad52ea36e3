"""Vocabularies of the funding area: natures of aid, sources, spending, application statuses."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class AidNature(models.TextChoices):
    """`nature de l'aide` of Mission Transition Écologique, with English codes."""

    STUDY = "study", _("Study")
    TRAINING = "training", _("Training")
    FINANCING = "financing", _("Financing")
    LOAN = "loan", _("Loan")
    TAX_ADVANTAGE = "tax_advantage", _("Tax advantage")


#: The French words of the format → our codes.
MTE_NATURES = {
    "étude": AidNature.STUDY,
    "formation": AidNature.TRAINING,
    "financement": AidNature.FINANCING,
    "prêt": AidNature.LOAN,
    "avantage fiscal": AidNature.TAX_ADVANTAGE,
}


class SchemeSource(models.TextChoices):
    MTE = "mte", _("Mission Transition Écologique")
    CURATED = "curated", _("Curated by the programme")
    AIDES_TERRITOIRES = "aides_territoires", _("Aides-territoires")


#: Sources read by a catalogue refresh (the curated schemes are the programme's own).
REFRESHED_SOURCES = frozenset({SchemeSource.MTE, SchemeSource.AIDES_TERRITOIRES})


class SpendingType(models.TextChoices):
    INVESTMENT = "investment", _("Investment")
    OPERATING = "operating", _("Operating")
    BOTH = "both", _("Investment and operating")


class ApplicationStatus(models.TextChoices):
    """Moves follow `workflow.TRANSITIONS` (Aides-territoires tracks requested / obtained / denied / paid)."""

    IDENTIFIED = "identified", _("Identified")
    IN_PREPARATION = "in_preparation", _("In preparation")
    SUBMITTED = "submitted", _("Submitted")
    GRANTED = "granted", _("Granted")
    REFUSED = "refused", _("Refused")
    WITHDRAWN = "withdrawn", _("Withdrawn")
    PAID = "paid", _("Paid")


#: Statuses whose granted amount counts as funding obtained.
OBTAINED_STATUSES = frozenset({ApplicationStatus.GRANTED, ApplicationStatus.PAID})
#: Statuses after which nothing moves any more.
FINAL_STATUSES = frozenset({ApplicationStatus.REFUSED, ApplicationStatus.WITHDRAWN, ApplicationStatus.PAID})
