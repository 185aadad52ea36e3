from __future__ import annotations

from typing import Any

from django import forms
from django.forms import inlineformset_factory
from django.utils.translation import gettext_lazy as _

from sobrindustrie.accounts.enums import Role
from sobrindustrie.accounts.models import User
from sobrindustrie.core.uploads import CheckedFileField
from sobrindustrie.diagnostics.enums import OpportunityStatus
from sobrindustrie.diagnostics.models import (
    Barrier,
    CooperationSignal,
    Diagnostic,
    DiagnosticSession,
    MeansObservation,
    MethodVersion,
    NeedsSynthesis,
    Opportunity,
)
from sobrindustrie.organisations.models import Organisation, ProductionMeans
from sobrindustrie.organisations.reference import subcategory_choices, taxonomy
from sobrindustrie.programmes.models import Programme
from sobrindustrie.www.forms import DsfrFormMixin, VersionedModelForm


class DsfrModelForm(DsfrFormMixin, forms.ModelForm):  # type: ignore[type-arg]
    pass


class FileUploadForm(DsfrFormMixin, forms.Form):
    """One file of the given kinds (`core.uploads`), checked by the upload policy."""

    def __init__(self, *args: Any, kinds: tuple[str, ...], help_text: Any = "", **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["file"] = CheckedFileField(label=_("File"), kinds=kinds, help_text=help_text)
        self.fields["file"].widget.attrs["class"] = "fr-upload"


def _consultants(programme: Programme) -> Any:
    return User.objects.filter(role=Role.CONSULTANT, programmes=programme, is_active=True)


class DiagnosticCreateForm(DsfrModelForm):
    class Meta:
        model = Diagnostic
        fields = ["organisation", "method", "consultant", "planned_on"]
        widgets = {"planned_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")}

    def __init__(self, *args: Any, programme: Programme, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.instance.programme = programme
        self.fields["organisation"].queryset = (
            Organisation.objects.for_programme(programme).laureates().active().filter(diagnostic__isnull=True)
        )
        self.fields["method"].queryset = MethodVersion.objects.for_programme(programme).validated()
        self.fields["method"].help_text = _("Only versions validated by ADEME are offered.")
        self.fields["consultant"].queryset = _consultants(programme)


class DiagnosticEditForm(VersionedModelForm):
    class Meta:
        model = Diagnostic
        fields = ["consultant", "planned_on", "summary"]
        widgets = {
            "planned_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "summary": forms.Textarea(attrs={"rows": 6}),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["consultant"].queryset = _consultants(self.instance.programme)


class SharingForm(VersionedModelForm):
    class Meta:
        model = Diagnostic
        fields = ["shared_with"]
        widgets = {"shared_with": forms.CheckboxSelectMultiple}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Only other laureates of the programme: partners see nothing of diagnostics.
        self.fields["shared_with"].queryset = (
            Organisation.objects.for_programme(self.instance.programme_id)
            .laureates()
            .active()
            .exclude(pk=self.instance.organisation_id)
        )


class SessionForm(DsfrModelForm):
    class Meta:
        model = DiagnosticSession
        fields = ["date", "kind", "days", "notes"]
        widgets = {
            "date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "days": forms.NumberInput(attrs={"step": "0.25", "min": "0.25"}),
            "notes": forms.Textarea(attrs={"rows": 2}),
        }


class ObservationForm(DsfrModelForm):
    class Meta:
        model = MeansObservation
        fields = [
            "observed_utilisation_rate",
            "observed_condition",
            "retrofit_potential",
            "maintenance_notes",
            "notes",
        ]
        widgets = {
            "observed_utilisation_rate": forms.NumberInput(attrs={"step": "1", "min": "0", "max": "100"}),
            "maintenance_notes": forms.Textarea(attrs={"rows": 2}),
            "notes": forms.Textarea(attrs={"rows": 2}),
        }


class OpportunityForm(VersionedModelForm):
    need_category = forms.ChoiceField(
        label=_("Capacity needed (category)"), choices=[("", "—")], required=False
    )
    ghg_kgco2e_per_year = forms.FloatField(
        label=_("GHG avoided (kgCO2e/year)"),
        required=False,
        min_value=0,
        help_text=_("Leave empty to compute it from the energy saved (ADEME Base Empreinte factors)."),
    )

    class Meta:
        model = Opportunity
        fields = [
            "solution",
            "title",
            "description",
            "production_means",
            "status",
            "priority",
            "potential",
            "feasibility",
            "electricity_kwh_per_year",
            "natural_gas_kwh_per_year",
            "material_kg_per_year",
            "ghg_kgco2e_per_year",
            "euros_per_year",
            "need_kind",
            "need_category",
            "need_skill",
            "need_hours_per_year",
            "need_description",
        ]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 3}),
            "production_means": forms.CheckboxSelectMultiple,
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["production_means"].queryset = ProductionMeans.objects.filter(
            organisation_id=self.instance.diagnostic.organisation_id
        )
        self.fields["need_category"].choices = [("", "—"), *subcategory_choices()]
        if self.instance.pk and not self.instance.ghg_entered:
            self.initial["ghg_kgco2e_per_year"] = None
        if not self.instance.pk:
            self.fields["status"].initial = OpportunityStatus.RETAINED

    def _fields(self, names: list[str]) -> list[forms.BoundField]:
        return [self[name] for name in names]

    @property
    def identity_fields(self) -> list[forms.BoundField]:
        return self._fields(
            ["solution", "title", "description", "status", "priority", "potential", "feasibility"]
        )

    @property
    def potential_fields(self) -> list[forms.BoundField]:
        return self._fields(
            [
                "electricity_kwh_per_year",
                "natural_gas_kwh_per_year",
                "material_kg_per_year",
                "ghg_kgco2e_per_year",
                "euros_per_year",
            ]
        )

    @property
    def need_fields(self) -> list[forms.BoundField]:
        return self._fields(
            ["need_kind", "need_category", "need_skill", "need_hours_per_year", "need_description"]
        )

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        self.instance.ghg_entered = data.get("ghg_kgco2e_per_year") is not None
        return data


BarrierFormSet = inlineformset_factory(
    Opportunity,
    Barrier,
    fields=["category", "comment"],
    extra=2,
    can_delete=True,
    widgets={
        "category": forms.Select(attrs={"class": "fr-select"}),
        "comment": forms.TextInput(attrs={"class": "fr-input"}),
    },
)


def _any_category_choices() -> list[tuple[str, Any]]:
    groups: dict[str, list[tuple[str, str]]] = {}
    for category in taxonomy().values():
        top = category.parent or category.code
        groups.setdefault(top, []).append(
            (
                category.code,
                category.label_fr if category.parent else f"{category.label_fr} (toute la famille)",
            )
        )
    return [(taxonomy()[top].label_fr, items) for top, items in groups.items()]


class CooperationSignalForm(DsfrModelForm):
    category = forms.ChoiceField(label=_("Category"), choices=[("", "—")], required=False)

    class Meta:
        model = CooperationSignal
        fields = ["direction", "kind", "solution", "category", "skill", "hours_per_year", "description"]

    def __init__(self, *args: Any, diagnostic: Diagnostic, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.instance.diagnostic = diagnostic
        self.fields["category"].choices = [("", "—"), *_any_category_choices()]


class TransitionForm(forms.Form):
    comment = forms.CharField(label=_("Comment"), required=False, widget=forms.Textarea(attrs={"rows": 2}))


class SynthesisForm(VersionedModelForm):
    class Meta:
        model = NeedsSynthesis
        fields = [
            "introduction",
            "solutions_text",
            "needs_text",
            "barriers_text",
            "issues_text",
            "webinars_text",
            "conclusion",
        ]
        widgets = {name: forms.Textarea(attrs={"rows": 4}) for name in fields}
        help_texts = {name: _("Leave empty to show the generated text.") for name in fields}
