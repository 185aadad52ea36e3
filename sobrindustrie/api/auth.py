"""Who is calling the API: a personal token (Bearer header) or a logged-in browser session."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja.errors import HttpError
from ninja.security import HttpBearer, SessionAuth

from sobrindustrie.api.models import ApiToken

#: The methods that only read: any token may call them.
READ_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


class PersonalToken(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str) -> Any:
        found = ApiToken.find(token)
        if found is None:
            return None
        if request.method not in READ_METHODS and not found.can_write:
            # The token is right but its scope is not: say so, rather than a bare 401.
            raise HttpError(
                403,
                _(
                    "This token may only read. Create a token with the “read and write” scope on the "
                    "API tokens page to record data."
                ),
            )
        # The querysets' visible_to(request.user) then apply the token owner's permissions.
        request.user = found.user
        return found.user


class ReadOnlySession(SessionAuth):
    """The browser's session, for reading only: a write through a session would need CSRF
    protection, and tools that write should hold their own token."""

    def authenticate(self, request: HttpRequest, key: str | None) -> Any:
        if request.method not in READ_METHODS:
            return None
        return super().authenticate(request, key)
