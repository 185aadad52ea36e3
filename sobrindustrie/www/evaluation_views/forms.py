"""Forms of the evaluation area. Choices from the versioned grid and the factor library are set per
form, so a new grid or library version needs no migration."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from sobrindustrie.actionplans.models import Action
from sobrindustrie.engines.footprint import load_library
from sobrindustrie.evaluation import travel
from sobrindustrie.evaluation.grid import Grid, load_grid
from sobrindustrie.evaluation.models import BalanceLine, Consequence, EcoCriterion, Evaluation, Trip
from sobrindustrie.meetings.models import Meeting
from sobrindustrie.programmes.models import Programme
from sobrindustrie.teams.models import ProjectTeam
from sobrindustrie.www.forms import VersionedModelForm

DEFINITION_FIELDS = [
    "project_holder",
    "title",
    "description",
    "main_objective",
    "targeted_aspects",
    "context",
    "main_sector",
    "current_phase",
    "reference_scenario",
    "transfers_notes",
    "conclusion",
]


class EvaluationForm(VersionedModelForm):
    targeted_aspects = forms.MultipleChoiceField(
        label=_("Environmental aspects targeted"), required=False, widget=forms.CheckboxSelectMultiple
    )
    current_phase = forms.ChoiceField(label=_("Current phase"), required=False)

    class Meta:
        model = Evaluation
        fields = ["team", "action", *DEFINITION_FIELDS]
        widgets = {name: forms.Textarea(attrs={"rows": 3}) for name in (
            "description", "main_objective", "context", "reference_scenario", "transfers_notes", "conclusion"
        )}  # fmt: skip

    def __init__(self, *args: Any, programme: Programme, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        grid = load_grid(self.instance.grid_version)
        self.fields["targeted_aspects"].choices = grid.choices("aspects")
        self.fields["current_phase"].choices = [("", "---------"), *grid.choices("phases")]
        if self.instance.pk:
            # The project evaluated is fixed once the evaluation exists.
            del self.fields["team"]
            del self.fields["action"]
        else:
            self.fields["team"].queryset = ProjectTeam.objects.for_programme(programme)
            self.fields["action"].queryset = Action.objects.for_programme(programme).select_related(
                "plan__team"
            )

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        team, action = data.get("team"), data.get("action")
        if team and action and action.plan.team_id != team.pk:
            self.add_error("action", _("This action belongs to another team's plan."))
        return data


class ConsequenceForm(VersionedModelForm):
    aspects = forms.MultipleChoiceField(
        label=_("Environmental aspects touched"), required=False, widget=forms.CheckboxSelectMultiple
    )
    direction = forms.ChoiceField(label=_("Direction"))
    magnitude = forms.ChoiceField(label=_("Magnitude"))
    certainty = forms.ChoiceField(label=_("Certainty"))
    horizon = forms.ChoiceField(label=_("Time horizon"))

    class Meta:
        model = Consequence
        fields = [
            "description", "life_cycle_stage", "aspects", "direction", "magnitude", "certainty", "horizon",
            "borne_by", "is_impact_transfer", "is_rebound",
        ]  # fmt: skip
        widgets = {"description": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args: Any, grid: Grid, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["aspects"].choices = grid.choices("aspects")
        for name, scale in (
            ("direction", "directions"),
            ("magnitude", "magnitudes"),
            ("certainty", "certainties"),
            ("horizon", "horizons"),
        ):
            self.fields[name].choices = grid.choices(scale)


class BalanceLineForm(VersionedModelForm):
    factor_id = forms.ChoiceField(label=_("Emission factor"), required=False)
    travel_mode = forms.ChoiceField(label=_("Travel mode (travel lines)"), required=False)

    class Meta:
        model = BalanceLine
        fields = [
            "label", "kind", "effect", "quantity", "unit", "factor_id", "travel_mode", "uncertainty",
            "distribution", "years", "share",
        ]  # fmt: skip

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        library = load_library()
        self.fields["factor_id"].choices = [("", "---------")] + [
            (f.id, f"{f.label_en} — {f.value:g} kgCO2e/{f.unit}")
            for f in sorted(library.factors.values(), key=lambda f: f.id)
            if f.category != "travel"
        ]
        self.fields["travel_mode"].choices = [("", "---------"), *travel.mode_choices()]


#: The meetings a trip form offers: those around today (a programme holds up to ~1,500 meetings).
MEETINGS_DAYS_BACK = 90
MEETINGS_DAYS_AHEAD = 30


def trip_meetings(programme: Programme, today: dt.date, current_pk: int | None = None) -> QuerySet[Meeting]:
    """The programme's meetings from `MEETINGS_DAYS_BACK` days before `today` to `MEETINGS_DAYS_AHEAD`
    days after it, newest first, plus the meeting `current_pk` a trip already serves (kept when
    editing an older trip). Other programmes' meetings are never offered, hence never accepted."""
    start = timezone.make_aware(dt.datetime.combine(today - dt.timedelta(days=MEETINGS_DAYS_BACK), dt.time()))
    end = timezone.make_aware(
        dt.datetime.combine(today + dt.timedelta(days=MEETINGS_DAYS_AHEAD + 1), dt.time())
    )
    window = Q(starts_at__gte=start, starts_at__lt=end)
    if current_pk is not None:
        window |= Q(pk=current_pk)
    return (
        Meeting.objects.for_programme(programme)
        .filter(window)
        .only("pk", "title", "starts_at")  # what a choice shows
        .order_by("-starts_at", "-pk")
    )


def _meeting_label(meeting: Meeting) -> str:
    return f"{timezone.localtime(meeting.starts_at):%d/%m/%Y} — {meeting.title}"


class TripForm(VersionedModelForm):
    mode = forms.ChoiceField(label=_("Travel mode"))

    class Meta:
        model = Trip
        fields = ["day", "origin", "destination", "km", "mode", "people", "meeting", "justification"]
        widgets = {"day": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
                   "justification": forms.Textarea(attrs={"rows": 2})}  # fmt: skip

    def __init__(self, *args: Any, programme: Programme, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["mode"].choices = travel.mode_choices()
        meeting = self.fields["meeting"]
        meeting.queryset = trip_meetings(programme, timezone.localdate(), self.instance.meeting_id)
        meeting.label_from_instance = _meeting_label
        meeting.help_text = _(
            "Only the meetings of the last %(past)s days and of the next %(ahead)s days are listed, "
            "newest first: a trip is logged around the meeting it serves, and the programme holds "
            "too many meetings for one list."
        ) % {"past": MEETINGS_DAYS_BACK, "ahead": MEETINGS_DAYS_AHEAD}

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if data.get("mode"):
            errors = travel.validate_trip(
                data["mode"], data.get("km"), data.get("people"), data.get("justification") or ""
            )
            for field, message in errors.items():
                if field not in self.errors:
                    self.add_error(field, message)
        return data


class EcoCriterionForm(VersionedModelForm):
    class Meta:
        model = EcoCriterion
        fields = ["criterion", "justification", "status", "evidence"]
        widgets = {
            "justification": forms.Textarea(attrs={"rows": 3}),
            "evidence": forms.Textarea(attrs={"rows": 3}),
        }
