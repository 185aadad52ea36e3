"""Time spent against the caps, and the compliance dashboard of the contract's obligations."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from sobrindustrie.accounts.access import Capability
from sobrindustrie.deliverables.perms import can_see_deliverables
from sobrindustrie.deliverables.services import registry
from sobrindustrie.engines.obligations import ObligationStatus
from sobrindustrie.meetings.models import TimeEntry
from sobrindustrie.meetings.obligations import OBLIGATION_LABELS, STATUS_LABELS, compliance
from sobrindustrie.meetings.perms import can_manage_meetings
from sobrindustrie.meetings.timesheets import axis_totals, caps_of, object_totals
from sobrindustrie.programmes.models import Programme
from sobrindustrie.www.access import programme_for
from sobrindustrie.www.meetings_views.forms import TimeEntryForm, TimeFilterForm

ENTRIES_PER_PAGE = 10


def time_entries(request: HttpRequest, slug: str) -> HttpResponse:
    """Entries with filters, totals per axis and per object against the caps; consultants add here."""
    programme = programme_for(request, slug, Capability.OVERSEE_PROGRAMME)
    manage = can_manage_meetings(request.user, programme)  # type: ignore[arg-type]
    form = None
    if manage:
        initial = {"consultant": request.user.pk} if request.user.is_consultant else {}  # type: ignore[union-attr]
        form = TimeEntryForm(
            request.POST or None,
            programme=programme,
            instance=TimeEntry(programme=programme),
            initial=initial,
        )
        if request.method == "POST" and form.save_if_valid():
            messages.success(request, _("%(days)s day(s) recorded.") % {"days": form.instance.days})
            return redirect("www:time_entries", slug=programme.slug)
    elif request.method == "POST":
        raise Http404
    all_entries = list(
        TimeEntry.objects.filter(programme=programme)
        .select_related("consultant")
        .prefetch_related("content_object")
    )
    filters = TimeFilterForm(request.GET or None, programme=programme)
    entries = all_entries
    if filters.is_valid():
        data = filters.cleaned_data
        entries = [
            e
            for e in all_entries
            if (data["axis"] is None or e.axis == data["axis"])
            and (not data["object_kind"] or e.object_kind == data["object_kind"])
            and (data["consultant"] is None or e.consultant_id == data["consultant"].pk)
        ]
    totals = object_totals(programme, all_entries)
    # The list is paged (newest first); totals and caps are computed over every entry.
    page = Paginator(sorted(entries, key=lambda e: (e.date, e.pk), reverse=True), ENTRIES_PER_PAGE).get_page(
        request.GET.get("page")
    )
    query = request.GET.copy()
    query.pop("page", None)
    all_totals = request.GET.get("totaux") == "tous"
    context = {
        "programme": programme,
        "entries": page.object_list,
        "page": page,
        "query": f"{query.urlencode()}&" if query else "",
        "entry_count": len(entries),
        "filters": filters,
        "form": form,
        "can_manage": manage,
        "axis_totals": axis_totals(entries),
        "total_days": sum((e.days for e in entries), start=0),
        # The first screen shows the objects over or close to their cap; all are one click away.
        "object_totals": totals if all_totals else [t for t in totals if t.over_cap or t.near_cap][:10],
        "all_totals": all_totals,
        "over_cap_count": sum(1 for t in totals if t.over_cap),
        "caps": caps_of(programme),
        "page_title": _("Time spent"),
    }
    return render(request, "www/meetings/time_entries.html", context)


def _managed_entry(request: HttpRequest, pk: int) -> TimeEntry:
    entry = get_object_or_404(TimeEntry.objects.visible_to(request.user).select_related("programme"), pk=pk)  # type: ignore[arg-type]
    if not can_manage_meetings(request.user, entry.programme):  # type: ignore[arg-type]
        raise Http404
    return entry


def time_entry_edit(request: HttpRequest, pk: int) -> HttpResponse:
    entry = _managed_entry(request, pk)
    form = TimeEntryForm(request.POST or None, programme=entry.programme, instance=entry)
    if request.method == "POST" and form.save_if_valid():
        messages.success(request, _("Changes saved."))
        return redirect("www:time_entries", slug=entry.programme.slug)
    context = {
        "form": form,
        "entry": entry,
        "programme": entry.programme,
        "page_title": _("Edit a time entry"),
    }
    return render(request, "www/meetings/time_entry_form.html", context)


@require_POST
def time_entry_delete(request: HttpRequest, pk: int) -> HttpResponse:
    entry = _managed_entry(request, pk)
    slug = entry.programme.slug
    entry.delete()
    messages.success(request, _("Time entry deleted; its history is kept."))
    return redirect("www:time_entries", slug=slug)


ATTENTION = "attention"
OBLIGATIONS_PER_PAGE = 12


def obligations(request: HttpRequest, slug: str) -> HttpResponse:
    """Every obligation of the contract with its status, explanation and the records it counted."""
    programme = programme_for(request, slug, Capability.OVERSEE_PROGRAMME)
    return render(request, "www/meetings/obligations.html", _obligations_context(request, programme))


def _obligations_context(request: HttpRequest, programme: Programme) -> dict[str, Any]:
    result = compliance(programme)
    # By default the dashboard shows what needs attention; obligations already met are one click
    # away ("all" or "met"). It keeps the page short enough to read at a COPIL, and light.
    status = request.GET.get("statut", ATTENTION)
    if status in {s.value for s in ObligationStatus}:
        rows = [row for row in result.rows if row.status == status]
    elif status == ATTENTION:
        rows = [row for row in result.rows if row.status != ObligationStatus.MET]
    else:
        status = "all"
        rows = result.rows
    # One team's dashboard: the obligations scoped to that team (follow-ups, evaluation meeting...).
    from sobrindustrie.teams.models import ProjectTeam

    teams = list(ProjectTeam.objects.for_programme(programme).order_by("name").values_list("pk", "name"))
    team = request.GET.get("equipe", "")
    if team and team in {str(pk) for pk, _name in teams}:
        rows = [row for row in rows if row.result.scope_kind == "team" and row.result.scope == team]
    else:
        team = ""
    # Paged: a COPIL reads the first screen; the whole list stays one click away.
    row_page = Paginator(rows, OBLIGATIONS_PER_PAGE).get_page(request.GET.get("page"))
    rows = list(row_page.object_list)
    query = request.GET.copy()
    query.pop("page", None)
    all_milestones = request.GET.get("jalons") == "tous"
    milestones = [m for m in result.milestones if all_milestones or m.due_on >= result.today]
    return {
        "programme": programme,
        "compliance": result,
        "rows": rows,
        "status": status,
        "attention_count": sum(1 for row in result.rows if row.status != ObligationStatus.MET),
        "milestones": milestones,
        "teams": [(str(pk), name) for pk, name in teams],
        "page": row_page,
        "query": f"{query.urlencode()}&" if query else "",
        "team": team,
        "all_milestones": all_milestones,
        "status_choices": [(s.value, str(STATUS_LABELS[s])) for s in ObligationStatus],
        # The reports as the registry records them: delivering one is submitting it there.
        "reports": [row for row in registry(programme) if row.kind.is_report],
        "can_see_registry": can_see_deliverables(request.user, programme),  # type: ignore[arg-type]
        "labels": {code: str(label) for code, label in OBLIGATION_LABELS.items()},
        "page_title": _("Contract obligations"),
    }
