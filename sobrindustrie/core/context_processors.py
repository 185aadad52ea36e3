"""Template context shared by every page: the navigation for the user's role."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext as _

from sobrindustrie.programmes.perms import can_see_programme_overview


def _nav_items(request: HttpRequest) -> list[dict[str, Any]]:
    user = request.user
    if not user.is_authenticated:
        return []
    items = [{"url": reverse("www:home"), "label": _("Home")}]
    if can_see_programme_overview(user):  # type: ignore[arg-type]
        items.append({"url": reverse("www:programme_list"), "label": _("Programmes")})
    elif user.organisation_id:  # type: ignore[union-attr]
        items.append(
            {
                "url": reverse("www:organisation_detail", args=[user.organisation_id]),
                "label": _("My organisation"),
            }  # type: ignore[union-attr]
        )
        items.append(
            {"url": reverse("www:inventory", args=[user.organisation_id]), "label": _("My production means")}  # type: ignore[union-attr]
        )
    if user.is_staff or user.is_superuser:
        items.append({"url": reverse("admin:index"), "label": _("Administration")})
    for item in items:
        item["current"] = request.path == item["url"]
    return items


def platform(request: HttpRequest) -> dict[str, Any]:
    return {"nav_items": _nav_items(request)}
