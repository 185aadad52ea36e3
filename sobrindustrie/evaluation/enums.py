from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class EvaluationStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted to ADEME")
    VALIDATED = "validated", _("Validated by ADEME")


class NetResult(models.TextChoices):
    """Net qualitative result of a project on one environmental aspect."""

    BETTER = "better", _("Better than the reference")
    WORSE = "worse", _("Worse than the reference")
    BALANCED = "balanced", _("Gains and losses balance out")
    NEUTRAL = "neutral", _("No difference")
    UNCERTAIN = "uncertain", _("Uncertain")
    NOT_ASSESSED = "not_assessed", _("Not assessed")


class CriterionStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    IN_PROGRESS = "in_progress", _("In progress")
    MET = "met", _("Met")
    NOT_MET = "not_met", _("Not met")
