"""Writes of the evaluation area: the tree of consequences, the evaluation's workflow, the GHG balance.

Each function touching several rows runs in a transaction. Refusals are `ValidationError`s naming the
field and the rule, so the web layer can show them next to what the user typed.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from sobrindustrie.core.models import ConcurrentEditError
from sobrindustrie.engines.footprint import (
    ActivityLine,
    Distribution,
    Effect,
    FootprintError,
    LineKind,
    Uncertainty,
    compute_balance,
    load_library,
)
from sobrindustrie.engines.footprint.balance import DEFAULT_DRAWS, DEFAULT_SEED
from sobrindustrie.evaluation.enums import EvaluationStatus
from sobrindustrie.evaluation.factor_library import latest_version, source_uncertainties
from sobrindustrie.evaluation.models import BalanceLine, Consequence, Evaluation, GhgBalance
from sobrindustrie.evaluation.perms import can_manage_evaluations, can_validate_evaluations

if TYPE_CHECKING:
    from sobrindustrie.accounts.models import User


# --- Workflow ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Transition:
    name: str
    source: str
    target: str
    who: str  # "manager" (consultants) or "validator" (ADEME)


TRANSITIONS = {
    "submit": Transition("submit", EvaluationStatus.DRAFT, EvaluationStatus.SUBMITTED, "manager"),
    "validate": Transition("validate", EvaluationStatus.SUBMITTED, EvaluationStatus.VALIDATED, "validator"),
    "return": Transition("return", EvaluationStatus.SUBMITTED, EvaluationStatus.DRAFT, "validator"),
}


def allowed_transitions(evaluation: Evaluation, user: User) -> list[Transition]:
    return [t for t in TRANSITIONS.values() if t.source == evaluation.status and _may(user, evaluation, t)]


def _may(user: User, evaluation: Evaluation, transition: Transition) -> bool:
    if transition.who == "manager":
        return can_manage_evaluations(user, evaluation.programme)
    return can_validate_evaluations(user, evaluation.programme)


def apply_transition(evaluation: Evaluation, name: str, user: User) -> Evaluation:
    """Move the evaluation along the workflow; a refused move raises ValidationError saying why."""
    transition = TRANSITIONS.get(name)
    if transition is None or not _may(user, evaluation, transition):
        raise ValidationError(_("This action is not available to you."))
    if evaluation.status != transition.source:
        raise ValidationError(
            _("The evaluation is “%(status)s”: it cannot be %(action)s from there.")
            % {"status": evaluation.get_status_display(), "action": transition.name}
        )
    if transition.name == "submit" and not evaluation.reference_scenario.strip():
        raise ValidationError(
            {
                "reference_scenario": _(
                    "The reference scenario is empty: describe what happens without the "
                    "project before submitting the evaluation."
                )
            }
        )
    with transaction.atomic():
        evaluation.status = transition.target
        now = timezone.now()
        if transition.name == "submit":
            evaluation.submitted_at = now
        elif transition.name == "validate":
            evaluation.validated_at, evaluation.validated_by = now, user
        evaluation.save_checked(evaluation.version)
    return evaluation


def _check_editable(evaluation: Evaluation) -> None:
    if not evaluation.is_editable:
        raise ValidationError(
            _("The evaluation is “%(status)s”: it can only be changed while it is a draft.")
            % {"status": evaluation.get_status_display()}
        )


# --- Tree of consequences ------------------------------------------------------------------------


def _next_position(evaluation: Evaluation, parent: Consequence | None) -> int:
    top = Consequence.objects.filter(evaluation=evaluation, parent=parent).aggregate(m=Max("position"))["m"]
    return 0 if top is None else top + 1


def add_consequence(evaluation: Evaluation, parent: Consequence | None, node: Consequence) -> Consequence:
    """Add `node` (unsaved) as the last child of `parent` (or the last root)."""
    _check_editable(evaluation)
    if parent is not None and parent.evaluation_id != evaluation.pk:
        raise ValidationError({"parent": _("The parent consequence belongs to another evaluation.")})
    with transaction.atomic():
        node.evaluation, node.parent = evaluation, parent
        node.position = _next_position(evaluation, parent)
        node.full_clean()
        node.save()
    return node


def _check_version(node: Consequence, expected_version: int | None) -> None:
    if expected_version is not None and node.version != expected_version:
        raise ConcurrentEditError(
            _("This consequence was changed by someone else meanwhile. Reload the page to see their changes.")
        )


def move_consequence(node: Consequence, step: int, expected_version: int | None = None) -> None:
    """Move a node one place up (step −1) or down (+1) among its siblings; at either end, nothing moves."""
    _check_editable(node.evaluation)
    _check_version(node, expected_version)
    with transaction.atomic():
        siblings = list(
            Consequence.objects.select_for_update()
            .filter(evaluation=node.evaluation_id, parent=node.parent_id)
            .order_by("position", "pk")
        )
        index = next(i for i, s in enumerate(siblings) if s.pk == node.pk)
        target = index + step
        if not 0 <= target < len(siblings):
            return
        siblings[index], siblings[target] = siblings[target], siblings[index]
        _renumber(siblings)


def _renumber(siblings: Iterable[Consequence]) -> None:
    for position, sibling in enumerate(siblings):
        if sibling.position != position:
            sibling.position = position
            sibling.save_checked(sibling.version, update_fields=["position", "version", "updated_at"])


def descendants_of(node: Consequence) -> set[int]:
    """Primary keys of every node below `node` (one query for the whole evaluation)."""
    children: dict[int | None, list[int]] = {}
    for pk, parent_id in Consequence.objects.filter(evaluation=node.evaluation_id).values_list(
        "pk", "parent_id"
    ):
        children.setdefault(parent_id, []).append(pk)
    found: set[int] = set()
    stack = list(children.get(node.pk, []))
    while stack:
        pk = stack.pop()
        if pk not in found:
            found.add(pk)
            stack.extend(children.get(pk, []))
    return found


def move_under(
    node: Consequence, new_parent: Consequence | None, expected_version: int | None = None
) -> None:
    """Make `node` (with its subtree) the last child of `new_parent`, or a root when None.

    Refuses a move that would create a cycle (under itself or one of its own consequences).
    """
    _check_editable(node.evaluation)
    _check_version(node, expected_version)
    if new_parent is not None:
        if new_parent.evaluation_id != node.evaluation_id:
            raise ValidationError({"parent": _("The new parent belongs to another evaluation.")})
        if new_parent.pk == node.pk or new_parent.pk in descendants_of(node):
            raise ValidationError(
                {"parent": _("A consequence cannot be moved under itself or one of its own consequences.")}
            )
    with transaction.atomic():
        old_parent_id = node.parent_id
        node.parent = new_parent
        node.position = _next_position(node.evaluation, new_parent)
        node.save_checked(node.version)
        former = Consequence.objects.filter(evaluation=node.evaluation_id, parent=old_parent_id)
        _renumber(former.order_by("position", "pk"))


def delete_consequence(node: Consequence, expected_version: int | None = None) -> None:
    """Delete a leaf; a node with consequences below it is refused (move or delete those first)."""
    _check_editable(node.evaluation)
    _check_version(node, expected_version)
    if node.children.exists():
        raise ValidationError(
            _("“%(node)s” has consequences below it: move or delete them first.") % {"node": node}
        )
    with transaction.atomic():
        parent_id, evaluation_id = node.parent_id, node.evaluation_id
        node.delete()
        _renumber(
            Consequence.objects.filter(evaluation=evaluation_id, parent=parent_id).order_by("position", "pk")
        )


# --- Level-2 GHG balance -------------------------------------------------------------------------

ELECTRICITY = "electricity.fr.consumption_mix"
STEEL = "material.steel"
VAN_KM = "freight.road.light_van"


def balance_of(evaluation: Evaluation) -> GhgBalance:
    balance, _created = GhgBalance.objects.get_or_create(evaluation=evaluation)
    return balance


def suggested_lines(evaluation: Evaluation) -> list[BalanceLine]:
    """Lines suggested from the expected gains of the linked actions (the evaluated action, or every
    action of the team's plan): energy saved as French grid electricity, material saved as steel,
    km avoided as a diesel van's km. Assumptions to review: the carrier and material are guesses."""
    from sobrindustrie.actionplans.models import Action

    if evaluation.action_id:
        actions = [evaluation.action]
    else:
        actions = list(Action.objects.filter(plan__team=evaluation.team_id).order_by("position", "pk"))
    lines = []
    for action in actions:
        gains = (
            (action.expected_energy_kwh_per_year, LineKind.ENERGY, "kWh", ELECTRICITY, _("energy saved")),
            (action.expected_material_kg_per_year, LineKind.MATERIAL, "kg", STEEL, _("material saved")),
            (action.expected_km_avoided_per_year, LineKind.FREIGHT, "km", VAN_KM, _("transport avoided")),
        )
        for quantity, kind, unit, factor_id, what in gains:
            if quantity:
                lines.append(
                    BalanceLine(
                        label=f"{action.title} — {what}"[:200],
                        kind=kind.value,
                        effect=Effect.AVOIDED.value,
                        quantity=quantity,
                        unit=unit,
                        factor_id=factor_id,
                        uncertainty=0.2,
                        distribution=Distribution.NORMAL.value,
                        source_action=action,
                    )
                )
    return lines


def prefill_balance(evaluation: Evaluation) -> int:
    """Add the suggested lines not already present (same action, kind and factor); returns how many."""
    _check_editable(evaluation)
    with transaction.atomic():
        balance = balance_of(evaluation)
        present = set(balance.lines.values_list("source_action_id", "kind", "factor_id"))
        position = (balance.lines.aggregate(m=Max("position"))["m"] or 0) + 1
        added = 0
        for line in suggested_lines(evaluation):
            if (line.source_action_id, line.kind, line.factor_id) in present:
                continue
            line.balance, line.position = balance, position
            line.save()
            position += 1
            added += 1
    return added


def activity_line(line: BalanceLine) -> ActivityLine:
    """The engine's view of a stored line; a bad value raises the engine's error naming the field."""
    return ActivityLine(
        label=line.label,
        kind=LineKind(line.kind),
        effect=Effect(line.effect),
        quantity=line.quantity,
        unit=line.unit,
        factor_id="" if line.kind == LineKind.TRAVEL and line.travel_mode else line.factor_id,
        travel_mode=line.travel_mode if line.kind == LineKind.TRAVEL else "",
        quantity_uncertainty=Uncertainty(line.uncertainty, Distribution(line.distribution)),
        years=line.years,
        share=line.share,
    )


def check_line(line: BalanceLine) -> None:
    """Refuse a line the engine cannot use (unknown factor, unit not matching the factor's)."""
    try:
        compute_balance([activity_line(line)], reference_scenario="check", draws=100)
    except (FootprintError, LookupError) as error:
        raise ValidationError(
            _("This line cannot be computed: %(error)s") % {"error": _strip_line(error)}
        ) from None


def _strip_line(error: Exception) -> str:
    text = str(error.args[0]) if error.args else str(error)
    return text.split("): ", 1)[1] if text.startswith("line ") and "): " in text else text


def compute(evaluation: Evaluation, *, seed: int = DEFAULT_SEED, draws: int = DEFAULT_DRAWS) -> GhgBalance:
    """Compute the balance with a fixed seed and store its central value, 90 % interval, dominant
    input and the library reference used. Refusals name the line and the field."""
    balance = balance_of(evaluation)
    lines = list(balance.lines.order_by("position", "pk"))
    if not evaluation.reference_scenario.strip():
        raise ValidationError(
            _(
                "The reference scenario is empty: a balance is measured against what happens without the project."
            )
        )
    if not lines:
        raise ValidationError(_("Add at least one activity line before computing the balance."))
    library = load_library()
    # Factors citing a Base Empreinte element are drawn from the uncertainty the latest imported
    # export publishes for it; the others from the library's own.
    source = latest_version()
    overrides = source_uncertainties(source, library)
    try:
        result = compute_balance(
            [activity_line(line) for line in lines],
            reference_scenario=evaluation.reference_scenario,
            library=library,
            seed=seed,
            draws=draws,
            factor_uncertainties=overrides,
        )
    except (FootprintError, LookupError) as error:
        raise ValidationError(str(error.args[0]) if error.args else str(error)) from None
    dominant = result.dominant_input
    values: dict[str, Any] = {
        "library_reference": (
            f"{result.library_reference} BE {source.source_version}"
            if source and overrides
            else result.library_reference
        )[:60],
        "seed": result.seed,
        "draws": result.draws,
        "central_kg": result.central_kg_co2e_per_year,
        "p5_kg": result.spread.p5,
        "p95_kg": result.spread.p95,
        "dominant_input": dominant.label[:300] if dominant else "",
        "dominant_share": dominant.variance_share if dominant else None,
        "result": result.to_dict(),
        "computed_at": timezone.now(),
    }
    for name, value in values.items():
        setattr(balance, name, value)
    balance.save_checked(balance.version)
    return balance
