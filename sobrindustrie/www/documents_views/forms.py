from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from sobrindustrie.documents.enums import DigestFrequency
from sobrindustrie.documents.models import Document, NotificationPreference, Post, ShowcasePage
from sobrindustrie.documents.uploads import (
    ACCEPTED_EXTENSIONS,
    UploadRefused,
    inspect_upload,
    max_upload_bytes,
)
from sobrindustrie.www.forms import DsfrFormMixin, VersionedModelForm

FILE_HELP = _("Accepted: %(formats)s; %(limit)d MB at most.")


def _file_field(required: bool = True) -> forms.FileField:
    return forms.FileField(
        label=_("File"),
        required=required,
        help_text=FILE_HELP
        % {"formats": ", ".join(ACCEPTED_EXTENSIONS), "limit": max_upload_bytes() // (1024 * 1024)},
        widget=forms.ClearableFileInput(attrs={"accept": ",".join(f".{ext}" for ext in ACCEPTED_EXTENSIONS)}),
    )


class CheckedFileMixin:
    """Checks the uploaded file's content at the form boundary, so refusals show on the field."""

    cleaned_data: dict[str, Any]

    def clean_file(self) -> Any:
        upload = self.cleaned_data.get("file")
        if upload:
            try:
                inspect_upload(upload.name, upload.file, upload.size)
            except UploadRefused as error:
                raise forms.ValidationError(str(error)) from error
        return upload


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


class DocumentForm(CheckedFileMixin, VersionedModelForm):
    file = _file_field()

    class Meta:
        model = Document
        fields = ["title", "category", "description", "tags", "meetings", "teams", "actions", "organisations"]

    def __init__(self, *args: Any, programme: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _related_querysets(self, programme, user)
        if self.instance.pk:
            del self.fields["file"]


class VersionForm(CheckedFileMixin, DsfrFormMixin, forms.Form):
    file = _file_field()
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


class ShowcaseForm(CheckedFileMixin, VersionedModelForm):
    class Meta:
        model = ShowcasePage
        fields = [
            "team", "slug", "solution", "title", "title_en", "summary", "summary_en",
            "key_results", "key_results_en", "image", "image_alt", "image_alt_en",
        ]  # fmt: skip

    def __init__(self, *args: Any, teams: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["team"].queryset = teams

    def clean_image(self) -> Any:
        image = self.cleaned_data.get("image")
        if image and hasattr(image, "content_type"):
            try:
                kind = inspect_upload(image.name, image.file, image.size)
            except UploadRefused as error:
                raise forms.ValidationError(str(error)) from error
            if kind.code not in ("png", "jpeg"):
                raise forms.ValidationError(_("The image must be a PNG or JPEG file."))
        return image


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
