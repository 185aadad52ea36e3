"""Forms of the action plans: DSFR classes, optimistic locking, rules checked at the boundary."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from sobrindustrie.actionplans import workflow
from sobrindustrie.actionplans.enums import OPEN_STEP_STATUSES, ActionStatus, StepStatus
from sobrindustrie.actionplans.models import (
    Action,
    ActionContributor,
    ActionPlan,
    ActionStep,
    Difficulty,
    ExperienceNote,
    Indicator,
    Measurement,
)
from sobrindustrie.actionplans.services import cycle_message, dependency_cycle
from sobrindustrie.meetings.enums import MeetingKind
from sobrindustrie.meetings.models import Meeting
from sobrindustrie.organisations.models import Organisation, Person
from sobrindustrie.teams.models import ProjectTeam
from sobrindustrie.www.forms import (
    CHECKBOX_CHOICES_LIMIT,
    DsfrFormMixin,
    VersionedModelForm,
    fit_multiple_choice,
)

if TYPE_CHECKING:
    from sobrindustrie.accounts.models import User
    from sobrindustrie.programmes.models import Programme

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def team_meetings(team: ProjectTeam, kinds: set[str]) -> list[Meeting]:
    """Meetings of the team's programme of these kinds that concern this team (or no team in particular)."""
    meetings = (
        Meeting.objects.for_programme(team.programme)
        .filter(kind__in=kinds)
        .filter(Q(teams=team) | Q(teams__isnull=True))
        .order_by("-starts_at")
    )
    return list(meetings)


def _member_organisations(team: ProjectTeam) -> QuerySet[Organisation]:
    return Organisation.objects.filter(
        team_memberships__team=team, team_memberships__left_on__isnull=True
    ).order_by("name")


class MeetingChoiceField(forms.ModelChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: Meeting) -> str:  # type: ignore[override]
        return f"{obj.starts_on:%d/%m/%Y} — {obj.title}"


class ActionPlanForm(VersionedModelForm):
    class Meta:
        model = ActionPlan
        fields = [
            "ambition",
            "coordinating_organisation",
            "coordinator",
            "meeting_frequency",
            "coordination_notes",
        ]
        widgets = {
            "ambition": forms.Textarea(attrs={"rows": 3}),
            "coordination_notes": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        organisations = _member_organisations(self.instance.team)
        self.fields["coordinating_organisation"].queryset = organisations
        self.fields["coordinator"].queryset = Person.objects.filter(
            organisation__in=organisations, erased_on__isnull=True
        ).select_related("organisation")


class ActionForm(VersionedModelForm):
    """Edits an action and its prerequisites; the status moves through `ProgressForm` only."""

    prerequisites = forms.ModelMultipleChoiceField(
        label=_("Depends on"),
        queryset=Action.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Actions that must be completed before this one."),
    )

    class Meta:
        model = Action
        fields = [
            "title",
            "solution",
            "description",
            "lead_organisation",
            "lead_person",
            "starts_on",
            "ends_on",
            "priority",
            "position",
            "investment_budget_eur",
            "operating_budget_eur",
            "funding_need_eur",
            "funding_nature",
            "funding_notes",
            "expected_energy_kwh_per_year",
            "expected_material_kg_per_year",
            "expected_ghg_kgco2e_per_year",
            "expected_savings_eur_per_year",
            "expected_km_avoided_per_year",
            "expected_local_partners",
            "gains_notes",
            "risks",
            "barriers",
        ]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 4}),
            "funding_notes": forms.Textarea(attrs={"rows": 2}),
            "gains_notes": forms.Textarea(attrs={"rows": 2}),
            "risks": forms.Textarea(attrs={"rows": 2}),
            "barriers": forms.Textarea(attrs={"rows": 2}),
            "starts_on": DATE,
            "ends_on": DATE,
        }

    GROUPS = (
        (_("The action"), ("title", "solution", "description", "priority", "position")),
        (_("Who and when"), ("lead_organisation", "lead_person", "starts_on", "ends_on", "prerequisites")),
        (
            _("Budget and funding"),
            (
                "investment_budget_eur",
                "operating_budget_eur",
                "funding_need_eur",
                "funding_nature",
                "funding_notes",
            ),
        ),
        (
            _("Expected gains"),
            (
                "expected_energy_kwh_per_year",
                "expected_material_kg_per_year",
                "expected_ghg_kgco2e_per_year",
                "expected_savings_eur_per_year",
                "expected_km_avoided_per_year",
                "expected_local_partners",
                "gains_notes",
            ),
        ),
        (_("Risks and barriers"), ("risks", "barriers")),
    )

    def __init__(
        self, *args: Any, plan: ActionPlan, lead_choices: list[int] | None = None, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.instance.plan = plan
        organisations = _member_organisations(plan.team)
        if lead_choices is not None:
            organisations = organisations.filter(pk__in=lead_choices)
        self.fields["lead_organisation"].queryset = organisations
        self.fields["lead_person"].queryset = Person.objects.filter(
            organisation__in=_member_organisations(plan.team), erased_on__isnull=True
        ).select_related("organisation")
        self.fields["position"].required = False
        self.fields["position"].help_text = _("Left empty, the action goes last.")
        others = plan.actions.exclude(pk=self.instance.pk) if self.instance.pk else plan.actions.all()
        self.fields["prerequisites"].queryset = others.order_by("position", "pk")
        if self.instance.pk:
            self.fields["prerequisites"].initial = list(
                self.instance.dependency_links.values_list("prerequisite_id", flat=True)
            )
        self.conflicts: list[tuple[str, str, str, str]] = []

    @property
    def groups(self) -> list[tuple[str, list[forms.BoundField]]]:
        return [(title, [self[name] for name in names]) for title, names in self.GROUPS]

    def clean_position(self) -> int:
        return self.cleaned_data.get("position") or 0

    def clean_prerequisites(self) -> list[Action]:
        prerequisites = list(self.cleaned_data["prerequisites"])
        cycle = dependency_cycle(self.instance, prerequisites)
        if cycle:
            raise ValidationError(cycle_message(cycle))
        return prerequisites

    def find_conflicts(self) -> None:
        """After a refused save: the fields where what is stored now differs from what was typed, so
        the user can merge by hand (their input stays in the form)."""
        stored = Action.objects.get(pk=self.instance.pk)
        self.conflicts = []
        for name in self.Meta.fields:
            current, typed = getattr(stored, name), self.cleaned_data.get(name)
            if current != typed:
                label = str(self.fields[name].label)
                self.conflicts.append((name, label, _shown(name, current), _shown(name, typed)))
        if stored.status != self.instance.status or stored.progress_percent != self.instance.progress_percent:
            self.conflicts.append(
                (
                    "status",
                    str(_("Status")),
                    f"{stored.get_status_display()} ({stored.progress_percent} %)",
                    str(_("(not in this form)")),
                )
            )


def _shown(name: str, value: object) -> str:
    field = Action._meta.get_field(name)
    if field.choices:
        return str(dict(field.flatchoices).get(value, value)) if value else "—"
    if value in (None, ""):
        return "—"
    if hasattr(value, "strftime"):
        return value.strftime("%d/%m/%Y")
    return str(value)


class ProgressForm(DsfrFormMixin, forms.Form):
    """Move an action's status and progress; the choices are the moves the user may make."""

    status = forms.ChoiceField(label=_("Status"))
    progress_percent = forms.IntegerField(label=_("Progress (%)"), min_value=0, max_value=100)
    expected_version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args: Any, action: Action, can_manage: bool, **kwargs: Any) -> None:
        kwargs.setdefault(
            "initial",
            {
                "status": action.status,
                "progress_percent": action.progress_percent,
                "expected_version": action.version,
            },
        )
        super().__init__(*args, **kwargs)
        self.action = action
        self.can_manage = can_manage
        labels = dict(ActionStatus.choices)
        allowed = [action.status, *workflow.targets(action.status, can_manage)]
        self.fields["status"].choices = [(s, labels[s]) for s in allowed]
        self.fields["status"].help_text = _("Current status: %(status)s.") % {"status": labels[action.status]}

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        status, progress = data.get("status"), data.get("progress_percent")
        if status is None or progress is None:
            return data
        try:
            workflow.check_transition(self.action.status, status, self.can_manage)
        except ValidationError as error:
            self.add_error("status", error)
        try:
            workflow.check_progress(status, progress)
        except ValidationError as error:
            self.add_error("progress_percent", error)
        return data


def team_people(team: ProjectTeam) -> QuerySet[Person]:
    """The people who may own a step: contacts (not erased) of the team's current member organisations."""
    return (
        Person.objects.filter(organisation__in=_member_organisations(team), erased_on__isnull=True)
        .select_related("organisation")
        .order_by("organisation__name", "last_name", "first_name")
    )


class OwnerChoiceField(forms.ModelChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: Person) -> str:
        return f"{obj} ({obj.organisation.name})"


class StepForm(DsfrFormMixin, forms.ModelForm):  # type: ignore[type-arg]
    """A step: its owner and due date are required while it is open (new steps always are), so that
    someone is reminded when it is late; steps recorded before owners existed keep an empty owner
    until they are edited, and done or cancelled ones may stay so."""

    class Meta:
        model = ActionStep
        fields = ["position", "title", "owner", "due_on", "status", "done_on"]
        field_classes = {"owner": OwnerChoiceField}
        widgets = {"due_on": DATE, "done_on": DATE}

    def __init__(self, *args: Any, action: Action, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.instance.action = action
        self.fields["position"].required = False
        self.fields["owner"].queryset = team_people(action.plan.team)
        self.fields["due_on"].help_text = _("Between %(start)s and %(end)s (the action's period).") % {
            "start": action.starts_on.strftime("%d/%m/%Y"),
            "end": action.ends_on.strftime("%d/%m/%Y"),
        }
        if not self.instance.pk:
            self.fields["position"].help_text = _("Left empty, the step goes last.")
            self.initial["position"] = None
            self.fields["owner"].required = True
            self.fields["due_on"].required = True
            del self.fields["status"]
            del self.fields["done_on"]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("status", StepStatus.TODO) in OPEN_STEP_STATUSES:
            for name, message in (
                ("owner", _("Say who carries this step: they are reminded when it is late.")),
                ("due_on", _("Give the step a due date within the action's period.")),
            ):
                if name not in self.errors and not data.get(name):
                    self.add_error(name, message)
        if data.get("status") == "done" and not data.get("done_on"):
            data["done_on"] = timezone.localdate()
            self.instance.done_on = data["done_on"]
        if "status" in data and data.get("status") != "done":
            data["done_on"] = None
            self.instance.done_on = None
        return data


class ContributorForm(DsfrFormMixin, forms.ModelForm):  # type: ignore[type-arg]
    class Meta:
        model = ActionContributor
        fields = ["organisation", "person", "role", "note"]

    def __init__(self, *args: Any, action: Action, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.instance.action = action
        programme = action.plan.team.programme
        self.fields["organisation"].queryset = Organisation.objects.for_programme(programme).active()
        self.fields["person"].queryset = Person.objects.filter(
            organisation__programme=programme, erased_on__isnull=True
        ).select_related("organisation")


class IndicatorForm(DsfrFormMixin, forms.ModelForm):  # type: ignore[type-arg]
    class Meta:
        model = Indicator
        fields = ["name", "unit", "direction", "baseline_value", "baseline_on", "target_value", "target_on"]
        widgets = {"baseline_on": DATE, "target_on": DATE}

    def __init__(self, *args: Any, action: Action, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.instance.action = action


class MeasurementForm(DsfrFormMixin, forms.ModelForm):  # type: ignore[type-arg]
    class Meta:
        model = Measurement
        fields = ["measured_on", "value", "note"]
        widgets = {"measured_on": DATE}

    def __init__(self, *args: Any, indicator: Indicator, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.instance.indicator = indicator
        if indicator.unit:
            self.fields["value"].label = _("Value (%(unit)s)") % {"unit": indicator.unit}

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        # One measurement a day (a database constraint the form would not check: the indicator is
        # not one of its fields): say so on the date rather than fail when saving.
        day = data.get("measured_on")
        if (
            day is not None
            and Measurement.objects.filter(indicator=self.instance.indicator, measured_on=day)
            .exclude(pk=self.instance.pk)
            .exists()
        ):
            self.add_error(
                "measured_on",
                _("This indicator already has a measurement on %(day)s.") % {"day": f"{day:%d/%m/%Y}"},
            )
        return data


class DifficultyForm(DsfrFormMixin, forms.ModelForm):  # type: ignore[type-arg]
    class Meta:
        model = Difficulty
        fields = ["title", "description"]
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}


class AnswerForm(DsfrFormMixin, forms.Form):
    ademe_answer = forms.CharField(label=_("ADEME's answer"), widget=forms.Textarea(attrs={"rows": 4}))


class ResolveForm(DsfrFormMixin, forms.Form):
    resolution = forms.CharField(label=_("How it was resolved"), widget=forms.Textarea(attrs={"rows": 3}))


class AdoptForm(DsfrFormMixin, forms.Form):
    adopted_on = forms.DateField(label=_("Adopted on"), widget=DATE)
    meeting = MeetingChoiceField(
        label=_("Action-plan workshop"), queryset=Meeting.objects.none(), required=False
    )
    note = forms.CharField(label=_("Note"), widget=forms.Textarea(attrs={"rows": 2}), required=False)

    def __init__(self, *args: Any, team: ProjectTeam, **kwargs: Any) -> None:
        kwargs.setdefault("initial", {"adopted_on": timezone.localdate()})
        super().__init__(*args, **kwargs)
        meetings = team_meetings(team, {MeetingKind.ACTION_PLAN_WORKSHOP})
        self.fields["meeting"].queryset = Meeting.objects.filter(pk__in=[m.pk for m in meetings]).order_by(
            "-starts_at"
        )
        self.fields["meeting"].help_text = _("Its minutes (L1.8) are in the meetings area.")


class FollowUpForm(DsfrFormMixin, forms.Form):
    """A follow-up: the meeting, then for each action its new status, progress, comment and any
    difficulty (which the consultant can raise to ADEME at once)."""

    held_on = forms.DateField(label=_("Held on"), widget=DATE)
    meeting = MeetingChoiceField(
        label=_("Follow-up meeting"), queryset=Meeting.objects.none(), required=False
    )
    summary = forms.CharField(label=_("Summary"), widget=forms.Textarea(attrs={"rows": 3}), required=False)

    def __init__(
        self, *args: Any, plan: ActionPlan, actions: list[Action], can_manage: bool, **kwargs: Any
    ) -> None:
        kwargs.setdefault("initial", {"held_on": timezone.localdate()})
        super().__init__(*args, **kwargs)
        meetings = team_meetings(plan.team, {MeetingKind.TEAM_FOLLOWUP, MeetingKind.COLLECTIVE_SESSION})
        self.fields["meeting"].queryset = Meeting.objects.filter(pk__in=[m.pk for m in meetings]).order_by(
            "-starts_at"
        )
        self.fields["meeting"].help_text = _("Its minutes (L2.1) are in the meetings area.")
        self.actions = actions
        self.can_manage = can_manage
        labels = dict(ActionStatus.choices)
        for action in actions:
            pk = action.pk
            allowed = [action.status, *workflow.targets(action.status, can_manage)]
            self.fields[f"status_{pk}"] = forms.ChoiceField(
                label=_("Status"), choices=[(s, labels[s]) for s in allowed], initial=action.status
            )
            self.fields[f"progress_{pk}"] = forms.IntegerField(
                label=_("Progress (%)"), min_value=0, max_value=100, initial=action.progress_percent
            )
            self.fields[f"comment_{pk}"] = forms.CharField(
                label=_("Comment"), required=False, widget=forms.Textarea(attrs={"rows": 2})
            )
            self.fields[f"difficulty_{pk}"] = forms.CharField(
                label=_("Difficulty met"),
                required=False,
                widget=forms.Textarea(attrs={"rows": 2}),
                help_text=_("First line: a short title."),
            )
            self.fields[f"raise_{pk}"] = forms.BooleanField(
                label=_("Raise this difficulty to ADEME"), required=False
            )
        # DsfrFormMixin styled the fields present at its __init__; style the ones added since.
        for name, field in self.fields.items():
            if name.startswith(("status_", "progress_", "comment_", "difficulty_")):
                css = "fr-select" if isinstance(field.widget, forms.Select) else "fr-input"
                field.widget.attrs["class"] = css

    @property
    def action_groups(self) -> list[tuple[Action, list[forms.BoundField]]]:
        return [
            (
                a,
                [
                    self[f"{prefix}_{a.pk}"]
                    for prefix in ("status", "progress", "comment", "difficulty", "raise")
                ],
            )
            for a in self.actions
        ]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        held_on = data.get("held_on")
        if held_on and held_on > timezone.localdate():
            self.add_error("held_on", _("A follow-up cannot be recorded before it is held."))
        meeting = data.get("meeting")
        if meeting and held_on and meeting.starts_on != held_on:
            self.add_error(
                "held_on",
                _("The meeting chosen took place on %(date)s.") % {"date": f"{meeting.starts_on:%d/%m/%Y}"},
            )
        for action in self.actions:
            status, progress = data.get(f"status_{action.pk}"), data.get(f"progress_{action.pk}")
            if status is None or progress is None:
                continue
            try:
                workflow.check_transition(action.status, status, self.can_manage)
                workflow.check_progress(status, progress)
            except ValidationError as error:
                self.add_error(f"progress_{action.pk}", error)
            if data.get(f"raise_{action.pk}") and not (data.get(f"difficulty_{action.pk}") or "").strip():
                self.add_error(f"difficulty_{action.pk}", _("Describe the difficulty to raise it to ADEME."))
        return data


class ExperienceNoteForm(VersionedModelForm):
    """A lesson learned, linked to the teams present and the actions it comes from.

    The actions offered are those `user` sees in the programme: every action for its consultants,
    those of their own teams for an SME member or a partner. Up to CHECKBOX_CHOICES_LIMIT they are
    all listed; beyond, only those of `team` (chosen with `NoteActionsTeamForm`) are, along with the
    actions already chosen, wherever they come from, so that a link is never dropped unseen. Every
    action the user sees stays a valid choice: narrowing changes what is listed, not what is accepted.
    """

    class Meta:
        model = ExperienceNote
        fields = ["held_on", "meeting", "topic", "lesson", "solution", "teams", "actions"]
        widgets = {
            "held_on": DATE,
            "lesson": forms.Textarea(attrs={"rows": 5}),
            "teams": forms.CheckboxSelectMultiple,
            "actions": forms.CheckboxSelectMultiple,
        }

    def __init__(self, *args: Any, user: User, team: ProjectTeam | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        programme = self.instance.programme
        self.fields["meeting"] = MeetingChoiceField(
            label=_("Collective session"),
            queryset=Meeting.objects.for_programme(programme)
            .filter(kind=MeetingKind.COLLECTIVE_SESSION)
            .order_by("-starts_at"),
            required=False,
            # Replaced after DsfrFormMixin styled the widgets: styled here.
            widget=forms.Select(attrs={"class": "fr-select"}),
        )
        self.fields["teams"].queryset = ProjectTeam.objects.for_programme(programme)
        fit_multiple_choice(self.fields["teams"])
        self.team = team
        offered = Action.objects.visible_to(user).for_programme(programme)
        self.action_count = offered.count()
        self.lists_every_action = self.action_count <= CHECKBOX_CHOICES_LIMIT
        if not self.lists_every_action:
            listed = Q(pk__in=self._chosen_action_ids())
            offered = offered.filter(listed | Q(plan__team=team) if team else listed)
        actions = self.fields["actions"]
        actions.queryset = offered.select_related("plan__team").order_by("plan__team__name", "position")
        actions.label_from_instance = lambda a: f"{a.plan.team.name} — {a.title}"
        fit_multiple_choice(actions)

    def _chosen_action_ids(self) -> set[int]:
        """The actions ticked in the data sent, and those the form starts from (the note's own, or
        the ones a page listing another team's actions passed on)."""
        values = list(self.initial.get("actions") or [])
        if self.is_bound:
            widget = self.fields["actions"].widget
            values += widget.value_from_datadict(self.data, self.files, self.add_prefix("actions")) or []
        # Anything else is refused by the field itself, with its usual message.
        return {int(pk) for pk in (getattr(v, "pk", v) for v in values) if str(pk).isdigit()}

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        meeting = data.get("meeting")
        if meeting and data.get("held_on") and meeting.starts_on != data["held_on"]:
            self.add_error(
                "held_on",
                _("The session chosen took place on %(date)s.") % {"date": f"{meeting.starts_on:%d/%m/%Y}"},
            )
        return data


class NoteActionsTeamForm(DsfrFormMixin, forms.Form):
    """The team whose actions a lesson-learned form lists when there are too many to list them all.

    Sent by GET: its field is named after the page's URL parameter, `?equipe=<pk>`, so that the
    choice survives a refused submission (the note's form posts to the same address)."""

    equipe = forms.ModelChoiceField(
        label=_("Team whose actions to list"),
        queryset=ProjectTeam.objects.none(),
        required=False,
        empty_label=_("Choose a team"),
    )

    def __init__(self, *args: Any, user: User, programme: Programme, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["equipe"].queryset = (  # type: ignore[attr-defined]
            ProjectTeam.objects.visible_to(user)
            .for_programme(programme)
            .filter(action_plan__actions__isnull=False)
            .distinct()
            .order_by("name")
        )

    def team(self) -> ProjectTeam | None:
        """The team chosen, or None when none is (or the one asked for is not offered)."""
        return self.cleaned_data["equipe"] if self.is_valid() else None


class ExperienceSearchForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False)
    solution = forms.ChoiceField(label=_("Solution"), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        from sobrindustrie.core.enums import Solution

        super().__init__(*args, **kwargs)
        self.fields["solution"].choices = [("", _("All solutions")), *Solution.choices]
        self.fields["q"].widget.attrs["class"] = "fr-input"
        self.fields["solution"].widget.attrs["class"] = "fr-select"
