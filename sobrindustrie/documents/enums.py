from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class SpaceKind(models.TextChoices):
    PROGRAMME = "programme", _("Programme-wide")
    TEAM = "team", _("Project team")
    COPIL = "copil", _("COPIL only")
    ORGANISATION = "organisation", _("Private to an organisation")


class Category(models.TextChoices):
    MINUTES = "minutes", _("Minutes")
    RESOURCE = "resource", _("Resource")
    WEBINAR = "webinar", _("Webinar")
    DELIVERABLE = "deliverable", _("Deliverable")
    OTHER = "other", _("Other")


class PublicationStatus(models.TextChoices):
    DRAFT = "draft", pgettext_lazy("publication status", "Draft")
    SUBMITTED = "submitted", pgettext_lazy("publication status", "Submitted to the COPIL")
    VALIDATED = "validated", pgettext_lazy("publication status", "Validated by the COPIL")
    PUBLISHED = "published", pgettext_lazy("publication status", "Published")
    RETURNED = "returned", pgettext_lazy("publication status", "Sent back for changes")


class PostKind(models.TextChoices):
    NEWS = "news", _("News")
    WEBINAR = "webinar", _("Webinar")


class DigestFrequency(models.TextChoices):
    IMMEDIATE = "immediate", _("One e-mail per notification")
    DAILY = "daily", _("A daily digest")
    NEVER = "never", _("No e-mail (platform only)")


class NotificationKind(models.TextChoices):
    NEW_ITEM = "new_item", _("New item in one of your spaces")
    TO_VALIDATE = "to_validate", _("Item to validate")
    RETURNED = "returned", _("Item sent back")
    COMMENT = "comment", _("New comment")
    MINUTES_TO_WRITE = "minutes_to_write", _("Minutes to write")
    DEADLINE = "deadline", _("Contract deadline due soon or passed")
    VALIDATED = "validated", _("Item validated")
    DIFFICULTY = "difficulty", _("Difficulty raised to ADEME or answered")
    INVITATION = "invitation", _("Meeting invitation or reminder")
    SURVEY = "survey", _("Satisfaction survey to answer")
    PROSPECT = "prospect", _("Prospecting step due")
    FUNDING_DEADLINE = "funding_deadline", _("Funding scheme closing soon")
    STEP_LATE = "step_late", _("Step of yours past its due date")
