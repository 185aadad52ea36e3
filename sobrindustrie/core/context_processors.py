"""Template context shared by every page: the menu for the user's role."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from sobrindustrie.core.navigation import build_header_menu


def platform(request: HttpRequest) -> dict[str, Any]:
    # Lazy: pages that never render the menu (downloads, HTMX fragments) pay nothing for it.
    return {"nav_sections": SimpleLazyObject(lambda: build_header_menu(request))}
