"""Middleware: French first, and clear 503 pages for foreseeable faults."""

from __future__ import annotations

import logging
import sys
from collections.abc import Callable

from django.conf import settings
from django.db import DatabaseError, InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string
from django.utils import translation
from django.views.defaults import server_error as django_server_error

from sobrindustrie.core.pdf import INSTALL_COMMAND, PdfUnavailable
from sobrindustrie.core.uploads import protect

logger = logging.getLogger(__name__)


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


class ServiceUnavailableMiddleware:
    """A 503 page that says what is wrong, instead of a 500, for two foreseeable faults:

    - the database cannot be reached (PostgreSQL restarted or gone, SQLite locked beyond its busy
      timeout): the request's transaction is rolled back by the database itself, so nothing was
      half-written; the page says to try again;
    - PDF export asked for on a machine without its system libraries: the page names them.

    The page is rendered without the request's context (no menu, no user): both may need the database.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if isinstance(exception, PdfUnavailable):
            logger.error("PDF export unavailable: %s", exception.reason)
            return self._page("pdf", install=INSTALL_COMMAND)
        if isinstance(exception, DatabaseError) and _connection_lost(exception):
            logger.error("database unavailable during %s %s: %s", request.method, request.path, exception)
            return self._page("database", retry_after="30")
        return None

    def _page(self, fault: str, install: str = "", retry_after: str = "") -> HttpResponse:
        html = render_to_string("www/errors/unavailable.html", {"fault": fault, "install": install})
        response = HttpResponse(html, status=503)
        if retry_after:
            response["Retry-After"] = retry_after
        return response


def _connection_lost(error: DatabaseError) -> bool:
    # OperationalError covers a refused or dropped connection and SQLite's "database is locked";
    # InterfaceError a connection already closed. Other database errors are bugs: a 500 and a log.
    return isinstance(error, OperationalError | InterfaceError)


def server_error(request: HttpRequest) -> HttpResponse:
    """handler500: faults raised outside views (a middleware reading the session or the user when
    the database is gone) reach here, not `process_exception`; they get the same 503 page."""
    error = sys.exc_info()[1]
    if isinstance(error, DatabaseError) and _connection_lost(error):
        return ServiceUnavailableMiddleware(lambda request: HttpResponse())._page(
            "database", retry_after="30"
        )
    return django_server_error(request)
