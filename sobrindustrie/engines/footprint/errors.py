"""Exceptions of the footprint engine.

Every refusal of bad input is a subclass of `FootprintError`, so callers (the CLI, the Django views)
can catch one class and show its message, which always names the field or rule at fault.
"""

from __future__ import annotations


class FootprintError(ValueError):
    """Base class: bad input or bad data given to the footprint engine."""


class UnitError(FootprintError):
    """A unit is unknown, or a quantity's unit cannot be converted to the unit a factor expects."""


class FactorLibraryError(FootprintError):
    """The emission-factor library data is malformed (a field missing, a value out of range...)."""


class UnknownFactorError(FootprintError, LookupError):
    """No factor with the requested id exists in the library."""


class UnknownTravelModeError(FootprintError, LookupError):
    """No travel mode with the requested slug exists in the library."""


class TravelInputError(FootprintError):
    """A trip is malformed: negative distance, no traveller, a justification missing..."""


class BalanceInputError(FootprintError):
    """An activity line or a balance setting is malformed."""


class ImpactCO2ImportError(FootprintError):
    """Impact CO2's deplacement.json does not have the structure the importer knows."""
