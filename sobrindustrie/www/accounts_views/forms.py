from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth import password_validation
from django.contrib.auth.forms import PasswordResetForm, SetPasswordForm
from django.utils.translation import gettext_lazy as _

from sobrindustrie.accounts.enums import Role
from sobrindustrie.organisations.models import Organisation, Person
from sobrindustrie.www.forms import DsfrFormMixin, fit_multiple_choice


class InvitationForm(DsfrFormMixin, forms.Form):
    email = forms.EmailField(label=_("E-mail address"))
    first_name = forms.CharField(label=_("First name"), max_length=150, required=False)
    last_name = forms.CharField(label=_("Last name"), max_length=150, required=False)
    role = forms.ChoiceField(label=_("Role"))
    organisation = forms.ModelChoiceField(
        label=_("Organisation"),
        queryset=Organisation.objects.none(),
        required=False,
        help_text=_("Required for SME members and partners; left empty for ADEME officers and consultants."),
    )

    def __init__(self, *args: Any, programme: object, roles: list[Role], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["role"].choices = [(role.value, role.label) for role in roles]
        self.fields["organisation"].queryset = (
            Organisation.objects.for_programme(programme).active().order_by("name")
        )

    def clean_email(self) -> str:
        return str(self.cleaned_data["email"]).strip().lower()


class ContactsInvitationForm(DsfrFormMixin, forms.Form):
    """Contacts of the companies brought in by the candidacy import, to invite as SME members."""

    contacts = forms.ModelMultipleChoiceField(
        label=_("Contacts to invite"), queryset=Person.objects.none(), widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args: Any, contacts: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["contacts"]
        field.queryset = contacts
        field.label_from_instance = lambda person: (  # type: ignore[attr-defined]
            f"{person} <{person.email}> — {person.organisation}"
        )
        fit_multiple_choice(field)  # type: ignore[arg-type]


class PlainHelpSetPasswordForm(DsfrFormMixin, SetPasswordForm):  # type: ignore[misc]
    """Django's form to set a password, the validators' rules given as plain sentences (the
    shared field template escapes help texts, where Django gives an HTML list)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["new_password1"].help_text = " ".join(
            password_validation.password_validators_help_texts()
        )


class AcceptInvitationForm(PlainHelpSetPasswordForm):
    """The invitee's name (prefilled from the invitation) and their password, checked by
    AUTH_PASSWORD_VALIDATORS against the account being created."""

    first_name = forms.CharField(label=_("First name"), max_length=150)
    last_name = forms.CharField(label=_("Last name"), max_length=150)
    field_order = ["first_name", "last_name", "new_password1", "new_password2"]

    def clean(self) -> dict[str, Any]:
        # The names are compared with the password by UserAttributeSimilarityValidator.
        self.user.first_name = self.cleaned_data.get("first_name", self.user.first_name)
        self.user.last_name = self.cleaned_data.get("last_name", self.user.last_name)
        return super().clean()  # type: ignore[no-any-return]


class DsfrPasswordResetForm(DsfrFormMixin, PasswordResetForm):
    email = forms.EmailField(
        label=_("E-mail address"),
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )


class DsfrSetPasswordForm(PlainHelpSetPasswordForm):
    pass
