"""The partners' committee: its member structures, their representatives and expertise, sub-groups."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Prefetch
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from sobrindustrie.accounts.access import Capability
from sobrindustrie.organisations.models import Person
from sobrindustrie.programmes.models import Programme
from sobrindustrie.teams import services
from sobrindustrie.teams.exports import XLSX_TYPE, committee_roster_xlsx
from sobrindustrie.teams.models import CommitteeMember, CommitteeSubgroup
from sobrindustrie.teams.perms import can_export_committee_roster, can_manage_committee, can_see_committee
from sobrindustrie.www.access import programme_for
from sobrindustrie.www.teams_views.common import apply_errors
from sobrindustrie.www.teams_views.forms import (
    CommitteeMemberAddForm,
    CommitteeMemberForm,
    LeaveForm,
    SubgroupForm,
)
from sobrindustrie.www.teams_views.workspace import committee_meetings, committee_meetings_url


def _committee_programme(request: HttpRequest, slug: str) -> Programme:
    programme = programme_for(request, slug)
    if not can_see_committee(request.user, programme):  # type: ignore[arg-type]
        raise Http404
    return programme


def _members(programme: Programme) -> Any:
    people = Person.objects.filter(erased_on__isnull=True)
    return (
        CommitteeMember.objects.for_programme(programme)
        .select_related("organisation__commune")
        .prefetch_related(Prefetch("people", queryset=people), "subgroups")
        .order_by("organisation__name")
    )


def _subgroups(programme: Programme) -> Any:
    return (
        CommitteeSubgroup.objects.for_programme(programme)
        .select_related("team")
        .prefetch_related(
            Prefetch("members", queryset=CommitteeMember.objects.current().select_related("organisation"))
        )
    )


def committee(request: HttpRequest, slug: str) -> HttpResponse:
    programme = _committee_programme(request, slug)
    members = list(_members(programme))
    context = {
        "programme": programme,
        "current": [m for m in members if m.left_on is None],
        "former": [m for m in members if m.left_on is not None],
        "subgroups": _subgroups(programme),
        "meetings": committee_meetings(programme, request.user),
        "meetings_url": committee_meetings_url(programme),
        "can_manage": can_manage_committee(request.user, programme),  # type: ignore[arg-type]
        "can_export": can_export_committee_roster(request.user),  # type: ignore[arg-type]
        "page_title": _("Partners' committee"),
    }
    return render(request, "www/teams/committee.html", context)


def committee_export(request: HttpRequest, slug: str) -> HttpResponse:
    programme = _committee_programme(request, slug)
    if not can_export_committee_roster(request.user):  # type: ignore[arg-type]
        raise Http404
    members = list(_members(programme))
    content = committee_roster_xlsx(programme, members, list(_subgroups(programme)))
    response = HttpResponse(content, content_type=XLSX_TYPE)
    filename = f"comite-partenaires-{timezone.localdate():%Y-%m-%d}.xlsx"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def _committee_url(programme: Programme) -> str:
    return reverse("www:committee", args=[programme.slug])


def committee_member_add(request: HttpRequest, slug: str) -> HttpResponse:
    programme = programme_for(request, slug, Capability.MANAGE_PROGRAMME)
    form = CommitteeMemberAddForm(request.POST or None, programme=programme)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            member = services.add_committee_member(
                programme,
                data["organisation"],
                data["expertise"],
                solutions=data["solutions"],
                on=data["joined_on"],
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("%s joined the partners' committee.") % member.organisation.name)
            if member.organisation.people.filter(erased_on__isnull=True).exists():
                # Next: who represents the structure on the committee.
                return redirect("www:committee_member_edit", pk=member.pk)
            return redirect(_committee_url(programme))
    context = {
        "form": form,
        "programme": programme,
        "cancel_url": _committee_url(programme),
        "page_title": _("Add a structure to the partners' committee"),
    }
    return render(request, "www/teams/form.html", context)


def _managed_member(request: HttpRequest, pk: int) -> CommitteeMember:
    queryset = (
        CommitteeMember.objects.visible_to(request.user)
        .current()
        .select_related(  # type: ignore[arg-type]
            "programme", "organisation"
        )
    )
    member = get_object_or_404(queryset, pk=pk)
    if not can_manage_committee(request.user, member.programme):  # type: ignore[arg-type]
        raise Http404
    return member


def committee_member_edit(request: HttpRequest, pk: int) -> HttpResponse:
    member = _managed_member(request, pk)
    form = CommitteeMemberForm(request.POST or None, instance=member)
    if request.method == "POST" and form.save_if_valid():
        messages.success(request, _("Changes saved."))
        return redirect(_committee_url(member.programme))
    context = {
        "form": form,
        "programme": member.programme,
        "cancel_url": _committee_url(member.programme),
        "page_title": _("%s on the partners' committee") % member.organisation.name,
    }
    return render(request, "www/teams/form.html", context)


def committee_member_remove(request: HttpRequest, pk: int) -> HttpResponse:
    member = _managed_member(request, pk)
    form = LeaveForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.remove_committee_member(member, on=form.cleaned_data["left_on"])
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("%s left the partners' committee.") % member.organisation.name)
            return redirect(_committee_url(member.programme))
    context = {
        "form": form,
        "programme": member.programme,
        "cancel_url": _committee_url(member.programme),
        "intro": _("The seat is closed at this date, not deleted: the member's past work stays on record."),
        "submit_label": _("Record the departure"),
        "page_title": _("%s leaves the partners' committee") % member.organisation.name,
    }
    return render(request, "www/teams/form.html", context)


def _subgroup_form(request: HttpRequest, subgroup: CommitteeSubgroup, title: str) -> HttpResponse:
    programme = subgroup.programme
    form = SubgroupForm(request.POST or None, instance=subgroup)
    if request.method == "POST" and form.save_if_valid():
        messages.success(request, _("Sub-group “%s” saved.") % subgroup.name)
        return redirect(_committee_url(programme))
    context = {
        "form": form,
        "programme": programme,
        "cancel_url": _committee_url(programme),
        "page_title": title,
    }
    return render(request, "www/teams/form.html", context)


def subgroup_create(request: HttpRequest, slug: str) -> HttpResponse:
    programme = programme_for(request, slug, Capability.MANAGE_PROGRAMME)
    return _subgroup_form(request, CommitteeSubgroup(programme=programme), _("New sub-group"))


def subgroup_edit(request: HttpRequest, pk: int) -> HttpResponse:
    queryset = CommitteeSubgroup.objects.visible_to(request.user).select_related("programme")  # type: ignore[arg-type]
    subgroup = get_object_or_404(queryset, pk=pk)
    if not can_manage_committee(request.user, subgroup.programme):  # type: ignore[arg-type]
        raise Http404
    return _subgroup_form(request, subgroup, _("Edit %s") % subgroup.name)
