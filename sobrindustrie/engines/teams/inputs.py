"""What the cooperation analysis reads: organisations, their production means, needs, offers and
diagnostic signals, as plain frozen dataclasses the platform fills from its models.

Categories are codes such as ``cutting.laser``: the part before the first dot is the top-level category
(``cutting``), a code without a dot names a top-level category only.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TypeGuard

from sobrindustrie.engines.teams.errors import TeamsInputError

SOLUTIONS = (
    "pooling",
    "retrofit",
    "local_fabrication",
    "inhouse_maintenance",
    "usage_change",
    "functional_economy",
    "other_lowtech",
)
"""The seven sobriety solution codes of the programme."""

CONDITIONS = ("new", "good", "fair", "poor", "out_of_service")
MAINTENANCE_MODES = ("inhouse", "contractor", "none")
PLANNED_ACTIONS = ("none", "replace", "purchase")
SKILLS = ("maintenance", "retrofit", "design", "fabrication")
NEED_KINDS = ("capacity", "skill")
SIGNAL_KINDS = ("offers", "needs")

_CATEGORY = re.compile(r"^[a-z0-9_-]+(\.[a-z0-9_-]+)*$")


@dataclass(frozen=True)
class Org:
    """An organisation (laureate SME or outside structure) at a site given in decimal degrees."""

    id: str
    name: str
    lat: float
    lon: float
    solution_interests: frozenset[str] = frozenset()


@dataclass(frozen=True)
class Machine:
    """A production means (machine, tool, equipment) of an organisation, or one it plans to buy.

    A machine with ``planned_action == "purchase"`` is a planned purchase: its category, price and
    expected operating hours describe what the organisation intends to buy. ``utilisation_rate`` is the
    share (0-100 %) of the hours the machine could run that it actually runs, so the hours it could run
    are ``annual_operating_hours / (utilisation_rate / 100)``.
    """

    id: str
    org_id: str
    category: str
    name: str
    purchase_value_eur: float
    mass_kg: float | None = None
    main_material: str | None = None
    rated_power_kw: float | None = None
    annual_operating_hours: float = 0.0
    utilisation_rate: float = 0.0
    condition: str = "good"
    maintenance_mode: str = "inhouse"
    contractor_distance_km: float | None = None
    planned_action: str = "none"
    sharing_hours_per_week: float = 0.0

    @property
    def top_category(self) -> str:
        return top_category(self.category)


@dataclass(frozen=True)
class Need:
    """Something an organisation lacks: machine capacity in a category, or a skill."""

    org_id: str
    kind: str
    category: str | None = None
    skill: str | None = None
    hours_per_year: float | None = None
    description: str = ""


@dataclass(frozen=True)
class Offer:
    """Something an organisation can provide: machine time in a category (sold as a service), or a
    skill (maintenance, retrofit, design, fabrication), optionally limited to a category."""

    org_id: str
    kind: str
    category: str | None = None
    skill: str | None = None
    hours_per_year: float | None = None
    description: str = ""


@dataclass(frozen=True)
class Signal:
    """A hint from an individual diagnostic: the organisation offers or needs something for a solution,
    with a strength between 0 (barely) and 1 (certainly)."""

    org_id: str
    solution: str
    kind: str
    category: str | None = None
    skill: str | None = None
    strength: float = 1.0


def top_category(category: str) -> str:
    """The top-level part of a category code: ``cutting`` for ``cutting.laser``."""
    return category.split(".", 1)[0]


def validate_inputs(
    orgs: Sequence[Org],
    machines: Sequence[Machine],
    needs: Sequence[Need],
    offers: Sequence[Offer],
    signals: Sequence[Signal],
) -> None:
    """Raise TeamsInputError naming the first field that breaks a rule; return None when all is well."""
    org_ids = _validate_orgs(orgs)
    seen: set[str] = set()
    for i, machine in enumerate(machines):
        where = f"machines[{i}]"
        if machine.id in seen:
            raise TeamsInputError(f"{where}.id", f"duplicate machine id {machine.id!r}")
        seen.add(machine.id)
        _validate_machine(where, machine, org_ids)
    for i, need in enumerate(needs):
        _validate_need_or_offer(f"needs[{i}]", need, org_ids)
    for i, offer in enumerate(offers):
        _validate_need_or_offer(f"offers[{i}]", offer, org_ids)
    for i, signal in enumerate(signals):
        _validate_signal(f"signals[{i}]", signal, org_ids)


def _validate_orgs(orgs: Sequence[Org]) -> set[str]:
    ids: set[str] = set()
    for i, org in enumerate(orgs):
        where = f"orgs[{i}]"
        _require(isinstance(org.id, str) and org.id != "", f"{where}.id", "must be a non-empty string")
        _require(org.id not in ids, f"{where}.id", f"duplicate organisation id {org.id!r}")
        ids.add(org.id)
        _require(
            _finite(org.lat) and -90 <= org.lat <= 90,
            f"{where}.lat",
            f"must lie in [-90, 90], got {org.lat!r}",
        )
        _require(
            _finite(org.lon) and -180 <= org.lon <= 180,
            f"{where}.lon",
            f"must lie in [-180, 180], got {org.lon!r}",
        )
        _check_codes(f"{where}.solution_interests", org.solution_interests, SOLUTIONS)
    return ids


def _validate_machine(where: str, machine: Machine, org_ids: set[str]) -> None:
    _require(machine.org_id in org_ids, f"{where}.org_id", f"unknown organisation {machine.org_id!r}")
    _check_category(f"{where}.category", machine.category, required=True)
    _check_amount(f"{where}.purchase_value_eur", machine.purchase_value_eur)
    _check_amount(f"{where}.annual_operating_hours", machine.annual_operating_hours)
    _check_amount(f"{where}.sharing_hours_per_week", machine.sharing_hours_per_week)
    _require(machine.sharing_hours_per_week <= 168, f"{where}.sharing_hours_per_week", "a week has 168 hours")
    for name in ("mass_kg", "rated_power_kw", "contractor_distance_km"):
        value = getattr(machine, name)
        if value is not None:
            _check_amount(f"{where}.{name}", value)
    _require(
        _finite(machine.utilisation_rate) and 0 <= machine.utilisation_rate <= 100,
        f"{where}.utilisation_rate",
        f"must be a percentage in [0, 100], got {machine.utilisation_rate!r}",
    )
    _check_codes(f"{where}.condition", [machine.condition], CONDITIONS)
    _check_codes(f"{where}.maintenance_mode", [machine.maintenance_mode], MAINTENANCE_MODES)
    _check_codes(f"{where}.planned_action", [machine.planned_action], PLANNED_ACTIONS)


def _validate_need_or_offer(where: str, item: Need | Offer, org_ids: set[str]) -> None:
    _require(item.org_id in org_ids, f"{where}.org_id", f"unknown organisation {item.org_id!r}")
    _check_codes(f"{where}.kind", [item.kind], NEED_KINDS)
    _check_category(f"{where}.category", item.category, required=item.kind == "capacity")
    if item.kind == "skill":
        _require(item.skill is not None, f"{where}.skill", "a skill need or offer names its skill")
        _check_codes(f"{where}.skill", [item.skill], SKILLS)
    if item.hours_per_year is not None:
        _check_amount(f"{where}.hours_per_year", item.hours_per_year)


def _validate_signal(where: str, signal: Signal, org_ids: set[str]) -> None:
    _require(signal.org_id in org_ids, f"{where}.org_id", f"unknown organisation {signal.org_id!r}")
    _check_codes(f"{where}.solution", [signal.solution], SOLUTIONS)
    _check_codes(f"{where}.kind", [signal.kind], SIGNAL_KINDS)
    _check_category(f"{where}.category", signal.category, required=False)
    if signal.skill is not None:
        _check_codes(f"{where}.skill", [signal.skill], SKILLS)
    _require(
        _finite(signal.strength) and 0 <= signal.strength <= 1,
        f"{where}.strength",
        f"must lie in [0, 1], got {signal.strength!r}",
    )


def _require(condition: bool, field: str, message: str) -> None:
    if not condition:
        raise TeamsInputError(field, message)


def _finite(value: object) -> TypeGuard[int | float]:
    return isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value)


def _check_amount(field: str, value: object) -> None:
    if not _finite(value):
        raise TeamsInputError(field, f"must be a finite number, got {value!r}")
    _require(value >= 0, field, f"must not be negative, got {value!r}")


def _check_category(field: str, value: str | None, *, required: bool) -> None:
    if value is None:
        _require(not required, field, "a category is required here")
        return
    _require(
        isinstance(value, str) and _CATEGORY.match(value) is not None,
        field,
        f"must be a category code such as 'cutting.laser', got {value!r}",
    )


def _check_codes(field: str, values: Iterable[object], allowed: Sequence[str]) -> None:
    for value in values:
        _require(value in allowed, field, f"unknown code {value!r} (expected one of {', '.join(allowed)})")
