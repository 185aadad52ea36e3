"""Funding (Axe 3): catalogue, eligibility, matching and shortlists, applications, grids, syntheses."""

from __future__ import annotations

from typing import Any
from urllib.parse import parse_qsl

import yaml
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, OuterRef, Prefetch, Q, QuerySet, Subquery, Sum
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from sobrindustrie.accounts.access import Capability
from sobrindustrie.actionplans.models import Action
from sobrindustrie.core.history import history_entries
from sobrindustrie.core.uploads import serve_stored
from sobrindustrie.deliverables.document.docx import render_docx
from sobrindustrie.deliverables.document.html import render_fragment, render_pdf
from sobrindustrie.funding import workflow
from sobrindustrie.funding.aides_territoires import AidesTerritoiresClient, AidesTerritoiresError, read_aids
from sobrindustrie.funding.deadlines import notify_closing_schemes
from sobrindustrie.funding.eligibility import evaluate
from sobrindustrie.funding.enums import OBTAINED_STATUSES, SchemeSource
from sobrindustrie.funding.exports import (
    DOCX_TYPE,
    XLSX_TYPE,
    grid_xlsx,
    interviews_document,
    synthesis_context,
)
from sobrindustrie.funding.importer import current_interface, fingerprint
from sobrindustrie.funding.matching import rank
from sobrindustrie.funding.models import (
    ApplicationDocument,
    CatalogueImport,
    FundingApplication,
    FundingProfile,
    FundingScheme,
    Shortlist,
)
from sobrindustrie.funding.perms import (
    DETAIL_FIELDS,
    can_edit_catalogue,
    can_edit_funding_profile,
    can_manage_funding,
    can_oversee_funding,
    can_see_eligibility,
    can_see_funding_details,
    withhold_details,
)
from sobrindustrie.funding.refresh import RefreshPlan, RefreshRefused, apply_refresh, plan_refresh
from sobrindustrie.funding.rendering import extra_details
from sobrindustrie.funding.services import (
    add_document,
    add_to_shortlist,
    apply_transition,
    create_application,
    organisations_concerned,
    record_days,
    remove_from_shortlist,
)
from sobrindustrie.funding.synthesis import (
    actions_needing_funding,
    application_grid,
    funder_interviews,
    grid_rows,
    with_days,
)
from sobrindustrie.meetings.enums import MeetingKind
from sobrindustrie.meetings.models import Meeting
from sobrindustrie.meetings.perms import can_read_minutes
from sobrindustrie.organisations.models import Organisation
from sobrindustrie.programmes.models import Programme
from sobrindustrie.teams.models import ProjectTeam
from sobrindustrie.www.access import programme_for
from sobrindustrie.www.funding_views.forms import (
    ApplicationForm,
    DaysForm,
    DocumentForm,
    FundingProfileForm,
    SchemeFilterForm,
    SchemeForm,
    ShortlistForm,
    transition_form,
)

#: Fields of a scheme holding the source's structures (JSON), never printed raw on a page.
SOURCE_STRUCTURES = frozenset({"extra", "publicodes_rules", "eligibility_conditions", "steps"})

# --- Fetching ------------------------------------------------------------------------------------


def _overseen_action(request: HttpRequest, pk: int) -> Action:
    queryset = Action.objects.visible_to(request.user).select_related(  # type: ignore[arg-type]
        "plan__team__programme", "lead_organisation"
    )
    action = get_object_or_404(queryset, pk=pk)
    if not can_oversee_funding(request.user, action.plan.team.programme):  # type: ignore[arg-type]
        raise Http404
    return action


def _managed_action(request: HttpRequest, pk: int) -> Action:
    action = _overseen_action(request, pk)
    if not can_manage_funding(request.user, action.plan.team.programme):  # type: ignore[arg-type]
        raise Http404
    return action


def _visible_application(request: HttpRequest, pk: int) -> FundingApplication:
    queryset = FundingApplication.objects.visible_to(request.user).select_related(  # type: ignore[arg-type]
        "action__plan__team__programme", "action__lead_organisation", "organisation", "scheme"
    )
    return get_object_or_404(queryset, pk=pk)


def _managed_application(request: HttpRequest, pk: int) -> FundingApplication:
    application = _visible_application(request, pk)
    if not can_manage_funding(request.user, application.action.plan.team.programme):  # type: ignore[arg-type]
        raise Http404
    return application


def _add_errors(form: Any, error: ValidationError) -> None:
    """Put a refusal on the form: on the field it names, else at the top."""
    if hasattr(error, "error_dict"):
        for name, errors in error.message_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, error.messages)


# --- Overview of the programme's funding needs ----------------------------------------------------


def funding_needs(request: HttpRequest, slug: str) -> HttpResponse:
    """The actions that need funding, with their shortlists and applications (ADEME, consultants)."""
    programme = programme_for(request, slug, Capability.OVERSEE_PROGRAMME)
    obtained = (
        FundingApplication.objects.filter(action=OuterRef("pk"), status__in=OBTAINED_STATUSES)
        .order_by()
        .values("action")
        .annotate(total=Sum("amount_granted_eur"))
        .values("total")
    )
    # Counts are distinct and the sum a subquery: joining both relations would multiply the rows.
    actions = actions_needing_funding(programme).annotate(
        shortlisted=Count("funding_shortlist", distinct=True),
        application_count=Count("funding_applications", distinct=True),
        obtained=Subquery(obtained),
    )
    context = {
        "programme": programme,
        "actions": actions,
        "interface": current_interface(),
        "last_import": CatalogueImport.objects.first(),
        "can_manage": can_manage_funding(request.user, programme),  # type: ignore[arg-type]
        "page_title": _("Funding of the action plans"),
    }
    return render(request, "www/funding/needs.html", context)


# --- Catalogue -----------------------------------------------------------------------------------


def scheme_list(request: HttpRequest, slug: str) -> HttpResponse:
    programme = programme_for(request, slug)
    filters = SchemeFilterForm(request.GET or None)
    schemes = FundingScheme.objects.visible_to(request.user).order_by("title")  # type: ignore[arg-type]
    scope = "default"
    if filters.is_valid():
        data = filters.cleaned_data
        scope = data["scope"] or "default"
        if data["nature"]:
            schemes = schemes.filter(nature=data["nature"])
        if data["q"]:
            schemes = schemes.filter(
                Q(title__icontains=data["q"])
                | Q(promise__icontains=data["q"])
                | Q(contact_operator__icontains=data["q"])
            )
    if scope == "default":
        schemes = schemes.default_catalogue()
    context = {
        "programme": programme,
        "schemes": schemes.only(
            "pk",
            "title",
            "promise",
            "nature",
            "contact_operator",
            "funders",
            "valid_until",
            "withdrawn_on",
            "source",
            "funding_amount_text",
            "loan_amount_text",
            "tax_advantage_text",
            "support_cost_text",
        ),  # fmt: skip
        "filters": filters,
        "scope": scope,
        "today": timezone.localdate(),
        "can_edit": can_edit_catalogue(request.user, programme),  # type: ignore[arg-type]
        "page_title": _("Funding schemes"),
    }
    template = "www/funding/scheme_list.html#results" if request.htmx else "www/funding/scheme_list.html"  # type: ignore[attr-defined]
    return render(request, template, context)


def scheme_detail(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    programme = programme_for(request, slug)
    scheme = get_object_or_404(FundingScheme.objects.visible_to(request.user), pk=pk)  # type: ignore[arg-type]
    today = timezone.localdate()
    context = {
        "programme": programme,
        "scheme": scheme,
        "extra": extra_details(scheme.extra, scheme.source),
        "conditions": [
            (key, values if isinstance(values, list) else [values])
            for key, values in scheme.eligibility_conditions.items()
        ],
        "expired": scheme.is_expired(today),
        "rules": yaml.safe_dump(scheme.publicodes_rules, allow_unicode=True, sort_keys=False, width=100),
        "deadlines": scheme.deadline_dates(),
        "can_edit": can_edit_catalogue(request.user, programme),  # type: ignore[arg-type]
        # Structured source fields would print as raw JSON: their changes show in the refresh report.
        "history": history_entries(scheme, withheld=SOURCE_STRUCTURES),
        "page_title": scheme.title,
    }
    return render(request, "www/funding/scheme_detail.html", context)


def scheme_form(request: HttpRequest, slug: str, pk: int | None = None) -> HttpResponse:
    programme = programme_for(request, slug)
    if not can_edit_catalogue(request.user, programme):  # type: ignore[arg-type]
        raise Http404
    scheme = get_object_or_404(FundingScheme, pk=pk) if pk else None
    form = SchemeForm(request.POST or None, instance=scheme)
    if request.method == "POST" and form.save_if_valid():
        messages.success(request, _("Scheme saved."))
        return redirect("www:funding_scheme_detail", slug=programme.slug, pk=form.instance.pk)
    title = _("Edit %(title)s") % {"title": scheme.title} if scheme else _("New curated scheme")
    context = {"programme": programme, "form": form, "scheme": scheme, "page_title": title}
    return render(request, "www/funding/scheme_form.html", context)


def _aides_territoires_plan() -> RefreshPlan:
    client = AidesTerritoiresClient(settings.AIDES_TERRITOIRES_TOKEN, settings.AIDES_TERRITOIRES_URL)
    aids = list(client.aids(dict(parse_qsl(settings.AIDES_TERRITOIRES_QUERY))))
    return plan_refresh(
        SchemeSource.AIDES_TERRITOIRES, read_aids(aids), "aides-territoires", timezone.localdate()
    )


def _plan_fingerprint(plan: RefreshPlan) -> str:
    values = {slug: plan.incoming[slug].values for slug in [*plan.new, *plan.changed]}
    return fingerprint({"changes": plan.changes(), "values": values})


def catalogue_refresh(request: HttpRequest, slug: str) -> HttpResponse:
    """Aides-territoires' calls: show the difference, then apply it when the same difference is confirmed."""
    programme = programme_for(request, slug)
    if not can_edit_catalogue(request.user, programme):  # type: ignore[arg-type]
        raise Http404
    context: dict[str, Any] = {"programme": programme, "page_title": _("Refresh the regional calls")}
    if request.method == "POST":
        try:
            plan = _aides_territoires_plan()
        except AidesTerritoiresError as error:
            context["errors"] = [_("Aides-territoires: %(error)s. Nothing was changed.") % {"error": error}]
        except RefreshRefused as error:
            context["errors"] = [item.line() for item in error.broken]
        else:
            key = _plan_fingerprint(plan)
            if request.POST.get("apply") and request.POST.get("plan") == key:
                if plan.has_changes:
                    apply_refresh(plan)
                notify_closing_schemes(plan.today)
                messages.success(request, _("The regional calls of the catalogue are up to date."))
                return redirect("www:funding_scheme_list", slug=programme.slug)
            if request.POST.get("apply"):
                context["changed_since"] = True
            titles = {slug: entry.values["title"] for slug, entry in plan.incoming.items()}
            titles.update(FundingScheme.objects.filter(slug__in=plan.withdrawn).values_list("slug", "title"))
            context.update(
                plan=plan,
                plan_key=key,
                new_rows=[titles[slug] for slug in plan.new],
                changed_rows=[(titles[slug], ", ".join(fields)) for slug, fields in plan.changed.items()],
                withdrawn_rows=[titles.get(slug, slug) for slug in plan.withdrawn],
            )
    return render(request, "www/funding/catalogue_refresh.html", context)


# --- Eligibility ---------------------------------------------------------------------------------


def organisation_eligibility(request: HttpRequest, pk: int) -> HttpResponse:
    """The catalogue for one organisation: eligible and undetermined schemes, then the others."""
    queryset = Organisation.objects.visible_to(request.user).select_related(  # type: ignore[arg-type]
        "programme", "funding_profile"
    )
    organisation = get_object_or_404(queryset, pk=pk)
    if not can_see_eligibility(request.user, organisation):  # type: ignore[arg-type]
        raise Http404
    can_edit_profile = can_edit_funding_profile(request.user, organisation)  # type: ignore[arg-type]
    profile_form = None
    if can_edit_profile:
        profile = FundingProfile.objects.filter(organisation=organisation).first() or FundingProfile(
            organisation=organisation
        )
        profile_form = FundingProfileForm(request.POST or None, instance=profile, prefix="profile")
        if request.method == "POST" and profile_form.save_if_valid():
            messages.success(request, _("Funding profile saved."))
            return redirect("www:organisation_eligibility", pk=organisation.pk)
    elif request.method == "POST":
        raise Http404
    scope = request.GET.get("scope", "default")
    today = timezone.localdate()
    # Expired and withdrawn schemes stay in the catalogue for history, out of eligibility.
    schemes = FundingScheme.objects.in_force(today).order_by("title")
    if scope != "all":
        schemes = schemes.default_catalogue()
    schemes_list = list(schemes)
    eligibility = evaluate([organisation], schemes_list, today)[organisation.pk]
    rows = [(scheme, eligibility.results[scheme.pk]) for scheme in schemes_list]
    context = {
        "organisation": organisation,
        "programme": organisation.programme,
        "facts": eligibility.facts,
        "eligible": [row for row in rows if row[1].result is True],
        "undetermined": [row for row in rows if row[1].result is None],
        "not_eligible": [row for row in rows if row[1].result is False],
        "scope": scope,
        "today": today,
        "profile_form": profile_form,
        "can_see_programme": can_oversee_funding(request.user, organisation.programme),  # type: ignore[arg-type]
        "page_title": _("Funding eligibility of %(name)s") % {"name": organisation.name},
    }
    return render(request, "www/funding/eligibility.html", context)


# --- Matching and shortlist ----------------------------------------------------------------------


def action_funding(
    request: HttpRequest, pk: int, shortlist_form: ShortlistForm | None = None
) -> HttpResponse:
    """The schemes ranked for an action, its shortlist and its applications."""
    action = _overseen_action(request, pk)
    programme = action.plan.team.programme
    today = timezone.localdate()
    organisations = organisations_concerned(action)
    scope = request.GET.get("scope", "default")
    # Expired and withdrawn schemes stay in the catalogue for history, out of matching.
    schemes = FundingScheme.objects.in_force(today).order_by("title")
    if scope != "all":
        schemes = schemes.filter(Q(selection_reason__gt="") | Q(shortlists__action=action)).distinct()
    schemes_list = list(schemes)
    eligibility = evaluate(organisations, schemes_list, today)
    shortlist = list(action.funding_shortlist.select_related("scheme", "added_by"))
    matching = rank(
        action,
        schemes_list,
        [eligibility[o.pk] for o in organisations],
        today,
        frozenset(item.scheme_id for item in shortlist),
    )
    applications = with_days(FundingApplication.objects.filter(action=action)).order_by("pk")
    context = {
        "action": action,
        "team": action.plan.team,
        "programme": programme,
        "matching": matching,
        "organisations": organisations,
        "shortlist": shortlist,
        "rows": grid_rows(applications),
        "scope": scope,
        "needs_funding": bool(action.funding_need_eur),
        "can_manage": can_manage_funding(request.user, programme),  # type: ignore[arg-type]
        "shortlist_form": shortlist_form,
        "page_title": _("Funding of “%(title)s”") % {"title": action.title},
    }
    return render(request, "www/funding/action_funding.html", context)


@require_POST
def shortlist_add(request: HttpRequest, pk: int) -> HttpResponse:
    action = _managed_action(request, pk)
    form = ShortlistForm(request.POST)
    if not form.is_valid():
        response = action_funding(request, pk, shortlist_form=form)
        response.status_code = 400
        return response
    add_to_shortlist(action, form.cleaned_data["scheme"], request.user, form.cleaned_data["note"])  # type: ignore[arg-type]
    messages.success(request, _("“%(title)s” shortlisted.") % {"title": form.cleaned_data["scheme"].title})
    return redirect(reverse("www:action_funding", args=[action.pk]) + "#shortlist")


@require_POST
def shortlist_remove(request: HttpRequest, pk: int) -> HttpResponse:
    shortlist = get_object_or_404(
        Shortlist.objects.visible_to(request.user).select_related("action__plan__team__programme"),
        pk=pk,  # type: ignore[arg-type]
    )
    if not can_manage_funding(request.user, shortlist.action.plan.team.programme):  # type: ignore[arg-type]
        raise Http404
    action_pk = shortlist.action_id
    remove_from_shortlist(shortlist)
    messages.success(request, _("Removed from the shortlist."))
    return redirect(reverse("www:action_funding", args=[action_pk]) + "#shortlist")


# --- Applications --------------------------------------------------------------------------------


def application_create(request: HttpRequest, pk: int) -> HttpResponse:
    action = _managed_action(request, pk)
    organisations = organisations_concerned(action)
    initial = {"organisation": action.lead_organisation_id, "amount_requested_eur": action.funding_need_eur}
    if scheme_pk := request.GET.get("scheme"):
        initial["scheme"] = scheme_pk
    form = ApplicationForm(
        request.POST or None,
        instance=FundingApplication(action=action),
        organisations=organisations,
        initial=initial,
    )
    if request.method == "POST" and form.is_valid():
        try:
            application = create_application(form.save(commit=False), request.user)  # type: ignore[arg-type]
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, _("Application recorded."))
            return redirect(application)
    context = {
        "action": action,
        "team": action.plan.team,
        "form": form,
        "page_title": _("New funding application for “%(title)s”") % {"title": action.title},
    }
    return render(request, "www/funding/application_form.html", context)


def _application_context(
    request: HttpRequest, application: FundingApplication, **forms: Any
) -> dict[str, Any]:
    programme = application.action.plan.team.programme
    can_manage = can_manage_funding(request.user, programme)  # type: ignore[arg-type]
    row = grid_rows(with_days(FundingApplication.objects.filter(pk=application.pk)))[0]
    withhold_details(request.user, [application, row.application])  # type: ignore[arg-type]
    details = not getattr(application, "details_withheld", False)
    transitions = []
    if can_manage:
        for transition in workflow.available(application.status):
            form = forms.get(f"transition_{transition.name}") or transition_form(transition, application)
            transitions.append((transition, form))
    return {
        "application": application,
        "action": application.action,
        "team": application.action.plan.team,
        "programme": programme,
        "row": row,
        "log": application.log.select_related("user"),
        "documents": application.documents.all() if details else [],
        "details_withheld": not details,
        "time_entries": application.time_entries.select_related("consultant").order_by("date", "pk"),
        "transitions": transitions,
        "document_form": forms.get("document") or (DocumentForm(prefix="document") if can_manage else None),
        "days_form": forms.get("days") or (DaysForm(prefix="days") if can_manage else None),
        "can_manage": can_manage,
        "history": history_entries(application, withheld=() if details else DETAIL_FIELDS),
        "page_title": str(application),
    }


def application_detail(request: HttpRequest, pk: int) -> HttpResponse:
    application = _visible_application(request, pk)
    return render(request, "www/funding/application_detail.html", _application_context(request, application))


def application_edit(request: HttpRequest, pk: int) -> HttpResponse:
    application = _managed_application(request, pk)
    form = ApplicationForm(
        request.POST or None, instance=application, organisations=organisations_concerned(application.action)
    )
    if request.method == "POST" and form.save_if_valid():
        messages.success(request, _("Changes saved."))
        return redirect(application)
    context = {
        "action": application.action,
        "team": application.action.plan.team,
        "application": application,
        "form": form,
        "page_title": _("Edit %(title)s") % {"title": application},
    }
    return render(request, "www/funding/application_form.html", context)


@require_POST
def application_transition(request: HttpRequest, pk: int, name: str) -> HttpResponse:
    application = _managed_application(request, pk)
    try:
        transition = workflow.check(application.status, name)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect(application)
    form = transition_form(transition, application, request.POST)
    if form.is_valid():
        values = {k: v for k, v in form.cleaned_data.items() if k in transition.fields}
        try:
            apply_transition(application, name, request.user, values, form.cleaned_data["comment"])  # type: ignore[arg-type]
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(
                request, _("Status now: %(status)s.") % {"status": application.get_status_display()}
            )
            return redirect(application)
    context = _application_context(request, application, **{f"transition_{name}": form})
    context["open_transition"] = name
    return render(request, "www/funding/application_detail.html", context, status=400)


@require_POST
def document_add(request: HttpRequest, pk: int) -> HttpResponse:
    application = _managed_application(request, pk)
    form = DocumentForm(request.POST, request.FILES, prefix="document")
    if not form.is_valid():
        context = _application_context(request, application, document=form)
        return render(request, "www/funding/application_detail.html", context, status=400)
    data = form.cleaned_data
    document = add_document(application, request.user, data["title"], data["file"])  # type: ignore[arg-type]
    messages.success(request, _("Document “%(title)s” added.") % {"title": document.title})
    return redirect(reverse("www:funding_application_detail", args=[application.pk]) + "#documents")


def document_download(request: HttpRequest, pk: int, document_pk: int) -> FileResponse:
    application = _visible_application(request, pk)
    if not can_see_funding_details(request.user, application):  # type: ignore[arg-type]
        raise Http404
    document = get_object_or_404(ApplicationDocument.objects.filter(application=application), pk=document_pk)
    return serve_stored(document.file, document.filename)


@require_POST
def days_add(request: HttpRequest, pk: int) -> HttpResponse:
    application = _managed_application(request, pk)
    form = DaysForm(request.POST, prefix="days")
    if form.is_valid():
        data = form.cleaned_data
        try:
            record_days(application, request.user, data["date"], data["days"], data["description"])  # type: ignore[arg-type]
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, _("%(days)s days recorded.") % {"days": data["days"]})
            return redirect(reverse("www:funding_application_detail", args=[application.pk]) + "#days")
    context = _application_context(request, application, days=form)
    return render(request, "www/funding/application_detail.html", context, status=400)


# --- Grids (L3.2) --------------------------------------------------------------------------------


def _grid(request: HttpRequest, applications: QuerySet[FundingApplication]) -> list[Any]:
    # The page counts each application's documents; the rows and their order are the area's.
    documents = Prefetch("documents", queryset=ApplicationDocument.objects.only("pk", "application_id"))
    rows = application_grid(applications.prefetch_related(documents))
    withhold_details(request.user, [row.application for row in rows])  # type: ignore[arg-type]
    return rows


def _visible_team(request: HttpRequest, team_pk: int) -> ProjectTeam:
    queryset = ProjectTeam.objects.visible_to(request.user).select_related("programme")  # type: ignore[arg-type]
    return get_object_or_404(queryset, pk=team_pk)


def _team_applications(request: HttpRequest, team: ProjectTeam) -> QuerySet[FundingApplication]:
    return FundingApplication.objects.visible_to(request.user).for_team(team)  # type: ignore[arg-type]


def team_grid(request: HttpRequest, team_pk: int) -> HttpResponse:
    team = _visible_team(request, team_pk)
    context = {
        "team": team,
        "programme": team.programme,
        "rows": _grid(request, _team_applications(request, team)),
        "xlsx_url": reverse("www:team_funding_grid_xlsx", args=[team.pk]),
        "can_see_programme": can_oversee_funding(request.user, team.programme),  # type: ignore[arg-type]
        "page_title": _("Funding applications — %(team)s") % {"team": team.name},
    }
    return render(request, "www/funding/grid.html", context)


def _xlsx_response(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=XLSX_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def team_grid_xlsx(request: HttpRequest, team_pk: int) -> HttpResponse:
    team = _visible_team(request, team_pk)
    title = _("Funding applications — %(team)s") % {"team": team.name}
    content = grid_xlsx(_grid(request, _team_applications(request, team)), title)
    return _xlsx_response(
        content, f"L3.2-demandes-financement-equipe-{team.pk}-{timezone.localdate():%Y%m%d}.xlsx"
    )


def programme_grid(request: HttpRequest, slug: str) -> HttpResponse:
    programme = programme_for(request, slug, Capability.OVERSEE_PROGRAMME)
    context = {
        "programme": programme,
        "rows": _grid(request, FundingApplication.objects.for_programme(programme)),
        "xlsx_url": reverse("www:programme_funding_grid_xlsx", args=[programme.slug]),
        "can_see_programme": True,
        "page_title": _("Funding applications of the programme"),
    }
    return render(request, "www/funding/grid.html", context)


def programme_grid_xlsx(request: HttpRequest, slug: str) -> HttpResponse:
    programme = programme_for(request, slug, Capability.OVERSEE_PROGRAMME)
    content = grid_xlsx(_grid(request, FundingApplication.objects.for_programme(programme)), programme.name)
    return _xlsx_response(
        content, f"L3.2-demandes-financement-{programme.slug}-{timezone.localdate():%Y%m%d}.xlsx"
    )


# --- Interviews with funders (L3.1) --------------------------------------------------------------


def _interviews(request: HttpRequest, programme: Programme) -> tuple[list[Meeting], set[int]]:
    interviews = funder_interviews(Meeting.objects.visible_to(request.user).for_programme(programme))  # type: ignore[arg-type]
    if can_oversee_funding(request.user, programme):  # type: ignore[arg-type]
        return interviews, {m.pk for m in interviews}  # overseers read minutes at every stage
    return interviews, {m.pk for m in interviews if can_read_minutes(request.user, m)}  # type: ignore[arg-type]


#: A programme holds about a hundred funder interviews at national scale: the page lists them by
#: pages of this size (tests/e2e/large.py keeps it light), the DOCX export holds every full text.
INTERVIEWS_PER_PAGE = 20


def interviews(request: HttpRequest, slug: str) -> HttpResponse:
    """The funder interviews, newest first, one line each leading to the meeting and its minutes."""
    programme = programme_for(request, slug, Capability.OVERSEE_PROGRAMME)
    meetings = (
        Meeting.objects.visible_to(request.user)  # type: ignore[arg-type]
        .for_programme(programme)
        .filter(kind=MeetingKind.FUNDER_INTERVIEW)
        .select_related("minutes")
        .defer("agenda", "minutes__body", "minutes__return_comment")  # long texts the lines never show
        .prefetch_related(
            Prefetch("organisations", queryset=Organisation.objects.only("pk", "name")),
            Prefetch("teams", queryset=ProjectTeam.objects.only("pk", "name").order_by("pk")),
        )
        .order_by("-starts_at", "-pk")
    )
    page = Paginator(meetings, INTERVIEWS_PER_PAGE).get_page(request.GET.get("page"))
    rows = [(meeting, [team.name for team in meeting.teams.all()]) for meeting in page.object_list]
    context = {
        "programme": programme,
        "rows": rows,
        "page": page,
        "query": "",
        "page_title": _("Interviews with funders"),
    }
    return render(request, "www/funding/interviews.html", context)


def interviews_docx_view(request: HttpRequest, slug: str) -> HttpResponse:
    programme = programme_for(request, slug, Capability.OVERSEE_PROGRAMME)
    meetings, readable = _interviews(request, programme)
    response = HttpResponse(
        render_docx(interviews_document(programme.name, meetings, readable)), content_type=DOCX_TYPE
    )
    response["Content-Disposition"] = (
        f'attachment; filename="L3.1-entretiens-financeurs-{programme.slug}.docx"'
    )
    return response


# --- Funding synthesis (L3.3) --------------------------------------------------------------------


def _synthesis_context(request: HttpRequest, slug: str) -> dict[str, Any]:
    programme = programme_for(request, slug, Capability.OVERSEE_PROGRAMME)
    context = synthesis_context(programme, timezone.localdate())
    return {**context, "page_title": _("Synthesis of the funding obtained")}


def synthesis(request: HttpRequest, slug: str) -> HttpResponse:
    context = _synthesis_context(request, slug)
    context["document_html"] = render_fragment(context["document"], with_title=False)
    return render(request, "www/funding/synthesis.html", context)


def synthesis_pdf_view(request: HttpRequest, slug: str) -> HttpResponse:
    context = _synthesis_context(request, slug)
    response = HttpResponse(render_pdf(context["document"]), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="L3.3-synthese-financements-{slug}.pdf"'
    return response


def synthesis_docx_view(request: HttpRequest, slug: str) -> HttpResponse:
    context = _synthesis_context(request, slug)
    response = HttpResponse(render_docx(context["document"]), content_type=DOCX_TYPE)
    response["Content-Disposition"] = f'attachment; filename="L3.3-synthese-financements-{slug}.docx"'
    return response
