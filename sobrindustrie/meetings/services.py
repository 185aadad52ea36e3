"""Writes of the meetings area that touch several rows, each in one transaction.

E-mails are sent once the transaction commits, so a rolled-back change never announces itself.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from sobrindustrie.accounts.enums import Role
from sobrindustrie.accounts.models import User
from sobrindustrie.core.enums import Solution
from sobrindustrie.core.models import ConcurrentEditError
from sobrindustrie.core.uploads import check_upload
from sobrindustrie.meetings import emails, notifications
from sobrindustrie.meetings.enums import (
    Attendance,
    DecisionStatus,
    MeetingStatus,
    QuestionKind,
    RegistrationStatus,
)
from sobrindustrie.meetings.models import (
    CalendarFeed,
    Decision,
    Guest,
    Invitation,
    Meeting,
    MeetingDocument,
    Minutes,
    MinutesLog,
    Registration,
    RestitutionEvent,
    Survey,
    SurveyAnswer,
    SurveyInvitation,
    SurveyQuestion,
    SurveyResponse,
)
from sobrindustrie.meetings.results import is_survey_staff
from sobrindustrie.meetings.workflow import Transition, check_transition
from sobrindustrie.programmes.models import Programme

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

#: How long after the meeting a survey stays open by default.
SURVEY_OPEN_DAYS = 14
#: Reminders go out for meetings starting within this delay.
REMINDER_WINDOW = dt.timedelta(hours=24)


# --- Invitees and attendance -------------------------------------------------------------------------


def programme_users(programme: Programme) -> QuerySet[User]:
    """Active users who belong to the programme: its ADEME officers and consultants, and the members
    of its organisations. Only they can be invited."""
    return (
        User.objects.filter(is_active=True)
        .filter(Q(programmes=programme) | Q(organisation__programme=programme))
        .select_related("organisation")
        .distinct()
        .order_by("last_name", "first_name", "email")
    )


def check_invitees(programme: Programme, users: Sequence[User]) -> None:
    """Refuse, naming them, users who do not belong to the programme."""
    members = set(
        programme_users(programme).filter(pk__in=[u.pk for u in users]).values_list("pk", flat=True)
    )
    outsiders = [user for user in users if user.pk not in members]
    if outsiders:
        raise ValidationError(
            {
                "invitees": _(
                    "%(names)s cannot be invited: only the programme's ADEME officers, consultants and "
                    "members of its organisations can."
                )
                % {"names": ", ".join(str(user) for user in outsiders)}
            }
        )


@transaction.atomic
def set_invitees(meeting: Meeting, users: Sequence[User]) -> list[Invitation]:
    """Make the meeting's invitees exactly `users`; returns the new invitations (to e-mail them)."""
    check_invitees(meeting.programme, users)
    wanted = {user.pk for user in users}
    meeting.invitations.exclude(user_id__in=wanted).delete()
    existing = set(meeting.invitations.values_list("user_id", flat=True))
    return [
        Invitation.objects.create(meeting=meeting, user=user) for user in users if user.pk not in existing
    ]


@transaction.atomic
def send_invitations(meeting: Meeting, *, only_new: bool = True) -> int:
    """E-mail the invitation with its .ics to the invitees (those not invited yet, or all of them)."""
    invitations = meeting.invitations.select_related("user")
    if only_new:
        invitations = invitations.filter(invited_at__isnull=True)
    invitations = list(invitations)
    Invitation.objects.filter(pk__in=[i.pk for i in invitations]).update(invited_at=timezone.now())
    transaction.on_commit(lambda: emails.send_invitations(meeting, invitations))
    return len(invitations)


def send_due_reminders(now: dt.datetime | None = None) -> int:
    """Remind the invitees of meetings starting within 24 hours, once each; returns how many were sent."""
    now = now or timezone.now()
    invitations = (
        Invitation.objects.filter(
            reminded_at__isnull=True,
            meeting__starts_at__gt=now,
            meeting__starts_at__lte=now + REMINDER_WINDOW,
        )
        .exclude(meeting__status=MeetingStatus.CANCELLED)
        .exclude(attendance__in=[Attendance.EXCUSED, Attendance.ABSENT])
        .select_related("user", "meeting")
    )
    by_meeting: dict[int, list[Invitation]] = {}
    for invitation in invitations:
        by_meeting.setdefault(invitation.meeting_id, []).append(invitation)
    sent = 0
    for group in by_meeting.values():
        with transaction.atomic():
            Invitation.objects.filter(pk__in=[i.pk for i in group]).update(reminded_at=now)
            sent += emails.send_invitations(group[0].meeting, group, reminder=True)
    return sent


@transaction.atomic
def record_attendance(
    meeting: Meeting, statuses: Mapping[int, str], new_guests: Iterable[tuple[str, str]] = ()
) -> None:
    """Set each invitation's attendance (by invitation id) and add guests by name and organisation."""
    for invitation in meeting.invitations.filter(pk__in=statuses.keys()):
        status = statuses[invitation.pk]
        if status not in Attendance.values:
            raise ValidationError(_("Unknown attendance “%(status)s”.") % {"status": status})
        if invitation.attendance != status:
            invitation.attendance = status
            invitation.save(update_fields=["attendance", "updated_at"])
    for name, organisation_name in new_guests:
        if name.strip():
            Guest.objects.create(
                meeting=meeting, name=name.strip(), organisation_name=organisation_name.strip()
            )


# --- Minutes -----------------------------------------------------------------------------------------


def add_document(meeting: Meeting, user: User | None, title: str, upload: Any) -> MeetingDocument:
    """Attach a file to the meeting once the upload policy accepted it (`UploadRefused` otherwise)."""
    check_upload(upload)
    document = MeetingDocument(meeting=meeting, title=title, uploaded_by=user)
    document.file.save(upload.name, upload, save=False)
    document.save()
    return document


def minutes_for(meeting: Meeting) -> Minutes:
    minutes, _created = Minutes.objects.get_or_create(meeting=meeting)
    return minutes


@transaction.atomic
def apply_transition(minutes: Minutes, action: str, user: User, comment: str = "") -> Minutes:
    """Move the minutes through the workflow; TransitionError (with the reason) when refused."""
    minutes = Minutes.objects.select_for_update().select_related("meeting__programme").get(pk=minutes.pk)
    transition: Transition = check_transition(minutes, action, user, comment)
    previous = minutes.status
    now = timezone.now()
    minutes.status = transition.target
    if action == "submit":
        minutes.submitted_at = now
        # The 5-working-day deadline is met by the first delivery, even if ADEME later returns it.
        minutes.first_submitted_at = minutes.first_submitted_at or now
        minutes.return_comment = ""
    elif action == "validate":
        minutes.validated_at = now
        minutes.validated_by = user
    elif action == "return":
        minutes.return_comment = comment.strip()
    minutes.version += 1
    minutes._change_reason = str(transition.label)  # type: ignore[attr-defined]
    minutes.save()
    MinutesLog.objects.create(
        minutes=minutes,
        action=action,
        from_status=previous,
        to_status=minutes.status,
        user=user,
        comment=comment,
    )
    if action == "submit":
        # In the same transaction: a refused submission leaves no notice behind.
        notifications.minutes_submitted(minutes, user)
    programme = minutes.meeting.programme
    role = Role.ADEME if action == "submit" else Role.CONSULTANT
    recipients = list(programme.staff_members.filter(role=role, is_active=True).exclude(email=""))
    transaction.on_commit(lambda: emails.notify_minutes(minutes, action, recipients, comment))
    return minutes


# --- Decision record ---------------------------------------------------------------------------------


@transaction.atomic
def record_decision(decision: Decision) -> Decision:
    """Save a new decision with the programme's next number (numbers never repeat)."""
    Programme.objects.select_for_update().filter(pk=decision.meeting.programme_id).first()
    decision.programme_id = decision.meeting.programme_id
    last = Decision.objects.filter(programme_id=decision.programme_id).aggregate(last=Max("number"))["last"]
    decision.number = (last or 0) + 1
    decision.full_clean()
    decision.save()
    return decision


@transaction.atomic
def set_decision_status(
    decision: Decision, status: str, at_meeting: Meeting, expected_version: int
) -> Decision:
    """Close a decision as done or dropped at a meeting, or reopen it; refuses stale forms."""
    if status not in DecisionStatus.values:
        raise ValidationError({"status": _("Unknown status “%(status)s”.") % {"status": status}})
    decision.status = status
    if status == DecisionStatus.OPEN:
        decision.closed_at_meeting = None
        decision.closed_on = None
    else:
        decision.closed_at_meeting = at_meeting
        decision.closed_on = min(timezone.localdate(), at_meeting.starts_on)
    decision.save_checked(expected_version)
    return decision


# --- Satisfaction surveys ----------------------------------------------------------------------------


def default_questions() -> list[tuple[str, str, list[str], bool]]:
    """The standard satisfaction questions, in the current language (they are stored as text)."""
    return [
        (QuestionKind.RATING_5, _("Overall, how satisfied are you with this meeting?"), [], True),
        (QuestionKind.RATING_5, _("How useful was it for your company?"), [], False),
        (
            QuestionKind.SCORE_10,
            _("How likely are you to recommend the programme to another company?"),
            [],
            False,
        ),
        (
            QuestionKind.SINGLE_CHOICE,
            _("The length of the meeting was…"),
            [_("Too short"), _("About right"), _("Too long")],
            False,
        ),
        (
            QuestionKind.MULTIPLE_CHOICE,
            _("Which solutions would you like to explore further?"),
            [str(label) for label in Solution.labels],
            False,
        ),
        (QuestionKind.FREE_TEXT, _("Comments and suggestions"), [], False),
    ]


@transaction.atomic
def create_survey(meeting: Meeting, closes_at: dt.datetime | None = None) -> Survey:
    """A survey with the standard questions, open until two weeks after the meeting by default."""
    survey = Survey.objects.create(
        meeting=meeting, closes_at=closes_at or meeting.ends_at + dt.timedelta(days=SURVEY_OPEN_DAYS)
    )
    for position, (kind, text, choices, required) in enumerate(default_questions(), start=1):
        SurveyQuestion.objects.create(
            survey=survey, position=position, kind=kind, text=text, choices=choices, required=required
        )
    return survey


def survey_has_answers(survey: Survey) -> bool:
    return SurveyResponse.objects.filter(invitation__survey=survey).exists()


@transaction.atomic
def issue_survey_links(survey: Survey) -> list[SurveyInvitation]:
    """Give each attendee a personal link: invitees marked present, or, while attendance is not
    recorded, every invitee who did not excuse themselves. The programme's staff (ADEME,
    consultants) only when the survey was set to ask them too. Returns the new links."""
    invitations = [
        i
        for i in survey.meeting.invitations.select_related("user")
        if survey.include_staff or not is_survey_staff(i.user.role)
    ]
    present = [i for i in invitations if i.attendance == Attendance.PRESENT]
    attendees = present or [i for i in invitations if i.attendance == Attendance.UNKNOWN]
    having = set(survey.invitations.exclude(user=None).values_list("user_id", flat=True))
    return [
        SurveyInvitation.objects.create(survey=survey, user=i.user, name=str(i.user), email=i.user.email)
        for i in attendees
        if i.user_id not in having
    ]


@transaction.atomic
def send_survey_links(survey: Survey) -> int:
    """Issue the missing links and e-mail every link not sent yet."""
    issue_survey_links(survey)
    links = list(
        survey.invitations.filter(sent_at__isnull=True).exclude(email="").select_related("survey__meeting")
    )
    SurveyInvitation.objects.filter(pk__in=[link.pk for link in links]).update(sent_at=timezone.now())
    transaction.on_commit(lambda: emails.send_survey_links(links))
    return len(links)


class SurveyClosedError(Exception):
    """The survey no longer takes answers."""


class AlreadyAnsweredError(Exception):
    """A second, new answer from someone who has already answered (they may edit theirs instead)."""


@transaction.atomic
def submit_response(
    link: SurveyInvitation, values: Mapping[SurveyQuestion, Any], expected_version: int | None
) -> SurveyResponse:
    """Record or replace a person's one answer.

    `expected_version` is None for a new answer and the response's version when editing: a new
    answer from someone who already answered raises AlreadyAnsweredError, an edit based on an
    outdated page raises ConcurrentEditError, and a closed survey raises SurveyClosedError.
    """
    survey = Survey.objects.select_for_update().get(pk=link.survey_id)
    if not survey.is_open:
        raise SurveyClosedError(
            _("This survey closed on %(date)s: answers can no longer be given or changed.")
            % {"date": timezone.localtime(survey.effective_close).strftime("%d/%m/%Y %H:%M")}
        )
    response = SurveyResponse.objects.filter(invitation=link).first()
    if response is None:
        response = SurveyResponse.objects.create(invitation=link)
    elif expected_version is None:
        raise AlreadyAnsweredError(
            _("You have already answered this survey: your answer is shown below, you may change it.")
        )
    elif expected_version != response.version:
        raise ConcurrentEditError(
            _("Your answer was changed in another window meanwhile. Reload the page to see it.")
        )
    else:
        response.version += 1
        response.save()
    response.answers.all().delete()
    answers = []
    for question, value in values.items():
        if value in (None, "", []):
            continue
        answer = SurveyAnswer(response=response, question=question)
        if isinstance(value, list):
            answer.selected = value
        elif isinstance(value, int):
            answer.number = value
        else:
            answer.text = str(value)
        answers.append(answer)
    SurveyAnswer.objects.bulk_create(answers)
    return response


def close_survey(survey: Survey) -> None:
    survey.closed_at = timezone.now()
    survey.save(update_fields=["closed_at", "updated_at"])


# --- Restitution events ------------------------------------------------------------------------------


class RegistrationClosedError(Exception):
    """The event does not take registrations (not open yet, or closed)."""


def event_for(meeting: Meeting) -> RestitutionEvent:
    event, _created = RestitutionEvent.objects.get_or_create(meeting=meeting)
    return event


@transaction.atomic
def register(event: RestitutionEvent, registration: Registration) -> Registration:
    """Save a public registration, confirmed while seats remain, on the waiting list after."""
    event = RestitutionEvent.objects.select_for_update().select_related("meeting").get(pk=event.pk)
    if not event.registration_open or event.meeting.is_past:
        raise RegistrationClosedError(_("Registration for this event is closed."))
    registration.email = registration.email.strip().lower()
    if (
        event.registrations.exclude(status=RegistrationStatus.CANCELLED)
        .filter(email=registration.email)
        .exists()
    ):
        raise ValidationError({"email": _("This e-mail address is already registered for this event.")})
    confirmed = event.registrations.filter(status=RegistrationStatus.CONFIRMED).count()
    registration.event = event
    registration.status = (
        RegistrationStatus.CONFIRMED if confirmed < event.capacity else RegistrationStatus.WAITING
    )
    registration.full_clean()
    registration.save()
    transaction.on_commit(lambda: emails.send_registration_confirmation(registration))
    return registration


@transaction.atomic
def cancel_registration(registration: Registration) -> Registration | None:
    """Cancel a registration; a freed seat goes to the first on the waiting list, who is told. Returns them."""
    registration = Registration.objects.select_for_update().get(pk=registration.pk)
    if registration.status == RegistrationStatus.CANCELLED:
        return None
    was_confirmed = registration.status == RegistrationStatus.CONFIRMED
    registration.status = RegistrationStatus.CANCELLED
    registration.cancelled_at = timezone.now()
    registration.save()
    if not was_confirmed:
        return None
    promoted = promote_waiting(registration.event)
    return promoted[0] if promoted else None


@transaction.atomic
def promote_waiting(event: RestitutionEvent) -> list[Registration]:
    """Confirm people from the waiting list, first come first served, while seats remain."""
    confirmed = event.registrations.filter(status=RegistrationStatus.CONFIRMED).count()
    free = max(event.capacity - confirmed, 0)
    promoted = list(
        event.registrations.filter(status=RegistrationStatus.WAITING).order_by("created_at", "pk")[:free]
    )
    for registration in promoted:
        registration.status = RegistrationStatus.CONFIRMED
        registration.save()
        transaction.on_commit(lambda r=registration: emails.send_registration_confirmation(r))  # type: ignore[misc]
    return promoted


#: Registrations' personal data is kept this long after the event (promised on the registration form).
REGISTRATION_RETENTION = dt.timedelta(days=90)


@transaction.atomic
def anonymise_past_registrations(now: dt.datetime | None = None) -> int:
    """Erase the personal data of registrations to events ended more than 90 days ago (GDPR:
    kept no longer than needed). Counts by status stay for the event's notes. Returns how many."""
    limit = (now or timezone.now()) - REGISTRATION_RETENTION
    registrations = Registration.objects.filter(event__meeting__ends_at__lt=limit).exclude(name="")
    count = 0
    for registration in registrations:
        registration.name = ""
        registration.organisation_name = ""
        registration.email = f"registration-{registration.pk}@anonymised.invalid"
        registration.diet = ""
        registration.accessibility_needs = ""
        registration.save()
        registration.history.all().delete()  # type: ignore[attr-defined]
        count += 1
    return count


# --- Personal calendar feed --------------------------------------------------------------------------


def feed_for(user: User | AnonymousUser) -> CalendarFeed | None:
    return CalendarFeed.objects.filter(user_id=user.pk).first()


@transaction.atomic
def renew_feed(user: User) -> CalendarFeed:
    """A new secret address; the old one stops working at once."""
    CalendarFeed.objects.filter(user=user).delete()
    return CalendarFeed.objects.create(user=user)


def revoke_feed(user: User) -> None:
    CalendarFeed.objects.filter(user=user).delete()
