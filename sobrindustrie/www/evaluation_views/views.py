"""Environmental evaluations: the list, the level-1 evaluation with its tree of consequences (edited
with HTMX, each page also working without it), the workflow, and the level-2 GHG balance."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from sobrindustrie.accounts.access import Capability
from sobrindustrie.core.history import history_entries
from sobrindustrie.core.models import ConcurrentEditError
from sobrindustrie.engines.footprint import load_library
from sobrindustrie.evaluation import factor_library, services
from sobrindustrie.evaluation.grid import load_grid
from sobrindustrie.evaluation.models import Consequence, Evaluation
from sobrindustrie.evaluation.perms import can_manage_evaluations, can_see_synthesis
from sobrindustrie.evaluation.results import aspect_results, build_tree, flatten
from sobrindustrie.www.access import programme_for
from sobrindustrie.www.evaluation_views.common import (
    managed_consequence,
    managed_evaluation,
    managed_line,
    visible_evaluation,
)
from sobrindustrie.www.evaluation_views.forms import BalanceLineForm, ConsequenceForm, EvaluationForm

DETAIL = "www/evaluation/detail.html"


def _errors_text(error: ValidationError) -> str:
    return " ".join(error.messages)


def evaluation_list(request: HttpRequest, slug: str) -> HttpResponse:
    """The programme's evaluations the user may read (team members: their teams' only)."""
    programme = programme_for(request, slug)
    evaluations = (
        Evaluation.objects.visible_to(request.user)  # type: ignore[arg-type]
        .for_programme(programme)
        .select_related("team", "action", "ghg_balance")
    )
    context = {
        "programme": programme,
        "evaluations": evaluations,
        "can_manage": can_manage_evaluations(request.user, programme),  # type: ignore[arg-type]
        "can_see_synthesis": can_see_synthesis(request.user),  # type: ignore[arg-type]
        "page_title": _("Environmental evaluations"),
    }
    return render(request, "www/evaluation/list.html", context)


def evaluation_create(request: HttpRequest, slug: str) -> HttpResponse:
    programme = programme_for(request, slug, Capability.MANAGE_PROGRAMME)
    form = EvaluationForm(request.POST or None, programme=programme)
    if request.method == "POST" and form.is_valid():
        evaluation = form.save(commit=False)
        evaluation.programme = programme
        evaluation.save()
        messages.success(request, _("Evaluation “%s” created.") % evaluation.title)
        return redirect(evaluation)
    context = {
        "form": form,
        "programme": programme,
        "cancel_url": reverse("www:evaluation_list", args=[programme.slug]),
        "page_title": _("New environmental evaluation"),
    }
    return render(request, "www/evaluation/form.html", context)


def evaluation_edit(request: HttpRequest, pk: int) -> HttpResponse:
    evaluation = managed_evaluation(request, pk)
    form = EvaluationForm(request.POST or None, instance=evaluation, programme=evaluation.programme)
    if not evaluation.is_editable:
        # A submitted or validated evaluation is frozen: say so where its content is shown.
        messages.error(request, _("The evaluation is no longer a draft: it cannot be changed."))
        return redirect(evaluation)
    if request.method == "POST" and form.save_if_valid():
        messages.success(request, _("Evaluation saved."))
        return redirect(evaluation)
    context = {
        "form": form,
        "programme": evaluation.programme,
        "cancel_url": evaluation.get_absolute_url(),
        "page_title": _("Edit the evaluation"),
    }
    return render(request, "www/evaluation/form.html", context)


def _tree_context(evaluation: Evaluation, can_edit: bool) -> dict[str, Any]:
    consequences = list(evaluation.consequences.all())
    grid = load_grid(evaluation.grid_version)
    rows = flatten(build_tree(consequences))
    return {
        "evaluation": evaluation,
        "grid": grid,
        "rows": [(row, {**_describe(row.consequence, grid), "indent": _indent(row.depth)}) for row in rows],
        "can_edit": can_edit,
        "aspect_results": aspect_results(consequences, grid),
        "transfers": [r for r in rows if r.consequence.is_impact_transfer],
        "rebounds": [r for r in rows if r.consequence.is_rebound],
    }


def _indent(depth: int) -> str:
    """A DSFR left margin showing the depth (the outline number says it too, for screen readers)."""
    return f"fr-ml-{min(depth * 3, 12)}w" if depth else ""


def _describe(node: Consequence, grid: Any) -> dict[str, str]:
    return {
        "aspects": ", ".join(grid.label("aspects", a) for a in node.aspects or []),
        "indent": "",
        "direction": grid.label("directions", node.direction),
        "magnitude": grid.label("magnitudes", node.magnitude),
        "certainty": grid.label("certainties", node.certainty),
        "horizon": grid.label("horizons", node.horizon),
    }


def evaluation_detail(request: HttpRequest, pk: int) -> HttpResponse:
    evaluation = visible_evaluation(request, pk)
    user = request.user
    can_manage = can_manage_evaluations(user, evaluation.programme)  # type: ignore[arg-type]
    balance = evaluation.balance
    grid = load_grid(evaluation.grid_version)
    context = {
        **_tree_context(evaluation, can_manage and evaluation.is_editable),
        "can_manage": can_manage,
        "can_see_synthesis": can_see_synthesis(user),  # type: ignore[arg-type]
        "targeted": ", ".join(grid.label("aspects", a) for a in evaluation.targeted_aspects or []),
        "phase": grid.label("phases", evaluation.current_phase) if evaluation.current_phase else "",
        "transitions": services.allowed_transitions(evaluation, user),  # type: ignore[arg-type]
        "balance": balance,
        "history": history_entries(evaluation),
        "page_title": evaluation.title,
    }
    return render(request, DETAIL, context)


@require_POST
def evaluation_transition(request: HttpRequest, pk: int, name: str) -> HttpResponse:
    evaluation = visible_evaluation(request, pk)
    try:
        services.apply_transition(evaluation, name, request.user)  # type: ignore[arg-type]
    except (ValidationError, ConcurrentEditError) as error:
        text = _errors_text(error) if isinstance(error, ValidationError) else str(error)
        messages.error(request, text)
    else:
        messages.success(request, _("Status: %s.") % evaluation.get_status_display())
    return redirect(evaluation)


# --- Tree of consequences ------------------------------------------------------------------------


def _tree_response(request: HttpRequest, evaluation: Evaluation, error: str = "") -> HttpResponse:
    """The tree fragment for HTMX; a redirect to the evaluation otherwise."""
    if not request.htmx:  # type: ignore[attr-defined]
        if error:
            messages.error(request, error)
        return redirect(evaluation)
    context = {**_tree_context(evaluation, True), "tree_error": error}
    response = render(request, f"{DETAIL}#tree", context)
    response["HX-Retarget"] = "#tree"
    response["HX-Reswap"] = "outerHTML"
    return response


def _parent_field(node: Consequence) -> forms.ChoiceField:
    """Where the node may be moved: the top level or any node outside its own subtree."""
    excluded = {node.pk, *services.descendants_of(node)}
    rows = flatten(build_tree(node.evaluation.consequences.all()))
    choices = [("", _("(top level)"))] + [
        (str(r.consequence.pk), f"{r.number} {r.consequence.description[:60]}")
        for r in rows
        if r.consequence.pk not in excluded
    ]
    return forms.ChoiceField(
        label=_("Consequence of"), choices=choices, required=False, initial=str(node.parent_id or "")
    )


def _consequence_page(
    request: HttpRequest, form: Any, evaluation: Evaluation, action_url: str, title: str
) -> HttpResponse:
    context = {"form": form, "evaluation": evaluation, "action_url": action_url, "page_title": title}
    template = "www/evaluation/consequence_form.html"
    return render(request, f"{template}#consequence_form" if request.htmx else template, context)  # type: ignore[attr-defined]


def consequence_add(request: HttpRequest, pk: int) -> HttpResponse:
    evaluation = managed_evaluation(request, pk)
    parent = None
    parent_id = request.GET.get("parent") or request.POST.get("parent")
    if parent_id:
        parent = evaluation.consequences.filter(pk=parent_id).first()
    grid = load_grid(evaluation.grid_version)
    form = ConsequenceForm(request.POST or None, grid=grid)
    if request.method == "POST" and form.is_valid():
        try:
            services.add_consequence(evaluation, parent, form.save(commit=False))
        except ValidationError as error:
            form.add_error(None, error)
        else:
            return _tree_response(request, evaluation)
    url = reverse("www:consequence_add", args=[evaluation.pk]) + (f"?parent={parent.pk}" if parent else "")
    title = _("New consequence of “%s”") % parent if parent else _("New consequence")
    return _consequence_page(request, form, evaluation, url, title)


def consequence_edit(request: HttpRequest, pk: int) -> HttpResponse:
    node = managed_consequence(request, pk)
    evaluation = node.evaluation
    form = ConsequenceForm(request.POST or None, instance=node, grid=load_grid(evaluation.grid_version))
    form.fields["parent_choice"] = _parent_field(node)
    if not evaluation.is_editable:
        # A submitted or validated evaluation is frozen: say so where its content is shown.
        messages.error(request, _("The evaluation is no longer a draft: it cannot be changed."))
        return redirect(evaluation)
    if request.method == "POST" and form.is_valid():
        new_parent_id = form.cleaned_data.get("parent_choice") or None
        try:
            form.save()
            if str(node.parent_id or "") != str(new_parent_id or ""):
                new_parent = evaluation.consequences.get(pk=new_parent_id) if new_parent_id else None
                services.move_under(node, new_parent)
        except ConcurrentEditError:
            pass  # the form already carries the message
        except ValidationError as error:
            form.add_error(None, error)
        else:
            return _tree_response(request, evaluation)
    url = reverse("www:consequence_edit", args=[node.pk])
    return _consequence_page(request, form, evaluation, url, _("Edit the consequence"))


def _expected_version(request: HttpRequest) -> int | None:
    try:
        return int(request.POST["version"])
    except (KeyError, ValueError):
        return None


@require_POST
def consequence_move(request: HttpRequest, pk: int, direction: str) -> HttpResponse:
    node = managed_consequence(request, pk)
    step = {"up": -1, "down": 1}.get(direction)
    error = ""
    try:
        if step is None:
            raise ValidationError(_("Unknown move."))
        services.move_consequence(node, step, _expected_version(request))
    except ValidationError as refusal:
        error = _errors_text(refusal)
    except ConcurrentEditError as refusal:
        error = str(refusal)
    return _tree_response(request, node.evaluation, error)


@require_POST
def consequence_delete(request: HttpRequest, pk: int) -> HttpResponse:
    node = managed_consequence(request, pk)
    evaluation = node.evaluation
    error = ""
    try:
        services.delete_consequence(node, _expected_version(request))
    except ValidationError as refusal:
        error = _errors_text(refusal)
    except ConcurrentEditError as refusal:
        error = str(refusal)
    return _tree_response(request, evaluation, error)


# --- Level-2 GHG balance -------------------------------------------------------------------------


def balance_detail(request: HttpRequest, pk: int) -> HttpResponse:
    evaluation = visible_evaluation(request, pk)
    balance = evaluation.balance
    can_manage = can_manage_evaluations(request.user, evaluation.programme)  # type: ignore[arg-type]
    form = None
    if can_manage and evaluation.is_editable:
        form = BalanceLineForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            line = form.save(commit=False)
            try:
                services.check_line(line)
            except ValidationError as error:
                form.add_error(None, error)
            else:
                balance = services.balance_of(evaluation)
                line.balance = balance
                line.position = balance.lines.count() + 1
                line.save()
                messages.success(request, _("Line added; compute the balance again to update the result."))
                return redirect("www:balance_detail", evaluation.pk)
    lines = list(balance.lines.select_related("source_action")) if balance else []
    library = load_library()
    overrides = factor_library.source_uncertainties(factor_library.latest_version(), library)
    for line in lines:
        line.factor_uncertainty = factor_library.line_factor_uncertainty(  # type: ignore[attr-defined]
            line.factor_id, line.travel_mode, library, overrides
        )
    context = {
        "evaluation": evaluation,
        "balance": balance,
        "lines": lines,
        "form": form,
        "can_edit": can_manage and evaluation.is_editable,
        "result": balance.result if balance and balance.is_computed else None,
        "page_title": _("Greenhouse-gas balance — %s") % evaluation.title,
    }
    return render(request, "www/evaluation/balance.html", context)


def balance_line_edit(request: HttpRequest, pk: int) -> HttpResponse:
    line = managed_line(request, pk)
    evaluation = line.balance.evaluation
    form = BalanceLineForm(request.POST or None, instance=line)
    if not evaluation.is_editable:
        # A submitted or validated evaluation is frozen: say so where its content is shown.
        messages.error(request, _("The evaluation is no longer a draft: it cannot be changed."))
        return redirect(evaluation)
    if request.method == "POST" and form.is_valid():
        try:
            services.check_line(form.instance)
            form.save()
        except ValidationError as error:
            form.add_error(None, error)
        except ConcurrentEditError:
            pass
        else:
            messages.success(request, _("Line saved; compute the balance again to update the result."))
            return redirect("www:balance_detail", evaluation.pk)
    context = {
        "form": form,
        "programme": evaluation.programme,
        "cancel_url": reverse("www:balance_detail", args=[evaluation.pk]),
        "page_title": _("Edit the activity line"),
    }
    return render(request, "www/evaluation/form.html", context)


@require_POST
def balance_line_delete(request: HttpRequest, pk: int) -> HttpResponse:
    line = managed_line(request, pk)
    evaluation = line.balance.evaluation
    if evaluation.is_editable:
        line.delete()
        messages.success(request, _("Line deleted."))
    else:
        messages.error(request, _("The evaluation is no longer a draft: it cannot be changed."))
    return redirect("www:balance_detail", evaluation.pk)


@require_POST
def balance_prefill(request: HttpRequest, pk: int) -> HttpResponse:
    evaluation = managed_evaluation(request, pk)
    try:
        added = services.prefill_balance(evaluation)
    except ValidationError as error:
        messages.error(request, _errors_text(error))
    else:
        if added:
            messages.success(request, _("%d line(s) suggested from the actions' expected gains.") % added)
        else:
            messages.info(request, _("No new line to suggest: the actions state no further expected gains."))
    return redirect("www:balance_detail", evaluation.pk)


@require_POST
def balance_compute(request: HttpRequest, pk: int) -> HttpResponse:
    evaluation = managed_evaluation(request, pk)
    try:
        services.compute(evaluation)
    except ValidationError as error:
        messages.error(request, _("The balance was not computed: %s") % _errors_text(error))
    else:
        messages.success(request, _("Balance computed."))
    return redirect("www:balance_detail", evaluation.pk)
