from __future__ import annotations

from collections import Counter

from django.db.models import Count, Q, Sum
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext as _

from sobrindustrie.core.navigation import build_menu
from sobrindustrie.core.svgmap import MapPoint, project
from sobrindustrie.organisations.enums import OrganisationKind, PlannedAction
from sobrindustrie.organisations.models import Organisation, ProductionMeans
from sobrindustrie.programmes.models import Programme
from sobrindustrie.programmes.perms import can_see_programme_overview

DEPARTMENTS = {
    "04": "Alpes-de-Haute-Provence",
    "05": "Hautes-Alpes",
    "06": "Alpes-Maritimes",
    "13": "Bouches-du-Rhône",
    "83": "Var",
    "84": "Vaucluse",
}


def programme_list(request: HttpRequest) -> HttpResponse:
    programmes = Programme.objects.visible_to(request.user).annotate(  # type: ignore[arg-type]
        laureate_count=Count("organisations", filter=Q(organisations__kind=OrganisationKind.LAUREATE_SME))
    )
    return render(
        request, "www/programmes/list.html", {"programmes": programmes, "page_title": _("Programmes")}
    )


def programme_dashboard(request: HttpRequest, slug: str) -> HttpResponse:
    # Every member of the programme sees its overview: aggregate figures and where the laureates
    # are (the laureates of the call are public). Company pages stay restricted.
    programme = get_object_or_404(Programme.objects.visible_to(request.user), slug=slug)  # type: ignore[arg-type]
    organisations = Organisation.objects.for_programme(programme).active().select_related("commune")
    laureates = [org for org in organisations if org.is_laureate]
    means = ProductionMeans.objects.filter(organisation__programme=programme, organisation__is_archived=False)
    figures = means.aggregate(
        count=Count("pk"),
        energy=Sum("annual_consumption_kwh"),
        sharing=Sum("sharing_hours_per_week"),
        planned=Count("pk", filter=Q(planned_action=PlannedAction.PURCHASE)),
    )
    by_department = Counter(org.department_code for org in laureates)
    departments = [
        {"code": code, "name": name, "count": by_department.get(code, 0)}
        for code, name in DEPARTMENTS.items()
    ]
    other_departments = sum(count for code, count in by_department.items() if code not in DEPARTMENTS)
    map_points = [
        MapPoint(org.latitude, org.longitude, f"{org.name} ({org.city})")
        for org in laureates
        if org.latitude is not None and org.longitude is not None
    ]
    context = {
        "programme": programme,
        "page_title": programme.name,
        "laureate_count": len(laureates),
        "outside_count": len(organisations) - len(laureates),
        "figures": figures,
        "departments": departments,
        "other_departments": other_departments,
        "map": project(map_points),
        "laureates": laureates,
        "sections": build_menu(request),
        # SME members and partners see the overview, not the list of companies (a 404 for them).
        "can_list_organisations": can_see_programme_overview(request.user),  # type: ignore[arg-type]
    }
    return render(request, "www/programmes/dashboard.html", context)
