"""Project teams: the list, "my teams", the workspace, members, and the summary sheet (L1.7)."""

from __future__ import annotations

from collections import Counter

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Count, Prefetch, QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.text import slugify
from django.utils.translation import gettext as _

from sobrindustrie.core.history import history_entries
from sobrindustrie.deliverables.document.docx import DOCX_CONTENT_TYPE, render_docx
from sobrindustrie.deliverables.document.html import render_fragment, render_pdf
from sobrindustrie.programmes.perms import can_manage_programme, can_see_programme_overview
from sobrindustrie.teams import services, sheets
from sobrindustrie.teams.enums import ProspectStatus
from sobrindustrie.teams.models import CommitteeSubgroup, ProjectTeam, TeamMembership
from sobrindustrie.teams.perms import can_manage_team, can_see_prospecting, can_see_team_list
from sobrindustrie.www.access import programme_for
from sobrindustrie.www.teams_views.common import apply_errors, managed_team, visible_team
from sobrindustrie.www.teams_views.forms import (
    LeaveForm,
    MemberAddForm,
    MemberEditForm,
    TeamCreateForm,
    TeamForm,
)
from sobrindustrie.www.teams_views.workspace import action_plan_link, team_meetings


def _teams_with_members(queryset: QuerySet[ProjectTeam]) -> list[ProjectTeam]:
    current = TeamMembership.objects.current().select_related("organisation").order_by("organisation__name")
    teams = list(
        queryset.select_related("programme").prefetch_related(
            Prefetch("memberships", queryset=current, to_attr="current_memberships")
        )
    )
    for team in teams:
        team.member_names = [m.organisation.name for m in team.current_memberships]  # type: ignore[attr-defined]
    return teams


def team_list(request: HttpRequest, slug: str) -> HttpResponse:
    programme = programme_for(request, slug)
    if not can_see_team_list(request.user):  # type: ignore[arg-type]
        raise Http404
    teams = _teams_with_members(ProjectTeam.objects.visible_to(request.user).for_programme(programme))  # type: ignore[arg-type]
    context = {
        "programme": programme,
        "teams": teams,
        "can_manage": can_manage_programme(request.user, programme),  # type: ignore[arg-type]
        "page_title": _("Project teams"),
    }
    return render(request, "www/teams/list.html", context)


def my_teams(request: HttpRequest) -> HttpResponse:
    """The teams the user's organisation belongs to (for ADEME, consultants and staff: the teams of
    their programmes)."""
    teams = _teams_with_members(ProjectTeam.objects.visible_to(request.user))  # type: ignore[arg-type]
    context = {"teams": teams, "page_title": _("My teams")}
    return render(request, "www/teams/my_teams.html", context)


def team_create(request: HttpRequest, slug: str) -> HttpResponse:
    programme = programme_for(request, slug)
    if not can_manage_programme(request.user, programme):  # type: ignore[arg-type]
        raise Http404
    form = TeamCreateForm(request.POST or None, programme=programme)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        new = services.NewTeam(
            name=data["name"],
            theme=data["theme"],
            members=tuple(data["members"]),
            objectives=data["objectives"],
            pilot=data["pilot"],
        )
        try:
            (team,) = services.create_teams(programme, [new], source=_("Created by hand"))
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("Team “%s” created.") % team.name)
            return redirect(team)
    context = {
        "form": form,
        "programme": programme,
        "cancel_url": reverse("www:team_list", args=[programme.slug]),
        "page_title": _("New project team"),
    }
    return render(request, "www/teams/form.html", context)


def team_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """The team's workspace: members, and what the other areas hold for the team."""
    team = visible_team(request, pk)
    memberships = team.memberships.select_related("organisation__commune").prefetch_related("people")
    user = request.user
    prospect_counts: Counter[str] = Counter()
    if can_see_prospecting(user):  # type: ignore[arg-type]
        prospect_counts.update(
            dict(team.prospects.values_list("status").annotate(n=Count("pk")).values_list("status", "n"))
        )
    subgroups = CommitteeSubgroup.objects.visible_to(user).filter(team=team)  # type: ignore[arg-type]
    can_manage = can_manage_team(user, team)  # type: ignore[arg-type]
    context = {
        "team": team,
        "current": [m for m in memberships if m.left_on is None],
        "former": [m for m in memberships if m.left_on is not None],
        "can_manage": can_manage,
        "can_see_programme": can_see_programme_overview(user),  # type: ignore[arg-type]
        "action_plan": action_plan_link(team, can_manage),
        "can_see_prospecting": can_see_prospecting(user),  # type: ignore[arg-type]
        "prospect_counts": [(s.label, prospect_counts.get(s.value, 0)) for s in ProspectStatus],
        "prospect_total": sum(prospect_counts.values()),
        "subgroups": subgroups,
        "meetings": team_meetings(team, user),
        "history": history_entries(team),
        "page_title": team.name,
    }
    return render(request, "www/teams/detail.html", context)


def team_edit(request: HttpRequest, pk: int) -> HttpResponse:
    team = managed_team(request, pk)
    form = TeamForm(request.POST or None, instance=team)
    if request.method == "POST" and form.save_if_valid():
        messages.success(request, _("Changes saved."))
        return redirect(team)
    context = {"form": form, "team": team, "cancel_url": team.get_absolute_url()}
    return render(request, "www/teams/form.html", {**context, "page_title": _("Edit %s") % team.name})


# --- Members -------------------------------------------------------------------------------------------


def member_add(request: HttpRequest, pk: int) -> HttpResponse:
    team = managed_team(request, pk)
    form = MemberAddForm(request.POST or None, team=team)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            membership = services.add_member(
                team,
                data["organisation"],
                role=data["role"],
                on=data["joined_on"],
                note=data["note"],
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("%s joined the team.") % membership.organisation.name)
            if membership.organisation.people.filter(erased_on__isnull=True).exists():
                # Next: who, in that organisation, works in the team.
                return redirect("www:team_member_edit", pk=team.pk, membership_pk=membership.pk)
            return redirect(team)
    context = {"form": form, "team": team, "cancel_url": team.get_absolute_url()}
    return render(
        request, "www/teams/form.html", {**context, "page_title": _("Add a member to %s") % team.name}
    )


def _current_membership(team: ProjectTeam, membership_pk: int) -> TeamMembership:
    queryset = team.memberships.current().select_related("organisation")
    return get_object_or_404(queryset, pk=membership_pk)


def member_edit(request: HttpRequest, pk: int, membership_pk: int) -> HttpResponse:
    team = managed_team(request, pk)
    membership = _current_membership(team, membership_pk)
    initial = {"role": membership.role, "people": membership.people.all(), "note": membership.note}
    form = MemberEditForm(request.POST or None, initial=initial, organisation=membership.organisation)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.update_member(membership, data["role"], data["people"], data["note"])
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("Changes saved."))
            return redirect(team)
    context = {"form": form, "team": team, "cancel_url": team.get_absolute_url()}
    title = _("%(organisation)s in %(team)s") % {
        "organisation": membership.organisation.name,
        "team": team.name,
    }
    return render(request, "www/teams/form.html", {**context, "page_title": title})


def member_remove(request: HttpRequest, pk: int, membership_pk: int) -> HttpResponse:
    team = managed_team(request, pk)
    membership = _current_membership(team, membership_pk)
    form = LeaveForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.remove_member(membership, on=form.cleaned_data["left_on"])
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(
                request,
                _("%s left the team; its history and contributions stay on record.")
                % membership.organisation,
            )
            return redirect(team)
    context = {
        "form": form,
        "team": team,
        "cancel_url": team.get_absolute_url(),
        "intro": _(
            "The membership is closed at this date, not deleted: what the organisation did in the team stays attributed to it."
        ),
        "submit_label": _("Record the departure"),
    }
    title = _("%(organisation)s leaves %(team)s") % {
        "organisation": membership.organisation.name,
        "team": team.name,
    }
    return render(request, "www/teams/form.html", {**context, "page_title": title})


# --- Summary sheet (L1.7) --------------------------------------------------------------------------


def team_sheet(request: HttpRequest, pk: int) -> HttpResponse:
    team = visible_team(request, pk)
    sheet = sheets.build_team_sheet(team)
    context = {
        "sheet": sheet,
        "team": team,
        "document_html": render_fragment(sheets.team_sheet_document(sheet), with_title=False),
        "page_title": _("Summary sheet — %s") % team.name,
    }
    return render(request, "www/teams/sheet.html", context)


def _filename(team: ProjectTeam, extension: str) -> str:
    return f"fiche-equipe-{slugify(team.name) or team.pk}.{extension}"


def team_sheet_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    team = visible_team(request, pk)
    pdf = render_pdf(sheets.team_sheet_document(sheets.build_team_sheet(team)))
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{_filename(team, "pdf")}"'
    return response


def team_sheet_docx(request: HttpRequest, pk: int) -> HttpResponse:
    team = visible_team(request, pk)
    response = HttpResponse(
        render_docx(sheets.team_sheet_document(sheets.build_team_sheet(team))), content_type=DOCX_CONTENT_TYPE
    )
    response["Content-Disposition"] = f'attachment; filename="{_filename(team, "docx")}"'
    return response
