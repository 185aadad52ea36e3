"""Organisations, their inventory of production means, needs and offers, and GDPR requests."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.paginator import Paginator
from django.db import models
from django.db.models import Count, ProtectedError, Q, Sum
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from sobrindustrie.core.history import history_entries
from sobrindustrie.organisations.models import Need, Offer, Organisation, Person, ProductionMeans, Site
from sobrindustrie.organisations.perms import (
    can_create_organisation,
    can_edit_organisation,
    can_edit_sites_and_contacts,
    can_export_personal_data,
    can_manage_personal_data,
)
from sobrindustrie.organisations.services import erase_person, export_person_json
from sobrindustrie.programmes.models import Programme
from sobrindustrie.programmes.perms import can_see_programme_overview
from sobrindustrie.www.organisations_views import registry
from sobrindustrie.www.organisations_views.forms import (
    NeedForm,
    OfferForm,
    OrganisationFilterForm,
    OrganisationForm,
    PersonForm,
    ProductionMeansForm,
    SiteForm,
)

# Lists are paged so that a programme of hundreds of organisations, or an inventory of hundreds of
# machines, stays a light page (tests/e2e/test_large_pages.py checks it on a large dataset). The
# inventory's pages are shorter: its inline form (a category list of about a hundred options) is
# on every page.
ORGANISATIONS_PER_PAGE = 25
MEANS_PER_PAGE = 15


def _other_parameters(request: HttpRequest) -> str:
    """The query string without `page`, ready to prefix a page number (`kind=sme&`), for the links of
    www/includes/pagination.html."""
    query = request.GET.copy()
    query.pop("page", None)
    return f"{query.urlencode()}&" if query else ""


def _visible_organisation(request: HttpRequest, pk: int) -> Organisation:
    queryset = Organisation.objects.visible_to(request.user).select_related("programme", "commune")  # type: ignore[arg-type]
    return get_object_or_404(queryset, pk=pk)


def _editable_organisation(request: HttpRequest, pk: int) -> Organisation:
    organisation = _visible_organisation(request, pk)
    if not can_edit_organisation(request.user, organisation):  # type: ignore[arg-type]
        raise Http404
    return organisation


def organisation_list(request: HttpRequest, slug: str) -> HttpResponse:
    programme = get_object_or_404(Programme.objects.visible_to(request.user), slug=slug)  # type: ignore[arg-type]
    if not can_see_programme_overview(request.user):  # type: ignore[arg-type]
        raise Http404
    filters = OrganisationFilterForm(request.GET or None)
    organisations = (
        Organisation.objects.visible_to(request.user)  # type: ignore[arg-type]
        .for_programme(programme)
        .active()
        .select_related("commune")
        .annotate(means_count=Count("production_means", distinct=True))
        .order_by("kind", "name", "pk")
    )
    if filters.is_valid():
        data = filters.cleaned_data
        if data["kind"]:
            organisations = organisations.filter(kind=data["kind"])
        if data["department"]:
            organisations = organisations.filter(commune__department_code=data["department"])
        if data["q"]:
            organisations = organisations.filter(
                Q(name__icontains=data["q"]) | Q(description__icontains=data["q"])
            )
    page = Paginator(organisations, ORGANISATIONS_PER_PAGE).get_page(request.GET.get("page"))
    context = {
        "programme": programme,
        "organisations": page.object_list,
        "page": page,
        "query": _other_parameters(request),
        "filters": filters,
        "can_create": can_create_organisation(request.user),  # type: ignore[arg-type]
        "page_title": _("Organisations"),
    }
    template = "www/organisations/list.html#results" if request.htmx else "www/organisations/list.html"  # type: ignore[attr-defined]
    return render(request, template, context)


def organisation_create(request: HttpRequest, slug: str) -> HttpResponse:
    programme = get_object_or_404(Programme.objects.visible_to(request.user), slug=slug)  # type: ignore[arg-type]
    if not can_create_organisation(request.user):  # type: ignore[arg-type]
        raise Http404
    context = {"programme": programme, "page_title": _("New organisation")}
    instance = Organisation(programme=programme)
    if request.method == "POST" and registry.is_registry_step(request.POST):
        return _registry_step(request, instance, context)
    form = OrganisationForm(request.POST or None, instance=instance, user=request.user)
    if request.method == "POST" and form.save_if_valid():
        messages.success(request, _("Organisation created."))
        return redirect(form.instance)
    return _form_page(request, form, context)


def _form_page(
    request: HttpRequest,
    form: OrganisationForm,
    context: dict[str, Any],
    step: registry.RegistryStep | None = None,
) -> HttpResponse:
    """The organisation form; with the company registry's step when one ran. Only operators who
    create organisations get the registry search (see `url_access`: MANAGE_PEOPLE)."""
    proposals = step.proposals if step else {}
    context = {
        **context,
        "form": form,
        "rows": [(bound, proposals.get(bound.name)) for bound in form if not bound.is_hidden],
        "registry": step,
        "registry_query": step.query if step else "",
        "can_search_registry": can_create_organisation(request.user),  # type: ignore[arg-type]
    }
    template = "www/organisations/form.html"
    if step is not None and request.htmx:  # type: ignore[attr-defined]
        template += "#organisation-form"
    return render(request, template, context)


def _registry_step(request: HttpRequest, instance: Organisation, context: dict[str, Any]) -> HttpResponse:
    """Search the company registry or apply a picked company; nothing is saved."""
    if not can_create_organisation(request.user):  # type: ignore[arg-type]
        raise Http404
    blank = OrganisationForm(instance=instance, user=request.user)
    step = registry.run_step(request.POST, blank)
    form = OrganisationForm(initial=step.initial, instance=instance, user=request.user)
    return _form_page(request, form, context, step)


def organisation_detail(request: HttpRequest, pk: int) -> HttpResponse:
    organisation = _visible_organisation(request, pk)
    means = organisation.production_means.aggregate(
        count=Count("pk"), energy=Sum("annual_consumption_kwh"), sharing=Sum("sharing_hours_per_week")
    )
    context = {
        "organisation": organisation,
        "sites": organisation.sites.select_related("commune"),
        "people": organisation.people.select_related("user").filter(erased_on__isnull=True),
        "means": means,
        "can_edit": can_edit_organisation(request.user, organisation),  # type: ignore[arg-type]
        "can_edit_contacts": can_edit_sites_and_contacts(request.user, organisation),  # type: ignore[arg-type]
        "can_see_programme": can_see_programme_overview(request.user),  # type: ignore[arg-type]
        "history": history_entries(organisation),
        "page_title": organisation.name,
        **_exchange_context(organisation, request.GET.get("ajouter", "")),
    }
    return render(request, "www/organisations/detail.html", context)


def organisation_edit(request: HttpRequest, pk: int) -> HttpResponse:
    organisation = _editable_organisation(request, pk)
    context = {
        "organisation": organisation,
        "programme": organisation.programme,
        "page_title": _("Edit %s") % organisation.name,
    }
    if request.method == "POST" and registry.is_registry_step(request.POST):
        return _registry_step(request, organisation, context)
    form = OrganisationForm(request.POST or None, instance=organisation, user=request.user)
    if request.method == "POST" and form.save_if_valid():
        messages.success(request, _("Changes saved."))
        return redirect(organisation)
    return _form_page(request, form, context)


# --- Needs and offers (inline, HTMX) --------------------------------------------------------------

EXCHANGES: dict[str, tuple[type[models.Model], type[NeedForm] | type[OfferForm]]] = {
    "needs": (Need, NeedForm),
    "offers": (Offer, OfferForm),
}


#: `?ajouter=besoin` (or `offre`) opens that form on the organisation page.
EXCHANGE_OPENERS = {"besoin": "needs", "offre": "offers"}


def _exchange_context(organisation: Organisation, opened: str = "", **forms: Any) -> dict[str, Any]:
    """The needs and offers, and the form to add one of each kind. A form lists about ninety
    categories: it opens on demand (`opened`: a link, or HTMX in place) or when it comes back
    refused, instead of weighing on every view of the page (issue #19)."""
    open_forms = {kind: form for kind, form in forms.items() if form is not None}
    kind = EXCHANGE_OPENERS.get(opened)
    if kind and kind not in open_forms:
        _model, form_class = EXCHANGES[kind]
        open_forms[kind] = form_class(organisation=organisation, prefix=kind)
    return {
        "needs": organisation.needs.all(),
        "offers": organisation.offers.all(),
        "need_form": open_forms.get("needs"),
        "offer_form": open_forms.get("offers"),
    }


def exchange_add(request: HttpRequest, pk: int, kind: str) -> HttpResponse:
    organisation = _editable_organisation(request, pk)
    if kind not in EXCHANGES or request.method != "POST":
        raise Http404
    _, form_class = EXCHANGES[kind]
    form = form_class(request.POST, organisation=organisation, prefix=kind)
    saved = form.save_if_valid()
    if not request.htmx:  # type: ignore[attr-defined]
        if saved:
            messages.success(request, _("Added."))
        else:
            # Without HTMX the form is not redisplayed: name each field by its label in the message.
            labels = {name: str(field.label) for name, field in form.fields.items()}
            messages.error(
                request,
                "; ".join(f"{labels.get(k, _('Form'))} : {' '.join(v)}" for k, v in form.errors.items()),
            )
        return redirect(organisation)
    forms = {} if saved else {kind: form}
    context = {"organisation": organisation, "can_edit": True, **_exchange_context(organisation, **forms)}
    return render(request, "www/organisations/detail.html#exchanges", context)


@require_POST
def exchange_delete(request: HttpRequest, pk: int, kind: str, item_pk: int) -> HttpResponse:
    organisation = _editable_organisation(request, pk)
    if kind not in EXCHANGES:
        raise Http404
    model, _form = EXCHANGES[kind]
    item = get_object_or_404(model.objects.filter(organisation=organisation), pk=item_pk)  # type: ignore[attr-defined]
    item.delete()
    if not request.htmx:  # type: ignore[attr-defined]
        messages.success(request, _("Deleted."))
        return redirect(organisation)
    context = {"organisation": organisation, "can_edit": True, **_exchange_context(organisation)}
    return render(request, "www/organisations/detail.html#exchanges", context)


# --- Production means ---------------------------------------------------------------------------


def inventory(request: HttpRequest, pk: int) -> HttpResponse:
    """An organisation's production means, with an inline form to add one."""
    organisation = _visible_organisation(request, pk)
    can_edit = can_edit_organisation(request.user, organisation)  # type: ignore[arg-type]
    form = None
    if can_edit:
        form = ProductionMeansForm(request.POST or None, organisation=organisation, prefix="new")
        if request.method == "POST" and form.save_if_valid():
            messages.success(request, _("“%s” added to the inventory.") % form.instance.name)
            if not request.htmx:  # type: ignore[attr-defined]
                return redirect("www:inventory", pk=organisation.pk)
            form = ProductionMeansForm(organisation=organisation, prefix="new")
    elif request.method == "POST":
        raise Http404
    means = organisation.production_means.select_related("site").order_by("category", "name", "pk")
    page = Paginator(means, MEANS_PER_PAGE).get_page(request.GET.get("page"))
    context = {
        "organisation": organisation,
        "means": page.object_list,
        "page": page,
        "query": _other_parameters(request),
        "totals": means.aggregate(energy=Sum("annual_consumption_kwh"), power=Sum("rated_power_kw")),
        "form": form,
        "can_edit": can_edit,
        "page_title": _("Production means of %s") % organisation.name,
    }
    template = "www/inventory/list.html#inventory" if request.htmx else "www/inventory/list.html"  # type: ignore[attr-defined]
    return render(request, template, context)


def _visible_means(request: HttpRequest, pk: int) -> ProductionMeans:
    queryset = ProductionMeans.objects.visible_to(request.user).select_related(  # type: ignore[arg-type]
        "organisation__programme", "site__commune"
    )
    return get_object_or_404(queryset, pk=pk)


def production_means_detail(request: HttpRequest, pk: int) -> HttpResponse:
    means = _visible_means(request, pk)
    context = {
        "means": means,
        "organisation": means.organisation,
        "can_edit": can_edit_organisation(request.user, means.organisation),  # type: ignore[arg-type]
        "history": history_entries(means),
        "page_title": means.name,
    }
    return render(request, "www/inventory/detail.html", context)


def production_means_edit(request: HttpRequest, pk: int) -> HttpResponse:
    means = _visible_means(request, pk)
    if not can_edit_organisation(request.user, means.organisation):  # type: ignore[arg-type]
        raise Http404
    form = ProductionMeansForm(request.POST or None, instance=means, organisation=means.organisation)
    if request.method == "POST" and form.save_if_valid():
        messages.success(request, _("Changes saved."))
        return redirect(means)
    context = {"form": form, "means": means, "organisation": means.organisation}
    return render(request, "www/inventory/form.html", {**context, "page_title": _("Edit %s") % means.name})


@require_POST
def production_means_delete(request: HttpRequest, pk: int) -> HttpResponse:
    means = _visible_means(request, pk)
    organisation = means.organisation
    if not can_edit_organisation(request.user, organisation):  # type: ignore[arg-type]
        raise Http404
    try:
        means.delete()
    except ProtectedError:
        messages.error(
            request,
            _("“%s” is referred to elsewhere (diagnostic, opportunity…) and cannot be deleted.") % means,
        )
        return redirect(means)
    messages.success(request, _("“%s” deleted; its history is kept.") % means.name)
    return redirect("www:inventory", pk=organisation.pk)


# --- Sites and contact people -------------------------------------------------------------------


def _contacts_editable_organisation(request: HttpRequest, pk: int) -> Organisation:
    organisation = _visible_organisation(request, pk)
    if not can_edit_sites_and_contacts(request.user, organisation):  # type: ignore[arg-type]
        raise Http404
    return organisation


def _owned_form_page(
    request: HttpRequest, organisation: Organisation, form: SiteForm | PersonForm, title: str, saved: str
) -> HttpResponse:
    if request.method == "POST" and form.save_if_valid():
        messages.success(request, saved)
        return redirect(organisation)
    context = {"form": form, "organisation": organisation, "page_title": title}
    return render(request, "www/organisations/owned_form.html", context)


def site_create(request: HttpRequest, pk: int) -> HttpResponse:
    organisation = _contacts_editable_organisation(request, pk)
    form = SiteForm(request.POST or None, organisation=organisation)
    return _owned_form_page(request, organisation, form, _("New site"), _("Site added."))


def site_edit(request: HttpRequest, pk: int) -> HttpResponse:
    site = get_object_or_404(
        Site.objects.filter(organisation__in=Organisation.objects.visible_to(request.user)),
        pk=pk,  # type: ignore[arg-type]
    )
    organisation = _contacts_editable_organisation(request, site.organisation_id)
    form = SiteForm(request.POST or None, instance=site, organisation=organisation)
    return _owned_form_page(request, organisation, form, _("Edit %s") % site.name, _("Changes saved."))


def person_create(request: HttpRequest, pk: int) -> HttpResponse:
    organisation = _contacts_editable_organisation(request, pk)
    form = PersonForm(request.POST or None, organisation=organisation)
    return _owned_form_page(request, organisation, form, _("New contact"), _("Contact added."))


def person_edit(request: HttpRequest, pk: int) -> HttpResponse:
    person = _visible_person(request, pk)
    if person.erased_on is not None:
        raise Http404
    organisation = _contacts_editable_organisation(request, person.organisation_id)
    form = PersonForm(request.POST or None, instance=person, organisation=organisation)
    return _owned_form_page(request, organisation, form, _("Edit %s") % person, _("Changes saved."))


# --- People: GDPR ------------------------------------------------------------------------------


def _visible_person(request: HttpRequest, pk: int) -> Person:
    return get_object_or_404(
        Person.objects.visible_to(request.user).select_related("organisation__programme", "user"),  # type: ignore[arg-type]
        pk=pk,
    )


def person_export(request: HttpRequest, pk: int) -> HttpResponse:
    person = _visible_person(request, pk)
    if not can_export_personal_data(request.user, person):  # type: ignore[arg-type]
        raise Http404
    response = HttpResponse(export_person_json(person), content_type="application/json; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="personal-data-{person.pk}.json"'
    return response


def person_erase(request: HttpRequest, pk: int) -> HttpResponse:
    person = _visible_person(request, pk)
    if not can_manage_personal_data(request.user, person):  # type: ignore[arg-type]
        raise Http404
    if request.method == "POST":
        organisation = person.organisation
        erase_person(person)
        messages.success(request, _("The person's personal data has been erased."))
        return redirect(organisation)
    return render(
        request,
        "www/organisations/person_erase.html",
        {"person": person, "organisation": person.organisation, "page_title": _("Erase personal data")},
    )
