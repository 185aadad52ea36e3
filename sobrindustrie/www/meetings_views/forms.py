from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from sobrindustrie.accounts.enums import Role
from sobrindustrie.accounts.models import User
from sobrindustrie.meetings.enums import (
    SCALES,
    Attendance,
    DecisionStatus,
    MeetingKind,
    QuestionKind,
    TimeObjectKind,
)
from sobrindustrie.meetings.models import (
    ChecklistItem,
    Decision,
    Meeting,
    MeetingDocument,
    Minutes,
    Registration,
    RestitutionEvent,
    Survey,
    SurveyQuestion,
    TimeEntry,
)
from sobrindustrie.meetings.services import check_invitees, programme_users
from sobrindustrie.meetings.timesheets import OBJECT_SOURCES
from sobrindustrie.organisations.models import Organisation
from sobrindustrie.programmes.models import Programme
from sobrindustrie.teams.models import ProjectTeam
from sobrindustrie.www.forms import DsfrFormMixin, VersionedModelForm

DATETIME_FORMAT = "%Y-%m-%dT%H:%M"


class DateTimeLocalInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(format=DATETIME_FORMAT, **kwargs)


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(format="%Y-%m-%d", **kwargs)


def _user_label(user: User) -> str:
    where = user.organisation.name if user.organisation_id else user.get_role_display()
    return f"{user} — {where}"


class MeetingForm(VersionedModelForm):
    teams = forms.ModelMultipleChoiceField(
        label=_("Project teams concerned"),
        queryset=ProjectTeam.objects.none(),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 5}),
        help_text=_("Follow-ups, action-plan workshops and evaluations count for the teams chosen here."),
    )
    invitees = forms.ModelMultipleChoiceField(
        label=_("Invitees"),
        # Every active user resolves, so that an outsider is refused by name, not as "invalid choice".
        queryset=User.objects.filter(is_active=True),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 10}),
        help_text=_("Members of the programme only. Hold Ctrl (or ⌘) to select several."),
    )

    class Meta:
        model = Meeting
        fields = [
            "kind",
            "title",
            "starts_at",
            "ends_at",
            "mode",
            "place",
            "video_link",
            "agenda",
            "organisations",
            "teams",
            "status",
            "organiser_name",
            "attended_by_consultant",
        ]
        field_classes = {"starts_at": forms.DateTimeField, "ends_at": forms.DateTimeField}
        widgets = {
            "starts_at": DateTimeLocalInput(),
            "ends_at": DateTimeLocalInput(),
            "agenda": forms.Textarea(attrs={"rows": 8}),
            "organisations": forms.SelectMultiple(attrs={"size": 8}),
        }

    def __init__(self, *args: Any, programme: Programme, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.programme = programme
        self.instance.programme = programme
        for name in ("starts_at", "ends_at"):
            self.fields[name].input_formats = [DATETIME_FORMAT, "%Y-%m-%d %H:%M", "%d/%m/%Y %H:%M"]
        self.fields["organisations"].queryset = Organisation.objects.for_programme(programme).active()
        self.fields["teams"].queryset = ProjectTeam.objects.for_programme(programme)
        self.fields["invitees"].widget.choices = [(u.pk, _user_label(u)) for u in programme_users(programme)]
        if self.instance.pk and not self.is_bound:
            self.fields["invitees"].initial = list(
                self.instance.invitations.values_list("user_id", flat=True)
            )

    def clean_invitees(self) -> list[User]:
        users = list(self.cleaned_data["invitees"])
        try:
            check_invitees(self.programme, users)
        except ValidationError as error:
            raise ValidationError(error.message_dict["invitees"]) from None
        return users


class MeetingFilterForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), required=False)
    month = forms.DateField(
        label=_("Month"),
        required=False,
        input_formats=["%Y-%m"],
        widget=forms.DateInput(attrs={"type": "month"}, format="%Y-%m"),
        error_messages={"invalid": _("Give a month as YYYY-MM, e.g. 2026-11.")},
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [("", _("All kinds")), *MeetingKind.choices]
        self.fields["kind"].widget.attrs["class"] = "fr-select"
        self.fields["month"].widget.attrs["class"] = "fr-input"


class AttendanceForm(DsfrFormMixin, forms.Form):
    guest_name = forms.CharField(label=_("Guest's name"), max_length=150, required=False)
    guest_organisation = forms.CharField(label=_("Guest's organisation"), max_length=200, required=False)

    def __init__(self, *args: Any, invitations: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.invitations = invitations
        for invitation in invitations:
            self.fields[f"att-{invitation.pk}"] = forms.ChoiceField(
                label=_user_label(invitation.user),
                choices=Attendance.choices,
                initial=invitation.attendance,
                widget=forms.Select(attrs={"class": "fr-select"}),
            )

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if data.get("guest_organisation") and not data.get("guest_name"):
            self.add_error("guest_name", _("Give the guest's name."))
        return data

    def statuses(self) -> dict[int, str]:
        return {i.pk: self.cleaned_data[f"att-{i.pk}"] for i in self.invitations}

    def invitation_fields(self) -> list[forms.BoundField]:
        return [self[f"att-{i.pk}"] for i in self.invitations]


class DocumentForm(DsfrFormMixin, forms.ModelForm):  # type: ignore[type-arg]
    class Meta:
        model = MeetingDocument
        fields = ["title", "file"]


class MinutesForm(VersionedModelForm):
    class Meta:
        model = Minutes
        fields = ["body"]
        widgets = {"body": forms.Textarea(attrs={"rows": 20})}


class TransitionForm(forms.Form):
    comment = forms.CharField(label=_("Comment"), required=False, widget=forms.Textarea(attrs={"rows": 3}))


class DecisionForm(DsfrFormMixin, forms.ModelForm):  # type: ignore[type-arg]
    class Meta:
        model = Decision
        fields = ["kind", "text", "owner", "owner_name", "due_on"]
        widgets = {"text": forms.Textarea(attrs={"rows": 2}), "due_on": DateInput()}

    def __init__(self, *args: Any, meeting: Meeting, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.instance.meeting = meeting
        self.instance.programme = meeting.programme
        self.fields["owner"].queryset = programme_users(meeting.programme)
        self.fields["owner"].label_from_instance = _user_label

    def _post_clean(self) -> None:
        # The number is given by services.record_decision, inside its transaction.
        self.instance.number = self.instance.number or 0
        super()._post_clean()


class DecisionStatusForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), choices=DecisionStatus.choices)
    expected_version = forms.IntegerField(widget=forms.HiddenInput)


class SurveySettingsForm(DsfrFormMixin, forms.ModelForm):  # type: ignore[type-arg]
    class Meta:
        model = Survey
        fields = ["intro", "closes_at", "include_staff"]
        field_classes = {"closes_at": forms.DateTimeField}
        widgets = {"intro": forms.Textarea(attrs={"rows": 3}), "closes_at": DateTimeLocalInput()}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["closes_at"].input_formats = [DATETIME_FORMAT, "%Y-%m-%d %H:%M"]

    def clean_closes_at(self) -> dt.datetime:
        closes_at: dt.datetime = self.cleaned_data["closes_at"]
        if closes_at <= self.instance.meeting.starts_at:
            raise ValidationError(_("The survey must close after the meeting starts."))
        return closes_at


class QuestionForm(DsfrFormMixin, forms.ModelForm):  # type: ignore[type-arg]
    choices_text = forms.CharField(
        label=_("Choices"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("For choice questions: one choice per line."),
    )

    class Meta:
        model = SurveyQuestion
        fields = ["kind", "text", "required"]

    def __init__(self, *args: Any, survey: Survey, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.instance.survey = survey

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        choices = [line.strip() for line in (data.get("choices_text") or "").splitlines() if line.strip()]
        if len(set(choices)) != len(choices):
            self.add_error("choices_text", _("Each choice must appear once."))
        self.instance.choices = choices
        return data

    def _update_errors(self, errors: ValidationError) -> None:
        # The model names its field "choices"; the form edits it as "choices_text".
        if hasattr(errors, "error_dict") and "choices" in errors.error_dict:
            errors.error_dict["choices_text"] = errors.error_dict.pop("choices")
        super()._update_errors(errors)


class SurveyAnswerForm(forms.Form):
    """One field per question, named q<pk>; the response's version guards against a second answer."""

    expected_version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args: Any, questions: list[SurveyQuestion], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.questions = questions
        for question in questions:
            self.fields[f"q{question.pk}"] = self._field(question)

    @staticmethod
    def _field(question: SurveyQuestion) -> forms.Field:
        common = {"label": question.text, "required": question.required}
        kind = QuestionKind(question.kind)
        if kind in SCALES:
            low, high = SCALES[kind]
            return forms.TypedChoiceField(
                choices=[(n, str(n)) for n in range(low, high + 1)],
                coerce=int,
                widget=forms.RadioSelect,
                empty_value=None,
                **common,
            )
        if kind == QuestionKind.SINGLE_CHOICE:
            return forms.ChoiceField(
                choices=[(c, c) for c in question.choices], widget=forms.RadioSelect, **common
            )
        if kind == QuestionKind.MULTIPLE_CHOICE:
            return forms.MultipleChoiceField(
                choices=[(c, c) for c in question.choices], widget=forms.CheckboxSelectMultiple, **common
            )
        return forms.CharField(
            widget=forms.Textarea(attrs={"rows": 4, "class": "fr-input"}), max_length=4000, **common
        )

    def values(self) -> dict[SurveyQuestion, Any]:
        return {q: self.cleaned_data.get(f"q{q.pk}") for q in self.questions}

    def question_fields(self) -> list[tuple[SurveyQuestion, forms.BoundField]]:
        return [(q, self[f"q{q.pk}"]) for q in self.questions]


def initial_answers(response: Any) -> dict[str, Any]:
    initial: dict[str, Any] = {"expected_version": response.version}
    for answer in response.answers.all():
        if answer.number is not None:
            initial[f"q{answer.question_id}"] = answer.number
        elif answer.selected:
            question_kind = answer.question.kind
            initial[f"q{answer.question_id}"] = (
                answer.selected if question_kind == QuestionKind.MULTIPLE_CHOICE else answer.selected[0]
            )
        else:
            initial[f"q{answer.question_id}"] = answer.text
    return initial


class TimeEntryForm(VersionedModelForm):
    organisation = forms.ModelChoiceField(
        label=_("Diagnosed company"),
        queryset=Organisation.objects.none(),
        required=False,
        help_text=_("For a diagnostic: the laureate SME diagnosed."),
    )

    class Meta:
        model = TimeEntry
        fields = [
            "consultant",
            "date",
            "days",
            "axis",
            "object_kind",
            "organisation",
            "object_label",
            "description",
        ]
        widgets = {"date": DateInput()}
        help_texts = {"days": _("In days: 0.5 for half a day.")}

    def __init__(self, *args: Any, programme: Programme, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.instance.programme = programme
        self.fields["consultant"].queryset = programme.staff_members.filter(
            role=Role.CONSULTANT, is_active=True
        )
        self.fields["organisation"].queryset = OBJECT_SOURCES[TimeObjectKind.DIAGNOSTIC](programme)
        if self.instance.pk and isinstance(self.instance.content_object, Organisation):
            self.fields["organisation"].initial = self.instance.object_id

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        organisation = data.get("organisation")
        if organisation is not None and data.get("object_kind") != TimeObjectKind.DIAGNOSTIC:
            self.add_error(
                "organisation", _("A company is chosen only for a diagnostic; use the label otherwise.")
            )
        elif organisation is not None:
            self.instance.content_type = ContentType.objects.get_for_model(Organisation)
            self.instance.object_id = organisation.pk
        else:
            self.instance.content_type = None
            self.instance.object_id = None
        if data.get("object_kind") == TimeObjectKind.DIAGNOSTIC and organisation is None:
            self.add_error("organisation", _("Choose the company whose diagnostic this time was spent on."))
        return data


class TimeFilterForm(forms.Form):
    axis = forms.TypedChoiceField(label=_("Axis"), required=False, coerce=int, empty_value=None)
    object_kind = forms.ChoiceField(label=_("Concerns"), required=False)
    consultant = forms.ModelChoiceField(label=_("Consultant"), queryset=User.objects.none(), required=False)

    def __init__(self, *args: Any, programme: Programme, **kwargs: Any) -> None:
        from sobrindustrie.meetings.enums import Axis

        super().__init__(*args, **kwargs)
        self.fields["axis"].choices = [("", _("All axes")), *Axis.choices]
        self.fields["object_kind"].choices = [("", _("Everything")), *TimeObjectKind.choices]
        self.fields["consultant"].queryset = programme.staff_members.filter(role=Role.CONSULTANT)
        self.fields["consultant"].empty_label = str(_("Everyone"))
        for field in self.fields.values():
            field.widget.attrs["class"] = "fr-select"


class EventForm(VersionedModelForm):
    class Meta:
        model = RestitutionEvent
        fields = ["registration_open", "capacity", "public_description", "notes"]
        widgets = {
            "public_description": forms.Textarea(attrs={"rows": 4}),
            "notes": forms.Textarea(attrs={"rows": 10}),
        }


class RegistrationForm(DsfrFormMixin, forms.ModelForm):  # type: ignore[type-arg]
    consent = forms.BooleanField(
        label=_(
            "I agree that these details are used to organise this event; they are erased 90 days after it."
        ),
        required=True,
        error_messages={"required": _("Your agreement is needed to register.")},
    )

    class Meta:
        model = Registration
        fields = ["name", "organisation_name", "email", "diet", "accessibility_needs"]
        help_texts = {
            "diet": _("e.g. vegetarian, gluten-free, allergies."),
            "accessibility_needs": _("e.g. wheelchair access, hearing loop, sign-language interpreting."),
        }


class ChecklistItemForm(VersionedModelForm):
    class Meta:
        model = ChecklistItem
        fields = ["category", "label", "amount_eur", "supplier", "low_impact", "justification"]

    def __init__(self, *args: Any, event: RestitutionEvent, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.instance.event = event
