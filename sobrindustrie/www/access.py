"""The web layer's side of the access model (`sobrindustrie.accounts.access`).

- `AccessMiddleware` resolves who the user is once per request (`request.access`) and applies the
  page rules of `url_access.py` before any view runs: a role without the page's capability, or a
  page without a rule, gets a 404.
- `programme_for(request, slug, capability)` is how views fetch the programme of their URL: the
  programme when the user's capability reaches it, a 404 otherwise (never a 403: an outsider must
  not learn that a programme exists).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.utils.functional import SimpleLazyObject
from django.views.generic import RedirectView

from sobrindustrie.accounts.access import Access, Capability, access_of
from sobrindustrie.programmes.models import Programme
from sobrindustrie.www.url_access import ADMIN, API_TOKEN, PUBLIC, rule_for

OPEN_RULES = (PUBLIC, API_TOKEN, ADMIN)


class AccessMiddleware:
    """Put after `LoginRequiredMiddleware`: anonymous visitors of non-public pages are sent to the
    login page before this runs."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        request.access = SimpleLazyObject(lambda: access_of(request.user))  # type: ignore[attr-defined]
        return self.get_response(request)

    def process_view(self, request: HttpRequest, view: Any, args: Any, kwargs: Any) -> None:
        if getattr(view, "view_class", None) is RedirectView:
            # An old address kept as a redirect (e.g. the English evaluation URLs): the page it
            # leads to applies its own rule.
            return
        match = request.resolver_match
        rule = rule_for(match.view_name) if match is not None else None
        if rule is None:
            raise Http404("This page has no access rule.")
        if rule in OPEN_RULES:
            return
        if not access_of(request.user).holds(Capability(rule)):
            raise Http404


def access(request: HttpRequest) -> Access:
    return access_of(request.user)


def programme_for(
    request: HttpRequest, slug: str, capability: Capability = Capability.VIEW_PROGRAMME
) -> Programme:
    """The programme of the URL when the user's `capability` reaches it, else a 404."""
    programme = get_object_or_404(Programme, slug=slug)
    if not access_of(request.user).on_programme(capability, programme.pk):
        raise Http404
    return programme
