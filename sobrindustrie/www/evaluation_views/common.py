"""Object lookups of the evaluation views: each returns what the user may see, or raises 404."""

from __future__ import annotations

from django.http import Http404, HttpRequest
from django.shortcuts import get_object_or_404

from sobrindustrie.evaluation.models import BalanceLine, Consequence, EcoCriterion, Evaluation, Trip
from sobrindustrie.evaluation.perms import can_manage_evaluations


def visible_evaluation(request: HttpRequest, pk: int) -> Evaluation:
    queryset = Evaluation.objects.visible_to(request.user).select_related(  # type: ignore[arg-type]
        "programme", "team", "action", "validated_by"
    )
    return get_object_or_404(queryset, pk=pk)


def managed_evaluation(request: HttpRequest, pk: int) -> Evaluation:
    evaluation = visible_evaluation(request, pk)
    if not can_manage_evaluations(request.user, evaluation.programme):  # type: ignore[arg-type]
        raise Http404
    return evaluation


def managed_consequence(request: HttpRequest, pk: int) -> Consequence:
    queryset = Consequence.objects.visible_to(request.user).select_related("evaluation__programme")  # type: ignore[arg-type]
    node = get_object_or_404(queryset, pk=pk)
    if not can_manage_evaluations(request.user, node.evaluation.programme):  # type: ignore[arg-type]
        raise Http404
    return node


def managed_line(request: HttpRequest, pk: int) -> BalanceLine:
    queryset = BalanceLine.objects.filter(
        balance__evaluation__in=Evaluation.objects.visible_to(request.user).values("pk")  # type: ignore[arg-type]
    ).select_related("balance__evaluation__programme")
    line = get_object_or_404(queryset, pk=pk)
    if not can_manage_evaluations(request.user, line.balance.evaluation.programme):  # type: ignore[arg-type]
        raise Http404
    return line


def managed_trip(request: HttpRequest, pk: int) -> Trip:
    trip = get_object_or_404(Trip.objects.visible_to(request.user).select_related("programme"), pk=pk)  # type: ignore[arg-type]
    if not can_manage_evaluations(request.user, trip.programme):  # type: ignore[arg-type]
        raise Http404
    return trip


def managed_criterion(request: HttpRequest, pk: int) -> EcoCriterion:
    queryset = EcoCriterion.objects.visible_to(request.user).select_related("programme")  # type: ignore[arg-type]
    criterion = get_object_or_404(queryset, pk=pk)
    if not can_manage_evaluations(request.user, criterion.programme):  # type: ignore[arg-type]
        raise Http404
    return criterion
