"""Running the cooperation analysis, forming teams, saving, comparing and adopting scenarios.

Writes that touch several rows run in one transaction. The engine (`sobrindustrie.engines.teams`)
does the finding and the optimising; this module feeds it through the adapters and stores what it
returns.
"""

from __future__ import annotations

import dataclasses
import time
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from ortools.graph.python import linear_sum_assignment

from sobrindustrie.accounts.models import User
from sobrindustrie.cooperation.adapters import (
    FormationParameters,
    ProblemContext,
    detection_inputs,
    formation_count,
    team_problem,
    team_problem_for,
    weights_json,
)
from sobrindustrie.cooperation.enums import ConstraintKind, ScenarioOrigin, SolveStatus
from sobrindustrie.cooperation.explain import describe_all
from sobrindustrie.cooperation.freshness import inputs_state
from sobrindustrie.cooperation.models import (
    CooperationAnalysis,
    DetectedOpportunity,
    OpportunityMeans,
    Scenario,
    TeamConstraint,
)
from sobrindustrie.cooperation.wording import sentence_of
from sobrindustrie.core.enums import Solution
from sobrindustrie.engines.teams import (
    DetectionParameters,
    Opportunity,
    PartitionScore,
    TeamSolution,
    detect_opportunities,
    opportunities_between,
    pair_weights,
    score_partition,
    solve_teams,
)
from sobrindustrie.organisations.models import Organisation
from sobrindustrie.programmes.models import Programme
from sobrindustrie.teams.models import ProjectTeam
from sobrindustrie.teams.services import NewTeam, add_member, create_teams, remove_member

SEED = 0
"""Fixed CP-SAT seed: the same input gives the same teams in the workshop and in the report."""
WORKERS = 2


# --- analysis ---------------------------------------------------------------------------------------


@transaction.atomic
def run_analysis(
    programme: Programme, user: User | None = None, parameters: DetectionParameters | None = None
) -> CooperationAnalysis:
    """Detect the programme's cooperation opportunities and store them as a new analysis.

    Older analyses that no scenario refers to are deleted: they are snapshots nobody builds on, and
    their links would keep protecting production means from deletion. Raises TeamsInputError when
    the inventory holds a value the engine refuses (the message names the field)."""
    parameters = parameters or DetectionParameters()
    started = time.monotonic()
    inputs = detection_inputs(programme)
    found = detect_opportunities(
        inputs.orgs, inputs.machines, inputs.needs, inputs.offers, inputs.signals, parameters
    )
    analysis = CooperationAnalysis.objects.create(
        programme=programme,
        run_at=timezone.now(),
        run_by=user if user is not None and user.is_authenticated else None,
        parameters=dataclasses.asdict(parameters),
        organisation_count=len(inputs.orgs),
        machine_count=len(inputs.machines),
        need_count=len(inputs.needs),
        offer_count=len(inputs.offers),
        signal_count=len(inputs.signals),
        opportunity_count=len(found),
        inputs_state=inputs_state(programme),
    )
    rows = DetectedOpportunity.objects.bulk_create(
        [_opportunity_row(analysis, opportunity, inputs.organisations) for opportunity in found]
    )
    OpportunityMeans.objects.bulk_create(
        [
            OpportunityMeans(opportunity=row, production_means_id=int(machine_id))
            for row, opportunity in zip(rows, found, strict=True)
            for machine_id in opportunity.machine_ids
        ]
    )
    analysis.duration_s = round(time.monotonic() - started, 3)
    analysis.save(update_fields=["duration_s"])
    (
        CooperationAnalysis.objects.for_programme(programme)
        .exclude(pk=analysis.pk)
        .filter(scenarios__isnull=True)
        .delete()
    )
    return analysis


def _opportunity_row(
    analysis: CooperationAnalysis, opportunity: Opportunity, organisations: dict[str, Organisation]
) -> DetectedOpportunity:
    return DetectedOpportunity(
        analysis=analysis,
        solution=opportunity.solution,
        provider=organisations[opportunity.provider_org_id],
        receiver=organisations[opportunity.receiver_org_id],
        skills=list(opportunity.skills),
        distance_km=opportunity.distance_km,
        avoided_purchase_eur=opportunity.avoided_purchase_eur,
        basis=dict(opportunity.basis),
        avoided_kgco2e=opportunity.avoided_embodied_kgco2e,
        km_avoided_per_year=opportunity.km_avoided_per_year,
        avoided_travel_kgco2e_per_year=opportunity.avoided_travel_kgco2e_per_year,
        hours_shared_per_year=opportunity.hours_shared_per_year,
        value_eur=opportunity.value_eur,
        fit=opportunity.fit,
        score=opportunity.score,
        wording=opportunity.wording,
        wording_params=dict(opportunity.wording_params),
        subject=opportunity.subject[:120],
    )


def latest_analysis(programme: Programme) -> CooperationAnalysis | None:
    return CooperationAnalysis.objects.latest_for(programme)  # type: ignore[return-value]


# --- constraints ------------------------------------------------------------------------------------


@transaction.atomic
def add_constraint(
    programme: Programme,
    kind: str,
    organisations: Sequence[Organisation],
    reason: str = "",
    user: User | None = None,
) -> TeamConstraint:
    """Record a must-link group or a cannot-link set (every pair of it kept apart)."""
    if len(set(organisations)) < 2:
        raise ValidationError({"organisations": _("Choose at least two organisations.")})
    if kind == ConstraintKind.CANNOT_LINK and len(set(organisations)) != 2:
        raise ValidationError(
            {"organisations": _("A cannot-link constraint names exactly two organisations.")}
        )
    if any(org.programme_id != programme.pk for org in organisations):
        raise ValidationError({"organisations": _("Every organisation must belong to the programme.")})
    constraint = TeamConstraint(programme=programme, kind=kind, reason=reason, created_by=user)
    constraint.full_clean()
    constraint.save()
    constraint.organisations.set(organisations)
    return constraint


# --- team formation ---------------------------------------------------------------------------------


def default_parameters(programme: Programme, include_outside: bool = False) -> FormationParameters:
    count = formation_count(programme, include_outside)
    return dataclasses.replace(
        FormationParameters.defaults(programme, count), include_outside=include_outside
    )


@dataclass(frozen=True)
class SolveSummary:
    """What a solve proved, carried alongside a partition being edited by hand."""

    status: str
    optimum: float | None
    bound: float | None
    wall_time_s: float
    teams: tuple[tuple[str, ...], ...]
    reference: float | None = None
    """The best cooperation score without the floor and the distance term (their price's reference)."""

    @classmethod
    def of(cls, solution: TeamSolution, reference: TeamSolution | None = None) -> SolveSummary:
        return cls(
            solution.status,
            solution.objective,
            solution.bound,
            round(solution.wall_time_s + (reference.wall_time_s if reference else 0.0), 3),
            tuple(team.members for team in solution.teams),
            reference.objective if reference is not None else None,
        )

    def as_dict(self) -> dict[str, Any]:
        return {**dataclasses.asdict(self), "teams": [list(team) for team in self.teams]}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> SolveSummary:
        return cls(
            str(data["status"]),
            data.get("optimum"),
            data.get("bound"),
            float(data.get("wall_time_s", 0)),
            tuple(tuple(team) for team in data.get("teams", [])),
            data.get("reference"),
        )


#: Next-best partitions offered beside the optimiser's teams, each with its score loss.
ALTERNATIVES_SHOWN = 3


@dataclass
class Formation:
    context: ProblemContext
    parameters: FormationParameters
    solution: TeamSolution
    conflicts: list[str]
    reference: TeamSolution | None = None
    """The solve without the consultant's choices (floor, distance term), to price them."""


def form_teams(analysis: CooperationAnalysis, parameters: FormationParameters) -> Formation:
    """Run the optimiser on the analysis's pair weights and the programme's constraints. With a floor
    or a distance term, the same problem is also solved without them, each solve taking half the time
    limit, so that the page can show what the choices cost."""
    context = team_problem(analysis, parameters)
    # The time limit covers every solve: the best teams, the alternatives, the reference.
    solves = 1 + ALTERNATIVES_SHOWN + (1 if parameters.has_choices else 0)
    limit = parameters.time_limit_s / solves
    solution = solve_teams(
        context.problem, time_limit_s=limit, alternatives=ALTERNATIVES_SHOWN, seed=SEED, workers=WORKERS
    )
    reference = None
    if parameters.has_choices and solution.status != "INFEASIBLE":
        plain = team_problem(analysis, parameters.unconstrained())
        reference = solve_teams(plain.problem, time_limit_s=limit, seed=SEED, workers=WORKERS)
    return Formation(context, parameters, solution, describe_all(solution.conflicts, context), reference)


def moved_organisations(best: Sequence[Sequence[str]], other: Sequence[Sequence[str]]) -> list[str]:
    """Who is in another team in `other` than in `best`, once the teams are matched as well as they
    can be (so that relabelled teams move nobody)."""
    ids = {slug: n for n, slug in enumerate(sorted({s for team in [*best, *other] for s in team}))}
    a = [[ids[s] for s in team] for team in best]
    b = [[ids[s] for s in team] for team in other]
    match = _match_teams(a, b)
    team_in_b = {member: j for j, team in enumerate(b) for member in team}
    slug_of = {n: slug for slug, n in ids.items()}
    return sorted(
        slug_of[member]
        for i, team in enumerate(a)
        for member in team
        if team_in_b.get(member) != match.get(i)
    )


def cooperation_scores(context: ProblemContext, teams: Sequence[Iterable[str]]) -> list[float]:
    """Each team's score from its cooperations alone (without the distance term); the pair weights
    are summed once for all the teams."""
    weights = pair_weights(context.opportunities)
    team_of = {slug: number for number, members in enumerate(teams) for slug in members}
    scores = [0.0] * len(teams)
    for w in weights:
        if w.a in team_of and team_of[w.a] == team_of.get(w.b):
            scores[team_of[w.a]] += w.weight
    return scores


def score_teams(
    context: ProblemContext, teams: Sequence[Sequence[str]], optimum: float | None
) -> PartitionScore:
    return score_partition(context.problem, teams, optimum)


def team_reasons(context: ProblemContext, members: Iterable[str]) -> list[Opportunity]:
    """The opportunities that bind a team: those between two of its members, best first."""
    return sorted(opportunities_between(members, context.opportunities), key=lambda o: -o.score)


def _same_partition(a: Iterable[Iterable[str]], b: Iterable[Iterable[str]]) -> bool:
    return {frozenset(team) for team in a if team} == {frozenset(team) for team in b if team}


def scenario_values(
    analysis: CooperationAnalysis,
    teams: Sequence[Sequence[int]],
    parameters: FormationParameters,
    solve: SolveSummary,
) -> dict[str, Any]:
    """A scenario's fields for a partition (organisation primary keys per team), scored here so
    that the stored score, loss and broken constraints never come from the browser."""
    context = team_problem(analysis, parameters)
    slugs = context.teams_as_slugs(teams)
    scored = score_partition(context.problem, slugs, solve.optimum)
    same_as_solver = _same_partition(slugs, solve.teams)
    return {
        "origin": ScenarioOrigin.OPTIMISER if same_as_solver else ScenarioOrigin.HAND_MODIFIED,
        "teams": context.teams_as_pks(slugs),
        "parameters": parameters.as_dict(),
        "objective": scored.score,
        "optimum": solve.optimum,
        "bound": solve.bound,
        "status": solve.status,
        "solver_time_s": solve.wall_time_s,
        "is_optimal": (
            solve.status == SolveStatus.OPTIMAL
            and not scored.broken
            and solve.optimum is not None
            and abs(scored.score - solve.optimum) < 1e-6
        ),
        "broken": describe_all(scored.broken, context),
    }


@transaction.atomic
def save_scenario(
    analysis: CooperationAnalysis,
    name: str,
    teams: Sequence[Sequence[int]],
    parameters: FormationParameters,
    solve: SolveSummary,
    user: User | None = None,
) -> Scenario:
    """Store a partition as a named scenario of `analysis`."""
    scenario = Scenario(
        analysis=analysis,
        name=name,
        created_by=user if user is not None and user.is_authenticated else None,
        **scenario_values(analysis, teams, parameters, solve),
    )
    scenario.full_clean()
    scenario.save()
    return scenario


def scenario_context(scenario: Scenario) -> ProblemContext:
    return team_problem(scenario.analysis, FormationParameters.from_dict(scenario.parameters))


# --- adoption ---------------------------------------------------------------------------------------


class AdoptionRefused(Exception):
    """A scenario that may not be adopted; the message says why in words."""


def _theme(reasons: Sequence[Opportunity], members: Sequence[Organisation]) -> str:
    """The solution the team's cooperations weigh most in, else its members' commonest interest."""
    weight: Counter[str] = Counter()
    for reason in reasons:
        weight[reason.solution] += reason.score
    if weight:
        return weight.most_common(1)[0][0]
    interests = Counter(code for org in members for code in org.solution_interests or ())
    return interests.most_common(1)[0][0] if interests else Solution.OTHER_LOWTECH


def _pilot(reasons: Sequence[Opportunity], members: Sequence[Organisation]) -> Organisation | None:
    """The laureate most involved in the team's cooperations (by score), to propose as pilot."""
    involvement: Counter[str] = Counter()
    for reason in reasons:
        involvement[reason.provider_org_id] += reason.score
        involvement[reason.receiver_org_id] += reason.score
    laureates = [org for org in members if org.is_laureate] or list(members)
    if not laureates:
        return None
    return max(laureates, key=lambda org: (involvement[org.slug], -laureates.index(org)))


def adoption_plan(scenario: Scenario) -> list[NewTeam]:
    """The project teams adopting `scenario` would create (shown before confirming)."""
    context = scenario_context(scenario)
    organisations = Organisation.objects.in_bulk(scenario.organisation_ids)
    plan = []
    for number, team in enumerate(scenario.teams, start=1):
        members = sorted((organisations[pk] for pk in team if pk in organisations), key=lambda o: o.name)
        reasons = team_reasons(context, [org.slug for org in members])
        theme = _theme(reasons, members)
        lines = [_("Cooperations identified by the analysis:")] + [f"- {sentence_of(r)}" for r in reasons[:5]]
        plan.append(
            NewTeam(
                name=_("Team %(number)s — %(theme)s") % {"number": number, "theme": Solution(theme).label},
                theme=theme,
                members=tuple(members),
                objectives="\n".join(lines) if reasons else "",
                pilot=_pilot(reasons, members),
            )
        )
    return plan


def adoption_refusal(scenario: Scenario) -> str | None:
    """Why `scenario` cannot be adopted, or None."""
    if scenario.adopted_at is not None:
        return _("This scenario was already adopted on %(date)s.") % {
            "date": timezone.localtime(scenario.adopted_at).strftime("%d/%m/%Y %H:%M")
        }
    programme = scenario.analysis.programme
    existing = ProjectTeam.objects.filter(programme=programme).count()
    if existing:
        return _(
            "The programme already has %(count)s project teams: adopting a scenario would create a "
            "second set. Apply it to the existing teams instead: the page shows who moves first."
        ) % {"count": existing}
    if scenario.broken:
        return _(
            "This scenario breaks constraints (%(broken)s): fix the teams and save them again first."
        ) % {"broken": " ".join(scenario.broken)}
    archived = Organisation.objects.filter(pk__in=scenario.organisation_ids, is_archived=True)
    if archived.exists():
        return _("Some organisations of this scenario have been archived since: %(names)s.") % {
            "names": ", ".join(archived.values_list("name", flat=True))
        }
    return None


@transaction.atomic
def adopt_scenario(scenario: Scenario, user: User | None = None) -> list[ProjectTeam]:
    """Create the project teams of `scenario`; refuse (AdoptionRefused) a second adoption, a
    programme that already has teams, a scenario breaking constraints."""
    # Lock the programme row: two consultants adopting two scenarios at once must not both pass.
    programme = Programme.objects.select_for_update().get(pk=scenario.analysis.programme_id)
    scenario = Scenario.objects.select_for_update().select_related("analysis__programme").get(pk=scenario.pk)
    refusal = adoption_refusal(scenario)
    if refusal:
        raise AdoptionRefused(refusal)
    source = _("scenario “%(name)s” (%(date)s)") % {
        "name": scenario.name,
        "date": timezone.localtime(scenario.created_at).strftime("%d/%m/%Y"),
    }
    teams = create_teams(programme, adoption_plan(scenario), source=source[:200])
    scenario.adopted_at = timezone.now()
    scenario.adopted_by = user if user is not None and user.is_authenticated else None
    scenario.save()
    return teams


# --- applying a scenario to existing teams -------------------------------------------------------------


@dataclass(frozen=True)
class TeamMove:
    """An organisation that leaves one project team (None: in none today) for another."""

    organisation: Organisation
    leaves: ProjectTeam | None
    joins: ProjectTeam


@dataclass
class ScenarioApplication:
    """What applying a scenario to the programme's existing teams would change: each scenario team
    matched to the project team sharing the most current members, who moves, and the adopted action
    plans and actions those moves touch (applying them needs a confirmation)."""

    scenario: Scenario
    pairs: list[tuple[int, ProjectTeam]]
    moves: list[TeamMove]
    plans: list[Any]
    led_actions: list[Any]
    refusal: str | None

    @property
    def needs_confirmation(self) -> bool:
        return bool(self.plans or self.led_actions)


def _current_teams(programme: Programme) -> list[ProjectTeam]:
    return list(
        ProjectTeam.objects.filter(programme=programme)
        .prefetch_related("memberships__organisation")
        .order_by("pk")
    )


def application_plan(scenario: Scenario) -> ScenarioApplication:
    """The difference between the programme's project teams and `scenario` (see ScenarioApplication)."""
    programme = scenario.analysis.programme
    teams = _current_teams(programme)
    application = ScenarioApplication(scenario, [], [], [], [], None)
    if not teams:
        application.refusal = _("The programme has no project team yet: adopt the scenario instead.")
        return application
    if len(teams) != len(scenario.teams):
        application.refusal = _(
            "The scenario has %(scenario)s teams and the programme %(teams)s project teams: they cannot be "
            "matched one to one. Form a scenario with %(teams)s teams."
        ) % {"scenario": len(scenario.teams), "teams": len(teams)}
        return application
    if scenario.broken:
        application.refusal = _(
            "This scenario breaks constraints (%(broken)s): fix the teams and save them again first."
        ) % {"broken": " ".join(scenario.broken)}
        return application
    current = [[m.organisation_id for m in team.memberships.all() if m.left_on is None] for team in teams]
    match = _match_teams(scenario.teams, current)
    organisations = Organisation.objects.in_bulk(scenario.organisation_ids)
    team_of = {pk: teams[j] for j, members in enumerate(current) for pk in members}
    for i, members in enumerate(scenario.teams):
        target = teams[match[i]]
        application.pairs.append((i + 1, target))
        for pk in members:
            if pk in organisations and team_of.get(pk) is not target:
                application.moves.append(TeamMove(organisations[pk], team_of.get(pk), target))
    application.moves.sort(key=lambda move: move.organisation.name)
    application.plans, application.led_actions = _plans_touched(application.moves)
    return application


def _plans_touched(moves: Sequence[TeamMove]) -> tuple[list[Any], list[Any]]:
    """The adopted action plans of the teams that gain or lose a member, and the actions led by an
    organisation that leaves its team (their lead must be a current member)."""
    try:
        from sobrindustrie.actionplans.models import Action, ActionPlan
    except ImportError:  # the action plans area is optional for team formation
        return [], []
    changed = {move.joins.pk for move in moves} | {move.leaves.pk for move in moves if move.leaves}
    plans = list(
        ActionPlan.objects.filter(team_id__in=changed, versions__isnull=False)
        .distinct()
        .select_related("team")
    )
    leaving = Q(pk__in=[])
    for move in moves:
        if move.leaves is not None:
            leaving |= Q(plan__team_id=move.leaves.pk, lead_organisation_id=move.organisation.pk)
    led = list(
        Action.objects.filter(leaving).select_related("plan__team", "lead_organisation").order_by("pk")
    )
    return plans, led


@transaction.atomic
def apply_scenario(scenario: Scenario, confirmed: bool = False) -> ScenarioApplication:
    """Move the organisations as `scenario` says, in one transaction: each move closes the current
    membership today and opens one in the target team. Refused (AdoptionRefused) when the scenario
    cannot be matched, or touches adopted plans or led actions without `confirmed`."""
    Programme.objects.select_for_update().get(pk=scenario.analysis.programme_id)
    application = application_plan(scenario)
    if application.refusal:
        raise AdoptionRefused(application.refusal)
    if application.needs_confirmation and not confirmed:
        raise AdoptionRefused(
            _("These moves touch adopted action plans (%(plans)s): confirm to apply them.")
            % {"plans": ", ".join(plan.team.name for plan in application.plans) or "—"}
        )
    today = timezone.localdate()
    for move in application.moves:
        if move.leaves is not None:
            membership = move.leaves.memberships.current().get(organisation=move.organisation)
            remove_member(membership, on=today)
    for move in application.moves:
        add_member(
            move.joins,
            move.organisation,
            on=today,
            note=str(_("Moved by scenario “%s”") % scenario.name)[:250],
        )
    return application


def optimal_partition(
    programme: Programme, parameters: FormationParameters | None = None
) -> list[list[Organisation]]:
    """The best teams of the programme's laureates for its latest analysis (run now if there is
    none) and default parameters; raises ValueError, in words, when the constraints conflict."""
    analysis = latest_analysis(programme) or run_analysis(programme)
    formation = form_teams(analysis, parameters or default_parameters(programme))
    if formation.solution.status not in (SolveStatus.OPTIMAL, SolveStatus.FEASIBLE):
        raise ValueError(" ".join(formation.conflicts) or formation.solution.status)
    organisations = formation.context.organisations
    return [[organisations[slug] for slug in team.members] for team in formation.solution.teams]


# --- comparison -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Move:
    organisation: Organisation
    team_a: int | None  # 1-based team numbers; None when absent from that scenario
    team_b: int | None


@dataclass
class Comparison:
    a: Scenario
    b: Scenario
    pairs: list[tuple[int | None, int | None]]
    """Teams of A matched with teams of B (1-based numbers), most shared members first."""
    moves: list[Move]
    teams_a: list[list[Organisation]]
    teams_b: list[list[Organisation]]

    @property
    def score_difference(self) -> float:
        return round(self.b.objective - self.a.objective, 3)


def _match_teams(teams_a: list[list[int]], teams_b: list[list[int]]) -> dict[int, int]:
    """Team of A -> team of B so that the members they share add up to the most (an assignment
    problem: a greedy pairing would report a swap of two companies as two moves too many)."""
    size = max(len(teams_a), len(teams_b))
    if size == 0:
        return {}
    assignment = linear_sum_assignment.SimpleLinearSumAssignment()
    for i in range(size):
        for j in range(size):
            shared = len(set(teams_a[i]) & set(teams_b[j])) if i < len(teams_a) and j < len(teams_b) else 0
            assignment.add_arc_with_cost(i, j, -shared)
    if assignment.solve() != assignment.OPTIMAL:  # cannot happen on a complete bipartite graph
        return {}
    return {
        i: assignment.right_mate(i) for i in range(len(teams_a)) if assignment.right_mate(i) < len(teams_b)
    }


def compare_scenarios(a: Scenario, b: Scenario) -> Comparison:
    """Match the teams of A and B so that they share as many members as possible, then list who
    moved: organisations whose team in B is not the match of their team in A."""
    organisations = Organisation.objects.in_bulk(set(a.organisation_ids) | set(b.organisation_ids))
    match = _match_teams(a.teams, b.teams)
    pairs: list[tuple[int | None, int | None]] = [(i + 1, match[i] + 1) for i in sorted(match)]
    pairs += [(i + 1, None) for i in range(len(a.teams)) if i not in match]
    pairs += [(None, j + 1) for j in range(len(b.teams)) if j not in match.values()]
    team_in_a = {pk: i for i, team in enumerate(a.teams) for pk in team}
    team_in_b = {pk: j for j, team in enumerate(b.teams) for pk in team}
    moves = []
    for pk in sorted(set(team_in_a) | set(team_in_b), key=lambda pk: organisations[pk].name):
        i, j = team_in_a.get(pk), team_in_b.get(pk)
        if i is None or j is None or match.get(i) != j:
            moves.append(Move(organisations[pk], None if i is None else i + 1, None if j is None else j + 1))

    def members(teams: list[list[int]]) -> list[list[Organisation]]:
        return [sorted((organisations[pk] for pk in team), key=lambda o: o.name) for team in teams]

    return Comparison(a, b, pairs, moves, members(a.teams), members(b.teams))


# --- instance file ----------------------------------------------------------------------------------


def instance_data(
    programme: Programme,
    *,
    include_outside: bool = False,
    fresh: bool = False,
    k: int | None = None,
    min_size: int | None = None,
    max_size: int | None = None,
    cohesive: bool = True,
) -> dict[str, Any]:
    """The team-formation instance (format of `sobrindustrie teams solve`) of the programme: pair
    weights from its latest stored analysis, or from a detection run now when there is none or
    `fresh` is asked (nothing is stored then)."""
    defaults = default_parameters(programme, include_outside)
    parameters = dataclasses.replace(
        defaults,
        k=k if k is not None else defaults.k,
        min_size=min_size if min_size is not None else defaults.min_size,
        max_size=max_size if max_size is not None else defaults.max_size,
        cohesive=cohesive,
    )
    analysis = None if fresh else latest_analysis(programme)
    if analysis is not None:
        context = team_problem(analysis, parameters)
    else:
        inputs = detection_inputs(programme)
        found = detect_opportunities(
            inputs.orgs, inputs.machines, inputs.needs, inputs.offers, inputs.signals
        )
        context = team_problem_for(programme, parameters, found)
    problem = context.problem
    data: dict[str, Any] = {
        "organisations": list(problem.organisations),
        "weights": weights_json(problem.weights),
        "k": problem.k,
        "min_size": problem.min_size,
        "max_size": problem.max_size,
        "must_link": [list(group) for group in problem.must_link],
        "cannot_link": [list(pair) for pair in problem.cannot_link],
    }
    if problem.min_team_score is not None:  # the page's default: every team holds a cooperation
        data["min_team_score"] = problem.min_team_score
    return data
