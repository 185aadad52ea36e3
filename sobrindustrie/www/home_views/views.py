"""The home page (what waits for the person), the menu's count, and the public footer pages."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from sobrindustrie.organisations.models import Person
from sobrindustrie.programmes.models import Programme
from sobrindustrie.www.home_views.work_items import count_by_kind, items_for


def home(request: HttpRequest) -> HttpResponse:
    """What waits for this person, oldest first, each item linking to where it is done."""
    items = items_for(request.user)  # type: ignore[arg-type]
    context = {
        "items": items,
        "counts": count_by_kind(items),
        "programmes": Programme.objects.visible_to(request.user).order_by("name"),  # type: ignore[arg-type]
        "page_title": _("Your work"),
    }
    return render(request, "www/home/home.html", context)


def work_count(request: HttpRequest) -> HttpResponse:
    """The menu's badge, loaded after the page (htmx) so that no page pays for it while rendering."""
    return render(request, "www/home/work_count.html", {"count": len(items_for(request.user))})  # type: ignore[arg-type]


def _legal_context(title: str) -> dict[str, object]:
    return {"page_title": title, "legal": settings.LEGAL}


@login_not_required
def accessibility(request: HttpRequest) -> HttpResponse:
    """The accessibility statement in the form the RGAA asks for."""
    return render(request, "www/home/accessibility.html", _legal_context(_("Accessibility statement")))


@login_not_required
def legal_notice(request: HttpRequest) -> HttpResponse:
    return render(request, "www/home/legal_notice.html", _legal_context(_("Legal notice")))


@login_not_required
def personal_data(request: HttpRequest) -> HttpResponse:
    """What the GDPR asks to tell; a person with a contact record gets the link to export it."""
    context = _legal_context(_("Personal data"))
    context["own_person"] = None
    if request.user.is_authenticated:
        context["own_person"] = Person.objects.filter(user=request.user, erased_on__isnull=True).first()  # type: ignore[misc]
    return render(request, "www/home/personal_data.html", context)
