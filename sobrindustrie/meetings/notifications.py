"""Notices of the meetings area, through the platform's notifications (`documents.notifications`):
minutes to write, minutes to validate, and the contract's obligations due soon or late.

The daily producers (`send_minutes_reminders`, `send_deadline_notices`) may run any number of times:
each notice carries a key, and nobody receives the notice of one key twice. Recipients are only the
programme's consultants and ADEME officers, who see every meeting of their programme
(`Meeting.objects.visible_to`): a notice never names a meeting to someone who may not open it.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from enum import StrEnum
from typing import TYPE_CHECKING

from django.conf import settings
from django.db.models import Q, QuerySet
from django.urls import reverse
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _

from sobrindustrie.accounts.enums import Role
from sobrindustrie.documents import notifications
from sobrindustrie.documents.enums import NotificationKind
from sobrindustrie.engines.calendar import add_working_days
from sobrindustrie.engines.obligations import (
    ObligationInputError,
    ObligationKind,
    ObligationStatus,
    ScopeKind,
    default_catalogue,
)
from sobrindustrie.engines.obligations.catalogue import MinutesDeadlineObligation
from sobrindustrie.meetings.enums import MeetingStatus
from sobrindustrie.meetings.models import Meeting
from sobrindustrie.meetings.obligations import ObligationRow, compliance
from sobrindustrie.programmes.models import Programme

if TYPE_CHECKING:
    from sobrindustrie.accounts.models import User
    from sobrindustrie.meetings.models import Minutes

#: The catalogue's obligation that sets which meetings need minutes, and within how many working days.
MINUTES_OBLIGATION = "MINUTES_WITHIN_5_WORKING_DAYS"
#: The engine's statuses worth a notice: due soon (or otherwise at risk), and late but still curable.
#: Met and on-track need nothing; breached is final, there is nothing left to do about it.
NOTICE_STATUSES = frozenset({ObligationStatus.AT_RISK, ObligationStatus.LATE})
#: Held meetings older than this cannot have minutes still before their due date (5 working days
#: span at most 11 calendar days around Christmas): they are not read at all.
MINUTES_LOOKBACK = dt.timedelta(days=31)


class MinutesStage(StrEnum):
    """Where unsubmitted minutes stand against their due date, as of a day."""

    TO_WRITE = "to_write"  # held, not submitted, more than one working day left
    DUE_SOON = "due_soon"  # the due date is the next working day, or today


def minutes_obligation() -> MinutesDeadlineObligation:
    obligation = default_catalogue().get(MINUTES_OBLIGATION)
    if not isinstance(obligation, MinutesDeadlineObligation):
        raise TypeError(f"{MINUTES_OBLIGATION} must be a minutes deadline in the obligations catalogue")
    return obligation


def consultants_of(programme: Programme) -> QuerySet[User]:
    """They write the minutes and run the programme: the consultants working on it."""
    return notifications.staff_of(programme).filter(role=Role.CONSULTANT)


def validators_of(programme: Programme) -> QuerySet[User]:
    """Who validates minutes (`perms.can_validate_minutes`): the programme's ADEME officers."""
    return notifications.copil_of(programme)


def _date(day: dt.date) -> str:
    return formats.date_format(day, "j F Y")


def _minutes_url(meeting: Meeting) -> str:
    return reverse("www:meeting_detail", args=[meeting.pk]) + "#minutes"


# --- Minutes to write --------------------------------------------------------------------------------


def minutes_stage(starts_on: dt.date, today: dt.date, working_days: int) -> MinutesStage | None:
    """The stage of minutes not submitted yet, or None once their due date has passed (the late
    minutes are the deadline notices' business: `send_deadline_notices`)."""
    due = add_working_days(starts_on, working_days)
    if today > due:
        return None
    # The day before the due date may be a Friday before a Monday due date: counted in working days.
    if add_working_days(today, 1) >= due:
        return MinutesStage.DUE_SOON
    return MinutesStage.TO_WRITE


def meetings_owing_minutes(today: dt.date) -> QuerySet[Meeting]:
    """Meetings held by `today`, of a kind whose minutes are due, whose minutes are not submitted."""
    obligation = minutes_obligation()
    tomorrow = timezone.make_aware(dt.datetime.combine(today + dt.timedelta(days=1), dt.time.min))
    return (
        Meeting.objects.filter(
            status=MeetingStatus.HELD,
            kind__in=obligation.meetings.kinds,
            starts_at__lt=tomorrow,
            starts_at__gte=tomorrow - MINUTES_LOOKBACK,
        )
        .filter(Q(minutes__isnull=True) | Q(minutes__first_submitted_at__isnull=True))
        .select_related("programme")
        .order_by("starts_at", "pk")
    )


def send_minutes_reminders(today: dt.date | None = None) -> int:
    """Tell the programme's consultants about minutes to write: once when the meeting is held, once
    more when one working day is left. Returns the number of notifications recorded."""
    today = today or timezone.localdate()
    working_days = minutes_obligation().working_days
    recorded = 0
    with translation.override(settings.LANGUAGE_CODE):
        for meeting in meetings_owing_minutes(today):
            stage = minutes_stage(meeting.starts_on, today, working_days)
            if stage is None:
                continue
            due = add_working_days(meeting.starts_on, working_days)
            values = {"title": meeting.title, "date": _date(meeting.starts_on), "due": _date(due)}
            if stage == MinutesStage.DUE_SOON:
                title = _("Minutes due on %(due)s, one working day left: %(title)s (%(date)s)") % values
            else:
                title = _("Minutes to write by %(due)s: %(title)s (%(date)s)") % values
            recorded += notifications.notify(
                consultants_of(meeting.programme),
                NotificationKind.MINUTES_TO_WRITE,
                title,
                _minutes_url(meeting),
                key=f"minutes:{stage}:{meeting.pk}",
            )
    return recorded


# --- Minutes to validate -----------------------------------------------------------------------------


def minutes_submitted(minutes: Minutes, actor: User) -> int:
    """Tell the programme's ADEME officers, in the platform, that minutes await their validation.

    The minutes workflow already e-mails them at once (`emails.notify_minutes`), so these
    notifications are recorded as e-mailed: the digest must not repeat the news.
    """
    meeting = minutes.meeting
    submitted_at = minutes.submitted_at or timezone.now()
    with translation.override(settings.LANGUAGE_CODE):
        title = _("Minutes to validate: %(title)s (%(date)s)") % {
            "title": meeting.title,
            "date": _date(meeting.starts_on),
        }
    return notifications.notify(
        validators_of(meeting.programme),
        NotificationKind.TO_VALIDATE,
        title,
        _minutes_url(meeting),
        actor,
        # Each submission is news, a resubmission after a return included.
        key=f"minutes:submitted:{minutes.pk}:{submitted_at.isoformat()}",
        emailed=True,
    )


# --- Deadlines of the contract -----------------------------------------------------------------------


@dataclass
class DeadlineRun:
    recorded: int = 0
    errors: list[str] = field(default_factory=list)


def deadline_key(programme: Programme, row: ObligationRow) -> str:
    """One key per obligation instance and status: a new status is news, the same one is not."""
    result = row.result
    parts = (programme.pk, result.code, result.scope_kind, result.scope, result.period or "", result.status)
    return "obligation:" + ":".join(str(part) for part in parts)


def needs_notice(row: ObligationRow) -> bool:
    if row.result.status not in NOTICE_STATUSES:
        return False
    # Minutes still before their due date get the consultants' own reminders (working days).
    kind = default_catalogue().get(row.result.code).kind
    return not (kind == ObligationKind.MINUTES_DEADLINE and row.result.status == ObligationStatus.AT_RISK)


def deadline_title(row: ObligationRow) -> str:
    title = _("%(status)s: %(obligation)s") % {"status": row.status_label, "obligation": row.label}
    if row.scope_label:
        title += f" — {row.scope_label}"
    if row.result.due_on:
        title += " " + _("(due on %(date)s)") % {"date": _date(row.result.due_on)}
    return title


def deadline_url(programme: Programme, row: ObligationRow) -> str:
    if row.result.scope_kind == ScopeKind.MEETING:
        return reverse("www:meeting_detail", args=[int(row.result.scope)])
    return reverse("www:obligations", args=[programme.slug])


def send_deadline_notices(today: dt.date | None = None) -> DeadlineRun:
    """Tell the consultants and ADEME officers of each running programme about its obligations due
    soon or late, once per obligation and status. A programme whose records the engine refuses is
    reported in `errors` and the others are still handled."""
    today = today or timezone.localdate()
    run = DeadlineRun()
    with translation.override(settings.LANGUAGE_CODE):
        for programme in Programme.objects.filter(ends_on__gte=today).order_by("pk"):
            recipients = list(notifications.staff_of(programme))
            if not recipients:
                continue
            try:
                rows = compliance(programme, today).rows
            except ObligationInputError as error:
                run.errors.append(f"{programme.slug}: {error}")
                continue
            for row in rows:
                if needs_notice(row):
                    run.recorded += notifications.notify(
                        recipients,
                        NotificationKind.DEADLINE,
                        deadline_title(row),
                        deadline_url(programme, row),
                        key=deadline_key(programme, row),
                    )
    return run
