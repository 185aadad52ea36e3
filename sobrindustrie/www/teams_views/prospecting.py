"""Prospecting outside structures for a team: board, table, one structure's file, and the L1.6 grid."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Count, Max, QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from sobrindustrie.core.history import history_entries
from sobrindustrie.teams import services
from sobrindustrie.teams.enums import ProspectStatus
from sobrindustrie.teams.exports import XLSX_TYPE, contact_grid_xlsx
from sobrindustrie.teams.models import ProjectTeam, Prospect
from sobrindustrie.teams.perms import can_manage_prospecting, can_see_prospecting
from sobrindustrie.www.access import programme_for
from sobrindustrie.www.teams_views.common import (
    apply_errors,
    managed_prospect,
    managed_team,
    prospecting_team,
    visible_prospect,
)
from sobrindustrie.www.teams_views.forms import (
    ContactForm,
    MoveForm,
    ProspectCreateForm,
    ProspectFilterForm,
    ProspectForm,
)


def _with_figures(queryset: QuerySet[Prospect]) -> QuerySet[Prospect]:
    return queryset.select_related("team", "organisation__commune", "contact_person", "followed_by").annotate(
        contact_count=Count("contacts"), last_contact_on=Max("contacts__contacted_on")
    )


# --- Board -----------------------------------------------------------------------------------------------


def _board_context(
    request: HttpRequest, team: ProjectTeam, error: dict[str, Any] | None = None
) -> dict[str, Any]:
    can_manage = can_manage_prospecting(request.user, team.programme)  # type: ignore[arg-type]
    prospects = list(_with_figures(team.prospects.all()).order_by("next_step_due", "organisation__name"))
    for prospect in prospects:
        prospect.move_form = MoveForm(prospect=prospect) if can_manage else None  # type: ignore[attr-defined]
    columns = [
        {
            "status": status.value,
            "label": status.label,
            "prospects": [p for p in prospects if p.status == status],
        }
        for status in ProspectStatus
    ]
    return {
        "team": team,
        "columns": columns,
        "count": len(prospects),
        "can_manage": can_manage,
        "board_error": error,
        "notice": "",
        "today": timezone.localdate(),
        "page_title": _("Prospecting — %s") % team.name,
    }


def prospect_board(request: HttpRequest, pk: int) -> HttpResponse:
    team = prospecting_team(request, pk)
    return render(request, "www/teams/board.html", _board_context(request, team))


@require_POST
def prospect_move(request: HttpRequest, pk: int) -> HttpResponse:
    """Move a structure along the pipeline; from the board (HTMX), answer with the new board."""
    prospect = managed_prospect(request, pk)
    form = MoveForm(request.POST, prospect=prospect)
    error, notice = None, ""
    if not form.is_valid():
        error = {"pk": prospect.pk, "message": " ".join(form.errors.get("status", []))}
    else:
        try:
            membership = services.move_prospect(prospect, form.cleaned_data["status"])
        except ValidationError as refusal:
            error = {"pk": prospect.pk, "message": " ".join(refusal.messages)}
        else:
            notice = _("%(organisation)s: now “%(status)s”.") % {
                "organisation": prospect.organisation.name,
                "status": prospect.get_status_display(),
            }
            if membership is not None:
                notice += " " + _("It joined the team as a contributor.")
    from_board = request.POST.get("from") == "board"
    if request.htmx and from_board:  # type: ignore[attr-defined]
        context = _board_context(request, prospect.team, error)
        context["notice"] = notice
        return render(request, "www/teams/board.html#board", context)
    if error:
        messages.error(request, error["message"])
    else:
        messages.success(request, notice)
    if from_board:
        return redirect("www:prospect_board", pk=prospect.team_id)
    return redirect(prospect)


# --- Table and export ----------------------------------------------------------------------------


def prospect_table(request: HttpRequest, slug: str) -> HttpResponse:
    programme = programme_for(request, slug)
    if not can_see_prospecting(request.user):  # type: ignore[arg-type]
        raise Http404
    filters = ProspectFilterForm(request.GET or None, programme=programme)
    prospects = _with_figures(Prospect.objects.visible_to(request.user).for_programme(programme))  # type: ignore[arg-type]
    if filters.is_valid():
        if filters.cleaned_data["team"]:
            prospects = prospects.filter(team=filters.cleaned_data["team"])
        if filters.cleaned_data["status"]:
            prospects = prospects.filter(status=filters.cleaned_data["status"])
    context = {
        "programme": programme,
        "prospects": prospects.order_by("team__name", "organisation__name"),
        "filters": filters,
        "today": timezone.localdate(),
        "page_title": _("Prospecting outside structures"),
    }
    template = "www/teams/prospect_table.html#results" if request.htmx else "www/teams/prospect_table.html"  # type: ignore[attr-defined]
    return render(request, template, context)


def prospect_export(request: HttpRequest, slug: str) -> HttpResponse:
    """The contact-tracking grid (L1.6): a summary sheet and one sheet per team."""
    programme = programme_for(request, slug)
    if not can_see_prospecting(request.user):  # type: ignore[arg-type]
        raise Http404
    teams = list(ProjectTeam.objects.visible_to(request.user).for_programme(programme))  # type: ignore[arg-type]
    prospects = (
        Prospect.objects.visible_to(request.user)  # type: ignore[arg-type]
        .for_programme(programme)
        .for_contact_grid()
    )
    response = HttpResponse(contact_grid_xlsx(programme, teams, list(prospects)), content_type=XLSX_TYPE)
    filename = f"grille-suivi-contacts-L1.6-{timezone.localdate():%Y-%m-%d}.xlsx"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


# --- One structure ---------------------------------------------------------------------------------


def prospect_create(request: HttpRequest, pk: int) -> HttpResponse:
    team = managed_team(request, pk)
    form = ProspectCreateForm(request.POST or None, team=team)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        structure: Any = data["organisation"] or services.NewStructure(
            name=data["new_name"], kind=data["new_kind"], commune=data["new_commune"]
        )
        contact: Any = data["contact_person"]
        if data["new_first_name"]:
            contact = services.NewPerson(
                data["new_first_name"],
                data["new_last_name"],
                data["new_email"],
                data["new_phone"],
                data["new_job_title"],
            )
        details = services.ProspectDetails(
            sought=data["sought"],
            reason=data["reason"],
            solution=data["solution"],
            next_step=data["next_step"],
            next_step_due=data["next_step_due"],
            followed_by=data["followed_by"],
        )
        try:
            prospect = services.add_prospect(team, structure, details, contact)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("%s added to the prospecting.") % prospect.organisation.name)
            return redirect("www:prospect_board", pk=team.pk)
    context = {
        "form": form,
        "team": team,
        "cancel_url": _board_url(team),
        "page_title": _("Prospect a structure for %s") % team.name,
    }
    return render(request, "www/teams/form.html", context)


def _board_url(team: ProjectTeam) -> str:
    return reverse("www:prospect_board", args=[team.pk])


def prospect_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """A structure's file: why it is sought, every contact made, and (for managers) a form to add one."""
    prospect = visible_prospect(request, pk)
    can_manage = can_manage_prospecting(request.user, prospect.team.programme)  # type: ignore[arg-type]
    form = None
    if can_manage:
        form = ContactForm(request.POST or None, prospect=prospect)
        if request.method == "POST" and form.is_valid():
            data = form.cleaned_data
            try:
                services.record_contact(
                    prospect,
                    contacted_on=data["contacted_on"],
                    channel=data["channel"],
                    made_by=request.user,  # type: ignore[arg-type]
                    outcome=data["outcome"],
                    person=data["person"],
                )
            except ValidationError as error:
                apply_errors(form, error)
            else:
                messages.success(request, _("Contact recorded."))
                return redirect(prospect)
    elif request.method == "POST":
        raise Http404
    context = {
        "prospect": prospect,
        "team": prospect.team,
        "contacts": prospect.contacts.select_related("made_by", "person"),
        "form": form,
        "move_form": MoveForm(prospect=prospect) if can_manage else None,
        "can_manage": can_manage,
        "history": history_entries(prospect),
        "page_title": prospect.organisation.name,
    }
    return render(request, "www/teams/prospect_detail.html", context)


def prospect_edit(request: HttpRequest, pk: int) -> HttpResponse:
    prospect = managed_prospect(request, pk)
    form = ProspectForm(request.POST or None, instance=prospect)
    if request.method == "POST" and form.save_if_valid():
        messages.success(request, _("Changes saved."))
        return redirect(prospect)
    context = {
        "form": form,
        "team": prospect.team,
        "cancel_url": prospect.get_absolute_url(),
        "page_title": _("Edit %s") % prospect,
    }
    return render(request, "www/teams/form.html", context)
