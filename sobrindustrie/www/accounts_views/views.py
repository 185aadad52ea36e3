from __future__ import annotations

from django import forms
from django.conf import settings
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.contrib.auth.forms import AuthenticationForm
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse_lazy
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as gettext_now
from django.utils.translation import gettext_lazy as _

from sobrindustrie.core.navigation import build_menu
from sobrindustrie.www.accounts_views.forms import DsfrPasswordResetForm, DsfrSetPasswordForm


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


# Password reset: Django's views. The "sent" page says the same whether the address has an account
# or not, so the form cannot be used to find out who is registered; inactive accounts get no e-mail.


@method_decorator(login_not_required, name="dispatch")
class PasswordResetView(auth_views.PasswordResetView):
    template_name = "www/accounts/password_reset.html"
    email_template_name = "www/accounts/email/password_reset.txt"
    subject_template_name = "www/accounts/email/password_reset_subject.txt"
    form_class = DsfrPasswordResetForm
    success_url = reverse_lazy("www:password_reset_done")
    extra_context = {"page_title": _("Forgotten password")}

    @property  # type: ignore[override]
    def extra_email_context(self) -> dict[str, str]:
        """Links in the e-mail start with SITE_URL, as in every e-mail (not the request's host)."""
        return {"site_url": settings.SITE_URL.rstrip("/")}


@method_decorator(login_not_required, name="dispatch")
class PasswordResetDoneView(auth_views.PasswordResetDoneView):
    template_name = "www/accounts/password_reset_done.html"
    extra_context = {"page_title": _("Forgotten password")}


@method_decorator(login_not_required, name="dispatch")
class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    template_name = "www/accounts/password_reset_confirm.html"
    form_class = DsfrSetPasswordForm
    success_url = reverse_lazy("www:password_reset_complete")
    extra_context = {"page_title": _("Choose a new password")}


@method_decorator(login_not_required, name="dispatch")
class PasswordResetCompleteView(auth_views.PasswordResetCompleteView):
    template_name = "www/accounts/password_reset_complete.html"
    extra_context = {"page_title": _("Password changed")}


@login_not_required
def site_map(request: HttpRequest) -> HttpResponse:
    """Every page the user's role can reach, by section (RGAA asks for a site map); anonymous
    visitors get the public pages."""
    return render(
        request,
        "www/accounts/site_map.html",
        {"sections": build_menu(request), "page_title": gettext_now("Site map")},
    )
