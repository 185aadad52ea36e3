from __future__ import annotations

from typing import Any

from django import forms
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from sobrindustrie.core.enums import Solution
from sobrindustrie.organisations.models import Need, Offer, Organisation, Person, ProductionMeans, Site
from sobrindustrie.organisations.reference import subcategory_choices
from sobrindustrie.organisations.validators import normalise_naf, normalise_siret
from sobrindustrie.www.forms import DsfrFormMixin, FieldRulesMixin, VersionedModelForm


class OrganisationForm(FieldRulesMixin, VersionedModelForm):
    # Longer than the stored code: `25.62 A` or `2562A` as typed, stored as `25.62A`.
    naf_code = forms.CharField(
        label=capfirst(_("NAF code")), max_length=12, required=False, help_text=_("e.g. 25.62A")
    )
    website = forms.URLField(label=_("Website"), required=False, assume_scheme="https")
    solution_interests = forms.MultipleChoiceField(
        label=_("Solutions of interest"),
        choices=Solution.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = Organisation
        fields = [
            "kind",
            "name",
            "slug",
            "siret",
            "naf_code",
            "workforce",
            "headcount_bracket",
            "turnover_band",
            "website",
            "description",
            "address",
            "postcode",
            "commune",
            "city_name",
            "latitude",
            "longitude",
            "solution_interests",
            "preformed_group",
        ]
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}
        help_texts = {
            "latitude": _("Decimal degrees, e.g. 43.5297. Left empty, the commune's centre is used."),
            "siret": _("14 digits; spaces allowed."),
        }

    def _same_programme(self) -> Any:
        return Organisation.objects.filter(programme_id=self.instance.programme_id).exclude(
            pk=self.instance.pk
        )

    def clean_siret(self) -> str:
        # Checked here (the unique constraint names the programme, which the form does not show),
        # so that a duplicate is a message naming the organisation, not a database error.
        siret = normalise_siret(self.cleaned_data.get("siret") or "")
        existing = self._same_programme().filter(siret=siret).first() if siret else None
        if existing:
            raise forms.ValidationError(
                _("This SIRET is already the one of “%(name)s” in this programme."),
                code="siret_taken",
                params={"name": existing.name},
            )
        return siret

    def clean_naf_code(self) -> str:
        return normalise_naf(self.cleaned_data.get("naf_code") or "")

    def clean_slug(self) -> str:
        slug = self.cleaned_data.get("slug") or ""
        existing = self._same_programme().filter(slug=slug).first() if slug else None
        if existing:
            raise forms.ValidationError(
                _("This short name is already used by “%(name)s” in this programme."),
                code="slug_taken",
                params={"name": existing.name},
            )
        return slug


class ProductionMeansForm(VersionedModelForm):
    category = forms.ChoiceField(label=_("Category"), choices=[("", "—")])

    class Meta:
        model = ProductionMeans
        fields = [
            "name",
            "category",
            "site",
            "make",
            "model_name",
            "year",
            "purchase_value_eur",
            "mass_kg",
            "main_material",
            "rated_power_kw",
            "annual_operating_hours",
            "utilisation_rate",
            "energy_carrier",
            "annual_consumption_kwh",
            "condition",
            "maintenance_mode",
            "contractor_distance_km",
            "planned_action",
            "planned_year",
            "sharing_hours_per_week",
            "notes",
        ]
        widgets = {"notes": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args: Any, organisation: Organisation, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.instance.organisation = organisation
        self.fields["category"].choices = [("", "—"), *subcategory_choices()]
        self.fields["site"].queryset = Site.objects.filter(organisation=organisation).select_related(
            "commune"
        )


class ExchangeForm(VersionedModelForm):
    category = forms.ChoiceField(label=_("Category"), choices=[("", "—")], required=False)

    def __init__(self, *args: Any, organisation: Organisation, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.instance.organisation = organisation
        self.fields["category"].choices = [("", "—"), *subcategory_choices()]


class NeedForm(ExchangeForm):
    class Meta:
        model = Need
        fields = ["kind", "category", "skill", "hours_per_year", "description"]


class OfferForm(ExchangeForm):
    class Meta:
        model = Offer
        fields = ["kind", "category", "skill", "hours_per_year", "description"]


class OrganisationFilterForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), required=False)
    department = forms.ChoiceField(label=_("Department"), required=False)
    q = forms.CharField(label=_("Search"), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        from sobrindustrie.organisations.enums import OrganisationKind
        from sobrindustrie.www.programmes_views.views import DEPARTMENTS

        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [("", _("All kinds")), *OrganisationKind.choices]
        self.fields["department"].choices = [
            ("", _("All departments")),
            *((c, f"{c} {n}") for c, n in DEPARTMENTS.items()),
        ]
        for field in self.fields.values():
            css = "fr-select" if isinstance(field.widget, forms.Select) else "fr-input"
            field.widget.attrs["class"] = css


class SiteForm(DsfrFormMixin, forms.ModelForm):  # type: ignore[type-arg]
    class Meta:
        model = Site
        fields = ["name", "is_main", "address", "postcode", "commune", "city_name", "latitude", "longitude"]
        help_texts = {
            "latitude": _("Decimal degrees, e.g. 43.5297. Left empty, the commune's centre is used."),
        }

    def __init__(self, *args: Any, organisation: Organisation, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.instance.organisation = organisation


class PersonForm(VersionedModelForm):
    class Meta:
        model = Person
        fields = [
            "first_name",
            "last_name",
            "job_title",
            "email",
            "phone",
            "consent_given_on",
            "consent_scope",
        ]
        widgets = {"consent_given_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")}

    def __init__(self, *args: Any, organisation: Organisation, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.instance.organisation = organisation

    def clean_email(self) -> str:
        return str(self.cleaned_data["email"]).strip().lower()
