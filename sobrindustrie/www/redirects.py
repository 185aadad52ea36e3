"""Where to go back after a POST: the one place that reads a `next` parameter."""

from __future__ import annotations

from django.http import HttpRequest
from django.utils.http import url_has_allowed_host_and_scheme


def safe_next(request: HttpRequest, default: str) -> str:
    """The `next` address sent with the request (POST first, then the query string) when it stays on
    this site, else `default`: `//evil.example/x`, `https://evil.example` or `javascript:` are never
    followed, whatever page sends them."""
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return default
