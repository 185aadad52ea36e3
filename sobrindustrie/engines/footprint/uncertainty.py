"""Uncertainty of a factor or of a quantity, and how Monte Carlo draws it.

An uncertainty is relative to the central value, so a draw is a multiplier around 1 applied to that
value. `relative` means:
- normal and lognormal: the half-width of the 95 % interval (Base Empreinte's convention). The
  lognormal has its median at the central value and spans [v / (1 + r), v × (1 + r)] at 95 %, which
  suits factors that cannot be negative and are skewed;
- uniform and triangular: the relative distance to each bound, [v × (1 - r), v × (1 + r)], with the
  triangular's mode at the central value.
Normal draws below zero are clipped to zero: a negative emission factor or quantity has no meaning.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from enum import StrEnum

import numpy as np
import numpy.typing as npt

from sobrindustrie.engines.footprint.errors import FootprintError

# z-score of the 97.5th percentile: turns a 95 % half-width into a standard deviation.
Z_95 = 1.959963984540054


class Distribution(StrEnum):
    NORMAL = "normal"
    LOGNORMAL = "lognormal"
    UNIFORM = "uniform"
    TRIANGULAR = "triangular"


class UncertaintyBasis(StrEnum):
    SOURCE = "source"  # published with the value
    ASSUMED = "assumed"  # chosen by whoever entered the value


@dataclass(frozen=True)
class Uncertainty:
    """A relative uncertainty (0.1 = ±10 %) with its distribution; see the module docstring."""

    relative: float = 0.0
    distribution: Distribution = Distribution.LOGNORMAL
    basis: UncertaintyBasis = UncertaintyBasis.ASSUMED

    def __post_init__(self) -> None:
        if not self.relative >= 0:  # also refuses NaN
            raise FootprintError(f"uncertainty.relative must be ≥ 0, got {self.relative!r}")
        bounded = self.distribution in {Distribution.UNIFORM, Distribution.TRIANGULAR}
        if bounded and self.relative > 1:
            raise FootprintError(
                f"uncertainty.relative must be ≤ 1 for a {self.distribution} distribution "
                f"(its lower bound would be negative), got {self.relative!r}"
            )

    @property
    def is_certain(self) -> bool:
        return self.relative == 0

    def describe(self) -> str:
        """Short text for reports, e.g. '±10 % (lognormal, assumed)'."""
        return f"±{self.relative * 100:g} % ({self.distribution}, {self.basis})"


NO_UNCERTAINTY = Uncertainty(0.0)


def draw_multipliers(uncertainty: Uncertainty, seed: int, key: str, draws: int) -> npt.NDArray[np.float64]:
    """Return `draws` multipliers around 1 for `uncertainty`, reproducible from (`seed`, `key`).

    Each uncertain input gets its own random stream derived from the seed and a stable key (a factor
    id, a line's position): adding a line to a balance does not change the draws of the others.
    """
    if uncertainty.is_certain:
        return np.ones(draws)
    rng = np.random.default_rng([seed, _stable_integer(key)])
    r = uncertainty.relative
    match uncertainty.distribution:
        case Distribution.NORMAL:
            values = rng.normal(1.0, r / Z_95, draws)
            return np.clip(values, 0.0, None)
        case Distribution.LOGNORMAL:
            return rng.lognormal(0.0, np.log1p(r) / Z_95, draws)
        case Distribution.UNIFORM:
            return rng.uniform(1.0 - r, 1.0 + r, draws)
        case Distribution.TRIANGULAR:
            return rng.triangular(1.0 - r, 1.0, 1.0 + r, draws)


def _stable_integer(key: str) -> int:
    # hash() is salted per process; a digest keeps runs reproducible across processes.
    return int.from_bytes(hashlib.sha256(key.encode("utf-8")).digest()[:8], "big")
