"""Rules of the meetings area, at the model and service level."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.utils import timezone

from sobrindustrie.meetings import services
from sobrindustrie.meetings.enums import DecisionStatus, MeetingKind, MinutesStatus, RegistrationStatus
from sobrindustrie.meetings.models import Decision, Meeting, MinutesLog, Registration, RestitutionEvent
from sobrindustrie.meetings.rendering import render_markdown
from sobrindustrie.meetings.workflow import TransitionError
from tests.conftest import World
from tests.factories import UserFactory
from tests.meetings.factories import MeetingFactory, MinutesFactory, local


def test_minutes_are_due_five_working_days_after_skipping_a_week_of_holidays(world: World) -> None:
    # Thursday 7 May 2026: Friday 8 May (Victory day) and Thursday 14 May (Ascension) are holidays.
    meeting = MeetingFactory(programme=world.programme, starts_at=local(2026, 5, 7, 14))
    assert meeting.minutes_due_on == dt.date(2026, 5, 18)


def test_minutes_due_date_counts_from_the_french_date_of_the_meeting(world: World) -> None:
    # 00:30 in Paris on Monday 3 May 2027 is still Sunday 2 May in UTC.
    meeting = MeetingFactory(programme=world.programme, starts_at=local(2027, 5, 3, 0, 30))
    assert meeting.starts_on == dt.date(2027, 5, 3)
    assert meeting.minutes_due_on == dt.date(2027, 5, 11)  # Ascension, Thursday 6 May, skipped


def test_an_end_before_the_start_is_refused(world: World) -> None:
    meeting = MeetingFactory.build(
        programme=world.programme, starts_at=local(2026, 6, 1, 14), ends_at=local(2026, 6, 1, 10)
    )
    with pytest.raises(ValidationError) as error:
        meeting.full_clean()
    assert "ends_at" in error.value.message_dict


def test_a_meeting_cannot_be_marked_held_before_it_starts(world: World) -> None:
    meeting = MeetingFactory.build(programme=world.programme, status="held")
    with pytest.raises(ValidationError) as error:
        meeting.full_clean()
    assert "status" in error.value.message_dict


def test_a_remote_meeting_needs_a_video_link(world: World) -> None:
    meeting = MeetingFactory.build(programme=world.programme, mode="remote", place="", video_link="")
    with pytest.raises(ValidationError) as error:
        meeting.full_clean()
    assert "place" in error.value.message_dict


def test_an_invitee_outside_the_programme_is_refused_by_name(world: World) -> None:
    meeting = MeetingFactory(programme=world.programme)
    outsider = world.users["outsider_sme"]
    with pytest.raises(ValidationError) as error:
        services.set_invitees(meeting, [world.users["sme"], outsider])
    assert str(outsider) in str(error.value)
    assert meeting.invitations.count() == 0


def test_platform_staff_and_inactive_members_cannot_be_invited(world: World) -> None:
    meeting = MeetingFactory(programme=world.programme)
    inactive = UserFactory(role="sme", organisation=world.sme_org, is_active=False)
    with pytest.raises(ValidationError):
        services.set_invitees(meeting, [world.users["staff"]])
    with pytest.raises(ValidationError):
        services.set_invitees(meeting, [inactive])


def test_set_invitees_adds_and_removes(world: World) -> None:
    meeting = MeetingFactory(programme=world.programme)
    services.set_invitees(meeting, [world.users["sme"], world.users["partner"]])
    new = services.set_invitees(meeting, [world.users["sme"], world.users["ademe"]])
    assert [i.user for i in new] == [world.users["ademe"]]
    assert set(meeting.invitations.values_list("user_id", flat=True)) == {
        world.users["sme"].pk,
        world.users["ademe"].pk,
    }


# --- Minutes workflow -------------------------------------------------------------------------------


@pytest.fixture
def minutes(world: World):  # type: ignore[no-untyped-def]
    return MinutesFactory(meeting=MeetingFactory(programme=world.programme, past=True))


def test_consultants_submit_and_ademe_validates(world: World, minutes) -> None:  # type: ignore[no-untyped-def]
    services.apply_transition(minutes, "submit", world.users["consultant"])
    minutes.refresh_from_db()
    assert minutes.status == MinutesStatus.SUBMITTED
    assert minutes.first_submitted_at is not None
    services.apply_transition(minutes, "validate", world.users["ademe"])
    minutes.refresh_from_db()
    assert minutes.status == MinutesStatus.VALIDATED
    assert minutes.validated_by == world.users["ademe"]
    assert list(MinutesLog.objects.filter(minutes=minutes).values_list("action", flat=True)) == [
        "submit",
        "validate",
    ]


def test_submitting_tells_ademe_and_validating_tells_the_consultants(
    world: World,
    minutes,
    django_capture_on_commit_callbacks,  # type: ignore[no-untyped-def]
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        services.apply_transition(minutes, "submit", world.users["consultant"])
    assert [m.to for m in mail.outbox] == [[world.users["ademe"].email]]
    with django_capture_on_commit_callbacks(execute=True):
        services.apply_transition(minutes, "validate", world.users["ademe"])
    assert mail.outbox[-1].to == [world.users["consultant"].email]
    # Every e-mail can be stopped without logging in.
    assert all("/notifications/" in m.body and m.extra_headers["List-Unsubscribe"] for m in mail.outbox)


def test_who_chose_no_email_gets_no_minutes_email(
    world: World,
    minutes,
    django_capture_on_commit_callbacks,  # type: ignore[no-untyped-def]
) -> None:
    from sobrindustrie.documents.enums import DigestFrequency
    from sobrindustrie.documents.models import NotificationPreference

    NotificationPreference.objects.update_or_create(
        user=world.users["ademe"], defaults={"frequency": DigestFrequency.NEVER}
    )
    with django_capture_on_commit_callbacks(execute=True):
        services.apply_transition(minutes, "submit", world.users["consultant"])
    assert mail.outbox == []


@pytest.mark.parametrize(
    "role,action,status,fragment",
    [
        ("ademe", "submit", MinutesStatus.DRAFT, "Only the programme's consultants"),
        ("consultant", "validate", MinutesStatus.SUBMITTED, "Only ADEME officers"),
        ("outsider_consultant", "submit", MinutesStatus.DRAFT, "Only the programme's consultants"),
        ("ademe", "validate", MinutesStatus.DRAFT, "only submitted"),
        ("ademe", "return", MinutesStatus.VALIDATED, "only submitted"),
        ("consultant", "submit", MinutesStatus.VALIDATED, "cannot be"),
        ("ademe", "publish", MinutesStatus.SUBMITTED, "Unknown action"),
    ],
)
def test_refused_transitions_say_why_and_change_nothing(
    world: World,
    minutes,
    role: str,
    action: str,
    status: str,
    fragment: str,  # type: ignore[no-untyped-def]
) -> None:
    minutes.status = status
    minutes.save()
    with pytest.raises(TransitionError) as error:
        services.apply_transition(minutes, action, world.users[role])
    assert fragment in str(error.value)
    minutes.refresh_from_db()
    assert minutes.status == status
    assert not MinutesLog.objects.exists()


def test_returning_needs_a_reason_and_resubmitting_keeps_the_first_date(world: World, minutes) -> None:  # type: ignore[no-untyped-def]
    services.apply_transition(minutes, "submit", world.users["consultant"])
    with pytest.raises(TransitionError, match="reason"):
        services.apply_transition(minutes, "return", world.users["ademe"], "  ")
    services.apply_transition(minutes, "return", world.users["ademe"], "Ajouter le budget")
    minutes.refresh_from_db()
    first = minutes.first_submitted_at
    assert minutes.status == MinutesStatus.RETURNED and minutes.return_comment == "Ajouter le budget"
    services.apply_transition(minutes, "submit", world.users["consultant"])
    minutes.refresh_from_db()
    assert minutes.first_submitted_at == first
    assert minutes.return_comment == ""


def test_empty_minutes_cannot_be_submitted(world: World, minutes) -> None:  # type: ignore[no-untyped-def]
    minutes.body = "   "
    minutes.save()
    with pytest.raises(TransitionError, match="empty"):
        services.apply_transition(minutes, "submit", world.users["consultant"])


def test_late_flags(world: World) -> None:
    old = MinutesFactory(meeting=MeetingFactory(programme=world.programme, past=True))
    assert old.is_late and not old.was_submitted_late
    old.first_submitted_at = timezone.now()
    assert not old.is_late and old.was_submitted_late
    recent = MinutesFactory(
        meeting=MeetingFactory(
            programme=world.programme, starts_at=timezone.now() - dt.timedelta(hours=3), status="held"
        )
    )
    assert not recent.is_late


# --- Decision record --------------------------------------------------------------------------------


def test_decisions_are_numbered_across_the_programme_and_carried_until_closed(world: World) -> None:
    first = MeetingFactory(programme=world.programme, past=True)
    second = MeetingFactory(
        programme=world.programme, starts_at=timezone.now() - dt.timedelta(days=5), status="held"
    )
    third = MeetingFactory(programme=world.programme)
    a = services.record_decision(Decision(meeting=first, text="Valider la méthode"))
    b = services.record_decision(Decision(meeting=first, text="Planifier les diagnostics", kind="action"))
    c = services.record_decision(Decision(meeting=second, text="Choisir le lieu"))
    assert [a.number, b.number, c.number] == [1, 2, 3]
    assert list(Decision.objects.carried_into(second)) == [a, b]
    services.set_decision_status(a, DecisionStatus.DONE, second, expected_version=a.version)
    a.refresh_from_db()
    assert a.closed_at_meeting == second
    assert list(Decision.objects.carried_into(third)) == [b, c]
    other = MeetingFactory(programme=MeetingFactory().programme)
    assert services.record_decision(Decision(meeting=other, text="Ailleurs")).number == 1


def test_reopening_a_decision_clears_its_closing(world: World) -> None:
    meeting = MeetingFactory(programme=world.programme, past=True)
    decision = services.record_decision(Decision(meeting=meeting, text="x"))
    services.set_decision_status(decision, DecisionStatus.DROPPED, meeting, decision.version)
    services.set_decision_status(decision, DecisionStatus.OPEN, meeting, decision.version)
    decision.refresh_from_db()
    assert decision.closed_at_meeting is None and decision.closed_on is None


# --- Surveys ---------------------------------------------------------------------------------------


def _survey(world: World):  # type: ignore[no-untyped-def]
    meeting = MeetingFactory(programme=world.programme, kind=MeetingKind.WORKSHOP_1, past=True)
    services.set_invitees(meeting, [world.users["sme"], world.users["other_sme"], world.users["partner"]])
    meeting.invitations.filter(user=world.users["partner"]).update(attendance="excused")
    meeting.invitations.exclude(user=world.users["partner"]).update(attendance="present")
    return services.create_survey(meeting, closes_at=timezone.now() + dt.timedelta(days=3))


def test_links_go_to_those_present_once(world: World, django_capture_on_commit_callbacks) -> None:  # type: ignore[no-untyped-def]
    survey = _survey(world)
    with django_capture_on_commit_callbacks(execute=True):
        assert services.send_survey_links(survey) == 2
    assert {m.to[0] for m in mail.outbox} == {world.users["sme"].email, world.users["other_sme"].email}
    assert all(link.token in m.body for m in mail.outbox for link in survey.invitations.filter(email=m.to[0]))
    with django_capture_on_commit_callbacks(execute=True):
        assert services.send_survey_links(survey) == 0


def test_one_answer_per_person_then_edits_then_refusal_after_close(world: World) -> None:
    survey = _survey(world)
    link = services.issue_survey_links(survey)[0]
    overall = survey.questions.get(position=1)
    comment = survey.questions.get(kind="free_text")
    response = services.submit_response(link, {overall: 4, comment: "Bien"}, None)
    with pytest.raises(services.AlreadyAnsweredError):
        services.submit_response(link, {overall: 1}, None)
    assert response.answers.get(question=overall).number == 4
    services.submit_response(link, {overall: 5}, response.version)
    response.refresh_from_db()
    assert response.answers.get(question=overall).number == 5
    assert not response.answers.filter(question=comment).exists()
    services.close_survey(survey)
    with pytest.raises(services.SurveyClosedError):
        services.submit_response(link, {overall: 1}, response.version)
    assert response.answers.get(question=overall).number == 5


# --- Events ----------------------------------------------------------------------------------------


def _event(world: World, capacity: int = 2) -> RestitutionEvent:
    meeting = MeetingFactory(programme=world.programme, kind=MeetingKind.RESTITUTION_EVENT)
    return RestitutionEvent.objects.create(meeting=meeting, capacity=capacity, registration_open=True)


def _register(event: RestitutionEvent, name: str) -> Registration:
    return services.register(event, Registration(name=name, email=f"{name.lower()}@test.example"))


def test_capacity_then_waiting_list_then_promotion(world: World, django_capture_on_commit_callbacks) -> None:  # type: ignore[no-untyped-def]
    event = _event(world)
    with django_capture_on_commit_callbacks(execute=True):
        statuses = [_register(event, n).status for n in ("Ana", "Bob", "Cyd")]
    assert statuses == ["confirmed", "confirmed", "waiting"]
    assert len(mail.outbox) == 3 and "waiting list" in mail.outbox[2].body
    with django_capture_on_commit_callbacks(execute=True):
        promoted = services.cancel_registration(Registration.objects.get(name="Ana"))
    assert promoted is not None and promoted.name == "Cyd"
    assert Registration.objects.get(name="Cyd").status == RegistrationStatus.CONFIRMED
    assert mail.outbox[-1].to == ["cyd@test.example"]


def test_a_second_registration_with_the_same_email_is_refused(world: World) -> None:
    event = _event(world)
    _register(event, "Ana")
    with pytest.raises(ValidationError) as error:
        services.register(event, Registration(name="Ana bis", email="ANA@test.example"))
    assert "email" in error.value.message_dict
    assert event.registrations.count() == 1


def test_registration_is_refused_when_closed(world: World) -> None:
    event = _event(world)
    event.registration_open = False
    event.save()
    with pytest.raises(services.RegistrationClosedError):
        _register(event, "Ana")


# --- Reminders, rendering ---------------------------------------------------------------------------


def test_reminders_go_once_to_invitees_of_meetings_within_a_day(world: World) -> None:
    soon = MeetingFactory(programme=world.programme, starts_at=timezone.now() + dt.timedelta(hours=20))
    later = MeetingFactory(programme=world.programme, starts_at=timezone.now() + dt.timedelta(days=3))
    for meeting in (soon, later):
        services.set_invitees(meeting, [world.users["sme"], world.users["ademe"]])
    soon.invitations.filter(user=world.users["ademe"]).update(attendance="excused")
    assert services.send_due_reminders() == 1
    assert mail.outbox[0].to == [world.users["sme"].email]
    assert mail.outbox[0].attachments[0][0] == "invitation.ics"
    assert services.send_due_reminders() == 0


def test_markdown_is_rendered_and_sanitised() -> None:
    html = render_markdown("# Titre\n\n<script>alert(1)</script>\n\n[lien](javascript:alert(1)) **gras**")
    assert "<h3>Titre</h3>" in html
    assert "<script" not in html and "javascript:" not in html
    assert "<strong>gras</strong>" in html


def test_time_entries_must_be_positive_past_and_named(world: World) -> None:
    from sobrindustrie.meetings.models import TimeEntry

    entry = TimeEntry(
        programme=world.programme,
        consultant=world.users["consultant"],
        date=timezone.localdate() + dt.timedelta(days=1),
        days=Decimal("0"),
        axis=1,
        object_kind="funding_order",
    )
    with pytest.raises(ValidationError) as error:
        entry.full_clean()
    assert {"days", "date", "object_label"} <= set(error.value.message_dict)
    entry.consultant = world.users["outsider_consultant"]
    with pytest.raises(ValidationError) as error:
        entry.full_clean()
    assert "consultant" in error.value.message_dict


def test_a_meeting_of_another_kind_than_the_engine_knows_is_impossible() -> None:
    from sobrindustrie.engines.obligations import MEETING_KINDS

    assert set(MeetingKind.values) == set(MEETING_KINDS)
    assert Meeting._meta.get_field("kind").max_length >= max(len(k) for k in MEETING_KINDS)


def test_registrations_are_anonymised_90_days_after_the_event(world: World) -> None:
    event = _event(world)
    registration = _register(event, "Ana")
    assert services.anonymise_past_registrations() == 0
    later = event.meeting.ends_at + dt.timedelta(days=91)
    assert services.anonymise_past_registrations(now=later) == 1
    registration.refresh_from_db()
    assert registration.name == "" and "ana" not in registration.email
    assert registration.status == RegistrationStatus.CONFIRMED
    assert not registration.history.filter(name="Ana").exists()
    assert services.anonymise_past_registrations(now=later) == 0
