from __future__ import annotations

from django import forms
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.contrib.auth.forms import AuthenticationForm
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as gettext_now
from django.utils.translation import gettext_lazy as _

from sobrindustrie.core.navigation import build_menu


class EmailAuthenticationForm(AuthenticationForm):
    username = forms.EmailField(
        label=_("E-mail address"), widget=forms.EmailInput(attrs={"autocomplete": "email", "autofocus": True})
    )

    def clean_username(self) -> str:
        # Addresses are stored lower-case; people type them as they like.
        return str(self.cleaned_data["username"]).strip().lower()


@method_decorator(login_not_required, name="dispatch")
class LoginView(auth_views.LoginView):
    template_name = "www/accounts/login.html"
    authentication_form = EmailAuthenticationForm
    redirect_authenticated_user = True
    extra_context = {"page_title": _("Log in")}


class LogoutView(auth_views.LogoutView):
    pass


@login_not_required
def site_map(request: HttpRequest) -> HttpResponse:
    """Every page the user's role can reach, by section (RGAA asks for a site map); anonymous
    visitors get the public pages."""
    return render(
        request,
        "www/accounts/site_map.html",
        {"sections": build_menu(request), "page_title": gettext_now("Site map")},
    )
