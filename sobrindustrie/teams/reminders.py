"""Reminders of prospecting next steps that fall due, sent through Django's e-mail framework.

One message per recipient listing all their due steps, so that a consultant following ten structures
gets one e-mail, not ten. A step is reminded once per due date: moving the date re-arms it. Each
step e-mailed is also recorded as the recipient's notification in the platform.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db import transaction
from django.db.models import F, Q
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _

from sobrindustrie.accounts.enums import Role
from sobrindustrie.accounts.models import User
from sobrindustrie.documents import notifications
from sobrindustrie.documents.enums import NotificationKind
from sobrindustrie.teams.models import Prospect


def due_prospects(today: dt.date, days_ahead: int = 0) -> list[Prospect]:
    """Open prospects whose next step is due by `today + days_ahead` and not yet reminded."""
    horizon = today + dt.timedelta(days=days_ahead)
    return list(
        Prospect.objects.open()
        .filter(next_step_due__isnull=False, next_step_due__lte=horizon)
        .filter(Q(reminder_sent_for__isnull=True) | ~Q(reminder_sent_for=F("next_step_due")))
        .select_related("team__programme", "organisation", "followed_by")
        .order_by("next_step_due", "pk")
    )


def _recipients(prospect: Prospect) -> list[User]:
    """The consultant following the prospect, else every active consultant of the programme."""
    if prospect.followed_by is not None and prospect.followed_by.is_active and prospect.followed_by.email:
        return [prospect.followed_by]
    return list(
        prospect.team.programme.staff_members.filter(role=Role.CONSULTANT, is_active=True).exclude(email="")
    )


def _message(user: User, prospects: list[Prospect], today: dt.date) -> EmailMessage:
    lines = [
        _("Hello %s,") % (user.first_name or user.email),
        "",
        _("These prospecting next steps are due:"),
        "",
    ]
    for prospect in prospects:
        assert prospect.next_step_due is not None
        late = _(" (late)") if prospect.next_step_due < today else ""
        lines += [
            f"- {prospect.next_step_due:%d/%m/%Y}{late} — {prospect.team} — {prospect.organisation}",
            f"  {prospect.next_step}",
            f"  {settings.SITE_URL.rstrip('/')}{prospect.get_absolute_url()}",
        ]
    lines += ["", "Sobr'Industrie"]
    subject = _("[Sobr'Industrie] %(count)d prospecting step(s) due") % {"count": len(prospects)}
    return EmailMessage(subject, "\n".join(lines), to=[user.email])


def _record(user: User, prospects: list[Prospect]) -> None:
    """Each step e-mailed is also the user's notification in the platform (already e-mailed)."""
    with translation.override(settings.LANGUAGE_CODE):
        for prospect in prospects:
            assert prospect.next_step_due is not None
            title = _("Prospecting step due on %(date)s: %(organisation)s — %(step)s") % {
                "date": formats.date_format(prospect.next_step_due, "j F Y"),
                "organisation": prospect.organisation,
                "step": prospect.next_step,
            }
            notifications.notify(
                [user],
                NotificationKind.PROSPECT,
                title,
                prospect.get_absolute_url(),
                key=f"prospect:{prospect.pk}:{prospect.next_step_due.isoformat()}",
                emailed=True,
            )


@transaction.atomic
def send_prospect_reminders(today: dt.date | None = None, days_ahead: int = 0, dry_run: bool = False) -> int:
    """Send the reminders due; return the number of e-mails (sent, or that would be sent)."""
    today = today or timezone.localdate()
    by_user: dict[User, list[Prospect]] = defaultdict(list)
    prospects = due_prospects(today, days_ahead)
    for prospect in prospects:
        for user in _recipients(prospect):
            by_user[user].append(prospect)
    if dry_run:
        return len(by_user)
    messages = [
        _message(user, items, today) for user, items in sorted(by_user.items(), key=lambda i: i[0].pk)
    ]
    get_connection().send_messages(messages)
    for user, items in by_user.items():
        _record(user, items)
    for prospect in prospects:
        if _recipients(prospect):
            prospect.reminder_sent_for = prospect.next_step_due
            prospect.save(update_fields=["reminder_sent_for"])
    return len(messages)
