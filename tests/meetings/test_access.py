"""Every page of the meetings area, requested by every kind of user.

Written out as a matrix, like tests/www/test_access.py, so that a change of permissions shows up
as a readable diff. The SME member and the partner are invited to the workshop; the other SME is not.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.urls import reverse

from sobrindustrie.meetings.models import CalendarFeed
from tests.conftest import ROLES
from tests.meetings.conftest import MeetingsWorld

OK, NOT_FOUND, LOGIN, REDIRECT = 200, 404, 302, 302
ALL_OK = [OK] * 9
# role:          anon   ademe      consult sme        o_sme      partner    staff out_c      out_sme
PROGRAMME = [LOGIN, OK, OK, OK, OK, OK, OK, NOT_FOUND, NOT_FOUND]
OVERSEERS = [LOGIN, OK, OK, NOT_FOUND, NOT_FOUND, NOT_FOUND, OK, NOT_FOUND, NOT_FOUND]
MANAGERS = [LOGIN, NOT_FOUND, OK, NOT_FOUND, NOT_FOUND, NOT_FOUND, OK, NOT_FOUND, NOT_FOUND]
INVITED = [LOGIN, OK, OK, OK, NOT_FOUND, OK, OK, NOT_FOUND, NOT_FOUND]
ACCOUNTS = [LOGIN, OK, OK, OK, OK, OK, OK, OK, OK]

Url = Callable[[MeetingsWorld], str]


def _programme(name: str) -> Url:
    return lambda mw: reverse(f"www:{name}", args=[mw.programme.slug])


def _meeting(name: str, *extra: str) -> Url:
    return lambda mw: reverse(f"www:{name}", args=[mw.meeting.pk, *extra])


PAGES: dict[str, tuple[Url, list[int]]] = {
    "meeting_list": (_programme("meeting_list"), PROGRAMME),
    "meeting_calendar": (_programme("meeting_calendar"), PROGRAMME),
    "meeting_create": (_programme("meeting_create"), MANAGERS),
    "minutes_pending": (_programme("minutes_pending"), OVERSEERS),
    "time_entries": (_programme("time_entries"), OVERSEERS),
    "obligations": (_programme("obligations"), OVERSEERS),
    "meeting_detail": (_meeting("meeting_detail"), INVITED),
    "meeting_edit": (_meeting("meeting_edit"), MANAGERS),
    "meeting_ics": (_meeting("meeting_ics"), INVITED),
    "meeting_attendance": (_meeting("meeting_attendance"), MANAGERS),
    "document_download": (
        lambda mw: reverse("www:document_download", args=[mw.meeting.pk, mw.document.pk]),
        INVITED,
    ),
    "minutes_edit": (lambda mw: reverse("www:minutes_edit", args=[mw.draft_meeting.pk]), MANAGERS),
    "minutes_export_docx": (_meeting("minutes_export", "docx"), INVITED),
    "minutes_comments": (_meeting("minutes_comments"), INVITED),
    "survey_manage": (_meeting("survey_manage"), OVERSEERS),
    "survey_export_csv": (_meeting("survey_export", "csv"), OVERSEERS),
    "survey_export_xlsx": (_meeting("survey_export", "xlsx"), OVERSEERS),
    "survey_answer": (lambda mw: reverse("www:survey_answer", args=[mw.link.token]), ALL_OK),
    "event_manage": (lambda mw: reverse("www:event_manage", args=[mw.event_meeting.pk]), OVERSEERS),
    "event_attendees_export": (
        lambda mw: reverse("www:event_attendees_export", args=[mw.event_meeting.pk, "xlsx"]),
        OVERSEERS,
    ),
    "event_badges": (lambda mw: reverse("www:event_badges", args=[mw.event_meeting.pk]), OVERSEERS),
    "event_register": (lambda mw: reverse("www:event_register", args=[mw.event.public_token]), ALL_OK),
    "registration_manage": (
        lambda mw: reverse("www:registration_manage", args=[mw.registration.token]),
        ALL_OK,
    ),
    "time_entry_edit": (lambda mw: reverse("www:time_entry_edit", args=[mw.entry.pk]), MANAGERS),
    "my_calendar": (lambda mw: reverse("www:my_calendar"), ACCOUNTS),
    "calendar_feed": (
        lambda mw: reverse(
            "www:calendar_feed", args=[CalendarFeed.objects.create(user=mw.user("sme")).token]
        ),
        ALL_OK,
    ),
}


@pytest.mark.parametrize("page", PAGES)
@pytest.mark.parametrize("role_index,role", list(enumerate(ROLES)))
def test_each_role_gets_what_it_may(mw: MeetingsWorld, page: str, role_index: int, role: str) -> None:
    url, expected = PAGES[page]
    response = mw.world.client(role).get(url(mw))
    if response.streaming:
        b"".join(response.streaming_content)  # type: ignore[arg-type]
        response.close()
    assert response.status_code == expected[role_index], f"{page} as {role}"
    if response.status_code == LOGIN:
        assert response["Location"].startswith(reverse("www:login"))
    if response.status_code == OK and response.get("Content-Type", "").startswith("text/html"):
        assert "INVALID_TEMPLATE_VARIABLE" not in response.content.decode()


# POST-only actions: what each role gets. 302 is the redirect after the action (or to the login page
# for anonymous visitors); 200 a page shown again with the refusal explained.
POST_ACTIONS: dict[str, tuple[Callable[[MeetingsWorld], tuple[str, dict[str, str]]], list[int]]] = {
    "meeting_send_invitations": (
        lambda mw: (_meeting("meeting_send_invitations")(mw), {}),
        [LOGIN, 404, 302, 404, 404, 404, 302, 404, 404],
    ),
    "document_add": (
        lambda mw: (_meeting("document_add")(mw), {}),
        [LOGIN, 404, OK, 404, 404, 404, OK, 404, 404],
    ),
    "document_delete": (
        lambda mw: (reverse("www:document_delete", args=[mw.meeting.pk, mw.document.pk]), {}),
        [LOGIN, 404, 302, 404, 404, 404, 302, 404, 404],
    ),
    "minutes_submit": (
        lambda mw: (reverse("www:minutes_transition", args=[mw.draft_meeting.pk, "submit"]), {}),
        [LOGIN, OK, 302, 404, 404, 404, 302, 404, 404],
    ),
    "decision_add": (
        lambda mw: (_meeting("decision_add")(mw), {}),
        [LOGIN, 404, OK, 404, 404, 404, OK, 404, 404],
    ),
    "decision_status": (
        lambda mw: (
            reverse("www:decision_status", args=[mw.meeting.pk, mw.meeting.decisions.get().pk]),
            {"status": "done", "expected_version": "1"},
        ),
        [LOGIN, 404, 302, 404, 404, 404, 302, 404, 404],
    ),
    "survey_create": (
        lambda mw: (reverse("www:survey_create", args=[mw.meeting.pk]), {}),
        [LOGIN, 404, 302, 404, 404, 404, 302, 404, 404],
    ),
    "question_add": (
        lambda mw: (_meeting("question_add")(mw), {}),
        [LOGIN, 404, OK, 404, 404, 404, OK, 404, 404],
    ),
    "survey_send": (
        lambda mw: (_meeting("survey_send")(mw), {}),
        [LOGIN, 404, 302, 404, 404, 404, 302, 404, 404],
    ),
    "survey_close": (
        lambda mw: (_meeting("survey_close")(mw), {}),
        [LOGIN, 404, 302, 404, 404, 404, 302, 404, 404],
    ),
    "checklist_add": (
        lambda mw: (reverse("www:checklist_add", args=[mw.event_meeting.pk]), {}),
        [LOGIN, 404, OK, 404, 404, 404, OK, 404, 404],
    ),
    "checklist_toggle": (
        lambda mw: (reverse("www:checklist_toggle", args=[mw.event_meeting.pk, mw.item.pk]), {}),
        [LOGIN, 404, 302, 404, 404, 404, 302, 404, 404],
    ),
    "registration_cancel": (
        lambda mw: (reverse("www:registration_cancel", args=[mw.event_meeting.pk, mw.registration.pk]), {}),
        [LOGIN, 404, 302, 404, 404, 404, 302, 404, 404],
    ),
    "time_entry_delete": (
        lambda mw: (reverse("www:time_entry_delete", args=[mw.entry.pk]), {}),
        [LOGIN, 404, 302, 404, 404, 404, 302, 404, 404],
    ),
}


@pytest.mark.parametrize("action", POST_ACTIONS)
@pytest.mark.parametrize("role_index,role", list(enumerate(ROLES)))
def test_each_role_may_only_post_what_it_may(
    mw: MeetingsWorld, action: str, role_index: int, role: str
) -> None:
    build, expected = POST_ACTIONS[action]
    url, data = build(mw)
    response = mw.world.client(role).post(url, data)
    assert response.status_code == expected[role_index], f"{action} as {role}"
    if response.status_code == OK:
        assert "INVALID_TEMPLATE_VARIABLE" not in response.content.decode()
