"""Forms of project teams, prospecting and the partners' committee.

Forms validate what a person typed; rules that touch several rows (no organisation twice, the
prospecting transitions) live in `sobrindustrie.teams.services` and come back as field errors.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from sobrindustrie.accounts.enums import Role
from sobrindustrie.accounts.models import User
from sobrindustrie.core.enums import Solution
from sobrindustrie.organisations.enums import OrganisationKind
from sobrindustrie.organisations.models import Commune, Organisation, Person
from sobrindustrie.programmes.models import Programme
from sobrindustrie.teams.enums import (
    ContactChannel,
    MemberRole,
    ProspectStatus,
    SoughtContribution,
    SubgroupWork,
)
from sobrindustrie.teams.models import (
    CommitteeMember,
    CommitteeSubgroup,
    ProjectTeam,
    Prospect,
    ProspectContact,
)
from sobrindustrie.teams.workflow import next_statuses
from sobrindustrie.www.forms import DsfrFormMixin, VersionedModelForm, fit_multiple_choice

OUTSIDE_KINDS = [(k, label) for k, label in OrganisationKind.choices if k != OrganisationKind.LAUREATE_SME]


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(format="%Y-%m-%d", **kwargs)


class OnePersonChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Person) -> str:
        return f"{obj} ({obj.organisation.name})"


class ConsultantChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: User) -> str:
        return obj.get_full_name() or obj.email


def _people(programme: Programme) -> Any:
    return (
        Person.objects.filter(organisation__programme=programme, erased_on__isnull=True)
        .select_related("organisation")
        .order_by("organisation__name", "last_name", "first_name")
    )


def _consultants(programme: Programme) -> Any:
    return programme.staff_members.filter(role=Role.CONSULTANT, is_active=True)


def _not_in_future(value: Any, message: Any) -> Any:
    if value and value > timezone.localdate():
        raise forms.ValidationError(message)
    return value


# --- Teams ---------------------------------------------------------------------------------------------


class TeamForm(VersionedModelForm):
    class Meta:
        model = ProjectTeam
        fields = ["name", "theme", "objectives", "status"]
        widgets = {"objectives": forms.Textarea(attrs={"rows": 4})}


class TeamCreateForm(DsfrFormMixin, forms.Form):
    name = forms.CharField(label=_("Name"), max_length=150)
    theme = forms.ChoiceField(label=_("Theme (main solution)"), choices=Solution.choices)
    objectives = forms.CharField(
        label=_("Objectives"), widget=forms.Textarea(attrs={"rows": 4}), required=False
    )
    members = forms.ModelMultipleChoiceField(
        label=_("Members"),
        queryset=Organisation.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text=_("Outside structures can be added afterwards, or through prospecting."),
    )
    pilot = forms.ModelChoiceField(label=_("Pilot"), queryset=Organisation.objects.none(), required=False)

    def __init__(self, *args: Any, programme: Programme, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        organisations = Organisation.objects.for_programme(programme).active().order_by("kind", "name")
        self.fields["members"].queryset = organisations
        self.fields["pilot"].queryset = organisations
        fit_multiple_choice(self.fields["members"])

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        pilot, members = data.get("pilot"), data.get("members") or []
        if pilot and pilot not in members:
            self.add_error("pilot", _("The pilot must be one of the members chosen above."))
        return data


class MemberAddForm(DsfrFormMixin, forms.Form):
    organisation = forms.ModelChoiceField(label=_("Organisation"), queryset=Organisation.objects.none())
    role = forms.ChoiceField(label=_("Role"), choices=MemberRole.choices, initial=MemberRole.MEMBER)
    joined_on = forms.DateField(label=_("Joined on"), widget=DateInput())
    note = forms.CharField(label=_("Note"), max_length=250, required=False)

    def __init__(self, *args: Any, team: ProjectTeam, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = (
            Organisation.objects.for_programme(team.programme).active().order_by("kind", "name")
        )
        self.fields["joined_on"].initial = timezone.localdate()

    def clean_joined_on(self) -> Any:
        return _not_in_future(
            self.cleaned_data["joined_on"], _("Joined on: a membership cannot start in the future.")
        )


class MemberEditForm(DsfrFormMixin, forms.Form):
    role = forms.ChoiceField(label=_("Role"), choices=MemberRole.choices)
    people = forms.ModelMultipleChoiceField(
        label=_("People in the team"),
        queryset=Person.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    note = forms.CharField(label=_("Note"), max_length=250, required=False)

    def __init__(self, *args: Any, organisation: Organisation, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["people"].queryset = Person.objects.filter(
            organisation=organisation, erased_on__isnull=True
        )


class LeaveForm(DsfrFormMixin, forms.Form):
    left_on = forms.DateField(label=_("Left on"), widget=DateInput())

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["left_on"].initial = timezone.localdate()

    def clean_left_on(self) -> Any:
        return _not_in_future(
            self.cleaned_data["left_on"], _("Left on: a departure cannot be dated in the future.")
        )


# --- Prospecting ---------------------------------------------------------------------------------------


class ProspectCreateForm(DsfrFormMixin, forms.Form):
    organisation = forms.ModelChoiceField(
        label=_("Structure already on the platform"),
        queryset=Organisation.objects.none(),
        required=False,
        help_text=_("Or leave empty and describe a new structure below."),
    )
    new_name = forms.CharField(label=_("New structure: name"), max_length=200, required=False)
    new_kind = forms.ChoiceField(
        label=_("New structure: kind"), choices=[("", "—"), *OUTSIDE_KINDS], required=False
    )
    new_commune = forms.CharField(
        label=_("New structure: commune"),
        max_length=120,
        required=False,
        help_text=_("Its name as in the official list, e.g. Aix-en-Provence."),
    )
    contact_person = OnePersonChoiceField(
        label=_("Contact person already on the platform"), queryset=Person.objects.none(), required=False
    )
    new_first_name = forms.CharField(label=_("New contact: first name"), max_length=100, required=False)
    new_last_name = forms.CharField(label=_("New contact: last name"), max_length=100, required=False)
    new_email = forms.EmailField(label=_("New contact: e-mail"), required=False)
    new_phone = forms.CharField(label=_("New contact: phone"), max_length=30, required=False)
    new_job_title = forms.CharField(label=_("New contact: job title"), max_length=150, required=False)
    sought = forms.ChoiceField(label=_("Sought for"), choices=SoughtContribution.choices)
    reason = forms.CharField(
        label=_("Why it is sought"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "The capacity or skill the team lacks, and what showed it (an opportunity, a diagnostic…)."
        ),
    )
    solution = forms.ChoiceField(
        label=_("Solution concerned"), choices=[("", "—"), *Solution.choices], required=False
    )
    next_step = forms.CharField(label=_("Next step"), max_length=250, required=False)
    next_step_due = forms.DateField(label=_("Next step due on"), widget=DateInput(), required=False)
    followed_by = ConsultantChoiceField(label=_("Followed by"), queryset=User.objects.none(), required=False)

    NEW_PERSON_FIELDS = ("new_first_name", "new_last_name", "new_email", "new_phone", "new_job_title")

    def __init__(self, *args: Any, team: ProjectTeam, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        programme = team.programme
        self.fields["organisation"].queryset = (
            Organisation.objects.for_programme(programme)
            .active()
            .exclude(kind=OrganisationKind.LAUREATE_SME)
            .order_by("name")
        )
        self.fields["contact_person"].queryset = _people(programme).exclude(
            organisation__kind=OrganisationKind.LAUREATE_SME
        )
        self.fields["followed_by"].queryset = _consultants(programme)

    def clean_new_commune(self) -> Commune | None:
        name = self.cleaned_data["new_commune"].strip()
        if not name:
            return None
        matches = list(Commune.objects.filter(name__iexact=name)[:2])
        if len(matches) != 1:
            raise forms.ValidationError(
                _("New structure: commune: no single commune is named “%s”; check the spelling.") % name
            )
        return matches[0]

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        organisation, new_name = data.get("organisation"), (data.get("new_name") or "").strip()
        if organisation and new_name:
            self.add_error("new_name", _("Choose an existing structure or name a new one, not both."))
        elif not organisation and not new_name and "organisation" not in self.errors:
            self.add_error("organisation", _("Choose the structure, or name a new one below."))
        if new_name and not data.get("new_kind"):
            self.add_error("new_kind", _("New structure: choose its kind."))
        new_person = any(data.get(name) for name in self.NEW_PERSON_FIELDS)
        person = data.get("contact_person")
        if person and new_person:
            self.add_error("new_first_name", _("Choose an existing contact or describe a new one, not both."))
        if new_person and not (data.get("new_first_name") and data.get("new_last_name")):
            self.add_error("new_last_name", _("New contact: give both the first and the last name."))
        if person and organisation and person.organisation_id != organisation.pk:
            self.add_error(
                "contact_person",
                _("%(person)s does not work for %(organisation)s.")
                % {"person": person, "organisation": organisation},
            )
        if person and new_name:
            self.add_error(
                "contact_person", _("A new structure has no one on the platform yet: describe its contact.")
            )
        if data.get("next_step_due") and not data.get("next_step"):
            self.add_error("next_step", _("Describe the next step to give it a due date."))
        return data


class ProspectForm(VersionedModelForm):
    followed_by = ConsultantChoiceField(label=_("Followed by"), queryset=User.objects.none(), required=False)

    class Meta:
        model = Prospect
        fields = [
            "sought",
            "reason",
            "solution",
            "contact_person",
            "next_step",
            "next_step_due",
            "followed_by",
        ]
        widgets = {"reason": forms.Textarea(attrs={"rows": 3}), "next_step_due": DateInput()}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        prospect: Prospect = self.instance
        self.fields["contact_person"].queryset = Person.objects.filter(
            Q(organisation=prospect.organisation_id, erased_on__isnull=True)
            | Q(pk=prospect.contact_person_id)
        )
        self.fields["followed_by"].queryset = _consultants(prospect.team.programme)


class MoveForm(forms.Form):
    status = forms.ChoiceField(label=_("Move to"), choices=ProspectStatus.choices)

    def __init__(self, *args: Any, prospect: Prospect, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Offer only the moves the transition table allows; any other status still validates here so
        # that the service refuses it with a message that says where the structure may go.
        allowed = next_statuses(prospect.status)
        self.fields["status"].widget.choices = [(s, ProspectStatus(s).label) for s in allowed]
        self.fields["status"].widget.attrs["class"] = "fr-select"
        self.auto_id = f"id_move_{prospect.pk}_%s"


class ContactForm(DsfrFormMixin, forms.ModelForm):  # type: ignore[type-arg]
    class Meta:
        model = ProspectContact
        fields = ["contacted_on", "channel", "person", "outcome"]
        widgets = {"contacted_on": DateInput(), "outcome": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args: Any, prospect: Prospect, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = Person.objects.filter(
            organisation=prospect.organisation_id, erased_on__isnull=True
        )
        self.fields["contacted_on"].initial = timezone.localdate()
        self.fields["channel"].initial = ContactChannel.EMAIL

    def clean_contacted_on(self) -> Any:
        return _not_in_future(
            self.cleaned_data["contacted_on"],
            _("Date: a contact cannot be dated in the future (today is %s).")
            % f"{timezone.localdate():%d/%m/%Y}",
        )


class ProspectFilterForm(forms.Form):
    team = forms.ModelChoiceField(label=_("Team"), queryset=ProjectTeam.objects.none(), required=False)
    status = forms.ChoiceField(label=_("Status"), required=False)

    def __init__(self, *args: Any, programme: Programme, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["team"].queryset = ProjectTeam.objects.for_programme(programme)
        self.fields["team"].empty_label = _("All teams")
        self.fields["status"].choices = [("", _("All statuses")), *ProspectStatus.choices]
        for field in self.fields.values():
            field.widget.attrs["class"] = "fr-select"


# --- Partners' committee -------------------------------------------------------------------------------


class CommitteeMemberAddForm(DsfrFormMixin, forms.Form):
    organisation = forms.ModelChoiceField(label=_("Structure"), queryset=Organisation.objects.none())
    expertise = forms.CharField(label=_("Expertise"), widget=forms.Textarea(attrs={"rows": 3}))
    solutions = forms.MultipleChoiceField(
        label=_("Solutions of expertise"),
        choices=Solution.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    joined_on = forms.DateField(label=_("Joined on"), widget=DateInput())

    def __init__(self, *args: Any, programme: Programme, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = (
            Organisation.objects.for_programme(programme).active().order_by("kind", "name")
        )
        self.fields["joined_on"].initial = timezone.localdate()

    def clean_joined_on(self) -> Any:
        return _not_in_future(
            self.cleaned_data["joined_on"], _("Joined on: a membership cannot start in the future.")
        )


class CommitteeMemberForm(VersionedModelForm):
    people = forms.ModelMultipleChoiceField(
        label=_("Representatives"),
        queryset=Person.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    solutions = forms.MultipleChoiceField(
        label=_("Solutions of expertise"),
        choices=Solution.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = CommitteeMember
        fields = ["people", "expertise", "solutions"]
        widgets = {"expertise": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["people"].queryset = Person.objects.filter(
            organisation=self.instance.organisation_id, erased_on__isnull=True
        )


class CommitteeMemberChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: CommitteeMember) -> str:
        return obj.organisation.name


class SubgroupForm(VersionedModelForm):
    works_on = forms.MultipleChoiceField(
        label=_("Joins"), choices=SubgroupWork.choices, required=False, widget=forms.CheckboxSelectMultiple
    )
    members = CommitteeMemberChoiceField(
        label=_("Members"),
        queryset=CommitteeMember.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = CommitteeSubgroup
        fields = ["name", "topic", "team", "works_on", "members"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        programme = self.instance.programme
        self.fields["team"].queryset = ProjectTeam.objects.for_programme(programme)
        current = CommitteeMember.objects.for_programme(programme).current()
        if self.instance.pk:
            current = current | self.instance.members.all()
        self.fields["members"].queryset = (
            current.select_related("organisation").distinct().order_by("organisation__name")
        )
