"""Vocabularies of action plans: statuses, priorities, RACI roles, funding natures, difficulties."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class ActionStatus(models.TextChoices):
    """The statuses users know from Territoires en Transitions; moves follow `workflow.TRANSITIONS`."""

    PLANNED = "planned", _("To come")
    IN_PROGRESS = "in_progress", _("In progress")
    DONE = "done", _("Done")
    PAUSED = "paused", _("Paused")
    ABANDONED = "abandoned", _("Abandoned")


#: Statuses of an action that is no longer expected to move: never "late".
CLOSED_STATUSES = frozenset({ActionStatus.DONE, ActionStatus.ABANDONED})


class Priority(models.TextChoices):
    HIGH = "high", _("High")
    MEDIUM = "medium", _("Medium")
    LOW = "low", _("Low")


PRIORITY_RANK = {Priority.HIGH: 0, Priority.MEDIUM: 1, Priority.LOW: 2}


class RaciRole(models.TextChoices):
    RESPONSIBLE = "responsible", _("Responsible (does the work)")
    ACCOUNTABLE = "accountable", _("Accountable (answers for it)")
    CONSULTED = "consulted", _("Consulted")
    INFORMED = "informed", _("Informed")


#: RACI roles that make an organisation a contributor who may edit the action. Informed parties
#: only receive news of it.
EDITING_ROLES = frozenset({RaciRole.RESPONSIBLE, RaciRole.ACCOUNTABLE, RaciRole.CONSULTED})


class StepStatus(models.TextChoices):
    TODO = "todo", _("To do")
    IN_PROGRESS = "in_progress", _("In progress")
    DONE = "done", _("Done")
    CANCELLED = "cancelled", _("Cancelled")


OPEN_STEP_STATUSES = frozenset({StepStatus.TODO, StepStatus.IN_PROGRESS})


class FundingNature(models.TextChoices):
    """What a funding need pays for; the funding area matches schemes on it."""

    STUDY = "study", _("Study")
    INVESTMENT = "investment", _("Investment")
    TRAINING = "training", _("Training")


class MeetingFrequency(models.TextChoices):
    WEEKLY = "weekly", _("Every week")
    FORTNIGHTLY = "fortnightly", _("Every two weeks")
    MONTHLY = "monthly", _("Every month")
    BIMONTHLY = "bimonthly", _("Every two months")
    QUARTERLY = "quarterly", _("Every three months")


class IndicatorDirection(models.TextChoices):
    INCREASE = "increase", _("Higher is better")
    DECREASE = "decrease", _("Lower is better")


class DifficultyStatus(models.TextChoices):
    OPEN = "open", _("Open (within the team)")
    RAISED = "raised", _("Raised to ADEME")
    RESOLVED = "resolved", _("Resolved")


class OwnerReach(models.TextChoices):
    """How the owner of a late step is reminded (`reminders.reach_of`), or why they cannot be."""

    ACCOUNT = "account", _("in the platform (notification and e-mail)")
    EMAIL = "email", _("by e-mail (no account on the platform)")
    NO_EMAIL = "no_email", _("cannot be reminded: no account and no e-mail address")
    NO_CONSENT = "no_consent", _("cannot be reminded: no account and no recorded consent to be contacted")
    ERASED = "erased", _("cannot be reminded: the person was erased, choose another owner")
    STOPPED = "stopped", _("cannot be reminded: the person stopped the e-mailed reminders")


#: Owners the platform cannot remind: the consultant is told their names.
UNREACHABLE = frozenset({OwnerReach.NO_EMAIL, OwnerReach.NO_CONSENT, OwnerReach.ERASED, OwnerReach.STOPPED})
