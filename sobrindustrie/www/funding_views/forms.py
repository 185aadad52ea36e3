"""Forms of the funding area: the catalogue's tracking fields, curated schemes, applications, moves."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _

from sobrindustrie.funding.enums import AidNature, SchemeSource
from sobrindustrie.funding.models import (
    ApplicationDocument,
    FundingApplication,
    FundingProfile,
    FundingScheme,
)
from sobrindustrie.funding.workflow import Transition
from sobrindustrie.organisations.models import Organisation
from sobrindustrie.www.forms import DsfrFormMixin, VersionedModelForm

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class LinesField(forms.CharField):
    """A list of names, one per line."""

    widget = forms.Textarea(attrs={"rows": 3})

    def prepare_value(self, value: Any) -> Any:
        return "\n".join(value) if isinstance(value, list) else value

    def to_python(self, value: Any) -> list[str]:  # type: ignore[override]
        text = super().to_python(value) or ""
        return [line.strip() for line in text.splitlines() if line.strip()]


class DatesField(forms.CharField):
    """Dates written DD/MM/YYYY, one per line (or separated by commas); stored as ISO strings."""

    widget = forms.Textarea(attrs={"rows": 3})

    def prepare_value(self, value: Any) -> Any:
        if isinstance(value, list):
            return "\n".join(dt.date.fromisoformat(str(day)).strftime("%d/%m/%Y") for day in value)
        return value

    def to_python(self, value: Any) -> list[str]:  # type: ignore[override]
        text = (super().to_python(value) or "").replace(",", "\n")
        days = []
        for number, line in enumerate((line.strip() for line in text.splitlines()), start=1):
            if not line:
                continue
            try:
                days.append(dt.datetime.strptime(line, "%d/%m/%Y").date())
            except ValueError:
                raise ValidationError(
                    _("Line %(number)s: “%(text)s” is not a date written DD/MM/YYYY."),
                    params={"number": number, "text": line},
                ) from None
        return [day.isoformat() for day in sorted(set(days))]


class SchemeFilterForm(DsfrFormMixin, forms.Form):
    q = forms.CharField(label=_("Search"), required=False)
    nature = forms.ChoiceField(label=_("Nature of the aid"), required=False)
    scope = forms.ChoiceField(
        label=_("Schemes"),
        required=False,
        choices=[("default", _("The programme's catalogue")), ("all", _("Every imported scheme"))],
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["nature"].choices = [("", _("All")), *AidNature.choices]


TRACKING_FIELDS = [
    "funders",
    "instructing_bodies",
    "spending_type",
    "is_call_for_projects",
    "submission_deadlines",
    "selection_reason",
    "tracking_notes",
]
CURATED_FIELDS = [
    "title",
    "promise",
    "description",
    "contact_operator",
    "nature",
    "funding_amount_text",
    "max_amount_eur",
    "max_rate_percent",
    "valid_from",
    "valid_until",
    "url",
    "source_url",
    "source_date",
]


class SchemeForm(VersionedModelForm):
    """What the consultant tracks on any scheme; a curated scheme's description is edited too.

    An imported scheme's description comes from its source file: editing it here would be undone by
    the next import, so only curated schemes show those fields.
    """

    funders = LinesField(label=_("Funders"), required=False, help_text=_("One per line."))
    instructing_bodies = LinesField(
        label=_("Instructing bodies"), required=False, help_text=_("One per line.")
    )
    submission_deadlines = DatesField(
        label=_("Submission deadlines"), required=False, help_text=_("One date per line, DD/MM/YYYY.")
    )

    class Meta:
        model = FundingScheme
        fields = CURATED_FIELDS + TRACKING_FIELDS
        widgets = {
            "promise": forms.Textarea(attrs={"rows": 2}),
            "description": forms.Textarea(attrs={"rows": 5}),
            "funding_amount_text": forms.Textarea(attrs={"rows": 2}),
            "selection_reason": forms.Textarea(attrs={"rows": 2}),
            "tracking_notes": forms.Textarea(attrs={"rows": 3}),
            "valid_from": DATE,
            "valid_until": DATE,
            "source_date": DATE,
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk and not self.instance.is_curated:
            for name in CURATED_FIELDS:
                del self.fields[name]
        else:
            self.fields["source_url"].required = True
            self.fields["source_date"].required = True
            self.fields["source_url"].help_text = _("Where the facts come from.")
            self.fields["source_date"].help_text = _("When they were read there.")

    def save(self, commit: bool = True) -> Any:
        if not self.instance.pk:
            self.instance.source = SchemeSource.CURATED
            self.instance.slug = unique_slug(self.cleaned_data["title"])
        return super().save(commit)


def unique_slug(title: str) -> str:
    base = slugify(title)[:100] or "dispositif"
    slug, number = base, 2
    while FundingScheme.objects.filter(slug=slug).exists():
        slug, number = f"{base}-{number}", number + 1
    return slug


class FundingProfileForm(VersionedModelForm):
    micro_entrepreneur = forms.NullBooleanField(
        label=_("Micro-entrepreneur"),
        required=False,
        widget=forms.NullBooleanSelect,
        help_text=_("Leave unknown unless the company's legal status is known."),
    )

    class Meta:
        model = FundingProfile
        fields = ["micro_entrepreneur"]


class ShortlistForm(DsfrFormMixin, forms.Form):
    scheme = forms.ModelChoiceField(label=_("Scheme"), queryset=FundingScheme.objects.all())
    note = forms.CharField(label=_("Why"), max_length=300, required=False)


class ApplicationForm(VersionedModelForm):
    """Creates an application (identified) or corrects one; the status moves by transitions only."""

    class Meta:
        model = FundingApplication
        fields = [
            "organisation",
            "scheme",
            "reference",
            "amount_requested_eur",
            "amount_granted_eur",
            "amount_paid_eur",
            "preparation_started_on",
            "submitted_on",
            "decision_on",
            "paid_on",
            "notes",
        ]
        widgets = {
            "notes": forms.Textarea(attrs={"rows": 3}),
            "preparation_started_on": DATE,
            "submitted_on": DATE,
            "decision_on": DATE,
            "paid_on": DATE,
        }

    def __init__(self, *args: Any, organisations: list[Organisation], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = Organisation.objects.filter(
            pk__in=[o.pk for o in organisations]
        ).order_by("name")
        self.fields["scheme"].queryset = FundingScheme.objects.order_by("title")
        if not self.instance.pk:
            for name in ("amount_granted_eur", "amount_paid_eur", "submitted_on", "decision_on", "paid_on"):
                del self.fields[name]


class TransitionForm(DsfrFormMixin, forms.ModelForm):  # type: ignore[type-arg]
    """The facts one move establishes, and why."""

    comment = forms.CharField(label=_("Comment"), required=False, widget=forms.Textarea(attrs={"rows": 2}))

    class Meta:
        model = FundingApplication
        fields: list[str] = []
        widgets = {
            "preparation_started_on": DATE,
            "submitted_on": DATE,
            "decision_on": DATE,
            "paid_on": DATE,
        }

    def __init__(self, *args: Any, transition: Transition, **kwargs: Any) -> None:
        self.transition = transition
        super().__init__(*args, **kwargs)
        for name in [n for n in self.fields if n != "comment" and n not in transition.fields]:
            del self.fields[name]
        for name in transition.fields:
            self.fields[name].required = name != "reference"

    def _post_clean(self) -> None:
        # The model is validated by the service once the status has moved: its rules depend on it.
        pass


def transition_form(transition: Transition, instance: FundingApplication, data: Any = None) -> TransitionForm:
    form_class = forms.modelform_factory(
        FundingApplication,
        form=TransitionForm,
        fields=list(transition.fields),
        widgets=TransitionForm.Meta.widgets,
    )
    return form_class(data, instance=instance, transition=transition, prefix=transition.name)  # type: ignore[no-any-return]


class DocumentForm(DsfrFormMixin, forms.ModelForm):  # type: ignore[type-arg]
    class Meta:
        model = ApplicationDocument
        fields = ["title", "file"]


class DaysForm(DsfrFormMixin, forms.Form):
    date = forms.DateField(label=_("Date"), widget=DATE)
    days = forms.DecimalField(
        label=_("Days"), max_digits=5, decimal_places=2, min_value=0, help_text=_("Half a day is 0.5.")
    )
    description = forms.CharField(label=_("What was done"), max_length=300, required=False)
