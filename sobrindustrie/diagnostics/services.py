"""Writes of the diagnostics app: each in one transaction, each the one place where its change happens."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F, Sum
from django.utils import timezone
from django.utils.formats import date_format, number_format
from django.utils.translation import gettext as _

from sobrindustrie.core.upsert import upsert
from sobrindustrie.diagnostics.answers import AnswerError, parse_answer
from sobrindustrie.diagnostics.enums import (
    DiagnosticStatus,
    Level,
    MethodStatus,
    OpportunityStatus,
    Origin,
    Priority,
)
from sobrindustrie.diagnostics.evaluation import evaluate_diagnostic
from sobrindustrie.diagnostics.ghg import estimate_ghg
from sobrindustrie.diagnostics.methods.evaluate import SuggestedOpportunity
from sobrindustrie.diagnostics.methods.loader import (
    DEFAULT_METHOD_FILE,
    MethodError,
    Problem,
    fingerprint,
    parse_method,
    read_document,
)
from sobrindustrie.diagnostics.models import (
    Answer,
    Barrier,
    CooperationSignal,
    Diagnostic,
    DiagnosticSession,
    MeansObservation,
    MethodVersion,
    Opportunity,
    StatusChange,
)
from sobrindustrie.diagnostics.workflow import check_transition
from sobrindustrie.organisations.models import Organisation, ProductionMeans
from sobrindustrie.organisations.reference import taxonomy

if TYPE_CHECKING:
    from sobrindustrie.accounts.models import User
    from sobrindustrie.programmes.models import Programme


# --- Method versions -----------------------------------------------------------------------------


def load_method_text(
    programme: Programme, text: str, source_name: str, user: User | None = None
) -> tuple[MethodVersion, str]:
    """Store a method version from its YAML; return it with "created", "updated" or "unchanged".

    Raises MethodError when the YAML is invalid, or when it would change a validated version.
    """
    method = parse_method(read_document(text, source_name), source_name, taxonomy().keys())
    digest = fingerprint(text)
    with transaction.atomic():
        existing = (
            MethodVersion.objects.select_for_update()
            .filter(programme=programme, code=method.code, version=method.version)
            .first()
        )
        if existing is not None and existing.fingerprint == digest:
            return existing, "unchanged"
        if existing is not None and existing.is_validated:
            raise MethodError(
                source_name,
                [
                    Problem(
                        "file › version",
                        f"version {method.version} of {method.code!r} is validated and cannot change; "
                        "give the changed method a new version number",
                    )
                ],
            )
        values = {
            "title": method.title,
            "source_name": source_name,
            "source_text": text,
            "fingerprint": digest,
            "loaded_by": user,
        }
        version, outcome = upsert(
            MethodVersion, {"programme": programme, "code": method.code, "version": method.version}, values
        )
        return version, outcome


def load_method_file(
    programme: Programme, path: Path = DEFAULT_METHOD_FILE, user: User | None = None
) -> tuple[MethodVersion, str]:
    return load_method_text(programme, path.read_text(encoding="utf-8"), path.name, user)


@transaction.atomic
def validate_method(method: MethodVersion, user: User) -> None:
    locked = MethodVersion.objects.select_for_update().get(pk=method.pk)
    if locked.is_validated:
        raise ValidationError(_("This method version is already validated."))
    locked.status = MethodStatus.VALIDATED
    locked.validated_by = user
    locked.validated_at = timezone.now()
    locked.save()
    method.refresh_from_db()


# --- Diagnostics and their workflow ----------------------------------------------------------------


@transaction.atomic
def create_diagnostic(
    programme: Programme, organisation: Organisation, method: MethodVersion, **values: Any
) -> Diagnostic:
    diagnostic = Diagnostic(programme=programme, organisation=organisation, method=method, **values)
    diagnostic.full_clean()
    diagnostic.save()
    return diagnostic


@transaction.atomic
def plan_missing_diagnostics(programme: Programme, method: MethodVersion, consultant: User | None) -> int:
    """Create a planned diagnostic for every active laureate that has none; return how many."""
    laureates = (
        Organisation.objects.for_programme(programme).laureates().active().filter(diagnostic__isnull=True)
    )
    created = 0
    for organisation in laureates:
        create_diagnostic(programme, organisation, method, consultant=consultant)
        created += 1
    return created


@transaction.atomic
def fire_transition(diagnostic: Diagnostic, name: str, user: User, comment: str = "") -> Diagnostic:
    """Move the diagnostic along the workflow, or raise TransitionRefused saying why not."""
    locked = (
        Diagnostic.objects.select_for_update()
        .select_related("programme", "organisation")
        .get(pk=diagnostic.pk)
    )
    transition = check_transition(user, locked, name, comment)
    source = locked.status
    locked.status = transition.target
    now = timezone.now()
    if transition.target == DiagnosticStatus.ACCEPTED:
        locked.accepted_by, locked.accepted_at = user, now
    elif transition.target == DiagnosticStatus.VALIDATED:
        locked.validated_by, locked.validated_at = user, now
    elif transition.target == DiagnosticStatus.IN_PROGRESS:
        locked.accepted_by, locked.accepted_at = None, None
    locked.version += 1
    locked._change_reason = comment[:100] if comment else transition.name  # type: ignore[attr-defined]
    locked.save()
    StatusChange.objects.create(
        diagnostic=locked,
        transition=name,
        from_status=source,
        to_status=transition.target,
        by=user,
        comment=comment,
    )
    return locked


# --- Answers, observations, sessions -----------------------------------------------------------------


def save_answer(
    diagnostic: Diagnostic, question_id: str, means_id: str | None, raw: str | None, user: User
) -> tuple[Any, bool]:
    """Save one answer as typed; return (value, changed). Raises AnswerError with a message."""
    question = diagnostic.method.method.questions.get(question_id)
    if question is None:
        raise AnswerError(_("This question is not part of the diagnostic's method."))
    means = None
    if question.per_means:
        means = ProductionMeans.objects.filter(
            organisation_id=diagnostic.organisation_id, pk=means_id or 0
        ).first()
        if means is None:
            raise AnswerError(_("Choose a production means of the company."))
    value = parse_answer(question, raw)
    lookup = {"diagnostic": diagnostic, "question_id": question_id, "production_means": means}
    with transaction.atomic():
        existing = Answer.objects.select_for_update().filter(**lookup).first()
        if value is None:
            if existing is None:
                return None, False
            existing.delete()
            return None, True
        if existing is not None and existing.value == value:
            return value, False
        if existing is None:
            Answer.objects.create(**lookup, value=value, updated_by=user)
        else:
            existing.value, existing.updated_by = value, user
            existing.save()
    return value, True


@transaction.atomic
def save_observation(observation: MeansObservation, user: User) -> MeansObservation:
    observation.updated_by = user
    observation.full_clean(exclude=["diagnostic", "production_means"])
    if observation.pk:
        observation.version = F("version") + 1
    observation.save()
    observation.refresh_from_db()
    return observation


def _day_label(days: Decimal) -> str:
    return number_format(days.normalize() if days == days.to_integral() else days)


@transaction.atomic
def add_session(diagnostic: Diagnostic, session: DiagnosticSession) -> DiagnosticSession:
    """Record a session, refusing one that would take the diagnostic over the programme's cap.

    The diagnostic row is locked so that two consultants adding sessions at once cannot both pass
    the check and together exceed the cap.
    """
    locked = Diagnostic.objects.select_for_update().select_related("programme").get(pk=diagnostic.pk)
    programme = locked.programme
    session.diagnostic = locked
    session.full_clean()
    errors: dict[str, str] = {}
    spent = locked.sessions.aggregate(total=Sum("days"))["total"] or Decimal("0")
    cap = programme.diagnostic_days_cap
    if spent + session.days > cap:
        errors["days"] = _(
            "This session would bring the diagnostic to %(total)s days, above the programme's cap of "
            "%(cap)s days (%(spent)s already spent)."
        ) % {"total": _day_label(spent + session.days), "cap": _day_label(cap), "spent": _day_label(spent)}
    if not programme.starts_on <= session.date <= programme.ends_on:
        errors["date"] = _("The date must fall within the programme (%(start)s – %(end)s).") % {
            "start": date_format(programme.starts_on, "SHORT_DATE_FORMAT"),
            "end": date_format(programme.ends_on, "SHORT_DATE_FORMAT"),
        }
    if errors:
        raise ValidationError(errors)
    session.save()
    return session


# --- Suggestions from the method's rules -----------------------------------------------------------


@dataclass
class SuggestionReport:
    fired: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    kept: int = 0  # edited by the consultant, left alone
    removed: int = 0
    signals: int = 0


def _priority(potential: str, feasibility: str) -> int:
    if potential == Level.HIGH and feasibility != Level.LOW:
        return Priority.HIGH
    if potential == Level.LOW or feasibility == Level.LOW:
        return Priority.LOW
    return Priority.MEDIUM


def _opportunity_values(suggestion: SuggestedOpportunity) -> dict[str, Any]:
    electricity = suggestion.energy_kwh_by_carrier.get("electricity")
    gas = suggestion.energy_kwh_by_carrier.get("natural_gas")
    ghg = estimate_ghg(electricity, gas)
    need = suggestion.need
    return {
        "solution": suggestion.solution,
        "title": suggestion.title[:200],
        "description": suggestion.description,
        "potential": suggestion.potential,
        "feasibility": suggestion.feasibility,
        "priority": _priority(suggestion.potential, suggestion.feasibility),
        "electricity_kwh_per_year": electricity,
        "natural_gas_kwh_per_year": gas,
        "material_kg_per_year": suggestion.material_kg_per_year,
        "ghg_kgco2e_per_year": ghg.kgco2e_per_year if ghg else None,
        "ghg_basis": ghg.basis if ghg else "",
        "ghg_entered": False,
        "euros_per_year": None
        if suggestion.euros_per_year is None
        else Decimal(round(suggestion.euros_per_year)),
        "need_kind": need.kind if need else "",
        "need_category": (need.category or "") if need and need.kind == "capacity" else "",
        "need_skill": (need.skill or "") if need else "",
        "need_hours_per_year": need.hours_per_year if need else None,
    }


@transaction.atomic
def apply_suggestions(diagnostic: Diagnostic) -> SuggestionReport:
    """Bring the rule-suggested opportunities, barriers and cooperation signals up to date.

    What the consultant edited or added is never touched; suggestions whose rule no longer fires
    are removed unless the consultant retained or edited them.
    """
    Diagnostic.objects.select_for_update().filter(pk=diagnostic.pk).first()
    evaluation = evaluate_diagnostic(diagnostic)
    report = SuggestionReport(fired=len(evaluation.fired))
    existing = {o.rule_id: o for o in diagnostic.opportunities.filter(origin=Origin.RULE)}
    for suggestion in evaluation.opportunities:
        current = existing.pop(suggestion.rule_id, None)
        if current is not None and current.edited:
            report.kept += 1
            continue
        values = _opportunity_values(suggestion)
        if current is None:
            values["status"] = OpportunityStatus.SUGGESTED
        opportunity, outcome = upsert(
            Opportunity,
            {"diagnostic": diagnostic, "origin": Origin.RULE, "rule_id": suggestion.rule_id},
            values,
        )
        means_ids = {int(pk) for pk in suggestion.means_ids}
        if set(opportunity.production_means.values_list("pk", flat=True)) != means_ids:
            opportunity.production_means.set(means_ids)
            outcome = "updated" if outcome == "unchanged" else outcome
        if outcome == "updated":
            Opportunity.objects.filter(pk=opportunity.pk).update(version=F("version") + 1)
        setattr(report, outcome, getattr(report, outcome) + 1)
        _sync_rule_barriers(opportunity, [(suggestion.rule_id, b) for b in suggestion.barriers])
    for stale in existing.values():
        if stale.edited or stale.status != OpportunityStatus.SUGGESTED:
            report.kept += 1
        else:
            stale.delete()
            report.removed += 1
    _attach_solution_barriers(diagnostic, evaluation.barriers)
    report.signals = _sync_rule_signals(diagnostic, evaluation.cooperation)
    return report


def _sync_rule_barriers(opportunity: Opportunity, barriers: list[tuple[str, Any]]) -> None:
    """Align the barriers the opportunity's own rule gives; a barrier the consultant wrote wins."""
    wanted = {spec.category: spec for _rule_id, spec in barriers}
    current = {barrier.category: barrier for barrier in opportunity.barriers.all()}
    for category, barrier in current.items():
        own = barrier.origin == Origin.RULE and barrier.rule_id == opportunity.rule_id
        if own and category not in wanted:
            barrier.delete()
        elif own and barrier.comment != wanted[category].comment:
            barrier.comment = wanted[category].comment
            barrier.save()
    for category, spec in wanted.items():
        if category not in current:
            Barrier.objects.create(
                opportunity=opportunity,
                category=category,
                comment=spec.comment,
                origin=Origin.RULE,
                rule_id=opportunity.rule_id,
            )


def _attach_solution_barriers(diagnostic: Diagnostic, barriers: Any) -> None:
    """Barriers of rules without an opportunity hinder every open opportunity of their solution;
    they go away when their rule no longer fires."""
    firing = {rule_id for rule_id, _spec in barriers}
    Barrier.objects.filter(opportunity__diagnostic=diagnostic, origin=Origin.RULE).exclude(
        rule_id=F("opportunity__rule_id")
    ).exclude(rule_id__in=firing).delete()
    opportunities = list(diagnostic.opportunities.exclude(status=OpportunityStatus.DISMISSED))
    taken = {
        (b.opportunity_id, b.category) for b in Barrier.objects.filter(opportunity__diagnostic=diagnostic)
    }
    for rule_id, spec in barriers:
        for opportunity in opportunities:
            if opportunity.solution == spec.solution and (opportunity.pk, spec.category) not in taken:
                Barrier.objects.create(
                    opportunity=opportunity,
                    category=spec.category,
                    comment=spec.comment,
                    origin=Origin.RULE,
                    rule_id=rule_id,
                )
                taken.add((opportunity.pk, spec.category))


def _sync_rule_signals(diagnostic: Diagnostic, suggestions: Any) -> int:
    def key(signal: Any) -> tuple[Any, ...]:
        return (
            signal.rule_id,
            signal.direction,
            signal.kind,
            signal.solution,
            signal.category or "",
            signal.skill or "",
        )

    wanted = {key(s): s for s in suggestions}
    for signal in diagnostic.cooperation_signals.filter(origin=Origin.RULE):
        if key(signal) not in wanted:
            signal.delete()
    for (rule_id, direction, kind, solution, category, skill), spec in wanted.items():
        upsert(
            CooperationSignal,
            {
                "diagnostic": diagnostic,
                "origin": Origin.RULE,
                "rule_id": rule_id,
                "direction": direction,
                "kind": kind,
                "solution": solution,
                "category": category,
                "skill": skill,
            },
            {
                "strength": spec.strength,
                "hours_per_year": spec.hours_per_year,
                "description": spec.description,
            },
        )
    return len(wanted)


@transaction.atomic
def save_opportunity(
    opportunity: Opportunity,
    expected_version: int | None,
    links: dict[str, Any],
    barriers: Iterable[Barrier],
    deleted_barriers: Iterable[Barrier] = (),
) -> Opportunity:
    """Save an opportunity edited by hand, its links (many-to-many values by field name) and its
    barriers, all or nothing: a concurrent edit (`ConcurrentEditError`) or a failing barrier leaves
    every row as it was."""
    opportunity.edited = True
    recompute_ghg(opportunity)
    if opportunity.pk:
        opportunity.save_checked(expected_version if expected_version is not None else opportunity.version)
    else:
        opportunity.save()
    for name, values in links.items():
        getattr(opportunity, name).set(values)
    for barrier in barriers:
        barrier.opportunity = opportunity
        if not barrier.pk:
            barrier.origin = Origin.CONSULTANT
        barrier.save()
    for barrier in deleted_barriers:
        barrier.delete()
    return opportunity


def recompute_ghg(opportunity: Opportunity) -> None:
    """Fill the GHG potential from the energy saved unless the consultant entered it by hand."""
    if opportunity.ghg_entered and opportunity.ghg_kgco2e_per_year is not None:
        opportunity.ghg_basis = _("Entered by the consultant.")
        return
    opportunity.ghg_entered = False
    estimate = estimate_ghg(opportunity.electricity_kwh_per_year, opportunity.natural_gas_kwh_per_year)
    opportunity.ghg_kgco2e_per_year = estimate.kgco2e_per_year if estimate else None
    opportunity.ghg_basis = estimate.basis if estimate else ""
