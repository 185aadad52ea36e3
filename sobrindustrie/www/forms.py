"""Form helpers shared by every area: DSFR classes, accessible errors, optimistic locking, and
multiple-choice fields that stay usable (and light) whatever the number of choices."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.db import transaction
from django.forms.renderers import DjangoTemplates
from django.http import HttpRequest
from django.utils.html import conditional_escape, escape
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from sobrindustrie.accounts.access import access_of
from sobrindustrie.core.models import ConcurrentEditError, VersionedModel
from sobrindustrie.core.uploads import check_form_file_fields

#: Up to this many choices, a multiple-choice field shows one checkbox per choice: every choice in
#: sight, one click each. Beyond, a native `<select multiple>`: a few hundred checkboxes make a page
#: too long to scan and too heavy (four elements each), where a list box stays one element per choice.
CHECKBOX_CHOICES_LIMIT = 30
#: Rows a `<select multiple>` shows at once.
MULTIPLE_SELECT_SIZE = 10
MULTIPLE_SELECT_HINT = _("Ctrl-click (⌘-click on a Mac) to choose several.")
VERSION_MISSING = _(
    "This form was sent without the version it was opened on, so nothing was saved: reload the page "
    "and make your changes again."
)


#: The DSFR class of each widget template (by its file name); the others (hidden inputs, checkboxes
#: and radio buttons, which DSFR styles through the group around them) take none.
DSFR_WIDGET_CLASSES = {
    "select.html": "fr-select",
    "select_date.html": "fr-select",
    "textarea.html": "fr-input",
    "input.html": "fr-input",
    "text.html": "fr-input",
    "email.html": "fr-input",
    "password.html": "fr-input",
    "number.html": "fr-input",
    "url.html": "fr-input",
    "date.html": "fr-input",
    "datetime.html": "fr-input",
    "time.html": "fr-input",
    "search.html": "fr-input",
    "tel.html": "fr-input",
    "color.html": "fr-input",
    "file.html": "fr-input",
    "clearable_file_input.html": "fr-input",
}


def dsfr_class(template_name: str) -> str:
    return DSFR_WIDGET_CLASSES.get(template_name.rsplit("/", 1)[-1], "")


class DsfrFormRenderer(DjangoTemplates):
    """Every widget the project renders carries its DSFR class, whatever form it belongs to (the
    login form is Django's own): the class is added where widgets are rendered, not form by form."""

    def render(self, template_name: str, context: dict[str, Any], request: HttpRequest | None = None) -> str:
        widget = context.get("widget")
        if isinstance(widget, dict):
            _add_class(widget, template_name)
            # A multi-widget's parts (date and time...) are included by its template, not rendered here.
            for part in widget.get("subwidgets", ()):
                _add_class(part, part["template_name"])
            if template_name == SELECT_TEMPLATE and _plain_options(widget):
                return render_select(widget)
        return super().render(template_name, context, request)


SELECT_TEMPLATE = "django/forms/widgets/select.html"
SELECT_OPTION_TEMPLATE = "django/forms/widgets/select_option.html"


def _plain_options(widget: dict[str, Any]) -> bool:
    return all(
        option["template_name"] == SELECT_OPTION_TEMPLATE
        for _group, options, _index in widget["optgroups"]
        for option in options
    )


def _attrs(attrs: dict[str, Any]) -> str:
    """What django/forms/widgets/attrs.html writes: ` name="value"`, ` name` when True, nothing when False."""
    return "".join(
        f" {conditional_escape(name)}"
        if value is True
        else f' {conditional_escape(name)}="{escape(str(value))}"'
        for name, value in attrs.items()
        if value is not False
    )


def render_select(widget: dict[str, Any]) -> str:
    """The HTML of Django's select.html and select_option.html, written in Python: the template
    includes one template per option (two with its attributes), which made a page with a category
    list of a hundred options spend most of its time rendering them (issue #19)."""
    parts = [f'<select name="{conditional_escape(widget["name"])}"{_attrs(widget["attrs"])}>']
    for group, options, _index in widget["optgroups"]:
        if group:
            parts.append(f'<optgroup label="{conditional_escape(group)}">')
        parts.extend(
            f'<option value="{escape(str(option["value"]))}"{_attrs(option["attrs"])}>'
            f"{conditional_escape(option['label'])}</option>"
            for option in options
        )
        if group:
            parts.append("</optgroup>")
    parts.append("</select>")
    return "\n".join(parts)


def _add_class(widget: dict[str, Any], template_name: str) -> None:
    css = dsfr_class(template_name)
    if css:
        attrs = dict(widget["attrs"])
        classes = str(attrs.get("class", "")).split()
        if css not in classes:
            attrs["class"] = " ".join([*classes, css])
        widget["attrs"] = attrs


class DsfrFormMixin:
    """Point widgets at their error message for screen readers (their DSFR classes come from
    `DsfrFormRenderer`, for every form); put every file field under the upload policy
    (`core.uploads`), whoever declared it."""

    fields: dict[str, forms.Field]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[call-arg]
        check_form_file_fields(self.fields)

    def full_clean(self) -> None:
        super().full_clean()  # type: ignore[misc]
        for name in getattr(self, "_errors", None) or {}:
            if name in self.fields:
                widget = self.fields[name].widget
                widget.attrs["aria-describedby"] = f"id_{self.add_prefix(name)}-error"  # type: ignore[attr-defined]
                widget.attrs["aria-invalid"] = "true"

    def save_if_valid(self) -> bool:
        """Validate and save; False, with the reason on the form, when the input is refused or
        someone else saved the record since the form was opened (what the user typed is kept)."""
        form: Any = self  # a ModelForm: the mixin only adds DSFR presentation to it
        if not form.is_valid():
            return False
        try:
            form.save()
        except ConcurrentEditError:
            return False
        except ValidationError as error:
            # A rule checked when saving (by a service or the model) is shown like any other refusal.
            problems = (
                error.message_dict.items() if hasattr(error, "error_dict") else [(None, error.messages)]
            )
            for field, messages in problems:
                form.add_error(field if field in self.fields else None, messages)
            return False
        return True


class VersionedModelForm(DsfrFormMixin, forms.ModelForm):  # type: ignore[type-arg]
    """A model form that refuses to overwrite changes saved by someone else since it was opened."""

    expected_version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["expected_version"].initial = self.instance.version

    def full_clean(self) -> None:
        """An edit keeps what its POST does not carry: a field of the form absent from the data (not
        sent empty: absent, as from a script, a truncated request or a page showing fewer fields)
        is left as stored instead of being blanked. Such a field is treated as disabled: Django
        then takes its stored value, and shows it read-only if the form comes back. Its name goes
        to `kept_fields`."""
        self.kept_fields: list[str] = []
        if self.is_bound and self.instance.pk:
            for name, field in self.fields.items():
                if name == "expected_version" or field.disabled:
                    continue
                if field.widget.value_omitted_from_data(self.data, self.files, self.add_prefix(name)):
                    self.kept_fields.append(name)
                    field.disabled = True
        super().full_clean()

    def clean(self) -> dict[str, Any]:
        """An edit must say which version it was opened on: without it, a POST could overwrite
        whatever was saved since, so it is refused and nothing is written."""
        data = super().clean()
        if (
            self.instance.pk
            and data.get("expected_version") is None
            and "expected_version" not in self.errors
        ):
            raise ValidationError(VERSION_MISSING, code="version_missing")
        return data

    def save(self, commit: bool = True) -> Any:
        instance: VersionedModel = super().save(commit=False)
        if not commit:
            return instance
        # The row and its many-to-many links are one write: all of it, or none.
        with transaction.atomic():
            if instance.pk:
                expected = self.cleaned_data["expected_version"]
                try:
                    instance.save_checked(expected)
                except ConcurrentEditError as error:
                    self.add_error(None, str(error))
                    raise
            else:
                instance.save()
            self.save_m2m()
        return instance


class FieldRulesMixin:
    """The field rules of the access model (`accounts.access.GUARDED_FIELDS`) on a model form built
    with `user=`: the fields the user may not change are shown read-only, and a POST that still
    changes one is refused on that field, naming it, so that nothing is saved."""

    def __init__(self, *args: Any, user: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.locked_fields: list[str] = []
        if user is not None:
            instance = self.instance  # type: ignore[attr-defined]
            self.locked_fields = access_of(user).forbidden_fields(
                instance._meta.label,
                list(self.fields),
                getattr(instance, "programme_id", None),  # type: ignore[attr-defined]
            )
        for name in self.locked_fields:
            self.fields[name].disabled = True  # type: ignore[attr-defined]

    def clean(self) -> Any:
        cleaned = super().clean()  # type: ignore[misc]
        for name in self.locked_fields:
            if self._tries_to_change(name):
                label = self.fields[name].label  # type: ignore[attr-defined]
                self.add_error(  # type: ignore[attr-defined]
                    name,
                    _("You may not change “%(field)s”: the programme's team decides it.") % {"field": label},
                )
        return cleaned

    def _tries_to_change(self, name: str) -> bool:
        key = self.add_prefix(name)  # type: ignore[attr-defined]
        if key not in self.data:  # type: ignore[attr-defined]
            return False  # browsers do not send disabled inputs
        field = self.fields[name]  # type: ignore[attr-defined]
        submitted = field.widget.value_from_datadict(self.data, self.files, key)  # type: ignore[attr-defined]
        field.disabled = False  # has_changed() says False for disabled fields
        try:
            return bool(field.has_changed(self.get_initial_for_field(field, name), submitted))  # type: ignore[attr-defined]
        finally:
            field.disabled = True


def fit_multiple_choice(field: forms.MultipleChoiceField, limit: int = CHECKBOX_CHOICES_LIMIT) -> None:
    """Show `field` as checkboxes when it offers at most `limit` choices, else as a native
    `<select multiple>` of MULTIPLE_SELECT_SIZE rows, styled `fr-select`, whose label gets a hint
    on how to choose several.

    Call it once per form, when the field's choices (or queryset) are final. Only the widget
    changes, so validation and the values a refused form shows again stay the same. Templates tell
    the two apart by `field.widget_type` ("checkboxselectmultiple" or "selectmultiple"). A model
    field costs one COUNT query.
    """
    # The DSFR class and the size belong to one kind of widget; other attributes carry over.
    attrs = {key: value for key, value in field.widget.attrs.items() if key not in {"class", "size"}}
    widget: forms.SelectMultiple | forms.CheckboxSelectMultiple
    if len(field.choices) <= limit:
        widget = forms.CheckboxSelectMultiple(attrs=attrs)
    else:
        widget = forms.SelectMultiple(attrs={**attrs, "class": "fr-select", "size": MULTIPLE_SELECT_SIZE})
        field.help_text = (
            format_lazy("{} {}", field.help_text, MULTIPLE_SELECT_HINT)
            if field.help_text
            else MULTIPLE_SELECT_HINT
        )
    widget.choices = field.choices
    widget.is_required = field.required
    widget.attrs.update(field.widget_attrs(widget))
    field.widget = widget
