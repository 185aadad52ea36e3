from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from sobrindustrie.api.models import TokenScope
from sobrindustrie.www.forms import DsfrFormMixin

#: Enough for any honest use; a cap keeps a stolen session from minting tokens without end.
MAX_ACTIVE_TOKENS = 10


class ApiTokenForm(DsfrFormMixin, forms.Form):
    name = forms.CharField(
        label=_("Name"),
        max_length=100,
        help_text=_("What the token is for, e.g. the tool that will use it."),
    )
    scope = forms.ChoiceField(
        label=_("Scope"),
        choices=TokenScope.choices,
        initial=TokenScope.READ,
        required=False,  # left out (a script, an older page): the narrower scope
        widget=forms.RadioSelect,
        help_text=_(
            "Read: the tool reads what you can see. Read and write: it may also record time entries, "
            "trips and indicator measurements in your name, with the same rules as the pages."
        ),
    )

    def __init__(self, *args: object, active_count: int = 0, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.active_count = active_count

    def clean_scope(self) -> str:
        return self.cleaned_data.get("scope") or TokenScope.READ

    def clean(self) -> dict[str, object]:
        cleaned = super().clean() or {}
        if self.active_count >= MAX_ACTIVE_TOKENS:
            raise forms.ValidationError(
                _("You already have %(count)d active tokens: revoke one before creating another."),
                params={"count": MAX_ACTIVE_TOKENS},
            )
        return cleaned
