"""The consultant's own footprint: the travel log with its totals, and eco-responsibility criteria.
ADEME reads; the programme's consultants write."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from sobrindustrie.accounts.access import Capability
from sobrindustrie.evaluation import travel
from sobrindustrie.evaluation.models import EcoCriterion, Trip
from sobrindustrie.evaluation.perms import can_manage_evaluations
from sobrindustrie.www.access import programme_for
from sobrindustrie.www.evaluation_views.common import (
    managed_criterion,
    managed_trip,
)
from sobrindustrie.www.evaluation_views.forms import EcoCriterionForm, TripForm

FORM = "www/evaluation/form.html"


def travel_log(request: HttpRequest, slug: str) -> HttpResponse:
    programme = programme_for(request, slug, Capability.OVERSEE_PROGRAMME)
    trips = Trip.objects.visible_to(request.user).for_programme(programme).select_related("meeting")  # type: ignore[arg-type]
    rows, summary = travel.summarise(trips)
    by_mode = [(travel.mode_label(t.key), t) for t in summary.by_mode]
    context = {
        "programme": programme,
        "rows": rows,
        "summary": summary,
        "by_mode": by_mode,
        "collective_percent": (
            None
            if summary.collective_share_of_distance is None
            else 100 * summary.collective_share_of_distance
        ),
        "can_manage": can_manage_evaluations(request.user, programme),  # type: ignore[arg-type]
        "page_title": _("Travel log of the service"),
    }
    return render(request, "www/evaluation/travel_log.html", context)


def trip_create(request: HttpRequest, slug: str) -> HttpResponse:
    programme = programme_for(request, slug, Capability.MANAGE_PROGRAMME)
    form = TripForm(request.POST or None, programme=programme)
    if request.method == "POST" and form.is_valid():
        trip = form.save(commit=False)
        trip.programme, trip.traveller = programme, request.user
        trip.save()
        messages.success(request, _("Trip recorded."))
        return redirect("www:travel_log", programme.slug)
    context = {
        "form": form,
        "programme": programme,
        "cancel_url": reverse("www:travel_log", args=[programme.slug]),
        "page_title": _("New trip"),
    }
    return render(request, FORM, context)


def trip_edit(request: HttpRequest, pk: int) -> HttpResponse:
    trip = managed_trip(request, pk)
    form = TripForm(request.POST or None, instance=trip, programme=trip.programme)
    if request.method == "POST" and form.save_if_valid():
        messages.success(request, _("Trip saved."))
        return redirect("www:travel_log", trip.programme.slug)
    context = {
        "form": form,
        "programme": trip.programme,
        "cancel_url": reverse("www:travel_log", args=[trip.programme.slug]),
        "page_title": _("Edit the trip"),
    }
    return render(request, FORM, context)


@require_POST
def trip_delete(request: HttpRequest, pk: int) -> HttpResponse:
    trip = managed_trip(request, pk)
    slug = trip.programme.slug
    trip.delete()
    messages.success(request, _("Trip deleted."))
    return redirect("www:travel_log", slug)


def eco_criteria(request: HttpRequest, slug: str) -> HttpResponse:
    programme = programme_for(request, slug, Capability.OVERSEE_PROGRAMME)
    criteria = EcoCriterion.objects.visible_to(request.user).for_programme(programme)  # type: ignore[arg-type]
    context = {
        "programme": programme,
        "criteria": criteria,
        "can_manage": can_manage_evaluations(request.user, programme),  # type: ignore[arg-type]
        "page_title": _("Eco-responsibility of the service"),
    }
    return render(request, "www/evaluation/eco_criteria.html", context)


def eco_criterion_create(request: HttpRequest, slug: str) -> HttpResponse:
    programme = programme_for(request, slug, Capability.MANAGE_PROGRAMME)
    form = EcoCriterionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        criterion = form.save(commit=False)
        criterion.programme = programme
        criterion.save()
        messages.success(request, _("Criterion recorded."))
        return redirect("www:eco_criteria", programme.slug)
    context = {
        "form": form,
        "programme": programme,
        "cancel_url": reverse("www:eco_criteria", args=[programme.slug]),
        "page_title": _("New eco-responsibility criterion"),
    }
    return render(request, FORM, context)


def eco_criterion_edit(request: HttpRequest, pk: int) -> HttpResponse:
    criterion = managed_criterion(request, pk)
    form = EcoCriterionForm(request.POST or None, instance=criterion)
    if request.method == "POST" and form.save_if_valid():
        messages.success(request, _("Criterion saved."))
        return redirect("www:eco_criteria", criterion.programme.slug)
    context = {
        "form": form,
        "programme": criterion.programme,
        "cancel_url": reverse("www:eco_criteria", args=[criterion.programme.slug]),
        "page_title": _("Edit the criterion"),
    }
    return render(request, FORM, context)
