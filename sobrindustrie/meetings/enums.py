"""Vocabularies of meetings, minutes, surveys, time spent and restitution events.

Meeting kinds, modes and time object kinds use the obligations engine's codes
(`sobrindustrie.engines.obligations.MEETING_KINDS`...), so records pass to the engine unchanged.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class MeetingKind(models.TextChoices):
    WORKSHOP_1 = "workshop_1", _("Collective workshop 1 (common issues and needs)")
    WORKSHOP_2 = "workshop_2", _("Collective workshop 2 (forming the project teams)")
    WEBINAR = "webinar", _("Webinar")
    COPIL = "copil", _("Steering committee (COPIL)")
    PARTNERS_COMMITTEE = "partners_committee", _("Partners' committee (complete)")
    PARTNERS_SUBGROUP = "partners_subgroup", _("Partners' committee (sub-group)")
    ADEME_EXCHANGE = "ademe_exchange", _("Exchange with the ADEME PACA team")
    TEAM_FOLLOWUP = "team_followup", _("Project team follow-up")
    COLLECTIVE_SESSION = "collective_session", _("Collective experience-sharing session")
    ACTION_PLAN_WORKSHOP = "action_plan_workshop", _("Action-plan workshop")
    FUNDER_INTERVIEW = "funder_interview", _("Funder interview")
    STRATEGIC_COORDINATION = (
        "strategic_coordination",
        _("Strategic coordination meeting (organised by others)"),
    )
    RESTITUTION_EVENT = "restitution_event", _("Restitution event")
    EVALUATION_MEETING = "evaluation_meeting", _("Environmental evaluation meeting (Empreinte Projet)")


#: Kinds whose participants are asked for their satisfaction (CCTP: workshops, webinars, sessions).
SURVEY_KINDS = frozenset(
    {
        MeetingKind.WORKSHOP_1,
        MeetingKind.WORKSHOP_2,
        MeetingKind.WEBINAR,
        MeetingKind.COLLECTIVE_SESSION,
        MeetingKind.ACTION_PLAN_WORKSHOP,
        MeetingKind.RESTITUTION_EVENT,
    }
)


class MeetingMode(models.TextChoices):
    IN_PERSON = "in_person", _("In person")
    REMOTE = "remote", _("Remote")
    HYBRID = "hybrid", _("Mixed (in person and remote)")


class MeetingStatus(models.TextChoices):
    PLANNED = "planned", pgettext_lazy("meeting status", "Planned")
    HELD = "held", pgettext_lazy("meeting status", "Held")
    CANCELLED = "cancelled", pgettext_lazy("meeting status", "Cancelled")


class Attendance(models.TextChoices):
    UNKNOWN = "unknown", pgettext_lazy("attendance", "Not recorded")
    PRESENT = "present", pgettext_lazy("attendance", "Present")
    EXCUSED = "excused", pgettext_lazy("attendance", "Excused")
    ABSENT = "absent", pgettext_lazy("attendance", "Absent")


class MinutesStatus(models.TextChoices):
    DRAFT = "draft", pgettext_lazy("minutes status", "Draft")
    SUBMITTED = "submitted", pgettext_lazy("minutes status", "Submitted to ADEME")
    VALIDATED = "validated", pgettext_lazy("minutes status", "Validated")
    RETURNED = "returned", pgettext_lazy("minutes status", "Returned for changes")


class DecisionKind(models.TextChoices):
    DECISION = "decision", _("Decision")
    ACTION = "action", _("Action")


class DecisionStatus(models.TextChoices):
    OPEN = "open", pgettext_lazy("decision status", "Open")
    DONE = "done", pgettext_lazy("decision status", "Done")
    DROPPED = "dropped", pgettext_lazy("decision status", "Dropped")


class QuestionKind(models.TextChoices):
    RATING_5 = "rating_5", _("Rating from 1 to 5")
    SCORE_10 = "score_10", _("Score from 0 to 10")
    SINGLE_CHOICE = "single_choice", _("Single choice")
    MULTIPLE_CHOICE = "multiple_choice", _("Multiple choice")
    FREE_TEXT = "free_text", _("Free text")


#: The scale of each numeric question kind, both ends included.
SCALES = {QuestionKind.RATING_5: (1, 5), QuestionKind.SCORE_10: (0, 10)}
CHOICE_KINDS = frozenset({QuestionKind.SINGLE_CHOICE, QuestionKind.MULTIPLE_CHOICE})


class Axis(models.IntegerChoices):
    DIAGNOSTICS = 1, _("Axis 1 — diagnostics and action plans")
    FOLLOW_UP = 2, _("Axis 2 — follow-up of the action plans")
    FUNDING = 3, _("Axis 3 — financial engineering")
    EVALUATION = 4, _("Axis 4 — evaluation and dissemination")


class TimeObjectKind(models.TextChoices):
    DIAGNOSTIC = "diagnostic", _("Diagnostic")
    FUNDING_ORDER = "funding_order", _("Funding order")
    EVALUATION = "evaluation", _("Environmental evaluation")
    TEAM = "team", _("Project team")
    OTHER = "other", _("Other")


#: Object kinds whose days are capped by the programme (the engine's TIME_OBJECT_KINDS).
CAPPED_KINDS = frozenset({TimeObjectKind.DIAGNOSTIC, TimeObjectKind.FUNDING_ORDER, TimeObjectKind.EVALUATION})


class RegistrationStatus(models.TextChoices):
    CONFIRMED = "confirmed", pgettext_lazy("registration status", "Confirmed")
    WAITING = "waiting", pgettext_lazy("registration status", "On the waiting list")
    CANCELLED = "cancelled", pgettext_lazy("registration status", "Cancelled")


class ChecklistCategory(models.TextChoices):
    VENUE = "venue", _("Venue")
    CATERING = "catering", _("Catering")
    EQUIPMENT = "equipment", _("Equipment")
    BUDGET = "budget", _("Budget line")
    SUPPLIER = "supplier", _("Supplier")
    OTHER = "other", _("Other")


class TopicStatus(models.TextChoices):
    PROPOSED = "proposed", pgettext_lazy("webinar topic status", "Proposed")
    VALIDATED = "validated", pgettext_lazy("webinar topic status", "Validated")


#: Satisfaction at the end of workshop 1, asked in the room (1 = not at all, 5 = fully satisfied).
SATISFACTION_SCALE = (1, 5)
#: How many themes each company votes for at workshop 1 (its first, second and third choice).
THEME_VOTES = 3
