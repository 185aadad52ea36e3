from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class TeamStatus(models.TextChoices):
    FORMING = "forming", _("Forming")
    ACTIVE = "active", _("Active")
    CLOSED = "closed", _("Closed")


class MemberRole(models.TextChoices):
    PILOT = "pilot", _("Pilot")
    MEMBER = "member", _("Member")
    CONTRIBUTOR = "contributor", _("Contributor")


class ProspectStatus(models.TextChoices):
    """Where the prospecting of an outside structure stands (the columns of the board)."""

    TO_CONTACT = "to_contact", _("To contact")
    CONTACTED = "contacted", _("Contacted")
    INTERESTED = "interested", _("Interested")
    COMMITTED = "committed", _("Committed")
    DECLINED = "declined", _("Declined")


#: Statuses in which the prospecting is over: no reminder is sent for them.
CLOSED_PROSPECT_STATUSES = frozenset({ProspectStatus.COMMITTED, ProspectStatus.DECLINED})


class SoughtContribution(models.TextChoices):
    """What a team seeks from an outside structure."""

    CAPACITY = "capacity", _("Machine capacity")
    SKILL = "skill", _("Skill")
    EXPERTISE = "expertise", _("Expertise or research")
    FUNDING = "funding", _("Funding")
    NETWORK = "network", _("Network or support")


class ContactChannel(models.TextChoices):
    EMAIL = "email", _("E-mail")
    PHONE = "phone", _("Phone")
    MEETING = "meeting", _("Meeting")
    VISIT = "visit", _("Site visit")
    EVENT = "event", _("Event")
    OTHER = "other", _("Other")


class SubgroupWork(models.TextChoices):
    """The programme's work a sub-group of the partners' committee joins."""

    WORKSHOPS = "workshops", _("Workshops")
    FOLLOW_UPS = "follow_ups", _("Follow-ups")
    FUNDING = "funding", _("Funding work")
    EVALUATION = "evaluation", _("Evaluation")
