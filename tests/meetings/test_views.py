"""The meetings pages: forms, refusals that keep what was typed, public links, feeds and exports."""

from __future__ import annotations

import datetime as dt
import io

import icalendar
import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from sobrindustrie.meetings import services
from sobrindustrie.meetings.enums import MinutesStatus
from sobrindustrie.meetings.models import (
    CalendarFeed,
    Meeting,
    Minutes,
    Registration,
    SurveyResponse,
    TimeEntry,
)
from tests.conftest import World
from tests.meetings.conftest import MeetingsWorld
from tests.meetings.factories import MeetingFactory, TimeEntryFactory


def _meeting_data(world: World, **overrides: object) -> dict[str, object]:
    data: dict[str, object] = {
        "kind": "copil",
        "title": "COPIL de printemps",
        "starts_at": "2027-03-16T14:00",
        "ends_at": "2027-03-16T16:30",
        "mode": "hybrid",
        "place": "ADEME, Marseille",
        "video_link": "https://visio.test.example/copil",
        "agenda": "1. Avancement",
        "status": "planned",
        "attended_by_consultant": "on",
        "invitees": [world.users["ademe"].pk, world.users["sme"].pk],
        "expected_version": "",
    }
    data.update(overrides)
    return data


def test_a_consultant_creates_a_meeting_and_sends_the_invitations(
    world: World, django_capture_on_commit_callbacks
) -> None:  # type: ignore[no-untyped-def]
    url = reverse("www:meeting_create", args=[world.programme.slug])
    with django_capture_on_commit_callbacks(execute=True):
        response = world.client("consultant").post(url, {**_meeting_data(world), "send": "1"})
    meeting = Meeting.objects.get(title="COPIL de printemps")
    assert response.status_code == 302 and response["Location"] == meeting.get_absolute_url()
    assert timezone.localtime(meeting.starts_at).hour == 14
    assert {m.to[0] for m in mail.outbox} == {world.users["ademe"].email, world.users["sme"].email}
    name, content, mimetype = mail.outbox[0].attachments[0]
    assert name == "invitation.ics" and mimetype.startswith("text/calendar")
    event = icalendar.Calendar.from_ical(content).walk("VEVENT")[0]
    assert str(event["SUMMARY"]) == "COPIL de printemps"
    assert meeting.invitations.filter(invited_at__isnull=False).count() == 2


@pytest.mark.parametrize(
    "overrides,field_fragment",
    [
        ({"ends_at": "2027-03-16T13:00"}, "The end must come after the start."),
        ({"starts_at": "16 mars"}, "Enter a valid date/time."),
        ({"place": "", "video_link": ""}, "Give a place or a video link."),
    ],
)
def test_bad_meetings_are_refused_with_the_rule_and_the_input_kept(
    world: World, overrides: dict[str, object], field_fragment: str
) -> None:
    url = reverse("www:meeting_create", args=[world.programme.slug])
    response = world.client("consultant").post(url, _meeting_data(world, **overrides))
    body = response.content.decode()
    assert response.status_code == 200
    assert field_fragment in body
    assert 'value="COPIL de printemps"' in body
    assert not Meeting.objects.filter(title="COPIL de printemps").exists()


def test_an_invitee_outside_the_programme_is_refused_on_the_form(world: World) -> None:
    outsider = world.users["outsider_sme"]
    url = reverse("www:meeting_create", args=[world.programme.slug])
    response = world.client("consultant").post(
        url, _meeting_data(world, invitees=[world.users["sme"].pk, outsider.pk])
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert f"{outsider} cannot be invited" in body
    assert not Meeting.objects.filter(title="COPIL de printemps").exists()


def test_the_form_offers_only_programme_members(world: World) -> None:
    body = (
        world.client("consultant")
        .get(reverse("www:meeting_create", args=[world.programme.slug]))
        .content.decode()
    )
    assert str(world.users["sme"]) in body
    assert str(world.users["outsider_sme"]) not in body


def test_the_meeting_page_shows_carried_decisions_to_overseers_only(mw: MeetingsWorld) -> None:
    later = MeetingFactory(programme=mw.programme)
    services.set_invitees(later, [mw.user("sme")])
    decision = mw.meeting.decisions.get()
    consultant_page = mw.world.client("consultant").get(later.get_absolute_url()).content.decode()
    assert decision.text in consultant_page and "carried" in consultant_page
    assert decision.text not in mw.world.client("sme").get(later.get_absolute_url()).content.decode()


def test_invitees_see_minutes_only_once_validated(mw: MeetingsWorld) -> None:
    client = mw.world.client("sme")
    assert "Besoins communs" in client.get(mw.meeting.get_absolute_url()).content.decode()
    Minutes.objects.filter(meeting=mw.meeting).update(status=MinutesStatus.SUBMITTED)
    body = client.get(mw.meeting.get_absolute_url()).content.decode()
    assert "Besoins communs" not in body and "once ADEME has validated" in body
    assert client.get(reverse("www:minutes_export", args=[mw.meeting.pk, "docx"])).status_code == 404


def test_minutes_go_through_the_workflow_from_the_pages(mw: MeetingsWorld) -> None:
    meeting = mw.draft_meeting
    consultant, ademe = mw.world.client("consultant"), mw.world.client("ademe")
    url = reverse("www:minutes_edit", args=[meeting.pk])
    minutes = meeting.minutes
    assert (
        consultant.post(
            url, {"body": "# Relevé\n\nTout va bien.", "expected_version": minutes.version}
        ).status_code
        == 302
    )
    assert consultant.post(reverse("www:minutes_transition", args=[meeting.pk, "submit"])).status_code == 302
    refused = ademe.post(
        reverse("www:minutes_transition", args=[meeting.pk, "return"]), {"transition-comment": ""}
    )
    assert refused.status_code == 200 and "reason is required" in refused.content.decode()
    returned = ademe.post(
        reverse("www:minutes_transition", args=[meeting.pk, "return"]),
        {"transition-comment": "Préciser le budget"},
    )
    assert returned.status_code == 302
    minutes.refresh_from_db()
    assert minutes.status == MinutesStatus.RETURNED and minutes.body.startswith("# Relevé")
    pending = ademe.get(reverse("www:minutes_pending", args=[mw.programme.slug])).content.decode()
    assert "Préciser le budget" in pending


def test_validated_minutes_cannot_be_edited(mw: MeetingsWorld) -> None:
    response = mw.world.client("consultant").get(reverse("www:minutes_edit", args=[mw.meeting.pk]))
    assert response.status_code == 302


def test_attendance_and_a_guest_are_recorded(mw: MeetingsWorld) -> None:
    invitation = mw.meeting.invitations.get(user=mw.user("sme"))
    url = reverse("www:meeting_attendance", args=[mw.meeting.pk])
    data = {f"att-{i.pk}": "present" for i in mw.meeting.invitations.all()}
    data.update({f"att-{invitation.pk}": "excused", "guest_name": "Marie Lopez", "guest_organisation": "CCI"})
    assert mw.world.client("consultant").post(url, data).status_code == 302
    invitation.refresh_from_db()
    assert invitation.attendance == "excused"
    assert mw.meeting.guests.get().organisation_name == "CCI"


def test_a_document_over_the_size_limit_is_refused(mw: MeetingsWorld, settings) -> None:  # type: ignore[no-untyped-def]
    """The upload policy (core.uploads) holds here too: the hostile set is in tests/www."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from tests.documents.files import PDF

    settings.DOCUMENTS_MAX_UPLOAD_MB = 1
    upload = SimpleUploadedFile("gros.pdf", PDF + b" " * 1024 * 1024)
    response = mw.world.client("consultant").post(
        reverse("www:document_add", args=[mw.meeting.pk]),
        {"document-title": "Gros", "document-file": upload},
    )
    assert response.status_code == 200 and "the limit is 1 MB" in response.content.decode()
    assert mw.meeting.documents.count() == 1


# --- Survey through its personal link --------------------------------------------------------------


def _answer_data(mw: MeetingsWorld, **values: object) -> dict[str, object]:
    questions = {q.position: q for q in mw.survey.questions.all()}
    data: dict[str, object] = {f"q{questions[1].pk}": "4", f"q{questions[6].pk}": "Très utile"}
    data.update({f"q{questions[int(k[1:])].pk}": v for k, v in values.items()})
    return data


def test_a_survey_is_answered_through_its_link_without_login_then_edited(mw: MeetingsWorld) -> None:
    client = mw.world.client("anonymous")
    url = reverse("www:survey_answer", args=[mw.link.token])
    assert client.post(url, {**_answer_data(mw), "expected_version": ""}).status_code == 302
    response = SurveyResponse.objects.get(invitation=mw.link)
    page = client.get(url).content.decode()
    assert "Très utile" in page and "Answer recorded" in page
    edit = client.post(
        url, {**_answer_data(mw, q6="Finalement moyen"), "expected_version": str(response.version)}
    )
    assert edit.status_code == 302
    assert (
        SurveyResponse.objects.get(invitation=mw.link).answers.get(question__position=6).text
        == "Finalement moyen"
    )


def test_a_second_answer_is_refused_and_what_was_typed_kept(mw: MeetingsWorld) -> None:
    client = mw.world.client("anonymous")
    url = reverse("www:survey_answer", args=[mw.link.token])
    client.post(url, {**_answer_data(mw), "expected_version": ""})
    second = client.post(url, {**_answer_data(mw, q6="Une autre réponse"), "expected_version": ""})
    body = second.content.decode()
    assert second.status_code == 409
    assert "already answered" in body and "Une autre réponse" in body
    assert SurveyResponse.objects.filter(invitation=mw.link).count() == 1
    assert (
        SurveyResponse.objects.get(invitation=mw.link).answers.get(question__position=6).text == "Très utile"
    )


def test_a_required_question_left_blank_is_named(mw: MeetingsWorld) -> None:
    url = reverse("www:survey_answer", args=[mw.link.token])
    response = mw.world.client("anonymous").post(url, {"expected_version": ""})
    assert response.status_code == 200 and "This field is required." in response.content.decode()
    assert not SurveyResponse.objects.exists()


def test_a_link_reused_after_closing_is_refused_and_nothing_is_lost(mw: MeetingsWorld) -> None:
    client = mw.world.client("anonymous")
    url = reverse("www:survey_answer", args=[mw.link.token])
    client.post(url, {**_answer_data(mw), "expected_version": ""})
    services.close_survey(mw.survey)
    page = client.get(url)
    assert page.status_code == 200 and "This survey is closed" in page.content.decode()
    version = SurveyResponse.objects.get(invitation=mw.link).version
    late = client.post(url, {**_answer_data(mw, q6="Trop tard"), "expected_version": str(version)})
    assert late.status_code == 409
    assert "Trop tard" in late.content.decode()  # shown back, not saved
    assert (
        SurveyResponse.objects.get(invitation=mw.link).answers.get(question__position=6).text == "Très utile"
    )


def test_an_unknown_token_is_a_404(mw: MeetingsWorld) -> None:
    assert mw.world.client("anonymous").get(reverse("www:survey_answer", args=["nope"])).status_code == 404


def test_results_are_embedded_in_the_minutes_and_exported(mw: MeetingsWorld) -> None:
    client = mw.world.client("anonymous")
    url = reverse("www:survey_answer", args=[mw.link.token])
    topics = mw.survey.questions.get(position=5)
    client.post(url, {**_answer_data(mw, q5=[topics.choices[0], topics.choices[3]]), "expected_version": ""})
    page = mw.world.client("sme").get(mw.meeting.get_absolute_url()).content.decode()
    assert "mean 4" in page and "Très utile" in page and "response rate of" in page
    consultant = mw.world.client("consultant")
    csv = consultant.get(reverse("www:survey_export", args=[mw.meeting.pk, "csv"]))
    lines = csv.content.decode("utf-8-sig").splitlines()
    assert lines[0].startswith("Response;Answered at;Overall")
    assert lines[1].split(";")[2] == "4"
    assert f"{topics.choices[0]}; {topics.choices[3]}" in lines[1]
    xlsx = consultant.get(reverse("www:survey_export", args=[mw.meeting.pk, "xlsx"]))
    sheet = load_workbook(io.BytesIO(xlsx.content)).active
    assert sheet.cell(row=2, column=3).value == 4
    assert sheet.cell(row=2, column=8).value == "Très utile"


def test_questions_are_locked_once_answered(mw: MeetingsWorld) -> None:
    consultant = mw.world.client("consultant")
    add = reverse("www:question_add", args=[mw.meeting.pk])
    bad = consultant.post(
        add, {"question-kind": "single_choice", "question-text": "Lieu ?", "question-choices_text": "Aix"}
    )
    assert "at least two choices" in bad.content.decode()
    assert (
        consultant.post(
            add,
            {
                "question-kind": "single_choice",
                "question-text": "Lieu ?",
                "question-choices_text": "Aix\nMarseille",
            },
        ).status_code
        == 302
    )
    mw.world.client("anonymous").post(
        reverse("www:survey_answer", args=[mw.link.token]), {**_answer_data(mw), "expected_version": ""}
    )
    consultant.post(add, {"question-kind": "free_text", "question-text": "Encore ?"})
    assert not mw.survey.questions.filter(text="Encore ?").exists()


# --- Calendar feed and .ics --------------------------------------------------------------------------


def test_the_ics_download_describes_the_meeting(mw: MeetingsWorld) -> None:
    response = mw.world.client("sme").get(reverse("www:meeting_ics", args=[mw.meeting.pk]))
    assert response["Content-Type"].startswith("text/calendar")
    event = icalendar.Calendar.from_ical(response.content).walk("VEVENT")[0]
    assert str(event["UID"]) == mw.meeting.ics_uid
    assert event.decoded("DTSTART") == mw.meeting.starts_at.astimezone(dt.UTC).replace(microsecond=0)
    assert event.decoded("DTEND") == mw.meeting.ends_at.astimezone(dt.UTC).replace(microsecond=0)
    assert str(event["LOCATION"]) == mw.meeting.place
    assert mw.meeting.get_absolute_url() in str(event["DESCRIPTION"])


def test_the_personal_feed_lists_ones_meetings_and_dies_when_renewed(mw: MeetingsWorld) -> None:
    sme = mw.world.client("sme")
    sme.post(reverse("www:my_calendar"), {"action": "renew"})
    feed = CalendarFeed.objects.get(user=mw.user("sme"))
    anonymous = mw.world.client("anonymous")
    response = anonymous.get(feed.get_absolute_url())
    uids = {str(e["UID"]) for e in icalendar.Calendar.from_ical(response.content).walk("VEVENT")}
    assert uids == {mw.meeting.ics_uid}  # invited to the workshop only
    sme.post(reverse("www:my_calendar"), {"action": "renew"})
    assert anonymous.get(feed.get_absolute_url()).status_code == 404
    new = CalendarFeed.objects.get(user=mw.user("sme"))
    assert anonymous.get(new.get_absolute_url()).status_code == 200
    sme.post(reverse("www:my_calendar"), {"action": "revoke"})
    assert anonymous.get(new.get_absolute_url()).status_code == 404


def test_the_feed_of_a_deactivated_account_is_dead(mw: MeetingsWorld) -> None:
    feed = CalendarFeed.objects.create(user=mw.user("sme"))
    type(mw.user("sme")).objects.filter(pk=mw.user("sme").pk).update(is_active=False)
    assert mw.world.client("anonymous").get(feed.get_absolute_url()).status_code == 404


# --- Time spent --------------------------------------------------------------------------------------


def test_time_over_the_cap_is_saved_and_flagged(mw: MeetingsWorld) -> None:
    url = reverse("www:time_entries", args=[mw.programme.slug])
    client = mw.world.client("consultant")
    day = (timezone.localdate() - dt.timedelta(days=2)).isoformat()
    base = {
        "consultant": mw.user("consultant").pk,
        "date": day,
        "axis": "1",
        "object_kind": "diagnostic",
        "organisation": mw.world.sme_org.pk,
        "expected_version": "",
    }
    assert client.post(url, {**base, "days": "3"}).status_code == 302
    assert client.post(url, {**base, "days": "2.5"}).status_code == 302
    page = client.get(url).content.decode()
    assert "Over the cap by 0.5 d" in page
    url = reverse("www:obligations", args=[mw.programme.slug])
    pages = [client.get(url, {"statut": "breached", "page": n}).content.decode() for n in range(1, 6)]
    assert any(mw.world.sme_org.name in page for page in pages)  # the dashboard is paged


@pytest.mark.parametrize(
    "overrides,message",
    [
        ({"days": "0"}, "Days must be greater than 0"),
        ({"days": "-1"}, "Days must be greater than 0"),
        ({"object_kind": "funding_order", "organisation": ""}, "Say which funding order"),
        ({"organisation": ""}, "Choose the company"),
    ],
)
def test_bad_time_entries_are_refused(mw: MeetingsWorld, overrides: dict[str, str], message: str) -> None:
    url = reverse("www:time_entries", args=[mw.programme.slug])
    data = {
        "consultant": mw.user("consultant").pk,
        "date": timezone.localdate().isoformat(),
        "axis": "1",
        "object_kind": "diagnostic",
        "organisation": mw.world.sme_org.pk,
        "days": "1",
        "expected_version": "",
        "description": "Visite du site",
    }
    data.update(overrides)
    response = mw.world.client("consultant").post(url, data)
    assert response.status_code == 200 and message in response.content.decode()
    assert 'value="Visite du site"' in response.content.decode()
    assert TimeEntry.objects.count() == 1


# --- Events ------------------------------------------------------------------------------------------


def test_public_registration_without_login(mw: MeetingsWorld, django_capture_on_commit_callbacks) -> None:  # type: ignore[no-untyped-def]
    url = reverse("www:event_register", args=[mw.event.public_token])
    data = {
        "name": "Jean Dupont",
        "organisation_name": "Dupont SA",
        "email": "jean@test.example",
        "diet": "végétarien",
        "accessibility_needs": "",
        "consent": "on",
    }
    client = mw.world.client("anonymous")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, data)
    registration = Registration.objects.get(email="jean@test.example")
    assert response.status_code == 302 and registration.status == "confirmed"
    assert mail.outbox[-1].attachments[0][0] == "evenement.ics"
    full = client.post(url, {**data, "email": "marc@test.example", "name": "Marc"})
    assert full.status_code == 302
    assert Registration.objects.get(email="marc@test.example").status == "waiting"
    twice = client.post(url, data)
    assert twice.status_code == 200 and "already registered" in twice.content.decode()
    assert 'value="Dupont SA"' in twice.content.decode()
    manage = reverse("www:registration_manage", args=[registration.token])
    client.post(manage)
    assert Registration.objects.get(email="marc@test.example").status == "confirmed"


def test_registration_without_consent_is_refused(mw: MeetingsWorld) -> None:
    url = reverse("www:event_register", args=[mw.event.public_token])
    response = mw.world.client("anonymous").post(url, {"name": "Jean", "email": "jean@test.example"})
    assert response.status_code == 200 and "Your agreement is needed" in response.content.decode()


def test_attendee_export_and_badges(mw: MeetingsWorld) -> None:
    client = mw.world.client("consultant")
    xlsx = client.get(reverse("www:event_attendees_export", args=[mw.event_meeting.pk, "xlsx"]))
    sheet = load_workbook(io.BytesIO(xlsx.content)).active
    assert [c.value for c in sheet[2]][:4] == ["Zoé Martin", None, "zoe@test.example", "Confirmed"]
    pdf = client.get(reverse("www:event_badges", args=[mw.event_meeting.pk]))
    assert pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF")


def test_minutes_export_as_pdf_and_word(mw: MeetingsWorld) -> None:
    from docx import Document

    client = mw.world.client("ademe")
    pdf = client.get(reverse("www:minutes_export", args=[mw.meeting.pk, "pdf"]))
    assert pdf.content.startswith(b"%PDF")
    docx = client.get(reverse("www:minutes_export", args=[mw.meeting.pk, "docx"]))
    text = "\n".join(p.text for p in Document(io.BytesIO(docx.content)).paragraphs)
    assert "Atelier 1" in text and "Besoins communs." in text and "Synthèse" in text


# --- Lists keep a fixed number of queries -----------------------------------------------------------


def _queries(client, url: str) -> int:  # type: ignore[no-untyped-def]
    with CaptureQueriesContext(connection) as context:
        assert client.get(url).status_code == 200
    return len(context)


@pytest.mark.parametrize(
    "page", ["meeting_list", "minutes_pending", "time_entries", "meeting_calendar", "obligations"]
)
def test_list_pages_make_a_fixed_number_of_queries(mw: MeetingsWorld, page: str) -> None:
    client = mw.world.client("consultant")
    url = reverse(f"www:{page}", args=[mw.programme.slug])
    before = _queries(client, url)
    for _ in range(5):
        meeting = MeetingFactory(programme=mw.programme, past=True)
        services.set_invitees(meeting, [mw.user("sme")])
        Minutes.objects.create(
            meeting=meeting, body="x", status="submitted", first_submitted_at=timezone.now()
        )
        TimeEntryFactory(programme=mw.programme, consultant=mw.user("consultant"))
    assert _queries(client, url) == before


def test_the_list_filters_by_kind_and_month_and_answers_htmx_with_a_fragment(mw: MeetingsWorld) -> None:
    url = reverse("www:meeting_list", args=[mw.programme.slug])
    client = mw.world.client("consultant")
    fragment = client.get(url, {"kind": "copil"}, HTTP_HX_REQUEST="true").content.decode()
    assert "<html" not in fragment and "COPIL" in fragment and "Atelier 1" not in fragment
    month = timezone.localtime(mw.meeting.starts_at).strftime("%Y-%m")
    assert "Atelier 1" in client.get(url, {"month": month}).content.decode()
    bad = client.get(url, {"month": "novembre"}).content.decode()
    assert "Give a month as YYYY-MM" in bad


def test_the_calendar_shows_the_month_and_its_holidays(mw: MeetingsWorld) -> None:
    url = reverse("www:meeting_calendar", args=[mw.programme.slug])
    body = mw.world.client("sme").get(url, {"mois": "2026-05"}).content.decode()
    assert "public holiday" in body  # 1, 8, 14 and 25 May 2026
    month = timezone.localtime(mw.meeting.starts_at).strftime("%Y-%m")
    body = mw.world.client("sme").get(url, {"mois": month}).content.decode()
    assert "Atelier 1" in body and "COPIL" not in body  # the SME is not invited to the COPIL
