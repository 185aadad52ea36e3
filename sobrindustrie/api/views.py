"""The page where a user creates and revokes their personal API tokens, and the documentation
pages for integrators (rendered by the server from the schema: no script, no CDN)."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from sobrindustrie.api import documentation
from sobrindustrie.api.forms import ApiTokenForm
from sobrindustrie.api.models import ApiToken


def token_list(request: HttpRequest) -> HttpResponse:
    tokens = ApiToken.objects.visible_to(request.user)  # type: ignore[arg-type]
    form = ApiTokenForm(request.POST or None, active_count=tokens.filter(revoked_at__isnull=True).count())
    new_token = ""
    if request.method == "POST" and form.is_valid():
        token, new_token = ApiToken.issue(
            request.user,  # type: ignore[arg-type]
            form.cleaned_data["name"],
            form.cleaned_data["scope"],
        )
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


def _site_url() -> str:
    return str(getattr(settings, "SITE_URL", "")).rstrip("/")


@login_not_required
def api_documentation(request: HttpRequest) -> HttpResponse:
    """Every endpoint in one table, by theme: method, path, what it does, the scope it needs."""
    operations = documentation.operations()
    themes: dict[str, list[documentation.Operation]] = {}
    for operation in operations:
        themes.setdefault(operation.tag, []).append(operation)
    context = {
        "themes": themes,
        "read_count": sum(1 for o in operations if not o.writes),
        "write_count": sum(1 for o in operations if o.writes),
        "site_url": _site_url(),
        "statuses": [(code, str(text)) for code, text in documentation.STATUSES.items()],
        "page_title": _("API documentation"),
    }
    return render(request, "www/api/documentation.html", context)


@login_not_required
def api_operation(request: HttpRequest, operation_id: str) -> HttpResponse:
    """One endpoint: its parameters, body fields, answers and an example."""
    operation = next(
        (o for o in documentation.operations(_site_url()) if o.operation_id == operation_id), None
    )
    if operation is None:
        raise Http404
    context = {"operation": operation, "page_title": f"{operation.method} {operation.path}"}
    return render(request, "www/api/operation.html", context)
