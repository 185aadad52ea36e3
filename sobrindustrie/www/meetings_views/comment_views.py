"""Comments on a meeting's minutes: whoever may read the minutes comments on them, the programme's
consultants mark comments as handled (HTMX, with a plain-form fallback).

The documents app's `Comment` is generic: the same rows, services and notifications serve documents,
news and minutes, and the programme-wide list of comments to handle shows these ones too.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.contenttypes.models import ContentType
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from sobrindustrie.documents import perms as comment_perms
from sobrindustrie.documents import services as comment_services
from sobrindustrie.documents.models import Comment
from sobrindustrie.meetings.models import Minutes
from sobrindustrie.meetings.perms import can_read_minutes
from sobrindustrie.www.documents_views.forms import CommentForm
from sobrindustrie.www.meetings_views.common import visible_meeting

FRAGMENT = "www/meetings/includes/minutes_comments.html"


def readable_minutes(request: HttpRequest, pk: int) -> Minutes:
    """The minutes of meeting `pk` if the user may read them (see `can_read_minutes`); 404 otherwise."""
    meeting = visible_meeting(request, pk)
    minutes = Minutes.objects.filter(meeting=meeting).first()
    if minutes is None:
        raise Http404
    meeting.minutes = minutes  # type: ignore[assignment]
    if not can_read_minutes(request.user, meeting):  # type: ignore[arg-type]
        raise Http404
    minutes.meeting = meeting
    return minutes


def minutes_comments_of(minutes: Minutes) -> Any:
    return Comment.objects.filter(
        content_type=ContentType.objects.get_for_model(Minutes), object_id=minutes.pk
    ).select_related("author", "handled_by")


def comments_context(
    request: HttpRequest, minutes: Minutes, form: CommentForm | None = None, notice: str = ""
) -> dict[str, Any]:
    """What the comments fragment needs; the meeting page merges it into its own context."""
    return {
        "minutes": minutes,
        "meeting": minutes.meeting,
        "minutes_comments": minutes_comments_of(minutes),
        "comment_form": form or CommentForm(prefix="comment"),
        "can_comment": comment_perms.can_comment(request.user),  # type: ignore[arg-type]
        "can_handle_comments": comment_perms.can_handle_comments(
            request.user,  # type: ignore[arg-type]
            minutes.meeting.programme,
        ),
        "comment_notice": notice,
    }


def _back(minutes: Minutes) -> str:
    return reverse("www:meeting_detail", args=[minutes.meeting_id]) + "#minutes-comments"


def minutes_comments(request: HttpRequest, pk: int) -> HttpResponse:
    """The minutes and their comments (GET); add a comment (POST)."""
    minutes = readable_minutes(request, pk)
    form = CommentForm(request.POST or None, prefix="comment")
    notice = ""
    if request.method == "POST" and form.is_valid():
        comment_services.add_comment(minutes, request.user, form.cleaned_data["body"])  # type: ignore[arg-type]
        notice = _("Comment sent.")
        if not request.htmx:  # type: ignore[attr-defined]
            messages.success(request, notice)
            return redirect(_back(minutes))
        form = CommentForm(prefix="comment")
    context = comments_context(request, minutes, form, notice)
    if request.htmx:  # type: ignore[attr-defined]
        return render(request, FRAGMENT, context)
    meeting = minutes.meeting
    context |= {
        "programme": meeting.programme,
        "page_title": _("Minutes of %(title)s") % {"title": meeting.title},
    }
    return render(request, "www/meetings/minutes_comments.html", context)


@require_POST
def minutes_comment_handle(request: HttpRequest, pk: int, comment_pk: int) -> HttpResponse:
    """Mark a comment on the minutes as handled: the programme's consultants only, others get a 404."""
    minutes = readable_minutes(request, pk)
    if not comment_perms.can_handle_comments(request.user, minutes.meeting.programme):  # type: ignore[arg-type]
        raise Http404
    comment = get_object_or_404(minutes_comments_of(minutes), pk=comment_pk)
    if comment.handled_at is None:
        comment_services.mark_handled(comment, request.user)  # type: ignore[arg-type]
    notice = _("Comment marked as handled.")
    if request.htmx:  # type: ignore[attr-defined]
        return render(request, FRAGMENT, comments_context(request, minutes, notice=notice))
    messages.success(request, notice)
    return redirect(_back(minutes))
