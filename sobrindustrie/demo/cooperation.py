"""Demo content of the cooperation area: the constraints of the demo YAML, one analysis and two saved
scenarios for workshop 2 (the optimiser's teams and a variant modified by hand). Nothing is adopted
here: the project teams of the demo are created by the teams area.

Idempotent: constraints go through `upsert`; the analysis and the scenarios are created only when
missing (a solve's wall time differs from run to run, so re-saving would leave history behind).
"""

from __future__ import annotations

from typing import Any

from django.db import transaction

from sobrindustrie.accounts.enums import Role
from sobrindustrie.accounts.models import User
from sobrindustrie.cooperation import services
from sobrindustrie.cooperation.enums import ConstraintKind
from sobrindustrie.cooperation.models import CooperationAnalysis, Scenario, TeamConstraint
from sobrindustrie.core.upsert import upsert
from sobrindustrie.demo.loader import read_demo_data
from sobrindustrie.organisations.models import Organisation
from sobrindustrie.programmes.models import Programme

OPTIMAL_NAME = "Optimum de l'atelier 2"
VARIANT_NAME = "Variante : un membre déplacé vers la plus petite équipe"
CANNOT_LINK_REASON = "Refus de travailler ensemble déclaré à la candidature"


@transaction.atomic
def load(programme: Programme, data: dict[str, Any] | None = None) -> None:
    data = data or read_demo_data()
    consultant = User.objects.filter(role=Role.CONSULTANT, programmes=programme).order_by("email").first()
    _load_constraints(programme, data.get("cannot_link") or [], consultant)
    analysis = services.latest_analysis(programme) or services.run_analysis(programme, consultant)
    _load_scenarios(programme, analysis, consultant)


def _load_constraints(programme: Programme, pairs: list[list[str]], user: User | None) -> None:
    existing = TeamConstraint.objects.filter(
        programme=programme, kind=ConstraintKind.CANNOT_LINK
    ).prefetch_related("organisations")
    by_members = {frozenset(o.slug for o in c.organisations.all()): c for c in existing}
    for a, b in pairs:
        organisations = list(Organisation.objects.filter(programme=programme, slug__in=[a, b]))
        if len(organisations) != 2:
            raise ValueError(f"cannot_link [{a}, {b}]: unknown organisation in the demo programme")
        constraint = by_members.get(frozenset((a, b)))
        if constraint is not None:
            upsert(TeamConstraint, {"pk": constraint.pk}, {"reason": CANNOT_LINK_REASON})
            continue
        services.add_constraint(
            programme, ConstraintKind.CANNOT_LINK, organisations, CANNOT_LINK_REASON, user
        )


def _load_scenarios(programme: Programme, analysis: CooperationAnalysis, user: User | None) -> None:
    names = set(Scenario.objects.filter(analysis=analysis).values_list("name", flat=True))
    if OPTIMAL_NAME in names and VARIANT_NAME in names:
        return
    parameters = services.default_parameters(programme)
    formation = services.form_teams(analysis, parameters)
    if not formation.solution.teams:
        raise ValueError("demo: the optimiser found no teams: " + " ".join(formation.conflicts))
    summary = services.SolveSummary.of(formation.solution)
    optimal = [list(team.members) for team in formation.solution.teams]
    context = formation.context
    if OPTIMAL_NAME not in names:
        _create(analysis, OPTIMAL_NAME, context.teams_as_pks(optimal), parameters, summary, user)
    if VARIANT_NAME not in names:
        variant = _moved_one(optimal, context.problem.must_link, parameters.max_size)
        _create(analysis, VARIANT_NAME, context.teams_as_pks(variant), parameters, summary, user)


def _create(
    analysis: CooperationAnalysis,
    name: str,
    teams: list[list[int]],
    parameters: services.FormationParameters,
    summary: services.SolveSummary,
    user: User | None,
) -> None:
    values = services.scenario_values(analysis, teams, parameters, summary)
    upsert(Scenario, {"analysis": analysis, "name": name}, {**values, "created_by": user})


def _moved_one(
    teams: list[list[str]], must_link: tuple[tuple[str, ...], ...], max_size: int
) -> list[list[str]]:
    """The optimal teams with one member of the largest team that has one not bound by a must-link
    group, moved to the smallest other team: what a workshop participant typically tries."""
    variant = [list(team) for team in teams]
    bound = {org for group in must_link for org in group}
    with_free = [team for team in variant if any(org not in bound for org in team)]
    if not with_free:
        return variant
    largest = max(with_free, key=len)
    others = [team for team in variant if team is not largest]
    if not others:
        return variant
    # Teams of equal sizes: the move goes to the last of the others.
    smallest = min(reversed(others), key=len)
    movable = [org for org in sorted(largest) if org not in bound]
    if len(smallest) >= max_size:
        return variant
    largest.remove(movable[-1])
    smallest.append(movable[-1])
    return variant
