from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class MethodStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    VALIDATED = "validated", _("Validated")


class DiagnosticStatus(models.TextChoices):
    # A context keeps these apart from same-spelled words elsewhere ("Planned" is also a forecast).
    PLANNED = "planned", pgettext_lazy("diagnostic status", "Planned")
    IN_PROGRESS = "in_progress", pgettext_lazy("diagnostic status", "In progress")
    SHEET_DRAFTED = "sheet_drafted", pgettext_lazy("diagnostic status", "Sheet drafted")
    ACCEPTED = "accepted", pgettext_lazy("diagnostic status", "Accepted by the company")
    VALIDATED = "validated", pgettext_lazy("diagnostic status", "Validated by ADEME")


class SessionKind(models.TextChoices):
    VISIT = "visit", _("Site visit")
    INTERVIEW = "interview", _("Interview")
    REMOTE = "remote", _("Remote meeting")
    ANALYSIS = "analysis", _("Analysis and writing")


class Level(models.TextChoices):
    LOW = "low", _("Low")
    MEDIUM = "medium", _("Medium")
    HIGH = "high", _("High")


class Priority(models.IntegerChoices):
    HIGH = 1, _("High")
    MEDIUM = 2, _("Medium")
    LOW = 3, _("Low")


class OpportunityStatus(models.TextChoices):
    SUGGESTED = "suggested", _("Suggested by the method")
    RETAINED = "retained", _("Retained")
    DISMISSED = "dismissed", _("Dismissed")


class BarrierCategory(models.TextChoices):
    TECHNICAL = "technical", _("Technical")
    ECONOMIC = "economic", _("Economic")
    ORGANISATIONAL = "organisational", _("Organisational")
    REGULATORY = "regulatory", _("Regulatory")
    SKILLS = "skills", _("Skills")
    CULTURAL = "cultural", _("Cultural")


class RetrofitPotential(models.TextChoices):
    NONE = "none", _("None")
    LOW = "low", _("Low")
    MEDIUM = "medium", _("Medium")
    HIGH = "high", _("High")


class Direction(models.TextChoices):
    OFFERS = "offers", _("Could offer")
    NEEDS = "needs", _("Needs")


class Origin(models.TextChoices):
    RULE = "rule", _("Suggested by the method")
    CONSULTANT = "consultant", _("Added by the consultant")


class ImportStatus(models.TextChoices):
    PREVIEWED = "previewed", _("Previewed")
    RUNNING = "running", _("Running")
    APPLIED = "applied", _("Applied")
    FAILED = "failed", _("Failed")
