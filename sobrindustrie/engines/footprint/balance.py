"""Level-2 greenhouse-gas balance of a project against its reference scenario, with Monte Carlo.

A balance is a list of activity lines, each the difference between the reference scenario (what
happens without the project) and the project: energy no longer used, a machine not bought, a machine
kept longer, freight and travel avoided, material saved, and what the project itself adds.

Sign convention: the result is project minus reference, in kgCO2e per year. A line whose effect is
`avoided` (emitted in the reference scenario, not with the project) counts negative; a line whose effect
is `added` (emitted because of the project) counts positive. A negative net balance means the project
avoids emissions.

Each line contributes  sign × quantity (converted to the factor's unit) × factor × share / years
(÷ occupancy for a shared car). `years` spreads a one-off quantity (a machine's embodied emissions)
over the years it covers; `share` keeps part of it (the share of embodied emissions a longer life
avoids, see `life_extension_line`).

Uncertainty: each factor and each line's quantity is drawn from its distribution (`uncertainty.py`);
a factor used by several lines is drawn once per draw, so those lines move together. The result gives
the deterministic central value, the mean and median of the draws, the 90 % interval (P5-P95), each
line's share of the variance, and which inputs drive the result (squared Spearman rank correlation
with the net balance, normalised to sum to 1).
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum
from typing import Any

import numpy as np
import numpy.typing as npt

from sobrindustrie.engines.footprint.errors import BalanceInputError, FootprintError, UnitError
from sobrindustrie.engines.footprint.factors import EmissionFactor, FactorLibrary, load_library
from sobrindustrie.engines.footprint.travel import MAX_CAR_OCCUPANTS
from sobrindustrie.engines.footprint.uncertainty import (
    NO_UNCERTAINTY,
    Distribution,
    Uncertainty,
    UncertaintyBasis,
    draw_multipliers,
)
from sobrindustrie.engines.footprint.units import conversion_factor

SIGN_CONVENTION = (
    "net = project − reference scenario, in kgCO2e per year: negative = emissions avoided, "
    "positive = emissions added by the project"
)
DEFAULT_SEED = 20251020  # the programme's planned start date: any fixed number would do
DEFAULT_DRAWS = 10_000
MIN_DRAWS = 100
MAX_DRAWS = 1_000_000


class LineKind(StrEnum):
    ENERGY = "energy"  # energy saved (or consumed) per carrier
    AVOIDED_PURCHASE = "avoided_purchase"  # a machine not bought: mass × material, or price × monetary ratio
    LIFE_EXTENSION = "life_extension"  # a machine kept longer: part of its embodied emissions avoided
    FREIGHT = "freight"  # t.km of freight
    TRAVEL = "travel"  # passenger.km by a travel mode
    MATERIAL = "material"  # material saved
    OTHER = "other"


class Effect(StrEnum):
    AVOIDED = "avoided"  # emitted in the reference scenario, not with the project: counts negative
    ADDED = "added"  # emitted because of the project: counts positive


@dataclass(frozen=True)
class ActivityLine:
    """One difference between the reference scenario and the project.

    `quantity` is a magnitude (≥ 0); the direction is `effect`. Give `factor_id`, or for travel lines
    `travel_mode` (an Impact CO2 slug) with `trip_km` when the mode's factor depends on distance.
    """

    label: str
    kind: LineKind
    effect: Effect
    quantity: float
    unit: str
    factor_id: str = ""
    quantity_uncertainty: Uncertainty = NO_UNCERTAINTY
    years: float = 1.0
    share: float = 1.0
    travel_mode: str = ""
    trip_km: float | None = None
    occupancy: float = 1.0  # people sharing a car (travel by car only)

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> ActivityLine:
        """Build a line from plain data (JSON); `base_life_years` and `extended_life_years` may replace
        `share` and `years` for life extensions. Raises `BalanceInputError` naming the field."""
        known = {
            "label", "kind", "effect", "quantity", "unit", "factor_id", "uncertainty", "years", "share",
            "travel_mode", "trip_km", "occupancy", "base_life_years", "extended_life_years",
        }  # fmt: skip
        unknown = sorted(set(data) - known)
        if unknown:
            raise BalanceInputError(
                f"unknown field(s) {', '.join(unknown)}; known fields: {', '.join(sorted(known))}"
            )
        try:
            values: dict[str, Any] = {
                "label": str(data["label"]),
                "kind": LineKind(data["kind"]),
                "effect": Effect(data["effect"]),
                "quantity": data["quantity"],
                "unit": str(data["unit"]),
            }
        except KeyError as error:
            raise BalanceInputError(f"field {error.args[0]!r} is missing") from None
        except ValueError as error:
            raise BalanceInputError(str(error)) from None
        for name in ("factor_id", "travel_mode", "trip_km", "occupancy", "years", "share"):
            if data.get(name) is not None:
                values[name] = data[name]
        if "uncertainty" in data:
            values["quantity_uncertainty"] = _uncertainty_from_dict(data["uncertainty"])
        if "base_life_years" in data or "extended_life_years" in data:
            values["share"], values["years"] = life_extension_share(
                data.get("base_life_years"), data.get("extended_life_years")
            )
        return cls(**values)


def life_extension_share(base_life_years: Any, extended_life_years: Any) -> tuple[float, float]:
    """(share, years) for a machine whose life goes from `base_life_years` to `extended_life_years`.

    Over a long period the reference buys a machine every L years, the project every L' years: the
    embodied emissions E avoided per year are E × (1/L − 1/L') = E × (1 − L/L') / L.
    """
    for name, value in (("base_life_years", base_life_years), ("extended_life_years", extended_life_years)):
        if isinstance(value, bool) or not isinstance(value, int | float) or not value > 0:
            raise BalanceInputError(f"{name}: must be a number of years > 0, got {value!r}")
    if extended_life_years <= base_life_years:
        raise BalanceInputError(
            f"extended_life_years ({extended_life_years:g}) must exceed base_life_years ({base_life_years:g})"
        )
    return 1.0 - base_life_years / extended_life_years, float(base_life_years)


def life_extension_line(
    label: str,
    *,
    factor_id: str,
    quantity: float,
    unit: str,
    base_life_years: float,
    extended_life_years: float,
    quantity_uncertainty: Uncertainty = NO_UNCERTAINTY,
) -> ActivityLine:
    """A machine kept longer: `quantity` measures the machine (mass, or price for a monetary ratio)."""
    share, years = life_extension_share(base_life_years, extended_life_years)
    return ActivityLine(
        label=label,
        kind=LineKind.LIFE_EXTENSION,
        effect=Effect.AVOIDED,
        quantity=quantity,
        unit=unit,
        factor_id=factor_id,
        quantity_uncertainty=quantity_uncertainty,
        years=years,
        share=share,
    )


def travel_line(
    label: str,
    *,
    mode: str,
    km_per_trip: float,
    trips_per_year: float,
    people: int = 1,
    effect: Effect = Effect.AVOIDED,
    quantity_uncertainty: Uncertainty = NO_UNCERTAINTY,
    library: FactorLibrary | None = None,
) -> ActivityLine:
    """Trips per year of `km_per_trip` by `mode` for `people` travelling together (sharing one car)."""
    travel_mode = (library or load_library()).travel_mode(mode)
    return ActivityLine(
        label=label,
        kind=LineKind.TRAVEL,
        effect=effect,
        quantity=km_per_trip * trips_per_year * people,
        unit="passenger.km",
        travel_mode=mode,
        trip_km=km_per_trip,
        occupancy=float(people) if travel_mode.carpool else 1.0,
        quantity_uncertainty=quantity_uncertainty,
    )


@dataclass(frozen=True)
class Spread:
    """Summary of Monte Carlo draws, in kgCO2e per year."""

    mean: float
    median: float
    p5: float
    p95: float
    std: float

    def to_dict(self) -> dict[str, float]:
        return {"mean": self.mean, "median": self.median, "p5": self.p5, "p95": self.p95, "std": self.std}


@dataclass(frozen=True)
class LineResult:
    position: int  # 1-based, as shown to people
    label: str
    kind: LineKind
    effect: Effect
    factor_id: str
    factor_value: float
    factor_unit: str
    quantity_in_factor_unit: float
    central_kg_co2e_per_year: float
    spread: Spread
    # cov(line, net) / var(net): the shares of all lines sum to 1; 0 when the net has no variance.
    variance_share: float
    # The uncertainty the factor was drawn from (its own, or the override given to compute_balance).
    factor_uncertainty: Uncertainty = NO_UNCERTAINTY

    def to_dict(self) -> dict[str, Any]:
        return {
            "position": self.position,
            "label": self.label,
            "kind": str(self.kind),
            "effect": str(self.effect),
            "factor_id": self.factor_id,
            "factor_value": self.factor_value,
            "factor_unit": self.factor_unit,
            "quantity_in_factor_unit": self.quantity_in_factor_unit,
            "central_kg_co2e_per_year": self.central_kg_co2e_per_year,
            "spread": self.spread.to_dict(),
            "variance_share": self.variance_share,
            "factor_uncertainty": {
                "relative": self.factor_uncertainty.relative,
                "distribution": str(self.factor_uncertainty.distribution),
                "basis": str(self.factor_uncertainty.basis),
            },
        }


@dataclass(frozen=True)
class InputSensitivity:
    """How much one uncertain input (a factor, or a line's quantity) drives the net balance."""

    kind: str  # "factor" or "quantity"
    reference: str  # the factor id, or the line's position
    label: str
    rank_correlation: float  # Spearman, with the net balance
    variance_share: float  # squared rank correlation, normalised over all inputs

    def to_dict(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "reference": self.reference,
            "label": self.label,
            "rank_correlation": self.rank_correlation,
            "variance_share": self.variance_share,
        }


class WarningCode(StrEnum):
    FACTOR_TO_VERIFY = "factor_to_verify"  # the library flags the factor's value as to be checked
    FACTOR_OUT_OF_PERIOD = "factor_out_of_period"  # the evaluation date is outside the factor's validity


@dataclass(frozen=True)
class BalanceWarning:
    """A caveat on a result, as a code and its parameters: the pages word it in the reader's language."""

    code: WarningCode
    factor_id: str
    source: str = ""  # for factor_to_verify: the library's source of the factor
    valid_from: date | None = None  # for factor_out_of_period
    valid_until: date | None = None
    on: date | None = None

    @property
    def english(self) -> str:
        if self.code is WarningCode.FACTOR_TO_VERIFY:
            return f"factor {self.factor_id} is flagged 'to verify' in the library ({self.source})"
        period = f"{self.valid_from or '…'} – {self.valid_until or '…'}"
        return f"factor {self.factor_id} is meant for {period}, not for {self.on.isoformat() if self.on else '…'}"

    def to_dict(self) -> dict[str, Any]:
        return {
            "code": self.code.value,
            "factor_id": self.factor_id,
            "source": self.source,
            "valid_from": self.valid_from.isoformat() if self.valid_from else None,
            "valid_until": self.valid_until.isoformat() if self.valid_until else None,
            "on": self.on.isoformat() if self.on else None,
        }


@dataclass(frozen=True)
class BalanceResult:
    reference_scenario: str
    central_kg_co2e_per_year: float  # every input at its central value
    spread: Spread
    lines: tuple[LineResult, ...]
    sensitivities: tuple[InputSensitivity, ...]  # largest variance share first
    seed: int
    draws: int
    library_name: str
    library_reference: str
    warnings: tuple[BalanceWarning, ...] = ()
    sign_convention: str = field(default=SIGN_CONVENTION)

    @property
    def dominant_input(self) -> InputSensitivity | None:
        return self.sensitivities[0] if self.sensitivities else None

    @property
    def dominant_line(self) -> LineResult | None:
        uncertain = [line for line in self.lines if line.variance_share != 0]
        return max(uncertain, key=lambda line: abs(line.variance_share)) if uncertain else None

    def to_dict(self) -> dict[str, Any]:
        return {
            "reference_scenario": self.reference_scenario,
            "sign_convention": self.sign_convention,
            "central_kg_co2e_per_year": self.central_kg_co2e_per_year,
            "spread": self.spread.to_dict(),
            "interval_90": [self.spread.p5, self.spread.p95],
            "lines": [line.to_dict() for line in self.lines],
            "sensitivities": [sensitivity.to_dict() for sensitivity in self.sensitivities],
            "seed": self.seed,
            "draws": self.draws,
            "library": {"name": self.library_name, "reference": self.library_reference},
            "warnings": [warning.to_dict() for warning in self.warnings],
        }


@dataclass(frozen=True)
class _ResolvedLine:
    line: ActivityLine
    factor: EmissionFactor
    quantity: float  # in the factor's unit
    coefficient: float  # sign × share / years / occupancy


def compute_balance(
    lines: Iterable[ActivityLine],
    *,
    reference_scenario: str,
    library: FactorLibrary | None = None,
    seed: int = DEFAULT_SEED,
    draws: int = DEFAULT_DRAWS,
    on: date | None = None,
    factor_uncertainties: Mapping[str, Uncertainty] | None = None,
) -> BalanceResult:
    """The net GHG balance of `lines` against `reference_scenario`, in kgCO2e per year.

    Deterministic for a given seed. `on` (the evaluation date) adds a warning for each factor outside
    its validity period. Each factor is drawn from its own uncertainty: the library's, unless
    `factor_uncertainties` gives another for that factor id (e.g. the one a newer Base Empreinte
    export publishes for the element the factor cites). Raises `BalanceInputError` or `UnitError` naming the line (by position and
    label) and the field at fault, `UnknownFactorError` / `UnknownTravelModeError` for unknown ids.
    """
    if not reference_scenario.strip():
        raise BalanceInputError(
            "reference_scenario: describe what happens without the project; a balance is measured against it"
        )
    if isinstance(draws, bool) or not isinstance(draws, int) or not MIN_DRAWS <= draws <= MAX_DRAWS:
        raise BalanceInputError(
            f"draws: must be an integer between {MIN_DRAWS} and {MAX_DRAWS}, got {draws!r}"
        )
    if isinstance(seed, bool) or not isinstance(seed, int) or seed < 0:
        raise BalanceInputError(f"seed: must be an integer ≥ 0, got {seed!r}")
    library = library or load_library()
    resolved = [_resolve(position, line, library) for position, line in enumerate(lines, start=1)]
    if not resolved:
        raise BalanceInputError("lines: a balance needs at least one activity line")

    overrides = factor_uncertainties or {}
    factor_draws = {
        factor_id: draw_multipliers(
            overrides.get(factor_id, library.factor(factor_id).uncertainty),
            seed,
            f"factor:{factor_id}",
            draws,
        )
        for factor_id in sorted({item.factor.id for item in resolved})
    }
    quantity_draws = [
        draw_multipliers(item.line.quantity_uncertainty, seed, f"quantity:{position}", draws)
        for position, item in enumerate(resolved, start=1)
    ]
    contributions = np.array(
        [
            item.coefficient
            * item.quantity
            * quantity_draws[index]
            * item.factor.value
            * factor_draws[item.factor.id]
            for index, item in enumerate(resolved)
        ]
    )
    net = contributions.sum(axis=0)
    net_variance = float(net.var())

    line_results = tuple(
        _line_result(
            position,
            item,
            contributions[position - 1],
            net,
            net_variance,
            overrides.get(item.factor.id, item.factor.uncertainty),
        )
        for position, item in enumerate(resolved, start=1)
    )
    inputs: list[tuple[str, str, str, npt.NDArray[np.float64]]] = [
        ("factor", factor_id, library.factor(factor_id).label_en, values)
        for factor_id, values in factor_draws.items()
    ]
    inputs += [
        ("quantity", str(position), item.line.label, quantity_draws[position - 1])
        for position, item in enumerate(resolved, start=1)
    ]
    return BalanceResult(
        reference_scenario=reference_scenario.strip(),
        central_kg_co2e_per_year=sum(line.central_kg_co2e_per_year for line in line_results),
        spread=_spread(net),
        lines=line_results,
        sensitivities=_sensitivities(inputs, net),
        seed=seed,
        draws=draws,
        library_name=library.name,
        library_reference=library.reference,
        warnings=_warnings(resolved, on),
    )


def _resolve(position: int, line: ActivityLine, library: FactorLibrary) -> _ResolvedLine:
    where = f"line {position} ({line.label!r})"
    try:
        _check_line(line)
        factor, occupancy = _factor_of(line, library)
    except LookupError as error:  # an unknown factor id or travel mode: keep its class and hint
        raise type(error)(f"{where}: {error}") from None
    except FootprintError as error:
        raise BalanceInputError(f"{where}: {error}") from None
    try:
        quantity = line.quantity * conversion_factor(line.unit, factor.per_unit)
    except UnitError as error:
        raise UnitError(f"{where}: {error}; factor {factor.id} is in {factor.unit}") from None
    sign = -1.0 if line.effect is Effect.AVOIDED else 1.0
    return _ResolvedLine(line, factor, quantity, sign * line.share / line.years / occupancy)


def _check_line(line: ActivityLine) -> None:
    if not line.label.strip():
        raise BalanceInputError("label: give the line a name")
    _number(line.quantity, "quantity", minimum=0.0)
    if _number(line.years, "years", minimum=0.0) == 0:
        raise BalanceInputError("years: must be > 0 (1 when the quantity is already per year)")
    if _number(line.share, "share", minimum=0.0) > 1:
        raise BalanceInputError(f"share: must lie between 0 and 1, got {line.share:g}")
    if line.travel_mode and line.kind is not LineKind.TRAVEL:
        raise BalanceInputError(
            f"travel_mode: only travel lines name a travel mode (this line is {line.kind})"
        )
    if line.travel_mode and line.factor_id:
        raise BalanceInputError("factor_id: give either factor_id or travel_mode, not both")
    if not line.travel_mode and not line.factor_id:
        raise BalanceInputError("factor_id: name the emission factor (or, for travel, the travel_mode)")


def _factor_of(line: ActivityLine, library: FactorLibrary) -> tuple[EmissionFactor, float]:
    """The line's factor, and the number of people sharing its emissions (1 except shared cars)."""
    if not line.travel_mode:
        if line.occupancy != 1:
            raise BalanceInputError("occupancy: only travel lines by car have an occupancy")
        return library.factor(line.factor_id), 1.0
    mode = library.travel_mode(line.travel_mode)
    if len(mode.bands) > 1 and line.trip_km is None:
        raise BalanceInputError(f"trip_km: the {mode.slug} factor depends on the trip's distance; give it")
    trip_km = _number(line.trip_km, "trip_km", minimum=0.0) if line.trip_km is not None else 0.0
    occupancy = _number(line.occupancy, "occupancy", minimum=1.0)
    if occupancy != 1 and not mode.carpool:
        raise BalanceInputError(f"occupancy: only cars are shared; {mode.slug} is counted per passenger")
    if occupancy > MAX_CAR_OCCUPANTS:
        raise BalanceInputError(
            f"occupancy: a car carries at most {MAX_CAR_OCCUPANTS} people, got {occupancy:g}"
        )
    return library.factor(mode.band_for(trip_km).factor_id), occupancy


def _number(value: Any, name: str, *, minimum: float) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        raise BalanceInputError(f"{name}: must be a number, got {value!r}")
    if value < minimum:
        raise BalanceInputError(f"{name}: must be ≥ {minimum:g}, got {value:g}")
    return float(value)


def _line_result(
    position: int,
    item: _ResolvedLine,
    samples: npt.NDArray[np.float64],
    net: npt.NDArray[np.float64],
    net_variance: float,
    factor_uncertainty: Uncertainty,
) -> LineResult:
    covariance = float(np.mean((samples - samples.mean()) * (net - net.mean())))
    return LineResult(
        position=position,
        label=item.line.label,
        kind=item.line.kind,
        effect=item.line.effect,
        factor_id=item.factor.id,
        factor_value=item.factor.value,
        factor_unit=item.factor.unit,
        quantity_in_factor_unit=item.quantity,
        central_kg_co2e_per_year=item.coefficient * item.quantity * item.factor.value,
        spread=_spread(samples),
        variance_share=covariance / net_variance if net_variance > 0 else 0.0,
        factor_uncertainty=factor_uncertainty,
    )


def _spread(samples: npt.NDArray[np.float64]) -> Spread:
    p5, median, p95 = (float(value) for value in np.percentile(samples, [5, 50, 95]))
    return Spread(mean=float(samples.mean()), median=median, p5=p5, p95=p95, std=float(samples.std()))


def _sensitivities(
    inputs: Sequence[tuple[str, str, str, npt.NDArray[np.float64]]], net: npt.NDArray[np.float64]
) -> tuple[InputSensitivity, ...]:
    net_ranks = _ranks(net)
    correlations = []
    for kind, reference, label, values in inputs:
        if np.ptp(values) == 0 or np.ptp(net) == 0:
            continue  # a certain input (or a certain result) drives nothing
        correlation = float(np.corrcoef(_ranks(values), net_ranks)[0, 1])
        correlations.append((kind, reference, label, correlation))
    total = sum(correlation**2 for *_, correlation in correlations)
    sensitivities = [
        InputSensitivity(kind, reference, label, correlation, correlation**2 / total if total else 0.0)
        for kind, reference, label, correlation in correlations
    ]
    return tuple(sorted(sensitivities, key=lambda s: (-s.variance_share, s.kind, s.reference)))


def _ranks(values: npt.NDArray[np.float64]) -> npt.NDArray[np.float64]:
    # Continuous draws have no ties, so ordinal ranks equal Spearman's average ranks.
    ranks = np.empty(len(values))
    ranks[np.argsort(values, kind="stable")] = np.arange(len(values))
    return ranks


def _warnings(resolved: Sequence[_ResolvedLine], on: date | None) -> tuple[BalanceWarning, ...]:
    warnings: list[BalanceWarning] = []
    # Each factor once, in the order lines first use it.
    for factor in {item.factor.id: item.factor for item in resolved}.values():
        if factor.to_verify:
            warnings.append(
                BalanceWarning(WarningCode.FACTOR_TO_VERIFY, factor.id, source=factor.source.name)
            )
        if on is not None and not factor.is_valid_on(on):
            warnings.append(
                BalanceWarning(
                    WarningCode.FACTOR_OUT_OF_PERIOD,
                    factor.id,
                    valid_from=factor.valid_from,
                    valid_until=factor.valid_until,
                    on=on,
                )
            )
    return tuple(warnings)


def _uncertainty_from_dict(data: Any) -> Uncertainty:
    if not isinstance(data, Mapping):
        raise BalanceInputError("uncertainty: expected {relative, distribution}")
    try:
        return Uncertainty(
            relative=_number(data.get("relative", 0.0), "uncertainty.relative", minimum=0.0),
            distribution=Distribution(data.get("distribution", Distribution.LOGNORMAL)),
            basis=UncertaintyBasis(data.get("basis", UncertaintyBasis.ASSUMED)),
        )
    except BalanceInputError:
        raise
    except ValueError as error:
        raise BalanceInputError(f"uncertainty: {error}") from None


def compute_balance_from_dict(data: Mapping[str, Any], library: FactorLibrary | None = None) -> BalanceResult:
    """Run `compute_balance` on plain data: {reference_scenario, lines: [...], seed?, draws?, on?}.

    Each line is what `ActivityLine.from_dict` reads; `on` is an ISO date. Errors name the line.
    """
    if not isinstance(data, Mapping):
        raise BalanceInputError(
            "the balance must be an object {reference_scenario, lines, seed?, draws?, on?}"
        )
    raw_lines = data.get("lines")
    if not isinstance(raw_lines, list):
        raise BalanceInputError("lines: expected a list of activity lines")
    lines = []
    for position, raw in enumerate(raw_lines, start=1):
        if not isinstance(raw, Mapping):
            raise BalanceInputError(f"line {position}: expected an object")
        try:
            lines.append(ActivityLine.from_dict(raw))
        except BalanceInputError as error:
            raise BalanceInputError(f"line {position} ({raw.get('label', '?')!r}): {error}") from None
    try:
        on = date.fromisoformat(data["on"]) if data.get("on") else None
    except (TypeError, ValueError):
        raise BalanceInputError(f"on: expected a date as YYYY-MM-DD, got {data['on']!r}") from None
    return compute_balance(
        lines,
        reference_scenario=str(data.get("reference_scenario") or ""),
        library=library,
        seed=data.get("seed", DEFAULT_SEED),
        draws=data.get("draws", DEFAULT_DRAWS),
        on=on,
    )
