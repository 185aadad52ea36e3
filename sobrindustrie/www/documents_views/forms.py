from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from sobrindustrie.core.uploads import IMAGE_KINDS, CheckedFileField
from sobrindustrie.documents.enums import DigestFrequency
from sobrindustrie.documents.models import Document, NotificationPreference, Post, ShowcasePage
from sobrindustrie.www.forms import DsfrFormMixin, VersionedModelForm


def _related_querysets(form: forms.ModelForm, programme: Any, user: Any) -> None:  # type: ignore[type-arg]
    from sobrindustrie.actionplans.models import Action
    from sobrindustrie.meetings.models import Meeting
    from sobrindustrie.organisations.models import Organisation
    from sobrindustrie.teams.models import ProjectTeam

    form.fields["meetings"].queryset = Meeting.objects.visible_to(user).for_programme(programme)
    form.fields["teams"].queryset = ProjectTeam.objects.visible_to(user).for_programme(programme)
    form.fields["actions"].queryset = Action.objects.visible_to(user).for_programme(programme)
    form.fields["organisations"].queryset = Organisation.objects.visible_to(user).for_programme(programme)
    for name in ("meetings", "teams", "actions", "organisations"):
        form.fields[name].widget.attrs["size"] = 4


class DocumentForm(VersionedModelForm):
    file = CheckedFileField(label=_("File"))

    class Meta:
        model = Document
        fields = ["title", "category", "description", "tags", "meetings", "teams", "actions", "organisations"]

    def __init__(self, *args: Any, programme: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _related_querysets(self, programme, user)
        if self.instance.pk:
            del self.fields["file"]


class VersionForm(DsfrFormMixin, forms.Form):
    file = CheckedFileField(label=_("File"))
    note = forms.CharField(label=_("What changed"), max_length=250, required=False)


class PostForm(VersionedModelForm):
    class Meta:
        model = Post
        fields = ["kind", "title", "body", "event_at", "recording_url", "recording", "slides", "resources"]
        widgets = {"event_at": forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")}

    def __init__(self, *args: Any, documents: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name in ("recording", "slides", "resources"):
            self.fields[name].queryset = documents


class ShowcaseForm(VersionedModelForm):
    image = CheckedFileField(label=_("image"), kinds=IMAGE_KINDS, required=False)

    class Meta:
        model = ShowcasePage
        fields = [
            "team", "slug", "solution", "title", "title_en", "summary", "summary_en",
            "key_results", "key_results_en", "image", "image_alt", "image_alt_en",
        ]  # fmt: skip

    def __init__(self, *args: Any, teams: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["team"].queryset = teams


class CommentForm(DsfrFormMixin, forms.Form):
    body = forms.CharField(label=_("Your comment"), max_length=4000, widget=forms.Textarea(attrs={"rows": 3}))


class ReturnForm(DsfrFormMixin, forms.Form):
    comment = forms.CharField(
        label=_("What must change"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )


class SearchForm(DsfrFormMixin, forms.Form):
    q = forms.CharField(label=_("Search"), max_length=200, min_length=2)


class PreferenceForm(DsfrFormMixin, forms.ModelForm):  # type: ignore[type-arg]
    frequency = forms.ChoiceField(
        label=_("E-mails"), choices=DigestFrequency.choices, widget=forms.RadioSelect
    )

    class Meta:
        model = NotificationPreference
        fields = ["frequency"]
