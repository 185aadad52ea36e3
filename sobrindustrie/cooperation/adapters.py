"""From the platform's models to the teams engine's plain dataclasses, and back.

Organisations are known to the engine by their slug (unique in a programme and readable in an
instance file), production means by their primary key as text. Everything here reads; writes live
in services.py.
"""

from __future__ import annotations

import dataclasses
import logging
import math
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from itertools import combinations
from typing import Any

from django.db.models import QuerySet

from sobrindustrie.cooperation.enums import ConstraintKind
from sobrindustrie.cooperation.models import CooperationAnalysis, DetectedOpportunity, TeamConstraint
from sobrindustrie.engines.teams import (
    Machine,
    Need,
    Offer,
    Opportunity,
    Org,
    PairWeight,
    Signal,
    TeamProblem,
    TeamsInputError,
    pair_weights,
)
from sobrindustrie.engines.teams.geo import road_km
from sobrindustrie.engines.teams.inputs import validate_inputs
from sobrindustrie.organisations.enums import OrganisationKind
from sobrindustrie.organisations.models import Need as NeedModel
from sobrindustrie.organisations.models import Offer as OfferModel
from sobrindustrie.organisations.models import Organisation, ProductionMeans
from sobrindustrie.programmes.models import Programme

logger = logging.getLogger(__name__)


# --- detection inputs -----------------------------------------------------------------------------


@dataclass
class DetectionInputs:
    """The engine's inputs for one programme, with the way back to the rows they came from."""

    orgs: list[Org]
    machines: list[Machine]
    needs: list[Need]
    offers: list[Offer]
    signals: list[Signal]
    organisations: dict[str, Organisation] = field(default_factory=dict)
    skipped: list[Organisation] = field(default_factory=list)
    """Organisations left out because they have no location (the engine measures distances)."""


def organisation_location(organisation: Organisation) -> tuple[float, float] | None:
    """The organisation's coordinates, or its commune's centre, or None."""
    if organisation.latitude is not None and organisation.longitude is not None:
        return organisation.latitude, organisation.longitude
    commune = organisation.commune if organisation.commune_id else None
    return (commune.latitude, commune.longitude) if commune else None


def engine_org(organisation: Organisation, location: tuple[float, float]) -> Org:
    return Org(
        id=organisation.slug,
        name=organisation.name,
        lat=location[0],
        lon=location[1],
        solution_interests=frozenset(organisation.solution_interests or ()),
    )


def engine_machine(means: ProductionMeans, org_id: str) -> Machine:
    return Machine(
        id=str(means.pk),
        org_id=org_id,
        category=means.category,
        name=means.name,
        purchase_value_eur=float(means.purchase_value_eur or 0),
        mass_kg=means.mass_kg,
        main_material=means.main_material or None,
        rated_power_kw=means.rated_power_kw,
        annual_operating_hours=means.annual_operating_hours or 0.0,
        utilisation_rate=means.utilisation_rate or 0.0,
        condition=means.condition,
        maintenance_mode=means.maintenance_mode,
        contractor_distance_km=means.contractor_distance_km,
        planned_action=means.planned_action,
        sharing_hours_per_week=means.sharing_hours_per_week or 0.0,
    )


def engine_exchange(item: NeedModel | OfferModel, org_id: str) -> Need | Offer:
    """A need or an offer of the inventory, as the engine's Need or Offer of `org_id`."""
    engine_class = Need if isinstance(item, NeedModel) else Offer
    return engine_class(**_exchange_fields(item, org_id))


def _exchange_fields(item: NeedModel | OfferModel, org_id: str) -> dict[str, Any]:
    return {
        "org_id": org_id,
        "kind": item.kind,
        "category": item.category or None,
        "skill": item.skill or None,
        "hours_per_year": item.hours_per_year,
        "description": item.description,
    }


def detection_inputs(programme: Programme) -> DetectionInputs:
    """Every active organisation of the programme (laureates and outside structures: both can
    cooperate), its production means, needs, offers and the diagnostics' cooperation signals.

    Five queries whatever the size of the programme."""
    organisations = list(
        Organisation.objects.for_programme(programme).active().select_related("commune").order_by("slug")
    )
    inputs = DetectionInputs([], [], [], [], [])
    slug_of: dict[int, str] = {}
    for organisation in organisations:
        location = organisation_location(organisation)
        if location is None:
            inputs.skipped.append(organisation)
            continue
        inputs.orgs.append(engine_org(organisation, location))
        inputs.organisations[organisation.slug] = organisation
        slug_of[organisation.pk] = organisation.slug
    means = ProductionMeans.objects.filter(organisation_id__in=slug_of).order_by("pk")
    inputs.machines = [engine_machine(m, slug_of[m.organisation_id]) for m in means]
    for model, target in ((NeedModel, inputs.needs), (OfferModel, inputs.offers)):
        for item in model.objects.filter(organisation_id__in=slug_of).order_by("pk"):
            target.append(engine_exchange(item, slug_of[item.organisation_id]))  # type: ignore[arg-type]
    inputs.signals = diagnostic_signals(programme, slug_of)
    return inputs


# --- diagnostic signals ----------------------------------------------------------------------------


def diagnostic_signals(programme: Programme, slug_of: dict[int, str]) -> list[Signal]:
    """The cooperation signals of the programme's diagnostics ("needs from others" of their
    opportunities, and what the company could offer), as engine signals keyed by slug.

    Read through `sobrindustrie.diagnostics.evaluation.cooperation_signals(programme)`, which
    returns engine signals keyed by organisation pk. Guarded: without the diagnostics app, or
    without any diagnostic yet, the analysis runs from the inventory, needs and offers alone (a
    requirement, not a degraded mode); a signal the engine would refuse is logged and skipped, so
    one odd diagnostic cannot stop the workshop's analysis.
    """
    try:
        from sobrindustrie.diagnostics.evaluation import cooperation_signals
    except ImportError:
        return []
    signals = []
    for signal in cooperation_signals(programme):
        slug = slug_of.get(int(signal.org_id)) if str(signal.org_id).isdigit() else None
        if slug is None:
            continue  # an archived or unlocated organisation, left out of the analysis
        keyed = dataclasses.replace(signal, org_id=slug)
        try:
            validate_inputs([Org(slug, slug, 0.0, 0.0)], (), (), (), (keyed,))
        except TeamsInputError as error:
            logger.warning("Skipping a diagnostic signal of %s: %s", slug, error)
            continue
        signals.append(keyed)
    return signals


# --- stored opportunities back to the engine --------------------------------------------------------


def stored_opportunities(analysis: CooperationAnalysis) -> list[Opportunity]:
    """The analysis's opportunities as engine objects (for pair weights and team reasons)."""
    rows = DetectedOpportunity.objects.filter(analysis=analysis).values(
        "solution",
        "provider__slug",
        "receiver__slug",
        "skills",
        "distance_km",
        "avoided_purchase_eur",
        "avoided_kgco2e",
        "km_avoided_per_year",
        "avoided_travel_kgco2e_per_year",
        "hours_shared_per_year",
        "value_eur",
        "fit",
        "score",
        "wording",
        "wording_params",
        "subject",
        "basis",
    )
    return [
        Opportunity(
            solution=row["solution"],
            provider_org_id=row["provider__slug"],
            receiver_org_id=row["receiver__slug"],
            machine_ids=(),
            skills=tuple(row["skills"] or ()),
            distance_km=row["distance_km"],
            avoided_purchase_eur=row["avoided_purchase_eur"],
            avoided_embodied_kgco2e=row["avoided_kgco2e"],
            km_avoided_per_year=row["km_avoided_per_year"],
            avoided_travel_kgco2e_per_year=row["avoided_travel_kgco2e_per_year"],
            hours_shared_per_year=row["hours_shared_per_year"],
            value_eur=row["value_eur"],
            fit=row["fit"],
            score=row["score"],
            wording=row["wording"],
            wording_params=tuple((row["wording_params"] or {}).items()),
            subject=row["subject"],
            basis=tuple((row["basis"] or {}).items()),
        )
        for row in rows
    ]


# --- team formation problem -------------------------------------------------------------------------


@dataclass(frozen=True)
class FormationParameters:
    """What the consultant chooses on the team-formation page."""

    k: int
    min_size: int
    max_size: int
    time_limit_s: float = 5.0
    include_outside: bool = False
    cohesive: bool = False
    """Every team holds at least one cooperation: the engine's floor on each team's score."""
    distance_penalty: float = 0.0
    """Score points taken, per 10 km (great-circle x road factor), from each pair of members of a team."""

    @classmethod
    def defaults(cls, programme: Programme, organisation_count: int) -> FormationParameters:
        """K from the programme's target; sizes around the mean team size, with room to move; every
        team with at least one cooperation."""
        k = max(1, min(programme.target_team_count, organisation_count or 1))
        mean = (organisation_count or k) / k
        return cls(k=k, min_size=max(1, math.floor(mean) - 1), max_size=math.ceil(mean) + 2, cohesive=True)

    @property
    def has_choices(self) -> bool:
        """Whether the consultant's choices change what the optimiser maximises (their price is shown)."""
        return self.cohesive or self.distance_penalty > 0

    def unconstrained(self) -> FormationParameters:
        """The same problem without the floor and the distance term: the reference for their price."""
        return dataclasses.replace(self, cohesive=False, distance_penalty=0.0)

    def as_dict(self) -> dict[str, Any]:
        return {
            "k": self.k,
            "min_size": self.min_size,
            "max_size": self.max_size,
            "time_limit_s": self.time_limit_s,
            "include_outside": self.include_outside,
            "cohesive": self.cohesive,
            "distance_penalty": self.distance_penalty,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> FormationParameters:
        return cls(
            k=int(data["k"]),
            min_size=int(data["min_size"]),
            max_size=int(data["max_size"]),
            time_limit_s=float(data.get("time_limit_s", 5.0)),
            include_outside=bool(data.get("include_outside", False)),
            # Scenarios saved before these choices existed were solved without them.
            cohesive=bool(data.get("cohesive", False)),
            distance_penalty=float(data.get("distance_penalty", 0.0)),
        )


#: Pair weights are rounded to 0.001: a team scoring at least this holds a cooperation.
COHESION_FLOOR = 0.001
#: Above this many organisations the distance term (one weight per pair) is refused: the optimiser
#: would receive hundreds of thousands of pairs.
DISTANCE_TERM_MAX_ORGANISATIONS = 400


@dataclass
class ProblemContext:
    """A team problem built from the platform, with the organisations behind its ids."""

    problem: TeamProblem
    organisations: dict[str, Organisation]
    opportunities: list[Opportunity]
    preformed_groups: dict[str, tuple[str, ...]]
    constraints: list[TeamConstraint]

    def slug_of(self, pk: int) -> str | None:
        return self._slugs.get(pk)

    def __post_init__(self) -> None:
        self._slugs = {org.pk: slug for slug, org in self.organisations.items()}

    def name(self, slug: str) -> str:
        organisation = self.organisations.get(slug)
        return organisation.name if organisation else slug

    def teams_as_slugs(self, teams: Iterable[Iterable[int]]) -> list[list[str]]:
        """Primary keys to engine ids; organisations no longer in the problem are dropped."""
        return [[s for pk in team if (s := self._slugs.get(pk)) is not None] for team in teams]

    def teams_as_pks(self, teams: Iterable[Iterable[str]]) -> list[list[int]]:
        return [[self.organisations[slug].pk for slug in team] for team in teams]


def formation_queryset(programme: Programme, include_outside: bool) -> QuerySet[Organisation]:
    """Who is partitioned: the active laureates, and the outside structures when asked."""
    organisations = Organisation.objects.for_programme(programme).active()  # type: ignore[attr-defined]
    if not include_outside:
        organisations = organisations.filter(kind=OrganisationKind.LAUREATE_SME)
    return organisations  # type: ignore[no-any-return]


def formation_count(programme: Programme, include_outside: bool) -> int:
    """How many organisations are partitioned (one COUNT: pages need the number, not the rows)."""
    return int(formation_queryset(programme, include_outside).count())


def formation_organisations(programme: Programme, include_outside: bool) -> list[Organisation]:
    return list(formation_queryset(programme, include_outside).select_related("commune").order_by("slug"))


def team_problem(analysis: CooperationAnalysis, parameters: FormationParameters) -> ProblemContext:
    """The engine's team problem for the programme of `analysis`: pair weights from its stored
    opportunities, must-link groups from pre-formed candidacies and from the consultants'
    constraints, cannot-link pairs from the constraints. Constraints naming organisations outside
    the partition keep only the members inside it."""
    return _build_problem(analysis.programme, parameters, stored_opportunities(analysis))


def team_problem_for(
    programme: Programme, parameters: FormationParameters, opportunities: Sequence[Opportunity]
) -> ProblemContext:
    """Like `team_problem`, from opportunities detected on the fly (no stored analysis)."""
    return _build_problem(programme, parameters, list(opportunities))


def _build_problem(
    programme: Programme, parameters: FormationParameters, opportunities: list[Opportunity]
) -> ProblemContext:
    organisations = {org.slug: org for org in formation_organisations(programme, parameters.include_outside)}
    inside = set(organisations)
    weights = tuple(pair for pair in pair_weights(opportunities) if pair.a in inside and pair.b in inside)
    if parameters.distance_penalty > 0:
        weights = with_distance_term(weights, organisations, parameters.distance_penalty)
    preformed: dict[str, list[str]] = defaultdict(list)
    for slug, organisation in organisations.items():
        if organisation.preformed_group.strip():
            preformed[organisation.preformed_group.strip()].append(slug)
    preformed_groups = {label: tuple(m) for label, m in sorted(preformed.items()) if len(m) >= 2}
    constraints = list(
        TeamConstraint.objects.filter(programme=programme).prefetch_related("organisations").order_by("pk")
    )
    must_link = list(preformed_groups.values())
    cannot_link: list[tuple[str, str]] = []
    for constraint in constraints:
        members = sorted(o.slug for o in constraint.organisations.all() if o.slug in inside)
        if constraint.kind == ConstraintKind.MUST_LINK and len(members) >= 2:
            must_link.append(tuple(members))
        elif constraint.kind == ConstraintKind.CANNOT_LINK:
            cannot_link.extend(pair for pair in combinations(members, 2) if pair not in cannot_link)
    problem = TeamProblem(
        organisations=tuple(organisations),
        weights=weights,
        k=parameters.k,
        min_size=parameters.min_size,
        max_size=parameters.max_size,
        must_link=tuple(must_link),
        cannot_link=tuple(cannot_link),
        min_team_score=COHESION_FLOOR if parameters.cohesive else None,
    )
    relevant = [o for o in opportunities if o.provider_org_id in inside and o.receiver_org_id in inside]
    return ProblemContext(problem, organisations, relevant, preformed_groups, constraints)


def pair_distances(organisations: dict[str, Organisation]) -> dict[tuple[str, str], float]:
    """Estimated km (great-circle x road factor) between every two located organisations (a < b)."""
    located = {slug: loc for slug, org in organisations.items() if (loc := organisation_location(org))}
    return {(a, b): road_km(*located[a], *located[b]) for a, b in combinations(sorted(located), 2)}


def with_distance_term(
    weights: Iterable[PairWeight], organisations: dict[str, Organisation], points_per_10_km: float
) -> tuple[PairWeight, ...]:
    """The pair weights less `points_per_10_km` per 10 km between the two organisations: teams whose
    members are far apart cost score. Organisations without a location pay nothing."""
    combined = {(w.a, w.b): w.weight for w in weights}
    for pair, km in pair_distances(organisations).items():
        combined[pair] = combined.get(pair, 0.0) - points_per_10_km * km / 10
    return tuple(PairWeight(a, b, round(w, 3)) for (a, b), w in sorted(combined.items()) if round(w, 3) != 0)


def team_spread_km(members: Iterable[str], distances: dict[tuple[str, str], float]) -> float | None:
    """The largest estimated distance between two members (None for fewer than two located)."""
    ordered = sorted(members)
    spans = [distances[(a, b)] for a, b in combinations(ordered, 2) if (a, b) in distances]
    return max(spans) if spans else None


def weights_json(weights: Iterable[PairWeight]) -> list[dict[str, Any]]:
    return [{"a": pair.a, "b": pair.b, "w": pair.weight} for pair in weights]
