"""Object lookups shared by the teams views: each returns what the user may see, or raises 404."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest
from django.shortcuts import get_object_or_404

from sobrindustrie.teams.models import ProjectTeam, Prospect
from sobrindustrie.teams.perms import can_manage_prospecting, can_manage_team, can_see_prospecting


def visible_team(request: HttpRequest, pk: int) -> ProjectTeam:
    queryset = ProjectTeam.objects.visible_to(request.user).select_related("programme")  # type: ignore[arg-type]
    return get_object_or_404(queryset, pk=pk)


def managed_team(request: HttpRequest, pk: int) -> ProjectTeam:
    team = visible_team(request, pk)
    if not can_manage_team(request.user, team):  # type: ignore[arg-type]
        raise Http404
    return team


def prospecting_team(request: HttpRequest, pk: int) -> ProjectTeam:
    """A team whose prospecting the user may read."""
    team = visible_team(request, pk)
    if not can_see_prospecting(request.user):  # type: ignore[arg-type]
        raise Http404
    return team


def visible_prospect(request: HttpRequest, pk: int) -> Prospect:
    queryset = Prospect.objects.visible_to(request.user).select_related(  # type: ignore[arg-type]
        "team__programme", "organisation__commune", "contact_person", "followed_by"
    )
    return get_object_or_404(queryset, pk=pk)


def managed_prospect(request: HttpRequest, pk: int) -> Prospect:
    prospect = visible_prospect(request, pk)
    if not can_manage_prospecting(request.user, prospect.team.programme):  # type: ignore[arg-type]
        raise Http404
    return prospect


def apply_errors(form: Any, error: ValidationError) -> None:
    """Put a service's refusal on the form: on the field it names when the form has it, else on top."""
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)
