"""Reminders of late steps, to the person who owns each one.

A step is late when it is still to do or in progress after its due date. Its owner (a person of a
member organisation of the team) is told through their platform account: a notification in the
platform, e-mailed at once or in their daily digest as they prefer (`documents.notifications.notify`).
The key of each reminder is the step and the day: run daily (or several times a day), each owner is
reminded at most once per step and day, and again the next day while the step stays late.

Owners without an active account cannot be told in the platform: they are counted in the result so
that the command can say so (the consultant sees them late on the plan's timeline).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext as _

from sobrindustrie.actionplans.enums import OPEN_STEP_STATUSES
from sobrindustrie.actionplans.models import ActionStep
from sobrindustrie.documents import notifications
from sobrindustrie.documents.enums import NotificationKind


@dataclass(frozen=True)
class ReminderResult:
    late_steps: int
    recorded: int
    without_account: int


def late_steps(today: dt.date) -> list[ActionStep]:
    """Open steps past their due date that have an owner, oldest first."""
    return list(
        ActionStep.objects.filter(status__in=OPEN_STEP_STATUSES, due_on__lt=today, owner__isnull=False)
        .select_related("owner__user", "action__plan__team")
        .order_by("due_on", "pk")
    )


def reminder_key(step: ActionStep, today: dt.date) -> str:
    return f"step-late:{step.pk}:{today.isoformat()}"


def remind_late_steps(today: dt.date) -> ReminderResult:
    """Tell each owner of a late step, once per step and day; return what was done."""
    steps = late_steps(today)
    recorded = without_account = 0
    with translation.override(settings.LANGUAGE_CODE):
        for step in steps:
            user = step.owner.user if step.owner else None
            if user is None or not user.is_active:
                without_account += 1
                continue
            title = _("Late step “%(step)s” (due on %(date)s), action “%(action)s” of %(team)s") % {
                "step": step.title,
                "date": step.due_on.strftime("%d/%m/%Y") if step.due_on else "",
                "action": step.action.title,
                "team": step.action.plan.team.name,
            }
            recorded += notifications.notify(
                [user],
                NotificationKind.STEP_LATE,
                title,
                step.action.get_absolute_url() + "#steps",
                key=reminder_key(step, today),
            )
    return ReminderResult(len(steps), recorded, without_account)
