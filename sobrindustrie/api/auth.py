"""Who is calling the API: a personal token (Bearer header) or a logged-in browser session."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja.security import HttpBearer, SessionAuth

from sobrindustrie.api.models import ApiToken


class PersonalToken(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str) -> Any:
        user = ApiToken.authenticate(token)
        if user is None:
            return None
        # The querysets' visible_to(request.user) then apply the token owner's permissions.
        request.user = user
        return user


class ReadOnlySession(SessionAuth):
    """The browser's session, for reading only: a write through a session would need CSRF
    protection, and tools that write should hold their own token."""

    def authenticate(self, request: HttpRequest, key: str | None) -> Any:
        if request.method not in ("GET", "HEAD", "OPTIONS"):
            return None
        return super().authenticate(request, key)
