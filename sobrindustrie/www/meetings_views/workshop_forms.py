"""Forms of workshop 1 live: one company's row, one webinar topic."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from sobrindustrie.core.enums import Solution
from sobrindustrie.meetings.enums import SATISFACTION_SCALE
from sobrindustrie.meetings.models import WebinarTopic, WorkshopContribution
from sobrindustrie.www.forms import DsfrFormMixin

CHOICE_FIELDS = ("first_choice", "second_choice", "third_choice")
TEXT_LIMIT = 2000


def _theme_field(label: Any) -> forms.ChoiceField:
    return forms.ChoiceField(label=label, choices=[("", "—"), *Solution.choices], required=False)


def _initial(contribution: WorkshopContribution | None) -> dict[str, Any]:
    if contribution is None:
        return {"expected_version": 0}
    votes = [*contribution.votes, "", "", ""]
    return {
        "needs": contribution.needs,
        "offers": contribution.offers,
        "solutions": contribution.solutions,
        **dict(zip(CHOICE_FIELDS, votes, strict=False)),
        "satisfaction": contribution.satisfaction,
        "expected_version": contribution.version,
    }


class ContributionForm(DsfrFormMixin, forms.Form):
    """What one company said; carries the version of its row as the page showed it (0: no row yet)."""

    needs = forms.CharField(
        label=_("Needs expressed"),
        required=False,
        max_length=TEXT_LIMIT,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("In the company's words: it is quoted in the synthesis of needs (L1.2)."),
    )
    offers = forms.CharField(
        label=_("What it can offer"),
        required=False,
        max_length=TEXT_LIMIT,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    solutions = forms.MultipleChoiceField(
        label=_("Sobriety solutions concerned"),
        choices=Solution.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    first_choice = _theme_field(_("Theme voted first"))
    second_choice = _theme_field(_("Theme voted second"))
    third_choice = _theme_field(_("Theme voted third"))
    satisfaction = forms.TypedChoiceField(
        label=_("Satisfaction with the workshop"),
        choices=[(str(n), str(n)) for n in range(SATISFACTION_SCALE[0], SATISFACTION_SCALE[1] + 1)],
        coerce=int,
        empty_value=None,
        required=False,
        widget=forms.RadioSelect,
        help_text=_("1 = not at all satisfied, 5 = fully satisfied."),
    )
    expected_version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)

    def __init__(
        self, data: Any = None, *, contribution: WorkshopContribution | None = None, **kwargs: Any
    ) -> None:
        if data is None:
            kwargs["initial"] = _initial(contribution)
        super().__init__(data, **kwargs)

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        choices = [data.get(name) or "" for name in CHOICE_FIELDS]
        given = [c for c in choices if c]
        if len(set(given)) != len(given):
            raise ValidationError(_("A theme can be voted for only once: choose three different themes."))
        if "" in choices[: len(given)]:
            raise ValidationError(_("Fill the choices in order: first, then second, then third."))
        data["votes"] = given
        return data

    def values(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "needs": data["needs"].strip(),
            "offers": data["offers"].strip(),
            "solutions": [code for code, _label in Solution.choices if code in data["solutions"]],
            "votes": data["votes"],
            "satisfaction": data["satisfaction"],
        }


class TopicForm(DsfrFormMixin, forms.Form):
    """The consultant's wording of a proposed webinar topic, to save or validate."""

    title = forms.CharField(label=_("Title"), max_length=200)
    description = forms.CharField(
        label=_("Description"),
        required=False,
        max_length=TEXT_LIMIT,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    expected_version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)

    @classmethod
    def for_proposal(cls, title: str, description: str, topic: WebinarTopic | None, prefix: str) -> TopicForm:
        version = topic.version if topic else 0
        return cls(
            initial={"title": title, "description": description, "expected_version": version}, prefix=prefix
        )
