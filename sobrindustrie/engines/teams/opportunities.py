"""Cooperation opportunities between organisations, found from their production means, needs, offers and
diagnostic signals, each typed by the sobriety solution it would put in place.

Who supplies what to whom (always two different organisations, at most `radius_km` apart by road):

==================== ============================================ =============================================
solution             supply (provider)                            demand (receiver)
==================== ============================================ =============================================
pooling              an owned, working machine that is under-used  a machine the receiver plans to buy, or a
                     (utilisation below `underuse_threshold_pct`)  capacity need (or "needs" signal) in the
                     or offered for sharing (hours per week), or    same category
                     declared shareable by a pooling "offers"
                     signal
functional_economy   a capacity offer (machine time sold as a       same demands as pooling
                     service) or a functional_economy "offers"
                     signal
retrofit             a retrofit skill (offer or signal)             a machine in poor condition, out of service
                                                                    or planned for replacement; a retrofit need
local_fabrication    a design or fabrication skill                  a machine planned for purchase or
                                                                    replacement (build it locally instead); a
                                                                    design or fabrication need
inhouse_maintenance  a maintenance skill (technicians)              the receiver's machines maintained by a
                                                                    contractor at least `far_contractor_km`
                                                                    away and farther than the provider; a
                                                                    maintenance need
==================== ============================================ =============================================

Categories match exactly (fit 1), through a top-level category (``cutting`` for ``cutting.laser``,
`top_level_fit`) or as siblings under one top-level category (``cutting.laser`` for ``cutting.plasma``,
`sibling_fit`); a skill offered without a category fits any machine at `generic_skill_fit`.

Each opportunity says what it is as a wording code and parameters (`WORDINGS`), never as a sentence:
the web and document layers write it in the reader's language.

Value, in euros, is a gross potential for ranking, not a business case::

    value_eur = avoided_purchase_eur + hours_shared x hour_value_eur + km_avoided x km_value_eur
                + (avoided embodied kgCO2e + avoided travel kgCO2e) / 1000 x carbon_value_eur_per_tonne

What is avoided is what the cooperation really spares, not always the whole machine: pooling and
functional economy spare the purchase and its embodied emissions; a retrofit spares the purchase less
the retrofit's cost (`retrofit_cost_share` of the price) and most of the embodied emissions (the frame
is kept: `retrofit_embodied_avoided_share`); a locally built tool spares only the price difference
(`local_fabrication_cost_share` of the price is still paid) and no embodied emissions (it is built
all the same). Each opportunity carries its `basis`: the price, shares and embodied-emission inputs
behind its figures, so that a page can show the formula with its numbers.

Embodied emissions of an avoided machine: mass x material factor when the mass and a known material are
given (steel 1.6, aluminium 6.6 kgCO2e/kg, ADEME Base Carbone), else the monetary ratio (273 kgCO2e per
k€ excl. VAT of machinery, ADEME Base Empreinte). Score::

    score = value_eur / 1000 x fit x exp(-distance_km / distance_decay_km)

where fit = category fit x coverage (share of the demanded hours the supply covers) x strength of any
signal involved x (1 + interest_bonus per organisation that lists the solution among its interests).

Complexity: supplies are bucketed by solution and category, each bucket in a GridIndex with cells of
the search radius, and every demand queries only its category's buckets around its site, never
machines x machines; for each demand only the `max_per_subject` best providers are kept. The demands
of one organisation share its site, so its neighbours in a bucket are screened once and reused. Denser data
would still make each demand scan more supplies, so the sites near a demand are first screened together
(numpy) for an optimistic score: the supply's own strength, hours and the provider's interest, the
demand's value, the bucket's fit and the exact distance. Supplies are then valued in decreasing order
of that optimistic score, and the scan stops as soon as it falls below the last kept score: the result
is the same as valuing every supply in range, and the Python work per demand stays about constant as
the density grows.
"""

from __future__ import annotations

import heapq
import math
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import NamedTuple

import numpy as np
import numpy.typing as npt

from sobrindustrie.engines.teams.geo import EARTH_RADIUS_KM, ROAD_FACTOR, GridIndex, haversine_term
from sobrindustrie.engines.teams.inputs import (
    Machine,
    Need,
    Offer,
    Org,
    Signal,
    top_category,
    validate_inputs,
)

DETECTED_SOLUTIONS = ("pooling", "retrofit", "local_fabrication", "inhouse_maintenance", "functional_economy")

SKILL_SOLUTION = {
    "maintenance": "inhouse_maintenance",
    "retrofit": "retrofit",
    "design": "local_fabrication",
    "fabrication": "local_fabrication",
}


@dataclass(frozen=True)
class DetectionParameters:
    """Every assumption of the analysis, with its default and where it comes from."""

    road_factor: float = ROAD_FACTOR
    radius_km: float = 50.0
    """Farthest road distance at which a cooperation is proposed."""
    distance_decay_km: float = 30.0
    """Score halves about every 21 km (30 x ln 2)."""
    underuse_threshold_pct: float = 50.0
    available_hours_per_year: float = 1600.0
    """Hours a machine could run when its utilisation rate is unknown (zero): about one shift a year."""
    weeks_per_year: float = 46.0
    """Working weeks a year (52 less holidays and public holidays), to turn hours per week into hours."""
    hour_value_eur: float = 60.0
    """Value of an hour of machine time or of skilled work."""
    km_value_eur: float = 0.60
    """Cost of a km driven by a technician's vehicle (order of the French mileage allowance scale)."""
    carbon_value_eur_per_tonne: float = 250.0
    """Value of a tonne of CO2e avoided: the French 2030 'valeur de l'action pour le climat' (Quinet 2019)."""
    monetary_kgco2e_per_keur: float = 273.0
    """Machinery and equipment, kgCO2e per k€ excl. VAT (ADEME Base Empreinte monetary ratio)."""
    material_kgco2e_per_kg: tuple[tuple[str, float], ...] = (("steel", 1.6), ("aluminium", 6.6))
    """Embodied emissions per kg of the main material (ADEME Base Carbone historic values)."""
    travel_kgco2e_per_km: float = 0.218
    """Thermal car, use 0.192 + construction 0.0256 kgCO2e/km (ADEME Impact CO2)."""
    retrofit_cost_share: float = 0.4
    """A retrofit costs 30 to 50 % of a new machine's price (range quoted by French retrofitters and
    machine-tool trade bodies; an assumption the consultant may change): the purchase avoided is the rest."""
    retrofit_embodied_avoided_share: float = 0.8
    """A retrofit keeps the frame and most of the mass; new drives, controls and wiring replace about a
    fifth (assumption): the share of the new machine's embodied emissions avoided."""
    local_fabrication_cost_share: float = 0.7
    """A tool designed and built by a neighbour still costs most of a catalogue machine (parts, design
    hours at local rates, no distributor margin; assumption): the saving is the difference, and the tool's
    materials are emitted all the same (no embodied emissions avoided)."""
    maintenance_visits_per_year: float = 4.0
    """Contractor visits a year per machine (round trips)."""
    far_contractor_km: float = 30.0
    default_hours_per_year: float = 35.0
    """Hours assumed for a need or an offer of time when neither side states them: a week of work."""
    top_level_fit: float = 0.8
    sibling_fit: float = 0.5
    generic_skill_fit: float = 0.8
    interest_bonus: float = 0.25
    max_per_subject: int = 5
    """Providers kept per demand (the best ones)."""


WordingParam = str | float
"""A wording parameter: a name as entered (organisation, machine, description), a code (skill,
condition, planned action, category) or a number (hours a year, km, a count)."""


@dataclass(frozen=True)
class Opportunity:
    """A cooperation that one organisation (the provider) could offer another (the receiver).

    `subject` names the demand it answers (``machine:ID``, ``need:INDEX``, ``signal:INDEX`` or
    ``maintenance:ORG``): opportunities with the same subject are alternatives, not additions.
    Distances are road estimates (great circle x road factor); per-year figures are per year of use.
    """

    solution: str
    provider_org_id: str
    receiver_org_id: str
    machine_ids: tuple[str, ...]
    skills: tuple[str, ...]
    distance_km: float
    avoided_purchase_eur: float
    avoided_embodied_kgco2e: float
    km_avoided_per_year: float
    avoided_travel_kgco2e_per_year: float
    hours_shared_per_year: float
    value_eur: float
    fit: float
    score: float
    wording: str
    """What to say about it, as a code of `WORDINGS`; the web and document layers write the sentence."""
    wording_params: tuple[tuple[str, WordingParam], ...]
    """The wording's parameters, as (name, value) pairs (see `WORDINGS`)."""
    subject: str
    basis: tuple[tuple[str, float], ...] = ()
    """The inputs behind the avoided purchase and embodied emissions, as (code, number) pairs:
    ``purchase_value_eur`` and ``purchase_share`` (avoided_purchase_eur is their product),
    ``embodied_kgco2e`` and ``embodied_share`` (avoided_embodied_kgco2e is their product), and how the
    machine's embodied emissions were estimated: ``mass_kg`` x ``material_kgco2e_per_kg``, or
    ``purchase_value_eur`` / 1000 x ``monetary_kgco2e_per_keur``. Empty when no machine is avoided."""

    @property
    def org_ids(self) -> tuple[str, str]:
        return self.provider_org_id, self.receiver_org_id


@dataclass(frozen=True)
class PairWeight:
    """How much two organisations gain from being in the same team (a < b)."""

    a: str
    b: str
    weight: float


@dataclass
class DetectionStats:
    """Work done by a detection run, for tests and benchmarks."""

    demands: int = 0
    distance_evaluations: int = 0
    candidates: int = 0


# --- internal supply and demand -------------------------------------------------------------------------


@dataclass(frozen=True)
class _Supply:
    solution: str
    org: Org
    category: str | None
    skill: str | None
    hours: float | None
    strength: float
    machine: Machine | None
    description: str
    order: int


@dataclass(frozen=True)
class _Demand:
    org: Org
    subject: str
    category: str | None
    skill: str | None
    hours: float | None
    strength: float
    machine: Machine | None
    description: str
    machines: tuple[Machine, ...] = ()


class _Valuation(NamedTuple):
    hours: float = 0.0
    avoided_eur: float = 0.0
    embodied_kgco2e: float = 0.0
    km: float = 0.0
    coverage: float = 1.0
    avoided_machine: Machine | None = None
    """The machine whose purchase is (partly) avoided, with the shares applied to its price and its
    embodied emissions: the basis of the figures."""
    price_share: float = 1.0
    embodied_share: float = 1.0


class _Candidate(NamedTuple):
    score: float
    fit: float
    value_eur: float
    km: float
    supply: _Supply
    demand: _Demand
    valuation: _Valuation


class _Bucket:
    """The supplies of one solution in one category: one point per organisation (its supplies share its
    site), the points' coordinates and optimistic figures in numpy arrays, and a grid of point numbers."""

    def __init__(self, by_org: list[list[_Supply]], cell_km: float, interests: dict[str, set[str]]) -> None:
        self.points = by_org
        self.grid: GridIndex[int] = GridIndex(cell_km)
        cells: dict[tuple[int, int], list[int]] = defaultdict(list)
        for i, same_org in enumerate(by_org):
            org = same_org[0].org
            self.grid.add(org.lat, org.lon, i)
            cells[self.grid.key(org.lat, org.lon)].append(i)
        self.cells = {key: np.array(ids, dtype=np.intp) for key, ids in cells.items()}
        phi = np.radians([same_org[0].org.lat for same_org in by_org])
        self.phi, self.cos = phi, np.cos(phi)
        self.lam = np.radians([same_org[0].org.lon for same_org in by_org])
        self.strength = np.array([max(s.strength for s in same_org) for same_org in by_org])
        # Hours a supply can give at most: infinite when one of them states none.
        self.hours = np.array([max(_stated(s.hours) for s in same_org) for same_org in by_org])
        self.interested = np.array(
            [same_org[0].solution in interests[same_org[0].org.id] for same_org in by_org], dtype=np.float64
        )


def _stated(hours: float | None) -> float:
    return hours if hours is not None and hours > 0 else math.inf


class _SupplyIndex:
    """Supplies of one solution, bucketed by category (see `_Bucket`)."""

    def __init__(
        self,
        supplies: Iterable[_Supply],
        cell_km: float,
        params: DetectionParameters,
        interests: dict[str, set[str]],
    ) -> None:
        self._params = params
        grouped: dict[str | None, dict[str, list[_Supply]]] = defaultdict(dict)
        self._by_top: dict[str, set[str]] = defaultdict(set)
        for supply in supplies:
            grouped[supply.category].setdefault(supply.org.id, []).append(supply)
            if supply.category is not None:
                self._by_top[top_category(supply.category)].add(supply.category)
        self.buckets = {
            category: _Bucket(list(by_org.values()), cell_km, interests)
            for category, by_org in grouped.items()
        }
        self.screened = 0
        self._near: dict[
            tuple[str, str | None], tuple[npt.NDArray[np.intp], npt.NDArray[np.float64]] | None
        ] = {}
        self._cells: dict[str, list[tuple[int, int]]] = {}
        self._fitting: dict[str | None, list[tuple[str | None, float]]] = {}

    @property
    def distance_evaluations(self) -> int:
        return self.screened + sum(bucket.grid.distance_evaluations for bucket in self.buckets.values())

    def screen(
        self, category: str | None, org: Org, radius_km: float
    ) -> Iterator[tuple[_Bucket, float, npt.NDArray[np.intp], npt.NDArray[np.float64]]]:
        """Per fitting bucket: its fit, the points in the cells around `org` whose haversine term is
        within the radius (with a hair of slack: the caller checks each one exactly) and those terms."""
        for key, fit in self.fitting(category):
            bucket = self.buckets.get(key)
            if bucket is None:
                continue
            # The demands of one organisation share its site: its neighbours in a bucket are found once.
            if (org.id, key) in self._near:
                found = self._near[org.id, key]
            else:
                found = self._near[org.id, key] = self._screen(bucket, org, radius_km)
            if found is not None:
                yield bucket, fit, found[0], found[1]

    def _screen(
        self, bucket: _Bucket, org: Org, radius_km: float
    ) -> tuple[npt.NDArray[np.intp], npt.NDArray[np.float64]] | None:
        cells = self._cells.get(org.id)
        if cells is None:  # the same cells in every bucket (one cell size)
            cells = self._cells[org.id] = list(bucket.grid.cells_near(org.lat, org.lon, radius_km))
        parts = [ids for cell in cells if (ids := bucket.cells.get(cell)) is not None]
        if not parts:
            return None
        ids = np.concatenate(parts) if len(parts) > 1 else parts[0]
        self.screened += len(ids)
        phi, lam = math.radians(org.lat), math.radians(org.lon)
        limit = math.sin(min(math.pi / 2, radius_km / EARTH_RADIUS_KM / 2)) ** 2
        h = (
            np.sin((bucket.phi[ids] - phi) / 2) ** 2
            + math.cos(phi) * bucket.cos[ids] * np.sin((bucket.lam[ids] - lam) / 2) ** 2
        )
        near = h <= limit * (1 + 1e-9) + 1e-15
        return ids[near], h[near]

    def fitting(self, category: str | None) -> list[tuple[str | None, float]]:
        """The buckets answering a demand in `category`, with their fit, best-fitting first (so that the
        selection's threshold rises early); computed once per category."""
        found = self._fitting.get(category)
        if found is None:
            found = self._fitting[category] = self._fitting_of(category)
        return found

    def _fitting_of(self, category: str | None) -> list[tuple[str | None, float]]:
        params = self._params
        if category is None:
            others = sorted(k for k in self.buckets if k is not None)
            return [(None, 1.0), *((key, params.generic_skill_fit) for key in others)]
        keyed: list[tuple[str | None, float]] = [
            (key, category_fit(key, category, params)) for key in self._by_top.get(top_category(category), ())
        ]
        keyed.append((None, params.generic_skill_fit))
        return sorted(keyed, key=lambda item: (-item[1], item[0] or ""))


def category_fit(supply_category: str, demand_category: str, params: DetectionParameters) -> float:
    """How well a supply in one category answers a demand in another of the same top-level category."""
    if supply_category == demand_category:
        return 1.0
    if "." not in supply_category or "." not in demand_category:
        return params.top_level_fit
    return params.sibling_fit


# --- public functions -----------------------------------------------------------------------------------


def detect_opportunities(
    orgs: Sequence[Org],
    machines: Sequence[Machine],
    needs: Sequence[Need] = (),
    offers: Sequence[Offer] = (),
    signals: Sequence[Signal] = (),
    params: DetectionParameters | None = None,
    stats: DetectionStats | None = None,
) -> list[Opportunity]:
    """Find the cooperation opportunities between the organisations (see the module docstring for the
    rules), best score first. Raises TeamsInputError on invalid input."""
    params = params or DetectionParameters()
    validate_inputs(orgs, machines, needs, offers, signals)
    stats = stats if stats is not None else DetectionStats()
    context = _Context(orgs, machines, signals, params)
    supplies = _supplies(context, offers, signals)
    demands = _demands(context, needs, signals)
    radius_gc = params.radius_km / params.road_factor
    indexes = {
        solution: _SupplyIndex(
            [s for s in supplies if s.solution == solution], radius_gc, params, context.interests
        )
        for solution in DETECTED_SOLUTIONS
    }
    found: list[Opportunity] = []
    for solution in DETECTED_SOLUTIONS:
        rule = _RULES[solution]
        for demand in demands[solution]:
            stats.demands += 1
            kept = _select(context, rule, indexes[solution], demand, radius_gc, stats)
            found.extend(_opportunity(context, rule, c) for c in kept)
    stats.distance_evaluations += sum(index.distance_evaluations for index in indexes.values())
    found.sort(key=lambda o: (-o.score, o.solution, o.provider_org_id, o.receiver_org_id, o.subject))
    return found


def pair_weights(opportunities: Iterable[Opportunity]) -> list[PairWeight]:
    """Sum, for each pair of organisations, the best score per subject of the opportunities between them
    (alternative answers to one demand count once), rounded to 0.001; pairs sorted."""
    best: dict[tuple[str, str], dict[str, float]] = defaultdict(dict)
    for opp in opportunities:
        pair = (min(opp.org_ids), max(opp.org_ids))
        subjects = best[pair]
        subjects[opp.subject] = max(subjects.get(opp.subject, 0.0), opp.score)
    return [
        PairWeight(a, b, round(sum(subjects.values()), 3))
        for (a, b), subjects in sorted(best.items())
        if round(sum(subjects.values()), 3) != 0
    ]


def opportunities_between(org_ids: Iterable[str], opportunities: Iterable[Opportunity]) -> list[Opportunity]:
    """The opportunities whose two organisations both belong to `org_ids` (e.g. a team's reasons)."""
    members = set(org_ids)
    return [o for o in opportunities if o.provider_org_id in members and o.receiver_org_id in members]


# --- building supplies and demands ----------------------------------------------------------------------


class _Context:
    def __init__(
        self,
        orgs: Sequence[Org],
        machines: Sequence[Machine],
        signals: Sequence[Signal],
        params: DetectionParameters,
    ) -> None:
        self.params = params
        self.orgs = {org.id: org for org in orgs}
        self.machines = machines
        self.machines_by_org: dict[str, list[Machine]] = defaultdict(list)
        for machine in machines:
            self.machines_by_org[machine.org_id].append(machine)
        self.interests: dict[str, set[str]] = {org.id: set(org.solution_interests) for org in orgs}
        for signal in signals:
            self.interests[signal.org_id].add(signal.solution)
        self.materials = dict(params.material_kgco2e_per_kg)
        self._named: dict[tuple[str, str | None], list[Machine]] = {}
        self._embodied: dict[str, float] = {}

    def possible_hours(self, machine: Machine) -> float:
        if machine.utilisation_rate > 0 and machine.annual_operating_hours > 0:
            return machine.annual_operating_hours / (machine.utilisation_rate / 100)
        return max(self.params.available_hours_per_year, machine.annual_operating_hours)

    def shareable_hours(self, machine: Machine) -> float:
        spare = max(0.0, self.possible_hours(machine) - machine.annual_operating_hours)
        if machine.sharing_hours_per_week > 0:
            return min(spare, machine.sharing_hours_per_week * self.params.weeks_per_year)
        return spare

    def embodied_kgco2e(self, machine: Machine) -> float:
        factor = self.materials.get((machine.main_material or "").lower())
        if machine.mass_kg and factor is not None:
            return machine.mass_kg * factor
        return machine.purchase_value_eur / 1000 * self.params.monetary_kgco2e_per_keur

    def embodied_basis(self, machine: Machine) -> tuple[tuple[str, float], ...]:
        """How `embodied_kgco2e` estimated the machine's emissions, as basis pairs."""
        factor = self.materials.get((machine.main_material or "").lower())
        if machine.mass_kg and factor is not None:
            return (("mass_kg", machine.mass_kg), ("material_kgco2e_per_kg", factor))
        return (("monetary_kgco2e_per_keur", self.params.monetary_kgco2e_per_keur),)

    def embodied(self, machine: Machine) -> float:
        """embodied_kgco2e, computed once per machine."""
        value = self._embodied.get(machine.id)
        if value is None:
            value = self._embodied[machine.id] = self.embodied_kgco2e(machine)
        return value

    def interest(self, solution: str, provider: str, receiver: str) -> float:
        interests = self.interests
        return 1 + self.params.interest_bonus * (
            (solution in interests[provider]) + (solution in interests[receiver])
        )

    def named_machine(self, org_id: str, category: str | None) -> list[Machine]:
        """The provider's most shareable owned machine in a category (to name it), if any."""
        key = (org_id, category)
        if key not in self._named:
            self._named[key] = _machines_in(self, org_id, category)
        return self._named[key]


def _is_owned_and_working(machine: Machine) -> bool:
    return machine.planned_action != "purchase" and machine.condition != "out_of_service"


def _supplies(context: _Context, offers: Sequence[Offer], signals: Sequence[Signal]) -> list[_Supply]:
    supplies = _pooling_supplies(context, signals)
    for i, offer in enumerate(offers):
        org = context.orgs[offer.org_id]
        if offer.kind == "skill":
            assert offer.skill is not None  # validated
            solution = SKILL_SOLUTION[offer.skill]
        else:
            solution = "functional_economy"
        supplies.append(
            _Supply(
                solution,
                org,
                offer.category,
                offer.skill,
                offer.hours_per_year,
                1.0,
                None,
                offer.description,
                i,
            )
        )
    for i, signal in enumerate(signals):
        if signal.kind != "offers":
            continue
        org = context.orgs[signal.org_id]
        order = len(offers) + i
        if signal.skill is not None:
            supplies.append(
                _Supply(
                    SKILL_SOLUTION[signal.skill],
                    org,
                    signal.category,
                    signal.skill,
                    None,
                    signal.strength,
                    None,
                    "",
                    order,
                )
            )
        elif signal.category is not None and signal.solution == "functional_economy":
            supplies.append(
                _Supply(
                    "functional_economy", org, signal.category, None, None, signal.strength, None, "", order
                )
            )
    return supplies


def _pooling_supplies(context: _Context, signals: Sequence[Signal]) -> list[_Supply]:
    params = context.params
    # (org, category) -> strength of a pooling "offers" signal declaring those machines shareable.
    declared: dict[tuple[str, str], float] = {}
    for signal in signals:
        if signal.kind == "offers" and signal.solution == "pooling" and signal.category and not signal.skill:
            key = (signal.org_id, signal.category)
            declared[key] = max(declared.get(key, 0.0), signal.strength)
    supplies: list[_Supply] = []
    for i, machine in enumerate(context.machines):
        if not _is_owned_and_working(machine):
            continue
        strength = max(
            declared.get((machine.org_id, machine.category), 0.0),
            declared.get((machine.org_id, machine.top_category), 0.0),
        )
        under_used = machine.utilisation_rate < params.underuse_threshold_pct
        if not (under_used or machine.sharing_hours_per_week > 0 or strength > 0):
            continue
        hours = context.shareable_hours(machine)
        if hours <= 0:
            continue
        strength = 1.0 if under_used or machine.sharing_hours_per_week > 0 else strength
        org = context.orgs[machine.org_id]
        supplies.append(_Supply("pooling", org, machine.category, None, hours, strength, machine, "", i))
    return supplies


def _demands(context: _Context, needs: Sequence[Need], signals: Sequence[Signal]) -> dict[str, list[_Demand]]:
    demands: dict[str, list[_Demand]] = {solution: [] for solution in DETECTED_SOLUTIONS}
    _machine_demands(context, demands)
    for i, need in enumerate(needs):
        org = context.orgs[need.org_id]
        demand = _Demand(
            org, f"need:{i}", need.category, need.skill, need.hours_per_year, 1.0, None, need.description
        )
        _add_need_demand(demands, need.kind, demand)
    for i, signal in enumerate(signals):
        if signal.kind != "needs" or (signal.skill is None and signal.category is None):
            continue
        org = context.orgs[signal.org_id]
        demand = _Demand(org, f"signal:{i}", signal.category, signal.skill, None, signal.strength, None, "")
        _add_need_demand(demands, "skill" if signal.skill else "capacity", demand)
    return demands


def _add_need_demand(demands: dict[str, list[_Demand]], kind: str, demand: _Demand) -> None:
    if kind == "capacity":
        demands["pooling"].append(demand)
        demands["functional_economy"].append(demand)
    else:
        assert demand.skill is not None  # validated
        demands[SKILL_SOLUTION[demand.skill]].append(demand)


def _machine_demands(context: _Context, demands: dict[str, list[_Demand]]) -> None:
    far: dict[str, list[Machine]] = defaultdict(list)
    for machine in context.machines:
        org = context.orgs[machine.org_id]
        demand = _Demand(org, f"machine:{machine.id}", machine.category, None, None, 1.0, machine, "")
        if machine.planned_action == "purchase":
            demands["pooling"].append(demand)
            demands["functional_economy"].append(demand)
            demands["local_fabrication"].append(demand)
            continue
        if machine.planned_action == "replace":
            demands["local_fabrication"].append(demand)
        if machine.condition in ("poor", "out_of_service") or machine.planned_action == "replace":
            demands["retrofit"].append(demand)
        distance = machine.contractor_distance_km
        if machine.maintenance_mode == "contractor" and (distance or 0) >= context.params.far_contractor_km:
            far[machine.org_id].append(machine)
    for org_id, machines in far.items():
        org = context.orgs[org_id]
        demands["inhouse_maintenance"].append(
            _Demand(org, f"maintenance:{org_id}", None, "maintenance", None, 1.0, None, "", tuple(machines))
        )


# --- matching -------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Rule:
    value: Callable[[_Context, _Supply, _Demand, float], _Valuation | None]
    wording: Callable[[_Context, _Candidate], tuple[str, tuple[tuple[str, WordingParam], ...]]]
    machines: Callable[[_Context, _Supply, _Demand], tuple[Machine, ...]]


def _demand_machines(context: _Context, supply: _Supply, demand: _Demand) -> tuple[Machine, ...]:
    return demand.machines or ((demand.machine,) if demand.machine else ())


def _select(
    context: _Context,
    rule: _Rule,
    index: _SupplyIndex,
    demand: _Demand,
    radius_gc: float,
    stats: DetectionStats,
) -> list[_Candidate]:
    """The best candidate per provider organisation, then the `max_per_subject` best of those.

    For capacity demands an optimistic score (full coverage) is checked first: a supply that cannot
    beat the current last kept score is not valued at all."""
    params = context.params
    count = params.max_per_subject
    if demand.machines:
        return _select_bundles(context, rule, index, demand, radius_gc, stats)
    ceiling = _capacity_ceiling(context, demand) if rule.value is _value_capacity else None
    per_org: dict[str, _Candidate] = {}
    threshold = -math.inf
    org = demand.org
    phi = math.radians(org.lat)
    cos_phi, lam = math.cos(phi), math.radians(org.lon)
    limit = math.sin(min(math.pi / 2, radius_gc / EARTH_RADIUS_KM / 2)) ** 2
    for optimistic, bucket, i, fit in _screened(context, rule, index, demand, radius_gc):
        # The optimistic score only falls from here: nothing further can make the cut.
        if optimistic * (1 + 1e-9) < threshold:
            break
        same_org = bucket.points[i]
        site = same_org[0].org
        if site.id == org.id:
            continue
        site_phi = math.radians(site.lat)
        h = haversine_term(phi, cos_phi, lam, site_phi, math.cos(site_phi), math.radians(site.lon))
        if h > limit:
            continue
        km = 2 * EARTH_RADIUS_KM * math.asin(min(1.0, math.sqrt(h))) * params.road_factor
        for supply in same_org:
            if demand.skill and supply.skill != demand.skill:
                continue
            if ceiling is not None:
                best_case = ceiling(supply) * fit * supply.strength * demand.strength / 1000
                best_case *= context.interest(supply.solution, supply.org.id, demand.org.id)
                if best_case * math.exp(-km / params.distance_decay_km) < threshold:
                    continue
            valuation = rule.value(context, supply, demand, km)
            if valuation is None:
                continue
            stats.candidates += 1
            candidate = _scored(context, supply, demand, km, fit * valuation.coverage, valuation)
            current = per_org.get(supply.org.id)
            if current is None or (candidate.score, -supply.order) > (current.score, -current.supply.order):
                per_org[supply.org.id] = candidate
                if len(per_org) >= count:
                    threshold = heapq.nlargest(count, (c.score for c in per_org.values()))[-1]
    return _best(list(per_org.values()), count)


def _screened(
    context: _Context, rule: _Rule, index: _SupplyIndex, demand: _Demand, radius_gc: float
) -> Iterator[tuple[float, _Bucket, int, float]]:
    """(optimistic score, bucket, point, fit) for the sites in range, best optimistic score first. The
    optimistic score bounds every supply of the site from above (see `_value_ceiling`)."""
    params = context.params
    base, wanted = _value_ceiling(context, rule, demand)
    receiver = 1.0 if rule_solution(rule) in context.interests[demand.org.id] else 0.0
    entries: list[tuple[npt.NDArray[np.float64], _Bucket, npt.NDArray[np.intp], float]] = []
    for bucket, fit, ids, h in index.screen(demand.category, demand.org, radius_gc):
        km = 2 * EARTH_RADIUS_KM * np.arcsin(np.minimum(1.0, np.sqrt(h))) * params.road_factor
        if wanted is None:
            value = np.full(len(ids), base)
        else:
            hours = np.maximum(params.default_hours_per_year, np.minimum(bucket.hours[ids], wanted))
            value = base + hours * params.hour_value_eur
        interest = 1 + params.interest_bonus * (bucket.interested[ids] + receiver)
        score = value / 1000 * fit * bucket.strength[ids] * demand.strength * interest
        entries.append((score * np.exp(-km / params.distance_decay_km), bucket, ids, fit))
    if not entries:
        return
    scores = np.concatenate([e[0] for e in entries])
    owner = np.concatenate([np.full(len(e[2]), n, dtype=np.intp) for n, e in enumerate(entries)])
    points = np.concatenate([e[2] for e in entries])
    # NaN (infinite hours times a zero) would sort last and stop the scan: count it as unbounded.
    scores = np.where(np.isnan(scores), math.inf, scores)
    for j in np.argsort(-scores, kind="stable").tolist():
        entry = entries[int(owner[j])]
        yield float(scores[j]), entry[1], int(points[j]), entry[3]


def rule_solution(rule: _Rule) -> str:
    return next(solution for solution, other in _RULES.items() if other is rule)


def _value_ceiling(context: _Context, rule: _Rule, demand: _Demand) -> tuple[float, float | None]:
    """(base, wanted): every supply's value for this demand is at most base + hours x hour value, hours
    being at most max(default hours, min(the supply's stated hours, wanted)); wanted None means the
    value is base alone, infinite base that it depends on the provider's machine (no bound)."""
    params = context.params
    planned = demand.machine
    carbon = params.carbon_value_eur_per_tonne / 1000
    if rule.value is _value_capacity:
        base = 0.0
        if planned is not None:
            if planned.purchase_value_eur <= 0:
                return math.inf, None
            base = planned.purchase_value_eur + context.embodied(planned) * carbon
        return base, _stated(_demanded_hours(demand))
    if planned is not None:  # skills answering a machine: the same share avoided, whoever provides
        price_share, embodied_share = skill_shares(params, rule_solution(rule))
        return planned.purchase_value_eur * price_share + context.embodied(
            planned
        ) * embodied_share * carbon, None
    return 0.0, _stated(demand.hours)


def _capacity_ceiling(context: _Context, demand: _Demand) -> Callable[[_Supply], float] | None:
    """An upper bound of a capacity supply's value for this demand (the value at full coverage), or
    None when the value depends on the provider's machine (a planned purchase without a price)."""
    planned = demand.machine
    if planned is not None and planned.purchase_value_eur <= 0:
        return None
    params = context.params
    base = 0.0
    if planned is not None:
        base = (
            planned.purchase_value_eur + context.embodied(planned) / 1000 * params.carbon_value_eur_per_tonne
        )
    wanted = _demanded_hours(demand)

    def ceiling(supply: _Supply) -> float:
        hours = _known_min(supply.hours, wanted) or params.default_hours_per_year
        return base + hours * params.hour_value_eur

    return ceiling


def _select_bundles(
    context: _Context,
    rule: _Rule,
    index: _SupplyIndex,
    demand: _Demand,
    radius_gc: float,
    stats: DetectionStats,
) -> list[_Candidate]:
    """Machines of one receiver grouped per provider (maintenance), each fitting the provider's skill;
    the best providers kept as in `_select`, sites valued in decreasing order of an optimistic score
    (every machine's contractor trip saved in full, the best fit) until it falls below the last kept."""
    params = context.params
    count = params.max_per_subject
    org = demand.org
    # Per site in range: the categories of the receiver's machines it answers, with their fit.
    matches: dict[tuple[int, int], tuple[_Bucket, int, list[tuple[str, float]]]] = {}
    for category in sorted({m.category for m in demand.machines}):
        for bucket, fit, ids, _ in index.screen(category, org, radius_gc):
            for i in ids.tolist():
                entry = matches.setdefault((id(bucket), i), (bucket, i, []))
                entry[2].append((category, fit))
    if not matches:
        return []
    entries = list(matches.values())
    sites = [entry[0].points[entry[1]][0].org for entry in entries]
    phi, lam = math.radians(org.lat), math.radians(org.lon)
    cos_phi = math.cos(phi)
    limit = math.sin(min(math.pi / 2, radius_gc / EARTH_RADIUS_KM / 2)) ** 2
    km = np.array(
        [
            2
            * EARTH_RADIUS_KM
            * math.asin(min(1.0, math.sqrt(haversine_term(phi, cos_phi, lam, *_radians(site.lat, site.lon)))))
            * params.road_factor
            for site in sites
        ]
    )
    far = np.array([m.contractor_distance_km or 0.0 for m in demand.machines])
    saved = np.maximum(0.0, far[None, :] - km[:, None]).sum(axis=1) * 2 * params.maintenance_visits_per_year
    per_km = params.km_value_eur + params.travel_kgco2e_per_km * params.carbon_value_eur_per_tonne / 1000
    receiver = 1.0 if "inhouse_maintenance" in context.interests[org.id] else 0.0
    optimistic = [
        saved[n]
        * per_km
        / 1000
        * max(f for _, f in entry[2])
        * float(entry[0].strength[entry[1]])
        * (1 + params.interest_bonus * (float(entry[0].interested[entry[1]]) + receiver))
        * math.exp(-km[n] / params.distance_decay_km)
        for n, entry in enumerate(entries)
    ]
    per_org: dict[str, _Candidate] = {}
    threshold = -math.inf
    for n in sorted(range(len(entries)), key=lambda n: -optimistic[n]):
        if optimistic[n] * (1 + 1e-9) < threshold:
            break
        bucket, i, fitting = entries[n]
        site = sites[n]
        h = haversine_term(phi, cos_phi, lam, *_radians(site.lat, site.lon))
        if site.id == org.id or h > limit:
            continue
        gc_km = 2 * EARTH_RADIUS_KM * math.asin(min(1.0, math.sqrt(h)))
        for supply in bucket.points[i]:
            matched = [
                (m, fit) for category, fit in fitting for m in demand.machines if m.category == category
            ]
            candidate = _bundle(context, rule, supply, demand, gc_km, matched)
            if candidate is None:
                continue
            stats.candidates += 1
            current = per_org.get(supply.org.id)
            if current is None or (candidate.score, -supply.order) > (current.score, -current.supply.order):
                per_org[supply.org.id] = candidate
                if len(per_org) >= count:
                    threshold = heapq.nlargest(count, (c.score for c in per_org.values()))[-1]
    return _best(list(per_org.values()), count)


def _radians(lat: float, lon: float) -> tuple[float, float, float]:
    """(latitude, its cosine, longitude) in radians, as `haversine_term` takes a point."""
    phi = math.radians(lat)
    return phi, math.cos(phi), math.radians(lon)


def _bundle(
    context: _Context,
    rule: _Rule,
    supply: _Supply,
    demand: _Demand,
    gc_km: float,
    matched: list[tuple[Machine, float]],
) -> _Candidate | None:
    """The provider's offer for the receiver's machines whose contractor is farther than it."""
    km = gc_km * context.params.road_factor
    kept = [(m, fit) for m, fit in matched if (m.contractor_distance_km or 0) > km]
    if not kept:
        return None
    bundle = _Demand(
        demand.org, demand.subject, None, "maintenance", None, 1.0, None, "", tuple(m for m, _ in kept)
    )
    valuation = rule.value(context, supply, bundle, km)
    if valuation is None:
        return None
    fit = sum(f for _, f in kept) / len(kept)
    return _scored(context, supply, bundle, km, fit, valuation)


def _scored(
    context: _Context, supply: _Supply, demand: _Demand, km: float, fit: float, valuation: _Valuation
) -> _Candidate:
    params = context.params
    fit *= supply.strength * demand.strength * context.interest(supply.solution, supply.org.id, demand.org.id)
    travel = valuation.km * params.travel_kgco2e_per_km
    value = (
        valuation.avoided_eur
        + valuation.hours * params.hour_value_eur
        + valuation.km * params.km_value_eur
        + (valuation.embodied_kgco2e + travel) / 1000 * params.carbon_value_eur_per_tonne
    )
    score = value / 1000 * fit * math.exp(-km / params.distance_decay_km)
    return _Candidate(score, fit, value, km, supply, demand, valuation)


def _best(candidates: list[_Candidate], count: int) -> list[_Candidate]:
    """The best candidate per provider organisation, then the `count` best of those."""
    per_org: dict[str, _Candidate] = {}
    for c in candidates:
        current = per_org.get(c.supply.org.id)
        if current is None or (c.score, -c.supply.order) > (current.score, -current.supply.order):
            per_org[c.supply.org.id] = c
    return heapq.nsmallest(count, per_org.values(), key=lambda c: (-c.score, c.supply.org.id))


def _opportunity(context: _Context, rule: _Rule, c: _Candidate) -> Opportunity:
    v = c.valuation
    machines = [m.id for m in rule.machines(context, c.supply, c.demand)]
    wording, wording_params = rule.wording(context, c)
    skills = (c.supply.skill,) if c.supply.skill else ()
    return Opportunity(
        solution=c.supply.solution,
        provider_org_id=c.supply.org.id,
        receiver_org_id=c.demand.org.id,
        machine_ids=tuple(dict.fromkeys(machines)),
        skills=skills,
        distance_km=round(c.km, 1),
        avoided_purchase_eur=round(v.avoided_eur, 2),
        avoided_embodied_kgco2e=round(v.embodied_kgco2e, 1),
        km_avoided_per_year=round(v.km, 1),
        avoided_travel_kgco2e_per_year=round(v.km * context.params.travel_kgco2e_per_km, 1),
        hours_shared_per_year=round(v.hours, 1),
        value_eur=round(c.value_eur, 2),
        fit=round(c.fit, 3),
        score=round(c.score, 3),
        wording=wording,
        wording_params=wording_params,
        subject=c.demand.subject,
        basis=_basis(context, v),
    )


def _basis(context: _Context, v: _Valuation) -> tuple[tuple[str, float], ...]:
    machine = v.avoided_machine
    if machine is None:
        return ()
    return (
        ("purchase_value_eur", machine.purchase_value_eur),
        ("purchase_share", v.price_share),
        ("embodied_kgco2e", round(context.embodied(machine), 1)),
        ("embodied_share", v.embodied_share),
        *context.embodied_basis(machine),
    )


# --- valuation per solution -----------------------------------------------------------------------------


def _known_min(a: float | None, b: float | None) -> float | None:
    """The smaller of the positive values given, None if neither is."""
    if a is None or a <= 0:
        return b if b is not None and b > 0 else None
    return min(a, b) if b is not None and b > 0 else a


def _demanded_hours(demand: _Demand) -> float | None:
    if demand.machine is not None:
        return demand.machine.annual_operating_hours or None
    return demand.hours


def _avoided_machine(context: _Context, planned: Machine | None, fallback: Machine | None) -> Machine | None:
    """The machine a cooperation avoids buying: the planned one when it has a price, else the provider's."""
    return planned if planned is not None and planned.purchase_value_eur > 0 else fallback or planned


def _sparing(
    context: _Context,
    machine: Machine | None,
    price_share: float = 1.0,
    embodied_share: float = 1.0,
    *,
    hours: float = 0.0,
    coverage: float = 1.0,
) -> _Valuation:
    """A valuation that spares `price_share` of the machine's price and `embodied_share` of its
    embodied emissions."""
    if machine is None:
        return _Valuation(hours=hours, coverage=coverage)
    return _Valuation(
        hours=hours,
        avoided_eur=machine.purchase_value_eur * price_share,
        embodied_kgco2e=context.embodied(machine) * embodied_share,
        coverage=coverage,
        avoided_machine=machine,
        price_share=price_share,
        embodied_share=embodied_share,
    )


def skill_shares(params: DetectionParameters, solution: str) -> tuple[float, float]:
    """(share of the price, share of the embodied emissions) that a skill answering a machine spares."""
    if solution == "retrofit":
        return 1 - params.retrofit_cost_share, params.retrofit_embodied_avoided_share
    if solution == "local_fabrication":
        return 1 - params.local_fabrication_cost_share, 0.0
    return 1.0, 1.0


def _value_capacity(context: _Context, supply: _Supply, demand: _Demand, km: float) -> _Valuation | None:
    wanted = _demanded_hours(demand)
    hours = _known_min(supply.hours, wanted)
    if hours is None:
        if supply.solution == "pooling":
            return None
        hours = context.params.default_hours_per_year
    coverage = min(1.0, hours / wanted) if wanted and supply.hours is not None else 1.0
    planned = demand.machine
    machine = (
        None if planned is None else _avoided_machine(context, planned, _provider_machine(context, supply))
    )
    return _sparing(context, machine, hours=hours, coverage=coverage)


def _provider_machine(context: _Context, supply: _Supply) -> Machine | None:
    if supply.machine is not None:
        return supply.machine
    named = context.named_machine(supply.org.id, supply.category)
    return named[0] if named else None


def _capacity_machines(context: _Context, supply: _Supply, demand: _Demand) -> tuple[Machine, ...]:
    provider = _provider_machine(context, supply)
    return tuple(m for m in (provider, demand.machine) if m is not None)


def _machines_in(context: _Context, org_id: str, category: str | None) -> list[Machine]:
    """The provider's owned machines in a category, most shareable first (to name them in a wording)."""
    if category is None:
        return []
    top = top_category(category)
    machines = [
        m
        for m in context.machines_by_org.get(org_id, ())
        if _is_owned_and_working(m)
        and (m.category == category or (top == category and m.top_category == top))
    ]
    return sorted(machines, key=lambda m: (-context.shareable_hours(m), m.id))[:1]


def _value_skill(context: _Context, supply: _Supply, demand: _Demand, km: float) -> _Valuation | None:
    if demand.machine is not None:
        price_share, embodied_share = skill_shares(context.params, supply.solution)
        return _sparing(context, demand.machine, price_share, embodied_share)
    hours = _known_min(supply.hours, demand.hours) or context.params.default_hours_per_year
    return _Valuation(hours=hours)


def _value_maintenance(context: _Context, supply: _Supply, demand: _Demand, km: float) -> _Valuation | None:
    if not demand.machines:
        return _value_skill(context, supply, demand, km)
    visits = context.params.maintenance_visits_per_year
    saved = sum(visits * 2 * ((m.contractor_distance_km or 0.0) - km) for m in demand.machines)
    return _Valuation(km=saved)


# --- wording: a code and its parameters (the web and document layers write the sentence) ---------------

WORDINGS = (
    "pooling",
    "functional_economy",
    "retrofit_machine",
    "fabrication_machine",
    "maintenance_machines",
    "skill_need",
)
"""Every wording code an opportunity may carry. Parameters common to all: ``provider``, ``receiver``
(organisation names) and ``km`` (road distance, rounded to the km; below 1 means "less than a km").

- ``pooling``: ``machine``, ``hours`` (h/year it runs), ``possible`` (h/year it could run), and the demand.
- ``functional_economy``: what is sold, ``machine`` (a named machine) or ``equipment`` (the offer's
  description) or ``category``; ``offered_hours`` when the offer states them; and the demand.
- The demand of both: ``planned`` (name of the machine the receiver plans to buy), or a capacity need,
  with ``wanted_hours`` and ``detail`` (its description) when given.
- ``retrofit_machine``: ``machine``, ``condition`` (poor, out_of_service, or absent) and ``action``
  (``replace`` or absent).
- ``fabrication_machine``: ``skill`` (design, fabrication), ``machine`` and ``action`` (purchase, replace).
- ``maintenance_machines``: ``count`` of machines, ``machine`` (its name when one), ``farthest_km``
  (the farthest contractor).
- ``skill_need``: ``skill`` (retrofit, design, fabrication, maintenance), ``detail`` and ``hours``
  (h/year) when known."""


def _wording(
    c: _Candidate, code: str, **params: WordingParam | None
) -> tuple[str, tuple[tuple[str, WordingParam], ...]]:
    common: dict[str, WordingParam | None] = {
        "provider": c.supply.org.name,
        "receiver": c.demand.org.name,
        "km": round(c.km),
    }
    common.update(params)
    return code, tuple((key, value) for key, value in common.items() if value is not None and value != "")


def _hours(value: float | None) -> float | None:
    return round(value) if value else None


def _capacity_demand(demand: _Demand) -> dict[str, WordingParam | None]:
    if demand.machine is not None:
        return {"planned": demand.machine.name}
    return {"wanted_hours": _hours(demand.hours), "detail": demand.description}


def _word_pooling(context: _Context, c: _Candidate) -> tuple[str, tuple[tuple[str, WordingParam], ...]]:
    machine = c.supply.machine
    assert machine is not None  # pooling supplies are machines
    return _wording(
        c,
        "pooling",
        machine=machine.name,
        hours=round(machine.annual_operating_hours),
        possible=round(context.possible_hours(machine)),
        **_capacity_demand(c.demand),
    )


def _word_functional(context: _Context, c: _Candidate) -> tuple[str, tuple[tuple[str, WordingParam], ...]]:
    supply = c.supply
    named = context.named_machine(supply.org.id, supply.category)
    what: dict[str, WordingParam | None] = (
        {"machine": named[0].name}
        if named
        else {"equipment": supply.description, "category": None if supply.description else supply.category}
    )
    return _wording(
        c, "functional_economy", offered_hours=_hours(supply.hours), **what, **_capacity_demand(c.demand)
    )


def _word_skill_need(c: _Candidate) -> tuple[str, tuple[tuple[str, WordingParam], ...]]:
    return _wording(
        c, "skill_need", skill=c.supply.skill, detail=c.demand.description, hours=_hours(c.valuation.hours)
    )


def _word_retrofit(context: _Context, c: _Candidate) -> tuple[str, tuple[tuple[str, WordingParam], ...]]:
    machine = c.demand.machine
    if machine is None:
        return _word_skill_need(c)
    return _wording(
        c,
        "retrofit_machine",
        machine=machine.name,
        condition=machine.condition if machine.condition in ("poor", "out_of_service") else None,
        action="replace" if machine.planned_action == "replace" else None,
    )


def _word_fabrication(context: _Context, c: _Candidate) -> tuple[str, tuple[tuple[str, WordingParam], ...]]:
    machine = c.demand.machine
    if machine is None:
        return _word_skill_need(c)
    return _wording(
        c,
        "fabrication_machine",
        skill=c.supply.skill or "fabrication",
        machine=machine.name,
        action="purchase" if machine.planned_action == "purchase" else "replace",
    )


def _word_maintenance(context: _Context, c: _Candidate) -> tuple[str, tuple[tuple[str, WordingParam], ...]]:
    machines = c.demand.machines
    if not machines:
        return _word_skill_need(c)
    return _wording(
        c,
        "maintenance_machines",
        count=len(machines),
        machine=machines[0].name if len(machines) == 1 else None,
        farthest_km=round(max(m.contractor_distance_km or 0.0 for m in machines)),
    )


_RULES: dict[str, _Rule] = {
    "pooling": _Rule(_value_capacity, _word_pooling, _capacity_machines),
    "functional_economy": _Rule(_value_capacity, _word_functional, _capacity_machines),
    "retrofit": _Rule(_value_skill, _word_retrofit, _demand_machines),
    "local_fabrication": _Rule(_value_skill, _word_fabrication, _demand_machines),
    "inhouse_maintenance": _Rule(_value_maintenance, _word_maintenance, _demand_machines),
}
