"""iCalendar (RFC 5545) files for meetings: one meeting, an invitation, or a personal feed.

Times are written in UTC, which every calendar client converts, so no VTIMEZONE block is needed.
A meeting's UID is stable and its SEQUENCE is its version, so an updated invitation replaces the
previous one in the invitee's calendar instead of adding a second event.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from email.utils import parseaddr

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _
from icalendar import Calendar, Event, vCalAddress, vText

from sobrindustrie.meetings.enums import MeetingKind, MeetingStatus
from sobrindustrie.meetings.models import Meeting

PRODID = "-//Sobr'Industrie//Meetings//FR"


def _utc(value: dt.datetime) -> dt.datetime:
    return value.astimezone(dt.UTC).replace(microsecond=0)


def _organizer() -> vCalAddress:
    name, address = parseaddr(settings.DEFAULT_FROM_EMAIL)
    organizer = vCalAddress(f"mailto:{address}")
    organizer.params["cn"] = vText(name or "Sobr'Industrie")
    return organizer


def _description(meeting: Meeting) -> str:
    lines = [str(MeetingKind(meeting.kind).label)]
    if meeting.video_link:
        lines.append(_("Video link: %(link)s") % {"link": meeting.video_link})
    if meeting.agenda:
        lines += ["", _("Agenda"), meeting.agenda]
    lines += ["", settings.SITE_URL.rstrip("/") + meeting.get_absolute_url()]
    return "\n".join(lines)


def meeting_event(meeting: Meeting, *, with_attendees: bool = False) -> Event:
    """The VEVENT of a meeting; attendees (read from `meeting.invitations`) only for invitations."""
    event = Event()
    event.add("uid", meeting.ics_uid)
    event.add("dtstamp", _utc(timezone.now()))
    event.add("dtstart", _utc(meeting.starts_at))
    event.add("dtend", _utc(meeting.ends_at))
    event.add("summary", meeting.title)
    event.add("description", _description(meeting))
    event.add("location", meeting.place or meeting.video_link)
    if meeting.video_link:
        event.add("url", meeting.video_link)
    event.add("sequence", meeting.version)
    event.add("status", "CANCELLED" if meeting.status == MeetingStatus.CANCELLED else "CONFIRMED")
    event.add("categories", [str(MeetingKind(meeting.kind).label)])
    if with_attendees:
        event.add("organizer", _organizer())
        for invitation in meeting.invitations.all():
            attendee = vCalAddress(f"mailto:{invitation.user.email}")
            attendee.params["cn"] = vText(str(invitation.user))
            attendee.params["role"] = vText("REQ-PARTICIPANT")
            attendee.params["partstat"] = vText("NEEDS-ACTION")
            event.add("attendee", attendee, encode=0)
    return event


def calendar_bytes(
    meetings: Iterable[Meeting], *, name: str, method: str | None = None, with_attendees: bool = False
) -> bytes:
    """A VCALENDAR holding the given meetings; `method` "REQUEST" or "CANCEL" for e-mailed invitations."""
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", name)
    if method:
        calendar.add("method", method)
    for meeting in meetings:
        calendar.add_component(meeting_event(meeting, with_attendees=with_attendees))
    return calendar.to_ical()


def meeting_ics(meeting: Meeting, *, method: str | None = None) -> bytes:
    return calendar_bytes([meeting], name=meeting.title, method=method, with_attendees=method is not None)
