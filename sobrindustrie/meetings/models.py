"""Meetings of a programme and what hangs on them: invitations and attendance, documents, minutes
with their decision record, satisfaction surveys, restitution events; and the days of support spent.

Kinds, modes and time object kinds use the obligations engine's codes, so that `obligations.py` hands
these records to `sobrindustrie.engines.obligations` without translation.
"""

from __future__ import annotations

import datetime as dt
import secrets
from decimal import Decimal
from typing import TYPE_CHECKING

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from sobrindustrie.core.models import TimeStampedModel, VersionedModel
from sobrindustrie.core.search import SearchFoldedModel, fold
from sobrindustrie.engines.calendar import add_working_days
from sobrindustrie.meetings.enums import (
    CAPPED_KINDS,
    CHOICE_KINDS,
    SCALES,
    Attendance,
    Axis,
    ChecklistCategory,
    DecisionKind,
    DecisionStatus,
    MeetingKind,
    MeetingMode,
    MeetingStatus,
    MinutesStatus,
    QuestionKind,
    RegistrationStatus,
    TimeObjectKind,
    TopicStatus,
)
from sobrindustrie.meetings.querysets import MeetingQuerySet, ProgrammeRowQuerySet
from sobrindustrie.programmes.querysets import overseen_programmes_q

if TYPE_CHECKING:
    from sobrindustrie.accounts.models import User

#: Working days the consultant has to deliver minutes (CCTP 3.1).
MINUTES_WORKING_DAYS = 5
#: A time entry above this is almost surely a typo (35 for 3.5); longer stretches are split.
MAX_DAYS_PER_ENTRY = Decimal("20")


def new_token() -> str:
    """A secret for links that need no login (survey, calendar feed, registration): 192 random bits."""
    return secrets.token_urlsafe(24)


class Meeting(VersionedModel):
    programme = models.ForeignKey(
        "programmes.Programme", verbose_name=_("programme"), on_delete=models.PROTECT, related_name="meetings"
    )
    kind = models.CharField(_("kind"), max_length=30, choices=MeetingKind.choices)
    title = models.CharField(_("title"), max_length=200)
    teams = models.ManyToManyField(
        "teams.ProjectTeam",
        verbose_name=_("project teams concerned"),
        blank=True,
        related_name="meetings",
        help_text=_("Filled once project teams exist."),
    )
    organisations = models.ManyToManyField(
        "organisations.Organisation",
        verbose_name=_("organisations concerned"),
        blank=True,
        related_name="meetings",
    )
    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at"))
    place = models.CharField(_("place"), max_length=250, blank=True)
    video_link = models.URLField(_("video link"), blank=True)
    mode = models.CharField(
        _("mode"), max_length=20, choices=MeetingMode.choices, default=MeetingMode.IN_PERSON
    )
    agenda = models.TextField(
        _("agenda"), blank=True, help_text=_("Markdown: # headings, - lists, **bold**.")
    )
    status = models.CharField(
        _("status"), max_length=20, choices=MeetingStatus.choices, default=MeetingStatus.PLANNED
    )
    organiser_name = models.CharField(
        _("organised by"),
        max_length=200,
        blank=True,
        help_text=_("For meetings organised by others (strategic coordination, funders)."),
    )
    attended_by_consultant = models.BooleanField(
        _("attended by the consultant"),
        default=True,
        help_text=_("For meetings organised by others: whether the consultancy was there."),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    history = HistoricalRecords(excluded_fields=["version", "updated_at"], m2m_fields=["teams"])
    objects = MeetingQuerySet.as_manager()

    class Meta:
        verbose_name = _("meeting")
        verbose_name_plural = _("meetings")
        ordering = ["starts_at", "pk"]
        indexes = [models.Index(fields=["programme", "starts_at"])]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("www:meeting_detail", args=[self.pk])

    def clean(self) -> None:
        super().clean()
        errors: dict[str, str] = {}
        if self.starts_at and self.ends_at and self.ends_at <= self.starts_at:
            errors["ends_at"] = str(_("The end must come after the start."))
        if self.status == MeetingStatus.HELD and self.starts_at and self.starts_at > timezone.now():
            errors["status"] = str(_("A meeting cannot be marked held before it starts."))
        if not self.place and not self.video_link:
            errors["place"] = str(_("Give a place or a video link."))
        if self.mode == MeetingMode.REMOTE and not self.video_link and "place" not in errors:
            errors["video_link"] = str(_("A remote meeting needs a video link."))
        if errors:
            raise ValidationError(errors)

    @property
    def starts_on(self) -> dt.date:
        return timezone.localdate(self.starts_at)

    @property
    def minutes_due_on(self) -> dt.date:
        """Meeting date + 5 French working days (weekends and public holidays excluded)."""
        return add_working_days(self.starts_on, MINUTES_WORKING_DAYS)

    @property
    def is_past(self) -> bool:
        return self.starts_at <= timezone.now()

    @property
    def is_cancelled(self) -> bool:
        return self.status == MeetingStatus.CANCELLED

    @property
    def needs_held_mark(self) -> bool:
        """A past meeting still marked planned: it counts for nothing until marked held or cancelled."""
        return self.status == MeetingStatus.PLANNED and self.ends_at < timezone.now()

    @property
    def minutes_or_none(self) -> Minutes | None:
        """The minutes, or None when not started (templates cannot catch the missing-row error)."""
        try:
            return self.minutes  # type: ignore[no-any-return]
        except ObjectDoesNotExist:
            return None

    @property
    def survey_or_none(self) -> Survey | None:
        try:
            return self.survey  # type: ignore[no-any-return]
        except ObjectDoesNotExist:
            return None

    @property
    def ics_uid(self) -> str:
        return f"meeting-{self.pk}@sobrindustrie"


class Invitation(TimeStampedModel):
    """A user invited to a meeting, and whether they came."""

    meeting = models.ForeignKey(
        Meeting, verbose_name=_("meeting"), on_delete=models.CASCADE, related_name="invitations"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("invitee"),
        on_delete=models.PROTECT,
        related_name="meeting_invitations",
    )
    attendance = models.CharField(
        _("attendance"), max_length=20, choices=Attendance.choices, default=Attendance.UNKNOWN
    )
    invited_at = models.DateTimeField(_("invitation sent at"), null=True, blank=True)
    reminded_at = models.DateTimeField(_("reminder sent at"), null=True, blank=True)

    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")
        ordering = ["user__last_name", "user__first_name"]
        constraints = [models.UniqueConstraint(fields=["meeting", "user"], name="invitation_unique_user")]

    def __str__(self) -> str:
        return f"{self.user} — {self.meeting}"


class Guest(TimeStampedModel):
    """Someone without an account who attended (a speaker, a visitor), recorded by name."""

    meeting = models.ForeignKey(
        Meeting, verbose_name=_("meeting"), on_delete=models.CASCADE, related_name="guests"
    )
    name = models.CharField(_("name"), max_length=150)
    organisation_name = models.CharField(_("organisation"), max_length=200, blank=True)
    attendance = models.CharField(
        _("attendance"), max_length=20, choices=Attendance.choices, default=Attendance.PRESENT
    )

    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        verbose_name = _("guest")
        verbose_name_plural = _("guests")
        ordering = ["name"]

    def __str__(self) -> str:
        return f"{self.name} ({self.organisation_name})" if self.organisation_name else self.name


class MeetingDocument(TimeStampedModel):
    meeting = models.ForeignKey(
        Meeting, verbose_name=_("meeting"), on_delete=models.CASCADE, related_name="documents"
    )
    title = models.CharField(_("title"), max_length=200)
    file = models.FileField(_("file"), upload_to="meetings/%Y/%m/")
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("uploaded by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        verbose_name = _("document")
        verbose_name_plural = _("documents")
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return self.title

    @property
    def filename(self) -> str:
        return self.file.name.rsplit("/", 1)[-1]


class Minutes(SearchFoldedModel, VersionedModel):
    """The minutes (compte rendu) of a meeting; its status moves through `workflow.TRANSITIONS`."""

    meeting = models.OneToOneField(
        Meeting, verbose_name=_("meeting"), on_delete=models.CASCADE, related_name="minutes"
    )
    body = models.TextField(_("minutes"), blank=True, help_text=_("Markdown: # headings, - lists, **bold**."))
    status = models.CharField(
        _("status"), max_length=20, choices=MinutesStatus.choices, default=MinutesStatus.DRAFT
    )
    first_submitted_at = models.DateTimeField(_("first submitted at"), null=True, blank=True)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    validated_at = models.DateTimeField(_("validated at"), null=True, blank=True)
    validated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("validated by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    return_comment = models.TextField(_("reason for returning"), blank=True)

    history = HistoricalRecords(excluded_fields=["version", "updated_at", "search_folded"])

    class Meta:
        verbose_name = _("minutes")
        verbose_name_plural = _("minutes")

    def __str__(self) -> str:
        return str(_("Minutes of %(meeting)s")) % {"meeting": self.meeting}

    def folded_text(self) -> str:
        return fold(f"{self.meeting.title} {self.body}")

    def get_absolute_url(self) -> str:
        return reverse("www:meeting_detail", args=[self.meeting_id]) + "#minutes"

    @property
    def due_on(self) -> dt.date:
        return self.meeting.minutes_due_on

    @property
    def first_submitted_on(self) -> dt.date | None:
        return timezone.localdate(self.first_submitted_at) if self.first_submitted_at else None

    @property
    def is_late(self) -> bool:
        """Not submitted yet while the due date has passed (still curable)."""
        return self.first_submitted_at is None and timezone.localdate() > self.due_on

    @property
    def was_submitted_late(self) -> bool:
        submitted = self.first_submitted_on
        return submitted is not None and submitted > self.due_on

    @property
    def is_editable(self) -> bool:
        return self.status in (MinutesStatus.DRAFT, MinutesStatus.RETURNED)


class MinutesLog(models.Model):
    """One transition of the minutes' workflow: who did what, when, and why."""

    minutes = models.ForeignKey(
        Minutes, verbose_name=_("minutes"), on_delete=models.CASCADE, related_name="log"
    )
    action = models.CharField(_("action"), max_length=20)
    from_status = models.CharField(_("from"), max_length=20, choices=MinutesStatus.choices)
    to_status = models.CharField(_("to"), max_length=20, choices=MinutesStatus.choices)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("by"), on_delete=models.SET_NULL, null=True, related_name="+"
    )
    comment = models.TextField(_("comment"), blank=True)
    at = models.DateTimeField(_("at"), default=timezone.now)

    class Meta:
        verbose_name = _("minutes workflow entry")
        verbose_name_plural = _("minutes workflow entries")
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.action}: {self.from_status} → {self.to_status}"


class DecisionQuerySet(models.QuerySet):  # type: ignore[type-arg]
    def visible_to(self, user: User) -> DecisionQuerySet:
        """As on the meeting page: the programme's overseers read every decision; invitees read
        those of the meetings whose minutes ADEME validated."""
        if not user.is_authenticated:
            return self.none()
        programme_filter = overseen_programmes_q(user)
        if programme_filter is not None:
            return self.filter(programme_filter)
        return self.filter(
            meeting__in=Meeting.objects.visible_to(user).values("pk"),
            meeting__minutes__status=MinutesStatus.VALIDATED,
        )

    def open(self) -> DecisionQuerySet:
        return self.filter(status=DecisionStatus.OPEN)

    def carried_into(self, meeting: Meeting) -> DecisionQuerySet:
        """Open decisions of the programme's earlier meetings: carried until closed."""
        return self.open().filter(programme_id=meeting.programme_id, meeting__starts_at__lt=meeting.starts_at)


class Decision(VersionedModel):
    """An entry of the programme's decision record, numbered across the programme.

    An open decision is carried from meeting to meeting (shown on every later meeting's page) until it
    is closed as done or dropped.
    """

    programme = models.ForeignKey(
        "programmes.Programme",
        verbose_name=_("programme"),
        on_delete=models.PROTECT,
        related_name="decisions",
    )
    meeting = models.ForeignKey(
        Meeting, verbose_name=_("decided at"), on_delete=models.PROTECT, related_name="decisions"
    )
    number = models.PositiveIntegerField(_("number"))
    kind = models.CharField(
        _("kind"), max_length=20, choices=DecisionKind.choices, default=DecisionKind.DECISION
    )
    text = models.TextField(_("decision or action"))
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("owner"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    owner_name = models.CharField(
        _("owner (without an account)"),
        max_length=150,
        blank=True,
        help_text=_("When the owner has no account."),
    )
    due_on = models.DateField(_("due on"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=DecisionStatus.choices, default=DecisionStatus.OPEN
    )
    closed_at_meeting = models.ForeignKey(
        Meeting,
        verbose_name=_("closed at"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="closed_decisions",
    )
    closed_on = models.DateField(_("closed on"), null=True, blank=True)

    history = HistoricalRecords(excluded_fields=["version", "updated_at"])
    objects = DecisionQuerySet.as_manager()

    class Meta:
        verbose_name = _("decision")
        verbose_name_plural = _("decisions")
        ordering = ["number"]
        constraints = [models.UniqueConstraint(fields=["programme", "number"], name="decision_unique_number")]

    def __str__(self) -> str:
        return f"{self.reference} {self.text[:60]}"

    @property
    def reference(self) -> str:
        return f"n° {self.number}"

    @property
    def owner_display(self) -> str:
        return str(self.owner) if self.owner_id else self.owner_name

    @property
    def is_overdue(self) -> bool:
        return (
            self.status == DecisionStatus.OPEN
            and self.due_on is not None
            and self.due_on < timezone.localdate()
        )


# --- Satisfaction surveys ---------------------------------------------------------------------------


class Survey(TimeStampedModel):
    meeting = models.OneToOneField(
        Meeting, verbose_name=_("meeting"), on_delete=models.CASCADE, related_name="survey"
    )
    intro = models.TextField(_("introduction"), blank=True)
    closes_at = models.DateTimeField(_("closes at"))
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    include_staff = models.BooleanField(
        _("ask ADEME and consultant staff too"),
        default=False,
        help_text=_(
            "Off: only the meeting's participants (SME members, partners, guests) receive a link, and "
            "answers from staff do not count in the results."
        ),
    )

    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        verbose_name = _("satisfaction survey")
        verbose_name_plural = _("satisfaction surveys")

    def __str__(self) -> str:
        return str(_("Satisfaction survey: %(meeting)s")) % {"meeting": self.meeting}

    @property
    def is_open(self) -> bool:
        return self.closed_at is None and timezone.now() < self.closes_at

    @property
    def effective_close(self) -> dt.datetime:
        return self.closed_at or self.closes_at


class SurveyQuestion(TimeStampedModel):
    survey = models.ForeignKey(
        Survey, verbose_name=_("survey"), on_delete=models.CASCADE, related_name="questions"
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    kind = models.CharField(_("kind"), max_length=20, choices=QuestionKind.choices)
    text = models.CharField(_("question"), max_length=300)
    choices = models.JSONField(_("choices"), default=list, blank=True)
    required = models.BooleanField(_("required"), default=False)

    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        verbose_name = _("question")
        verbose_name_plural = _("questions")
        ordering = ["position", "pk"]

    def __str__(self) -> str:
        return self.text

    def clean(self) -> None:
        super().clean()
        if self.kind in CHOICE_KINDS and len(self.choices or []) < 2:
            raise ValidationError(
                {"choices": _("A choice question needs at least two choices, one per line.")}
            )
        if self.kind not in CHOICE_KINDS and self.choices:
            raise ValidationError({"choices": _("Only choice questions have choices.")})

    @property
    def scale(self) -> tuple[int, int] | None:
        return SCALES.get(QuestionKind(self.kind))


class SurveyInvitation(TimeStampedModel):
    """One person's personal link to a survey: the token is the only credential, so it is long and random."""

    survey = models.ForeignKey(
        Survey, verbose_name=_("survey"), on_delete=models.CASCADE, related_name="invitations"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="survey_invitations",
    )
    name = models.CharField(_("name"), max_length=150)
    email = models.EmailField(_("e-mail"), blank=True)
    token = models.CharField(_("token"), max_length=64, unique=True, default=new_token, editable=False)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)

    class Meta:
        verbose_name = _("survey link")
        verbose_name_plural = _("survey links")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["survey", "user"],
                condition=models.Q(user__isnull=False),
                name="survey_invitation_unique_user",
            )
        ]

    def __str__(self) -> str:
        return f"{self.name} — {self.survey}"

    def get_absolute_url(self) -> str:
        return reverse("www:survey_answer", args=[self.token])


class SurveyResponse(VersionedModel):
    """The one answer of one person; edited in place until the survey closes."""

    invitation = models.OneToOneField(
        SurveyInvitation, verbose_name=_("survey link"), on_delete=models.CASCADE, related_name="response"
    )

    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        verbose_name = _("survey response")
        verbose_name_plural = _("survey responses")
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return str(self.invitation)


class SurveyAnswer(models.Model):
    # No history: the response's history already dates each edit, and answers are overwritten whole.
    response = models.ForeignKey(
        SurveyResponse, verbose_name=_("response"), on_delete=models.CASCADE, related_name="answers"
    )
    question = models.ForeignKey(
        SurveyQuestion, verbose_name=_("question"), on_delete=models.CASCADE, related_name="answers"
    )
    number = models.SmallIntegerField(_("number"), null=True, blank=True)
    text = models.TextField(_("text"), blank=True)
    selected = models.JSONField(_("selected choices"), default=list, blank=True)

    class Meta:
        verbose_name = _("answer")
        verbose_name_plural = _("answers")
        constraints = [
            models.UniqueConstraint(fields=["response", "question"], name="answer_unique_question")
        ]

    def __str__(self) -> str:
        return f"{self.question}: {self.display}"

    @property
    def display(self) -> str:
        if self.number is not None:
            return str(self.number)
        if self.selected:
            return "; ".join(self.selected)
        return self.text


# --- Workshop 1: what each company said in the room, and the webinar topics drawn from it -----------


class WorkshopContribution(VersionedModel):
    """What one company said at collective workshop 1: its needs and offers (its own words and the
    sobriety solutions they touch), the themes it voted for in order, and its satisfaction.

    Typed by the consultant during the workshop, one row per company; L1.2 quotes it.
    """

    meeting = models.ForeignKey(
        Meeting, verbose_name=_("workshop"), on_delete=models.CASCADE, related_name="contributions"
    )
    organisation = models.ForeignKey(
        "organisations.Organisation",
        verbose_name=_("company"),
        on_delete=models.PROTECT,
        related_name="workshop_contributions",
    )
    needs = models.TextField(_("needs expressed"), blank=True)
    offers = models.TextField(_("what it can offer"), blank=True)
    solutions = models.JSONField(
        _("sobriety solutions concerned"),
        default=list,
        blank=True,
        help_text=_("Codes of `core.enums.Solution`."),
    )
    votes = models.JSONField(
        _("themes voted for"), default=list, blank=True, help_text=_("Solution codes, first choice first.")
    )
    satisfaction = models.PositiveSmallIntegerField(
        _("satisfaction (1 to 5)"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(5)],
    )
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("typed by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    history = HistoricalRecords(excluded_fields=["version", "updated_at"])

    class Meta:
        verbose_name = _("workshop contribution")
        verbose_name_plural = _("workshop contributions")
        ordering = ["organisation__name", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "organisation"], name="workshop_contribution_unique_company"
            )
        ]

    def __str__(self) -> str:
        return f"{self.meeting} — {self.organisation}"

    @property
    def is_empty(self) -> bool:
        return not (
            self.needs.strip() or self.offers.strip() or self.solutions or self.votes or self.satisfaction
        )


class WebinarTopic(VersionedModel):
    """A webinar topic drawn from workshop 1, one per theme: proposed from what the companies said,
    then edited and validated by the consultant. L1.2 prints the validated ones."""

    meeting = models.ForeignKey(
        Meeting, verbose_name=_("workshop"), on_delete=models.CASCADE, related_name="webinar_topics"
    )
    theme = models.CharField(_("theme"), max_length=30, help_text=_("A code of `core.enums.Solution`."))
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=TopicStatus.choices, default=TopicStatus.PROPOSED
    )
    validated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("validated by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    validated_at = models.DateTimeField(_("validated at"), null=True, blank=True)

    history = HistoricalRecords(excluded_fields=["version", "updated_at"])

    class Meta:
        verbose_name = _("webinar topic")
        verbose_name_plural = _("webinar topics")
        ordering = ["meeting", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["meeting", "theme"], name="webinar_topic_unique_theme")
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_validated(self) -> bool:
        return self.status == TopicStatus.VALIDATED


# --- Time spent ------------------------------------------------------------------------------------


class TimeEntry(VersionedModel):
    """Days of support a consultant spent, on one axis and one object.

    The object is named by its kind and either a row of another app (generic relation: an
    organisation for a diagnostic today, a funding order or an evaluation once those apps exist) or a
    label. Totals per object are compared with the programme's caps; going over is allowed but flagged.
    """

    programme = models.ForeignKey(
        "programmes.Programme",
        verbose_name=_("programme"),
        on_delete=models.PROTECT,
        related_name="time_entries",
    )
    consultant = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("consultant"),
        on_delete=models.PROTECT,
        related_name="time_entries",
    )
    date = models.DateField(_("date"))
    days = models.DecimalField(_("days"), max_digits=5, decimal_places=2)
    axis = models.PositiveSmallIntegerField(_("axis"), choices=Axis.choices)
    object_kind = models.CharField(_("concerns"), max_length=20, choices=TimeObjectKind.choices)
    content_type = models.ForeignKey(
        ContentType, verbose_name=_("object type"), on_delete=models.PROTECT, null=True, blank=True
    )
    object_id = models.PositiveBigIntegerField(_("object id"), null=True, blank=True)
    content_object = GenericForeignKey("content_type", "object_id")
    object_label = models.CharField(
        _("object"),
        max_length=200,
        blank=True,
        help_text=_("Name of what the time was spent on, when not listed."),
    )
    description = models.CharField(_("description"), max_length=300, blank=True)

    history = HistoricalRecords(excluded_fields=["version", "updated_at"])
    objects = ProgrammeRowQuerySet.as_manager()

    class Meta:
        verbose_name = _("time entry")
        verbose_name_plural = _("time entries")
        ordering = ["-date", "pk"]
        indexes = [models.Index(fields=["programme", "object_kind"])]

    def __str__(self) -> str:
        return f"{self.date} {self.consultant} {self.days} j"

    def clean(self) -> None:
        super().clean()
        errors: dict[str, str] = {}
        if self.days is not None and self.days <= 0:
            errors["days"] = str(_("Days must be greater than 0 (half a day is 0.5)."))
        elif self.days is not None and self.days > MAX_DAYS_PER_ENTRY:
            errors["days"] = str(
                _("An entry holds at most %(max)s days; split a longer period into several entries.")
                % {"max": MAX_DAYS_PER_ENTRY}
            )
        if self.date and self.date > timezone.localdate():
            errors["date"] = str(_("Time is recorded once spent: the date cannot be in the future."))
        if (
            (self.object_kind in CAPPED_KINDS or self.object_kind == TimeObjectKind.TEAM)
            and not self.object_id
            and not self.object_label.strip()
        ):
            errors["object_label"] = str(
                _("Say which %(kind)s this time was spent on.")
                % {"kind": TimeObjectKind(self.object_kind).label.lower()}
            )
        if (
            self.consultant_id
            and self.programme_id
            and not self.programme.staff_members.filter(pk=self.consultant_id).exists()
        ):
            errors["consultant"] = str(_("This person does not work on this programme."))
        if errors:
            raise ValidationError(errors)

    @property
    def object_key(self) -> str:
        """What the cap is counted on: the object row when there is one, the label otherwise."""
        if self.object_id is not None:
            return f"{self.object_kind}:{self.content_type_id}:{self.object_id}"
        return f"{self.object_kind}:label:{self.object_label.strip().casefold()}"

    @property
    def object_display(self) -> str:
        if self.object_id is not None and self.content_object is not None:
            return str(self.content_object)
        return self.object_label


class CalendarFeed(TimeStampedModel):
    """A user's secret calendar address. No history: it would keep revoked secrets around."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="calendar_feed",
    )
    token = models.CharField(_("token"), max_length=64, unique=True, default=new_token, editable=False)

    class Meta:
        verbose_name = _("calendar feed")
        verbose_name_plural = _("calendar feeds")

    def __str__(self) -> str:
        return str(self.user)

    def get_absolute_url(self) -> str:
        return reverse("www:calendar_feed", args=[self.token])


# --- Restitution events ----------------------------------------------------------------------------


class RestitutionEvent(VersionedModel):
    """Public side and logistics of a restitution event (a meeting of kind restitution_event)."""

    meeting = models.OneToOneField(
        Meeting, verbose_name=_("meeting"), on_delete=models.CASCADE, related_name="event"
    )
    public_token = models.CharField(
        _("public address key"), max_length=64, unique=True, default=new_token, editable=False
    )
    registration_open = models.BooleanField(_("registration open"), default=False)
    capacity = models.PositiveIntegerField(_("capacity"), validators=[MinValueValidator(1)], default=80)
    public_description = models.TextField(_("public description"), blank=True, help_text=_("Markdown."))
    notes = models.TextField(
        _("notes on the event (L4.5)"),
        blank=True,
        help_text=_("Markdown: what was presented, said and learnt."),
    )

    history = HistoricalRecords(excluded_fields=["version", "updated_at"])

    class Meta:
        verbose_name = _("restitution event")
        verbose_name_plural = _("restitution events")

    def __str__(self) -> str:
        return str(self.meeting)

    def get_absolute_url(self) -> str:
        return reverse("www:event_manage", args=[self.meeting_id])


class Registration(TimeStampedModel):
    event = models.ForeignKey(
        RestitutionEvent, verbose_name=_("event"), on_delete=models.CASCADE, related_name="registrations"
    )
    name = models.CharField(_("name"), max_length=150)
    organisation_name = models.CharField(_("organisation"), max_length=200, blank=True)
    email = models.EmailField(_("e-mail"))
    diet = models.CharField(_("dietary needs"), max_length=300, blank=True)
    accessibility_needs = models.CharField(_("accessibility needs"), max_length=300, blank=True)
    status = models.CharField(_("status"), max_length=20, choices=RegistrationStatus.choices)
    token = models.CharField(_("token"), max_length=64, unique=True, default=new_token, editable=False)
    cancelled_at = models.DateTimeField(_("cancelled at"), null=True, blank=True)

    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        verbose_name = _("registration")
        verbose_name_plural = _("registrations")
        ordering = ["created_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["event", "email"],
                condition=~models.Q(status="cancelled"),
                name="registration_unique_email",
            )
        ]

    def __str__(self) -> str:
        return self.name


class ChecklistItem(VersionedModel):
    """A line of an event's logistics: venue, catering, equipment, budget, supplier."""

    event = models.ForeignKey(
        RestitutionEvent, verbose_name=_("event"), on_delete=models.CASCADE, related_name="checklist"
    )
    category = models.CharField(_("category"), max_length=20, choices=ChecklistCategory.choices)
    label = models.CharField(_("item"), max_length=200)
    done = models.BooleanField(_("done"), default=False)
    amount_eur = models.DecimalField(
        _("amount (€ incl. VAT)"),
        max_digits=10,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0"))],
    )
    supplier = models.CharField(_("supplier"), max_length=200, blank=True)
    low_impact = models.BooleanField(_("chosen for its low impact"), default=False)
    justification = models.CharField(
        _("why it is low impact"),
        max_length=300,
        blank=True,
        help_text=_("e.g. local, seasonal, reachable by train."),
    )

    history = HistoricalRecords(excluded_fields=["version", "updated_at"])

    class Meta:
        verbose_name = _("checklist item")
        verbose_name_plural = _("checklist items")
        ordering = ["category", "pk"]

    def __str__(self) -> str:
        return self.label

    def clean(self) -> None:
        super().clean()
        if self.low_impact and not self.justification.strip():
            raise ValidationError({"justification": _("Say why this choice is low impact.")})
