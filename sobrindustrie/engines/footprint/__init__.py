"""Footprint engine: the emission-factor library, travel emissions and the level-2 GHG balance.

Plain Python, no Django. The Django side calls:
- `load_library()` -> `FactorLibrary` (factors by id, travel modes by Impact CO2 slug, `reference`);
- `travel_emissions(mode, km, passengers)` / `travel_breakdown(...)` and `summarise_travel_log(trips)`;
- `compute_balance(lines, reference_scenario=...)` -> `BalanceResult`.
Method and worked example: docs/methods/footprint.md.
"""

from __future__ import annotations

from sobrindustrie.engines.footprint.balance import (
    SIGN_CONVENTION,
    ActivityLine,
    BalanceResult,
    Effect,
    LineKind,
    compute_balance,
    compute_balance_from_dict,
    life_extension_line,
    travel_line,
)
from sobrindustrie.engines.footprint.errors import (
    BalanceInputError,
    FactorLibraryError,
    FootprintError,
    TravelInputError,
    UnitError,
    UnknownFactorError,
    UnknownTravelModeError,
)
from sobrindustrie.engines.footprint.factors import EmissionFactor, FactorLibrary, TravelMode, load_library
from sobrindustrie.engines.footprint.travel import (
    TravelLogSummary,
    Trip,
    is_collective_land_transport,
    needs_justification,
    summarise_travel_log,
    travel_breakdown,
    travel_emissions,
)
from sobrindustrie.engines.footprint.uncertainty import Distribution, Uncertainty

__all__ = [
    "SIGN_CONVENTION",
    "ActivityLine",
    "BalanceInputError",
    "BalanceResult",
    "Distribution",
    "Effect",
    "EmissionFactor",
    "FactorLibrary",
    "FactorLibraryError",
    "FootprintError",
    "LineKind",
    "TravelInputError",
    "TravelLogSummary",
    "TravelMode",
    "Trip",
    "Uncertainty",
    "UnitError",
    "UnknownFactorError",
    "UnknownTravelModeError",
    "compute_balance",
    "compute_balance_from_dict",
    "is_collective_land_transport",
    "life_extension_line",
    "load_library",
    "needs_justification",
    "summarise_travel_log",
    "travel_breakdown",
    "travel_emissions",
    "travel_line",
]
