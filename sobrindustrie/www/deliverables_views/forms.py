from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from sobrindustrie.deliverables.checks import NARRATIVE_FIELDS
from sobrindustrie.deliverables.models import Deliverable
from sobrindustrie.meetings.enums import MeetingKind
from sobrindustrie.meetings.models import Meeting
from sobrindustrie.www.forms import DsfrFormMixin, VersionedModelForm


class NarrativeForm(VersionedModelForm):
    class Meta:
        model = Deliverable
        fields = ["successes", "difficulties", "solutions", "methods", "recommendations", "copil_meeting"]
        widgets = {
            name: forms.Textarea(attrs={"rows": 5})
            for name in ["successes", "difficulties", "solutions", "methods", "recommendations"]
        }
        help_texts = {
            "successes": _("One point per line."),
            "difficulties": _("One point per line."),
            "solutions": _("One point per line."),
            "methods": _(
                "How the work was done: diagnostics, workshops, team formation, follow-up, evaluation."
            ),
            "recommendations": _("One recommendation per line."),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        wanted = NARRATIVE_FIELDS.get(self.instance.code, [])
        for name in list(self.fields):
            if name not in wanted and name != "expected_version":
                del self.fields[name]
        if "copil_meeting" in self.fields:
            field = self.fields["copil_meeting"]
            assert isinstance(field, forms.ModelChoiceField)
            field.queryset = Meeting.objects.filter(
                programme=self.instance.programme, kind=MeetingKind.COPIL
            ).order_by("-starts_at")
            field.help_text = _(
                "The COPIL that validated this synthesis; its decision record goes into the report."
            )


class ReviewForm(DsfrFormMixin, forms.Form):
    expected_version = forms.IntegerField(widget=forms.HiddenInput)
    comment = forms.CharField(label=_("Comment"), required=False, widget=forms.Textarea(attrs={"rows": 3}))


class AcknowledgeForm(DsfrFormMixin, forms.Form):
    expected_version = forms.IntegerField(widget=forms.HiddenInput)
    key = forms.CharField(widget=forms.HiddenInput, max_length=400)
    reason = forms.CharField(
        label=_("Why the report can go as it is"),
        help_text=_("ADEME reads this reason beside the submitted report."),
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=2000,
    )

    def clean_reason(self) -> str:
        reason = self.cleaned_data["reason"].strip()
        if len(reason) < 10:
            raise forms.ValidationError(_("Write the reason in a sentence (10 characters at least)."))
        return reason
