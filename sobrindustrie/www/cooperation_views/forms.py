from __future__ import annotations

from typing import Any

from django import forms
from django.utils.formats import number_format
from django.utils.translation import gettext_lazy as _

from sobrindustrie.cooperation.adapters import FormationParameters
from sobrindustrie.cooperation.enums import ConstraintKind
from sobrindustrie.cooperation.models import Scenario
from sobrindustrie.core.enums import Solution
from sobrindustrie.engines.teams.geo import ROAD_FACTOR
from sobrindustrie.organisations.models import Organisation
from sobrindustrie.programmes.models import Programme
from sobrindustrie.www.forms import DsfrFormMixin


class AnalysisForm(DsfrFormMixin, forms.Form):
    radius_km = forms.FloatField(min_value=5, max_value=300, initial=50)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Distances are estimates, not routes: the label says how they are made.
        self.fields["radius_km"].label = _(
            "Farthest distance for a cooperation (km, great-circle distance × %(factor)s)"
        ) % {"factor": number_format(ROAD_FACTOR, use_l10n=True)}


class OpportunityFilterForm(DsfrFormMixin, forms.Form):
    solution = forms.ChoiceField(
        label=_("Solution"), choices=[("", _("All solutions")), *Solution.choices], required=False
    )
    organisation = forms.ModelChoiceField(
        label=_("Organisation"), queryset=Organisation.objects.none(), required=False, empty_label=_("All")
    )
    min_score = forms.FloatField(label=_("Minimum score"), min_value=0, required=False)

    def __init__(self, *args: Any, programme: Programme, with_organisation: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if with_organisation:
            field = self.fields["organisation"]
            field.queryset = Organisation.objects.for_programme(programme).active().order_by("name")  # type: ignore[attr-defined]
        else:
            # An SME member only sees their own company's opportunities: nothing to choose.
            del self.fields["organisation"]


class FormationForm(DsfrFormMixin, forms.Form):
    k = forms.IntegerField(label=_("Number of teams"), min_value=1, max_value=200)
    min_size = forms.IntegerField(label=_("Minimum team size"), min_value=1, max_value=500)
    max_size = forms.IntegerField(label=_("Maximum team size"), min_value=1, max_value=500)
    time_limit_s = forms.FloatField(
        label=_("Time limit (seconds)"),
        min_value=0.1,
        # Below the web workers' 60 s timeout (docs/deployment.md); larger instances go through
        # `sobrindustrie teams instance` and `sobrindustrie teams solve`.
        max_value=30,
        help_text=_("The optimiser stops there and returns the best teams found, with the gap to the bound."),
    )
    include_outside = forms.BooleanField(
        label=_("Include the outside structures (companies, institutions, academics)"), required=False
    )
    cohesive = forms.BooleanField(
        label=_("Every team holds at least one cooperation"),
        required=False,
        help_text=_("Without it, the best total may leave some teams with no cooperation at all."),
    )
    distance_penalty = forms.FloatField(
        label=_("Distance penalty (score points per 10 km between two members)"),
        min_value=0,
        max_value=100,
        required=False,
        help_text=_("0: distance plays no part. Distances are great-circle × 1.3, not routes."),
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        low, high = data.get("min_size"), data.get("max_size")
        if low is not None and high is not None and low > high:
            self.add_error("max_size", _("The maximum size must be at least the minimum size (%s).") % low)
        return data

    def parameters(self) -> FormationParameters:
        data = self.cleaned_data
        return FormationParameters(
            k=data["k"],
            min_size=data["min_size"],
            max_size=data["max_size"],
            time_limit_s=data["time_limit_s"],
            include_outside=data["include_outside"],
            cohesive=data["cohesive"],
            distance_penalty=data.get("distance_penalty") or 0.0,
        )

    @classmethod
    def initial_from(cls, parameters: FormationParameters) -> FormationForm:
        return cls(initial=parameters.as_dict())


class ConstraintForm(DsfrFormMixin, forms.Form):
    """A constraint on the teams. Its organisations are chosen by searching (`picker`): the form
    carries them as hidden values, so that a programme of thousands of organisations does not put
    one checkbox each on the page."""

    kind = forms.ChoiceField(label=_("Kind"), choices=ConstraintKind.choices)
    organisations = forms.ModelMultipleChoiceField(
        label=_("Organisations"),
        queryset=Organisation.objects.none(),
        widget=forms.MultipleHiddenInput,
        help_text=_("Two for a cannot-link; two or more for a must-link group."),
        error_messages={"required": _("Organisations: search and add at least two organisations.")},
    )
    reason = forms.CharField(label=_("Reason"), max_length=300, required=False)

    def __init__(self, *args: Any, programme: Programme, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organisations"].queryset = (  # type: ignore[attr-defined]
            Organisation.objects.for_programme(programme).active()
        )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        chosen = data.get("organisations")
        if chosen is None:
            return data
        if len(chosen) < 2:
            self.add_error("organisations", _("Choose at least two organisations."))
        elif data.get("kind") == ConstraintKind.CANNOT_LINK and len(chosen) != 2:
            self.add_error(
                "organisations",
                _("A cannot-link constraint names exactly two organisations (%s chosen).") % len(chosen),
            )
        return data


class ScenarioNameForm(DsfrFormMixin, forms.Form):
    name = forms.CharField(label=_("Scenario name"), max_length=120)


class CompareForm(DsfrFormMixin, forms.Form):
    a = forms.ModelChoiceField(label=_("Scenario A"), queryset=Scenario.objects.none())
    b = forms.ModelChoiceField(label=_("Scenario B"), queryset=Scenario.objects.none())

    def __init__(self, *args: Any, scenarios: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["a"].queryset = scenarios  # type: ignore[attr-defined]
        self.fields["b"].queryset = scenarios  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("a") is not None and data.get("a") == data.get("b"):
            self.add_error("b", _("Choose two different scenarios."))
        return data
