"""Object lookups shared by the meetings views: each returns what the user may see, or raises 404."""

from __future__ import annotations

from django.http import Http404, HttpRequest
from django.shortcuts import get_object_or_404

from sobrindustrie.meetings.models import Meeting
from sobrindustrie.meetings.perms import can_manage_meetings, can_oversee


def visible_meeting(request: HttpRequest, pk: int) -> Meeting:
    queryset = Meeting.objects.visible_to(request.user).select_related("programme")  # type: ignore[arg-type]
    return get_object_or_404(queryset, pk=pk)


def overseen_meeting(request: HttpRequest, pk: int) -> Meeting:
    meeting = visible_meeting(request, pk)
    if not can_oversee(request.user, meeting.programme):  # type: ignore[arg-type]
        raise Http404
    return meeting


def managed_meeting(request: HttpRequest, pk: int) -> Meeting:
    meeting = visible_meeting(request, pk)
    if not can_manage_meetings(request.user, meeting.programme):  # type: ignore[arg-type]
        raise Http404
    return meeting
