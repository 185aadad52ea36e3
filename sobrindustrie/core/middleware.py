"""French first: the interface is in French unless the user picked another language."""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils import translation

from sobrindustrie.core.uploads import protect


class FrenchFirstLocaleMiddleware:
    """Activate the language chosen with the language switch (cookie), else the default (French).

    Unlike Django's LocaleMiddleware, the browser's Accept-Language is ignored: a French public
    service shows French to everyone first, and a European partner switches to English once.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self.supported = {code for code, _ in settings.LANGUAGES}

    def __call__(self, request: HttpRequest) -> HttpResponse:
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        language = chosen if chosen in self.supported else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = language  # type: ignore[attr-defined]
        response = self.get_response(request)
        response.headers.setdefault("Content-Language", language)
        response.headers["Vary"] = ", ".join(filter(None, [response.headers.get("Vary"), "Cookie"]))
        return response


class DownloadSandboxMiddleware:
    """Every response served as an attachment (uploads, exports, generated documents) carries
    `nosniff` and the sandboxing CSP of `core.uploads.protect`, whichever view made it.

    Placed inside django-csp's middleware, so that the page policy does not replace it.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if response.headers.get("Content-Disposition", "").startswith("attachment"):
            protect(response)
        return response
