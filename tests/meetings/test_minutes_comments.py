"""Comments on minutes: whoever reads the minutes comments on them, the consultant marks them handled.

The workshop of `mw` has validated minutes; the SME member and the partner are invited to it, the
other SME is not. The COPIL of `mw` has draft minutes, which only the programme staff read.
"""

from __future__ import annotations

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from sobrindustrie.documents import services as comment_services
from sobrindustrie.documents.enums import NotificationKind
from sobrindustrie.documents.models import Comment, Notification
from sobrindustrie.meetings.models import Minutes
from tests.conftest import ROLES
from tests.factories import UserFactory
from tests.meetings.conftest import MeetingsWorld

OK, NOT_FOUND, LOGIN, REDIRECT = 200, 404, 302, 302
HTMX = {"HTTP_HX_REQUEST": "true"}
# role:      anon   ademe  consult sme  o_sme      partner staff out_c      out_sme
READERS = [LOGIN, OK, OK, OK, NOT_FOUND, OK, OK, NOT_FOUND, NOT_FOUND]
COMMENTERS = [LOGIN, REDIRECT, REDIRECT, REDIRECT, NOT_FOUND, REDIRECT, REDIRECT, NOT_FOUND, NOT_FOUND]
HANDLERS = [LOGIN, NOT_FOUND, REDIRECT, NOT_FOUND, NOT_FOUND, NOT_FOUND, REDIRECT, NOT_FOUND, NOT_FOUND]
STAFF_ONLY = [LOGIN, OK, OK, NOT_FOUND, NOT_FOUND, NOT_FOUND, OK, NOT_FOUND, NOT_FOUND]


def comments_url(mw: MeetingsWorld, meeting: object = None) -> str:
    return reverse("www:minutes_comments", args=[(meeting or mw.meeting).pk])  # type: ignore[attr-defined]


def handle_url(mw: MeetingsWorld, comment: Comment) -> str:
    return reverse("www:minutes_comment_handle", args=[mw.meeting.pk, comment.pk])


def comment_on(minutes: Minutes, user: object, body: str = "Ajouter le chiffrage du point 2.") -> Comment:
    return comment_services.add_comment(minutes, user, body)  # type: ignore[arg-type]


def comments_of(minutes: Minutes) -> list[Comment]:
    content_type = ContentType.objects.get_for_model(Minutes)
    return list(Comment.objects.filter(content_type=content_type, object_id=minutes.pk))


# --- Who reads, comments and handles -------------------------------------------------------------------


@pytest.mark.parametrize("role_index,role", list(enumerate(ROLES)))
def test_the_minutes_page_with_comments_is_for_their_readers(
    mw: MeetingsWorld, role_index: int, role: str
) -> None:
    comment_on(mw.meeting.minutes, mw.user("partner"), "Préciser le calendrier.")
    response = mw.world.client(role).get(comments_url(mw))
    assert response.status_code == READERS[role_index], role
    if response.status_code == OK:
        page = response.content.decode()
        assert "Préciser le calendrier." in page and "Besoins communs." in page
        assert "INVALID_TEMPLATE_VARIABLE" not in page


@pytest.mark.parametrize("role_index,role", list(enumerate(ROLES)))
def test_draft_minutes_and_their_comments_stay_with_the_programme_staff(
    mw: MeetingsWorld, role_index: int, role: str
) -> None:
    # Invited to the COPIL, the SME member and the partner see the meeting but not its draft minutes.
    for invitee in ("sme", "partner"):
        mw.draft_meeting.invitations.create(user=mw.user(invitee))
    comment_on(mw.draft_meeting.minutes, mw.user("ademe"), "Reformuler la décision 2.")
    client = mw.world.client(role)
    response = client.get(comments_url(mw, mw.draft_meeting))
    assert response.status_code == STAFF_ONLY[role_index], role
    detail = client.get(reverse("www:meeting_detail", args=[mw.draft_meeting.pk]))
    assert ("Reformuler la décision 2." in detail.content.decode()) == (STAFF_ONLY[role_index] == OK)
    reads = role in {"ademe", "consultant", "staff"}
    posted = client.post(comments_url(mw, mw.draft_meeting), {"comment-body": "Vu."})
    assert posted.status_code == (REDIRECT if reads or role == "anonymous" else NOT_FOUND), role
    assert len(comments_of(mw.draft_meeting.minutes)) == (2 if reads else 1)


@pytest.mark.parametrize("role_index,role", list(enumerate(ROLES)))
def test_readers_of_the_minutes_comment_and_nobody_else(
    mw: MeetingsWorld, role_index: int, role: str
) -> None:
    response = mw.world.client(role).post(comments_url(mw), {"comment-body": "Merci pour ce compte rendu."})
    assert response.status_code == COMMENTERS[role_index], role
    comments = comments_of(mw.meeting.minutes)
    if COMMENTERS[role_index] == REDIRECT and role != "anonymous":
        assert (
            response["Location"] == reverse("www:meeting_detail", args=[mw.meeting.pk]) + "#minutes-comments"
        )
        assert [(c.author, c.body) for c in comments] == [(mw.user(role), "Merci pour ce compte rendu.")]
    else:
        assert comments == []


@pytest.mark.parametrize("role_index,role", list(enumerate(ROLES)))
def test_only_the_consultant_marks_a_comment_handled(mw: MeetingsWorld, role_index: int, role: str) -> None:
    comment = comment_on(mw.meeting.minutes, mw.user("sme"))
    response = mw.world.client(role).post(handle_url(mw, comment))
    assert response.status_code == HANDLERS[role_index], role
    comment.refresh_from_db()
    if HANDLERS[role_index] == REDIRECT and role != "anonymous":
        assert comment.handled_by == mw.user(role) and comment.handled_at is not None
    else:
        assert comment.handled_at is None


def test_a_comment_on_other_minutes_cannot_be_handled_through_this_meeting(mw: MeetingsWorld) -> None:
    other = comment_on(mw.draft_meeting.minutes, mw.user("ademe"))
    url = reverse("www:minutes_comment_handle", args=[mw.meeting.pk, other.pk])
    assert mw.world.client("consultant").post(url).status_code == NOT_FOUND
    other.refresh_from_db()
    assert other.handled_at is None


def test_handling_is_a_post(mw: MeetingsWorld) -> None:
    comment = comment_on(mw.meeting.minutes, mw.user("sme"))
    assert mw.world.client("consultant").get(handle_url(mw, comment)).status_code == 405


# --- HTMX ----------------------------------------------------------------------------------------------


def test_marking_handled_with_htmx_answers_with_the_comments_only(mw: MeetingsWorld) -> None:
    comment = comment_on(mw.meeting.minutes, mw.user("sme"), "Le point 3 manque.")
    response = mw.world.client("consultant").post(handle_url(mw, comment), **HTMX)
    assert response.status_code == OK
    fragment = response.content.decode()
    assert 'id="minutes-comments"' in fragment and "<html" not in fragment
    assert "Comment marked as handled." in fragment and "Handled" in fragment
    assert "Mark as handled" not in fragment
    assert "INVALID_TEMPLATE_VARIABLE" not in fragment


def test_commenting_with_htmx_answers_with_the_new_list(mw: MeetingsWorld) -> None:
    client = mw.world.client("partner")
    response = client.post(comments_url(mw), {"comment-body": "Et la maintenance ?"}, **HTMX)
    assert response.status_code == OK
    fragment = response.content.decode()
    assert "Et la maintenance ?" in fragment and "Comment sent." in fragment
    assert "<html" not in fragment and "Mark as handled" not in fragment, "the partner handles nothing"


def test_an_empty_comment_is_refused_with_a_message(mw: MeetingsWorld) -> None:
    response = mw.world.client("sme").post(comments_url(mw), {"comment-body": "  "}, **HTMX)
    assert response.status_code == OK
    assert "This field is required." in response.content.decode()
    assert comments_of(mw.meeting.minutes) == []


# --- On the meeting page, in notifications and in the list of comments to handle -------------------------


def test_the_meeting_page_shows_comments_and_the_handle_button_to_the_consultant(mw: MeetingsWorld) -> None:
    comment_on(mw.meeting.minutes, mw.user("partner"), "Préciser le calendrier.")
    detail = reverse("www:meeting_detail", args=[mw.meeting.pk])
    consultant_page = mw.world.client("consultant").get(detail).content.decode()
    sme_page = mw.world.client("sme").get(detail).content.decode()
    assert "Préciser le calendrier." in consultant_page and "Préciser le calendrier." in sme_page
    assert "Mark as handled" in consultant_page and "Mark as handled" not in sme_page
    assert 'hx-post="' + comments_url(mw) + '"' in sme_page


def test_a_comment_tells_the_consultants(mw: MeetingsWorld) -> None:
    mw.world.client("sme").post(comments_url(mw), {"comment-body": "Une coquille en page 2."})
    notice = Notification.objects.get(kind=NotificationKind.COMMENT)
    assert notice.user == mw.user("consultant")
    assert mw.world.client("consultant").get(notice.url).status_code == OK


def test_minutes_comments_join_the_programmes_comments_to_handle(mw: MeetingsWorld) -> None:
    comment_on(mw.meeting.minutes, mw.user("sme"), "Une coquille en page 2.")
    listing = mw.world.client("consultant").get(reverse("www:comment_list", args=[mw.programme.slug]))
    assert "Une coquille en page 2." in listing.content.decode()


# --- Queries -------------------------------------------------------------------------------------------


def _add_comments(mw: MeetingsWorld, count: int) -> None:
    for n in range(count):
        author = UserFactory(role="sme", organisation=mw.world.sme_org)
        comment = comment_on(mw.meeting.minutes, author, f"Remarque {n}")
        if n % 2:
            comment_services.mark_handled(comment, mw.user("consultant"))


@pytest.mark.parametrize(
    "url,extra",
    [
        (lambda mw: comments_url(mw), {}),
        (lambda mw: comments_url(mw), HTMX),
        (lambda mw: reverse("www:meeting_detail", args=[mw.meeting.pk]), {}),
    ],
    ids=["page", "htmx", "meeting_page"],
)
@pytest.mark.parametrize("role", ["consultant", "sme"])
def test_the_number_of_queries_does_not_grow_with_the_comments(
    mw: MeetingsWorld, django_assert_max_num_queries, url, extra, role: str
) -> None:  # type: ignore[no-untyped-def]
    client = mw.world.client(role)
    _add_comments(mw, 2)
    client.get(url(mw), **extra)  # warm the caches (content types, session)
    with CaptureQueriesContext(connection) as few:
        assert client.get(url(mw), **extra).status_code == OK
    _add_comments(mw, 20)
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(url(mw), **extra)
    assert response.content.decode().count("Remarque ") == 22
