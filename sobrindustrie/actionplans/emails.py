"""E-mails of the action plans: difficulties raised to ADEME and ADEME's answers.

One message per recipient, so that nobody sees the others' addresses. Each e-mail is also recorded
as the recipient's notification in the platform (already e-mailed, so the digest does not repeat it).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from sobrindustrie.accounts.enums import Role
from sobrindustrie.documents import notifications
from sobrindustrie.documents.enums import NotificationKind

if TYPE_CHECKING:
    from sobrindustrie.accounts.models import User
    from sobrindustrie.actionplans.models import Difficulty


# The notifications' titles (translated when recorded, in the platform's language).
RAISED_TITLE = gettext_noop("Difficulty raised by %(team)s: %(title)s")
ANSWERED_TITLE = gettext_noop("ADEME answered: %(title)s")


def _absolute(path: str) -> str:
    return settings.SITE_URL.rstrip("/") + path


def _send(recipients: list[str], subject: str, body: str) -> int:
    messages = [EmailMessage(subject, body, to=[address]) for address in sorted(set(recipients)) if address]
    if not messages:
        return 0
    return get_connection().send_messages(messages) or 0


def _context(difficulty: Difficulty) -> dict[str, str]:
    action = difficulty.action
    return {
        "team": action.plan.team.name,
        "action": action.title,
        "title": difficulty.title,
        "url": _absolute(difficulty.get_absolute_url()),
    }


def _record(users: list[User], title: str, difficulty: Difficulty, key: str) -> None:
    with translation.override(settings.LANGUAGE_CODE):
        notifications.notify(
            users,
            NotificationKind.DIFFICULTY,
            _(title) % _context(difficulty),
            difficulty.get_absolute_url(),
            key=key,
            emailed=True,
        )


def difficulty_raised(difficulty: Difficulty) -> int:
    """Tell the programme's ADEME officers; returns the number of messages sent."""
    programme = difficulty.action.plan.team.programme
    officers = list(programme.staff_members.filter(role=Role.ADEME, is_active=True))
    raised_at = difficulty.raised_at.isoformat() if difficulty.raised_at else ""
    _record(officers, RAISED_TITLE, difficulty, f"difficulty:raised:{difficulty.pk}:{raised_at}")
    context = _context(difficulty)
    subject = _("[Sobr'Industrie] Difficulty raised by %(team)s: %(title)s") % context
    lines = [
        _("Hello,"),
        "",
        _("The consultant raises a difficulty met by the project team %(team)s on the action « %(action)s »:")
        % context,
        "",
        difficulty.title,
    ]
    if difficulty.description:
        lines += ["", difficulty.description]
    lines += ["", _("Read it and answer on the platform: %(url)s") % context, "", "Sobr'Industrie"]
    return _send([officer.email for officer in officers], subject, "\n".join(lines))


def difficulty_answered(difficulty: Difficulty) -> int:
    """Tell whoever reported and raised the difficulty that ADEME answered."""
    context = _context(difficulty)
    subject = _("[Sobr'Industrie] ADEME answered: %(title)s") % context
    body = "\n".join(
        [
            _("Hello,"),
            "",
            _("ADEME answered the difficulty « %(title)s » (%(team)s, action « %(action)s »):") % context,
            "",
            difficulty.ademe_answer,
            "",
            _("Details on the platform: %(url)s") % context,
            "",
            "Sobr'Industrie",
        ]
    )
    people = list(
        {
            u.pk: u for u in (difficulty.reported_by, difficulty.raised_by) if u is not None and u.is_active
        }.values()
    )
    answered_at = difficulty.answered_at.isoformat() if difficulty.answered_at else ""
    _record(people, ANSWERED_TITLE, difficulty, f"difficulty:answered:{difficulty.pk}:{answered_at}")
    return _send([u.email for u in people], subject, body)
