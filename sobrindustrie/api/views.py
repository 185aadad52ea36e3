"""The page where a user creates and revokes their personal API tokens."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from sobrindustrie.api.forms import ApiTokenForm
from sobrindustrie.api.models import ApiToken


def token_list(request: HttpRequest) -> HttpResponse:
    tokens = ApiToken.objects.visible_to(request.user)  # type: ignore[arg-type]
    form = ApiTokenForm(request.POST or None, active_count=tokens.filter(revoked_at__isnull=True).count())
    new_token = ""
    if request.method == "POST" and form.is_valid():
        token, new_token = ApiToken.issue(request.user, form.cleaned_data["name"])  # type: ignore[arg-type]
        form = ApiTokenForm(active_count=form.active_count + 1)
    # The token is shown once, in this response, and never again: only its hash is kept.
    return render(
        request, "www/api/token_list.html", {"tokens": tokens, "form": form, "new_token": new_token}
    )


@require_POST
def token_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    token = get_object_or_404(ApiToken.objects.visible_to(request.user), pk=pk)  # type: ignore[arg-type]
    token.revoke()
    messages.success(request, _("The token “%s” is revoked.") % token.name)
    return redirect("api:token_list")
