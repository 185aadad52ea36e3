"""Notices of the meetings area: minutes to write, minutes to validate, the contract's deadlines.

Each producer is checked for who is told (every role of the shared world), for what the notice links
to (each recipient may open it), and for idempotence: the daily command run again tells nobody twice.
"""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core import mail
from django.core.management import CommandError, call_command
from django.urls import reverse

from sobrindustrie.deliverables.enums import DeliverableStatus
from sobrindustrie.deliverables.models import Deliverable
from sobrindustrie.documents.enums import NotificationKind
from sobrindustrie.documents.models import Notification, NotificationPreference
from sobrindustrie.engines.obligations import ObligationInputError
from sobrindustrie.meetings import notifications, services
from sobrindustrie.meetings.enums import MeetingKind, MeetingStatus, MinutesStatus
from sobrindustrie.meetings.models import Meeting, Minutes
from sobrindustrie.meetings.notifications import MinutesStage, minutes_stage
from sobrindustrie.meetings.workflow import TransitionError
from tests.conftest import ROLES, World
from tests.meetings.factories import MeetingFactory, MinutesFactory, local

USER_ROLES = [role for role in ROLES if role != "anonymous"]
COMMAND = "send_minutes_and_deadline_notices"


def run(day: dt.date) -> str:
    out = io.StringIO()
    call_command(COMMAND, "--date", day.isoformat(), stdout=out)
    return out.getvalue()


def held_meeting(world: World, starts_at: dt.datetime, **fields: object) -> Meeting:
    fields.setdefault("kind", MeetingKind.COPIL)
    return MeetingFactory(
        programme=world.programme,
        starts_at=starts_at,
        status=MeetingStatus.HELD,
        title="COPIL de lancement",
        **fields,
    )


def told(world: World, kind: str) -> set[str]:
    """The roles that hold a notification of `kind`."""
    users = set(Notification.objects.filter(kind=kind).values_list("user_id", flat=True))
    return {role for role, user in world.users.items() if user.pk in users}


# --- The stage of minutes, in working days -------------------------------------------------------------


@pytest.mark.parametrize(
    "today,stage",
    [
        # Monday 2 March 2026: due Monday 9 March; the last working day before it is Friday 6.
        (dt.date(2026, 3, 2), MinutesStage.TO_WRITE),
        (dt.date(2026, 3, 5), MinutesStage.TO_WRITE),
        (dt.date(2026, 3, 6), MinutesStage.DUE_SOON),
        (dt.date(2026, 3, 8), MinutesStage.DUE_SOON),
        (dt.date(2026, 3, 9), MinutesStage.DUE_SOON),
        (dt.date(2026, 3, 10), None),
    ],
)
def test_minutes_are_due_soon_one_working_day_before_their_due_date(today: dt.date, stage: str) -> None:
    assert minutes_stage(dt.date(2026, 3, 2), today, 5) == stage


def test_public_holidays_do_not_count_as_the_day_before() -> None:
    # Thursday 7 May 2026: 8 May and Ascension (Thursday 14) are holidays, the minutes are due Monday 18.
    meeting_day = dt.date(2026, 5, 7)
    assert minutes_stage(meeting_day, dt.date(2026, 5, 13), 5) == MinutesStage.TO_WRITE
    assert minutes_stage(meeting_day, dt.date(2026, 5, 14), 5) == MinutesStage.TO_WRITE
    assert minutes_stage(meeting_day, dt.date(2026, 5, 15), 5) == MinutesStage.DUE_SOON


# --- Minutes to write ----------------------------------------------------------------------------------


@pytest.mark.parametrize("role", USER_ROLES)
def test_only_the_programmes_consultants_are_told_minutes_are_to_write(world: World, role: str) -> None:
    meeting = held_meeting(world, local(2026, 3, 2, 10))
    meeting.invitations.create(user=world.users["sme"])
    meeting.invitations.create(user=world.users["partner"])
    run(dt.date(2026, 3, 2))
    received = Notification.objects.filter(user=world.users[role], kind=NotificationKind.MINUTES_TO_WRITE)
    assert received.exists() == (role == "consultant")


def test_the_notice_names_the_meeting_and_its_due_date_and_links_to_it(world: World) -> None:
    meeting = held_meeting(world, local(2026, 3, 2, 10))
    run(dt.date(2026, 3, 2))
    notice = Notification.objects.get()
    assert notice.title == "Minutes to write by 9 March 2026: COPIL de lancement (2 March 2026)"
    assert notice.url == reverse("www:meeting_detail", args=[meeting.pk]) + "#minutes"
    assert world.client("consultant").get(notice.url).status_code == 200


def test_minutes_reminders_are_sent_once_then_once_more_the_working_day_before(world: World) -> None:
    held_meeting(world, local(2026, 3, 2, 10))
    assert "1 minutes notification(s)" in run(dt.date(2026, 3, 2))
    assert "0 minutes notification(s)" in run(dt.date(2026, 3, 2)), "the same day again: nothing"
    assert "0 minutes notification(s)" in run(dt.date(2026, 3, 5))
    run(dt.date(2026, 3, 6))
    assert "0 minutes notification(s)" in run(dt.date(2026, 3, 6))
    assert "0 minutes notification(s)" in run(dt.date(2026, 3, 9))
    titles = list(Notification.objects.order_by("pk").values_list("title", flat=True))
    assert titles == [
        "Minutes to write by 9 March 2026: COPIL de lancement (2 March 2026)",
        "Minutes due on 9 March 2026, one working day left: COPIL de lancement (2 March 2026)",
    ]


def test_a_first_run_close_to_the_due_date_sends_only_the_reminder(world: World) -> None:
    held_meeting(world, local(2026, 3, 2, 10))
    run(dt.date(2026, 3, 6))
    assert Notification.objects.get().key.startswith("minutes:due_soon:")


def test_submitted_minutes_are_not_reminded(world: World) -> None:
    meeting = held_meeting(world, local(2026, 3, 2, 10))
    run(dt.date(2026, 3, 2))
    MinutesFactory(meeting=meeting, first_submitted_at=local(2026, 3, 4, 17), status=MinutesStatus.SUBMITTED)
    run(dt.date(2026, 3, 6))
    assert Notification.objects.count() == 1


def test_draft_minutes_are_still_to_write(world: World) -> None:
    meeting = held_meeting(world, local(2026, 3, 2, 10))
    MinutesFactory(meeting=meeting)
    run(dt.date(2026, 3, 2))
    assert told(world, NotificationKind.MINUTES_TO_WRITE) == {"consultant"}


@pytest.mark.parametrize(
    "fields",
    [
        {"kind": MeetingKind.WEBINAR},  # no minutes due (obligations catalogue)
        {"kind": MeetingKind.ADEME_EXCHANGE},
        {"status": MeetingStatus.PLANNED},  # not marked held: nothing is due yet
        {"status": MeetingStatus.CANCELLED},
    ],
)
def test_meetings_that_owe_no_minutes_give_no_notice(world: World, fields: dict[str, object]) -> None:
    meeting = held_meeting(world, local(2026, 3, 2, 10), kind=fields.get("kind", MeetingKind.COPIL))
    if "status" in fields:
        Meeting.objects.filter(pk=meeting.pk).update(status=fields["status"])
    run(dt.date(2026, 3, 2))
    assert not Notification.objects.filter(kind=NotificationKind.MINUTES_TO_WRITE).exists()


def test_a_meeting_held_after_the_day_considered_is_not_reminded(world: World) -> None:
    held_meeting(world, local(2026, 3, 3, 10))
    run(dt.date(2026, 3, 2))
    assert not Notification.objects.exists()


def test_each_programme_tells_its_own_consultants(world: World) -> None:
    other = world.users["outsider_consultant"].programmes.get()
    MeetingFactory(programme=other, starts_at=local(2026, 3, 2, 10), status=MeetingStatus.HELD)
    run(dt.date(2026, 3, 2))
    assert told(world, NotificationKind.MINUTES_TO_WRITE) == {"outsider_consultant"}


def test_immediate_readers_get_an_email_and_the_others_the_digest_once(world: World) -> None:
    consultant = world.users["consultant"]
    held_meeting(world, local(2026, 3, 2, 10))
    run(dt.date(2026, 3, 2))
    assert mail.outbox == []
    call_command("send_notification_digest", stdout=io.StringIO())
    assert [m.to for m in mail.outbox] == [[consultant.email]]
    assert "Minutes to write by 9 March 2026" in mail.outbox[0].body
    assert "/notifications/desabonnement/" in mail.outbox[0].body
    NotificationPreference.objects.create(user=consultant, frequency="immediate")
    run(dt.date(2026, 3, 6))
    assert len(mail.outbox) == 2 and "one working day left" in mail.outbox[1].body
    call_command("send_notification_digest", stdout=io.StringIO())
    assert len(mail.outbox) == 2, "nothing is e-mailed twice"


# --- Minutes to validate -------------------------------------------------------------------------------


@pytest.fixture
def draft(world: World) -> Minutes:
    meeting = held_meeting(world, local(2026, 3, 2, 10))
    meeting.invitations.create(user=world.users["sme"])
    return MinutesFactory(meeting=meeting)


@pytest.mark.parametrize("role", USER_ROLES)
def test_only_the_programmes_ademe_officers_are_told_minutes_await_them(
    world: World, draft: Minutes, role: str
) -> None:
    services.apply_transition(draft, "submit", world.users["consultant"])
    received = Notification.objects.filter(user=world.users[role], kind=NotificationKind.TO_VALIDATE)
    assert received.exists() == (role == "ademe")


def test_the_notice_of_minutes_to_validate_is_not_emailed_twice(
    world: World,
    draft: Minutes,
    django_capture_on_commit_callbacks,  # type: ignore[no-untyped-def]
) -> None:
    ademe = world.users["ademe"]
    NotificationPreference.objects.create(user=ademe, frequency="immediate")
    with django_capture_on_commit_callbacks(execute=True):
        services.apply_transition(draft, "submit", world.users["consultant"])
    notice = Notification.objects.get(user=ademe)
    assert notice.title == "Minutes to validate: COPIL de lancement (2 March 2026)"
    assert notice.emailed_at is not None, "the workflow's own e-mail has told them"
    assert [m.to for m in mail.outbox] == [[ademe.email]]
    call_command("send_notification_digest", stdout=io.StringIO())
    assert len(mail.outbox) == 1
    assert world.client("ademe").get(notice.url).status_code == 200


def test_each_submission_is_news_and_other_transitions_are_not(world: World, draft: Minutes) -> None:
    consultant, ademe = world.users["consultant"], world.users["ademe"]
    services.apply_transition(draft, "submit", consultant)
    services.apply_transition(draft, "return", ademe, "Ajouter la liste des présents.")
    services.apply_transition(draft, "submit", consultant)
    services.apply_transition(draft, "validate", ademe)
    assert Notification.objects.filter(user=ademe, kind=NotificationKind.TO_VALIDATE).count() == 2
    assert not Notification.objects.filter(kind=NotificationKind.TO_VALIDATE).exclude(user=ademe).exists()


def test_a_refused_submission_leaves_no_notice(world: World, draft: Minutes) -> None:
    draft.body = ""
    draft.save()
    with pytest.raises(TransitionError):
        services.apply_transition(draft, "submit", world.users["consultant"])
    assert not Notification.objects.exists()


def test_submitting_from_the_meeting_page_notifies_ademe(world: World, draft: Minutes) -> None:
    url = reverse("www:minutes_transition", args=[draft.meeting_id, "submit"])
    assert world.client("consultant").post(url).status_code == 302
    assert told(world, NotificationKind.TO_VALIDATE) == {"ademe"}


# --- Deadlines -----------------------------------------------------------------------------------------

# The programme was notified on 20 October 2025: the 6-month report is due on 20 April 2026, with a
# warning window of 30 days.
BEFORE_WINDOW, IN_WINDOW, AFTER_DUE = dt.date(2026, 3, 10), dt.date(2026, 4, 1), dt.date(2026, 4, 21)


REPORT_M6 = "Progress report at 6 months (all Axis 1 deliverables) (due on 20 April 2026)"


def report_notices(world: World) -> list[Notification]:
    key = f"obligation:{world.programme.pk}:REPORT_M6:"
    return list(
        Notification.objects.filter(kind=NotificationKind.DEADLINE, key__startswith=key).order_by("pk")
    )


@pytest.mark.parametrize("role", USER_ROLES)
def test_deadlines_are_told_to_the_programmes_consultants_and_ademe_officers(world: World, role: str) -> None:
    run(IN_WINDOW)
    received = Notification.objects.filter(
        user=world.users[role],
        kind=NotificationKind.DEADLINE,
        key__startswith=f"obligation:{world.programme.pk}:",
    )
    assert received.exists() == (role in {"ademe", "consultant"})
    if received.exists():
        assert all(world.client(role).get(n.url).status_code == 200 for n in received)


def test_a_deadline_is_told_once_per_status(world: World) -> None:
    run(BEFORE_WINDOW)
    assert report_notices(world) == []
    run(IN_WINDOW)
    first = report_notices(world)
    assert [n.title for n in first] == [f"At risk: {REPORT_M6}"] * 2  # the consultant and ADEME
    assert {n.user_id for n in first} == {world.users["consultant"].pk, world.users["ademe"].pk}
    run(IN_WINDOW + dt.timedelta(days=1))
    assert report_notices(world) == first, "the same status again: nothing new"
    run(AFTER_DUE)
    assert [n.title for n in report_notices(world)[2:]] == [f"Late: {REPORT_M6}"] * 2
    assert reverse("www:obligations", args=[world.programme.slug]) == first[0].url


def test_the_daily_command_is_idempotent(world: World) -> None:
    held_meeting(world, local(2026, 3, 23, 10))
    run(IN_WINDOW)
    count = Notification.objects.count()
    assert count > 0
    out = run(IN_WINDOW)
    assert "0 minutes notification(s), 0 deadline notification(s)" in out
    assert Notification.objects.count() == count


def test_a_delivered_report_gives_no_notice(world: World) -> None:
    Deliverable.objects.create(
        programme=world.programme,
        code="REPORT_M6",
        status=DeliverableStatus.SUBMITTED,
        submitted_on=dt.date(2026, 3, 30),
    )
    run(IN_WINDOW)
    assert report_notices(world) == []


def test_late_minutes_are_a_deadline_notice_linking_to_the_meeting(world: World) -> None:
    meeting = held_meeting(world, local(2026, 3, 2, 10))
    run(dt.date(2026, 3, 9))  # due today: the consultants' own reminder, not a deadline notice
    assert not Notification.objects.filter(kind=NotificationKind.DEADLINE, key__contains="MINUTES").exists()
    run(dt.date(2026, 3, 10))
    late = Notification.objects.filter(kind=NotificationKind.DEADLINE, key__contains="MINUTES")
    assert told(world, NotificationKind.DEADLINE) >= {"ademe", "consultant"}
    assert {n.user_id for n in late} == {world.users["ademe"].pk, world.users["consultant"].pk}
    assert {n.url for n in late} == {reverse("www:meeting_detail", args=[meeting.pk])}
    assert all(n.title.startswith("Late: Minutes within 5 working days — COPIL de lancement") for n in late)


def test_finished_programmes_are_left_alone(world: World) -> None:
    run(dt.date(2027, 10, 16))
    assert not Notification.objects.filter(kind=NotificationKind.DEADLINE).exists()


def test_a_programme_the_engine_refuses_is_reported_and_the_others_are_handled(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    real = notifications.compliance

    def refuse_paca(programme, today):  # type: ignore[no-untyped-def]
        if programme.pk == world.programme.pk:
            raise ObligationInputError("meeting 7: inconsistent dates")
        return real(programme, today)

    monkeypatch.setattr(notifications, "compliance", refuse_paca)
    with pytest.raises(CommandError, match="paca: meeting 7: inconsistent dates"):
        run(IN_WINDOW)
    assert told(world, NotificationKind.DEADLINE) == {"outsider_consultant"}
