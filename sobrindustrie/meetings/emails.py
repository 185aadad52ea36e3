"""E-mails of the meetings area, through Django's e-mail framework (console by default, SMTP by settings).

Each function sends one message per recipient, so that nobody sees the others' addresses and a
personal link never reaches the wrong person. What reaches a user of the platform is also recorded
as their notification (`_record`), marked as e-mailed so that the daily digest does not repeat it.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.urls import reverse
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from sobrindustrie.documents import notifications
from sobrindustrie.documents.enums import NotificationKind
from sobrindustrie.meetings.ics import meeting_ics
from sobrindustrie.meetings.models import Invitation, Meeting, Minutes, Registration, SurveyInvitation

if TYPE_CHECKING:
    from sobrindustrie.accounts.models import User

ICS_TYPE = "text/calendar; method=REQUEST; charset=utf-8"
INVITATION_TITLE = gettext_noop("Invitation: %(title)s (%(date)s)")
REMINDER_TITLE = gettext_noop("Reminder: %(title)s (%(date)s)")
SURVEY_TITLE = gettext_noop("Your opinion on %(title)s")
MINUTES_TITLES = {
    "validate": (NotificationKind.VALIDATED, gettext_noop("Minutes validated: %(title)s (%(date)s)")),
    "return": (NotificationKind.RETURNED, gettext_noop("Minutes returned for changes: %(title)s (%(date)s)")),
}


def _absolute(path: str) -> str:
    return settings.SITE_URL.rstrip("/") + path


def _when(meeting: Meeting) -> str:
    start = timezone.localtime(meeting.starts_at)
    end = timezone.localtime(meeting.ends_at)
    return _("%(day)s from %(start)s to %(end)s") % {
        "day": formats.date_format(start, "l j F Y"),
        "start": start.strftime("%H:%M"),
        "end": end.strftime("%H:%M"),
    }


def _meeting_text(meeting: Meeting, greeting: str, intro: str) -> str:
    lines = [
        greeting,
        "",
        intro,
        "",
        f"« {meeting.title} »",
        _("When: %(when)s") % {"when": _when(meeting)},
    ]
    if meeting.place:
        lines.append(_("Where: %(place)s") % {"place": meeting.place})
    if meeting.video_link:
        lines.append(_("Video link: %(link)s") % {"link": meeting.video_link})
    lines += [
        "",
        _("The agenda and documents are on the platform: %(url)s")
        % {"url": _absolute(meeting.get_absolute_url())},
        _("The attached .ics file adds the meeting to your calendar."),
        "",
        "Sobr'Industrie",
    ]
    return "\n".join(lines)


def _record(
    users: Iterable[User], kind: NotificationKind, title: str, values: dict[str, str], url: str, key: str
) -> None:
    """The notification of an e-mail just sent; `title` (a gettext_noop message) is translated in
    the platform's language, like every notification."""
    with translation.override(settings.LANGUAGE_CODE):
        notifications.notify(users, kind, _(title) % values, url, key=key, emailed=True)


def _send(messages: list[EmailMessage]) -> int:
    if not messages:
        return 0
    with get_connection() as connection:
        return connection.send_messages(messages) or 0


def send_invitations(meeting: Meeting, invitations: Iterable[Invitation], *, reminder: bool = False) -> int:
    """Invitation (or reminder) e-mails with the meeting's .ics attached; returns the number sent."""
    ics = meeting_ics(meeting, method="REQUEST")
    subject = (_("Reminder: %(title)s") if reminder else _("Invitation: %(title)s")) % {
        "title": meeting.title
    }
    intro = (
        _("This is a reminder of the meeting below.")
        if reminder
        else _("You are invited to the meeting below.")
    )
    messages = []
    invitations = list(invitations)
    for invitation in invitations:
        user = invitation.user
        greeting = _("Hello %(name)s,") % {"name": user.get_short_name()}
        message = EmailMessage(subject, _meeting_text(meeting, greeting, intro), to=[user.email])
        message.attach("invitation.ics", ics, ICS_TYPE)
        messages.append(message)
    stage = "reminder" if reminder else "invitation"
    _record(
        [invitation.user for invitation in invitations],
        NotificationKind.INVITATION,
        REMINDER_TITLE if reminder else INVITATION_TITLE,
        {"title": meeting.title, "date": formats.date_format(meeting.starts_on, "j F Y")},
        meeting.get_absolute_url(),
        f"meeting:{stage}:{meeting.pk}:{meeting.starts_at.isoformat()}",
    )
    return _send(messages)


def send_survey_links(links: Iterable[SurveyInvitation]) -> int:
    messages = []
    for link in links:
        if link.user is not None:
            _record(
                [link.user],
                NotificationKind.SURVEY,
                SURVEY_TITLE,
                {"title": link.survey.meeting.title},
                link.get_absolute_url(),
                f"survey:{link.pk}",
            )
        meeting = link.survey.meeting
        body = "\n".join(
            [
                _("Hello %(name)s,") % {"name": link.name},
                "",
                _("Thank you for taking part in « %(title)s ». Please tell us what you thought of it:")
                % {"title": meeting.title},
                _absolute(link.get_absolute_url()),
                "",
                _("This link is personal: it needs no login. You can change your answer until %(close)s.")
                % {
                    "close": formats.date_format(timezone.localtime(link.survey.effective_close), "j F Y H:i")
                },
                "",
                "Sobr'Industrie",
            ]
        )
        messages.append(
            EmailMessage(_("Your opinion on %(title)s") % {"title": meeting.title}, body, to=[link.email])
        )
    return _send(messages)


def send_registration_confirmation(registration: Registration) -> int:
    meeting = registration.event.meeting
    if registration.status == "confirmed":
        status_line = _("Your registration is confirmed.")
    else:
        status_line = _("The event is full: you are on the waiting list and will be told if a seat frees up.")
    body = "\n".join(
        [
            _("Hello %(name)s,") % {"name": registration.name},
            "",
            f"« {meeting.title} » — {_when(meeting)}",
            meeting.place,
            "",
            status_line,
            _("To cancel your registration: %(url)s")
            % {"url": _absolute(reverse("www:registration_manage", args=[registration.token]))},
            "",
            "Sobr'Industrie",
        ]
    )
    message = EmailMessage(
        _("Registration: %(title)s") % {"title": meeting.title}, body, to=[registration.email]
    )
    if registration.status == "confirmed":
        message.attach("evenement.ics", meeting_ics(meeting), "text/calendar; charset=utf-8")
    return _send([message])


def notify_minutes(minutes: Minutes, action: str, recipients: Iterable[User], comment: str = "") -> int:
    """Tell ADEME that minutes await validation, or the consultants that they were validated or returned.

    Each e-mail ends with a link that stops e-mails without logging in; who chose "no e-mail" gets none
    (the in-platform notification remains)."""
    from sobrindustrie.documents.enums import DigestFrequency
    from sobrindustrie.documents.notifications import frequency_of, unsubscribe_url

    meeting = minutes.meeting
    subjects = {
        "submit": _("Minutes to validate: %(title)s"),
        "validate": _("Minutes validated: %(title)s"),
        "return": _("Minutes returned for changes: %(title)s"),
    }
    if action not in subjects:
        return 0
    lines = [f"« {meeting.title} » ({formats.date_format(meeting.starts_on, 'j F Y')})"]
    if comment:
        lines += ["", _("Comment: %(comment)s") % {"comment": comment}]
    lines += ["", _absolute(minutes.get_absolute_url()), "", "Sobr'Industrie"]
    subject = subjects[action] % {"title": meeting.title}
    recipients = list(recipients)
    if action in MINUTES_TITLES:
        # Submission is recorded by `notifications.minutes_submitted`, within the workflow's transaction.
        kind, title = MINUTES_TITLES[action]
        _record(
            recipients,
            kind,
            title,
            {"title": meeting.title, "date": formats.date_format(meeting.starts_on, "j F Y")},
            minutes.get_absolute_url(),
            f"minutes:{action}:{minutes.pk}:{minutes.version}",
        )
    messages = []
    for user in recipients:
        if frequency_of(user) == DigestFrequency.NEVER:
            continue
        link = unsubscribe_url(user)
        body = "\n".join([*lines, "", _("To stop these e-mails: %(url)s") % {"url": link}])
        message = EmailMessage(subject, body, to=[user.email])
        message.extra_headers["List-Unsubscribe"] = f"<{link}>"
        messages.append(message)
    return _send(messages)
