"""The EcoIndex of a web page, from its DOM size, request count and transferred size.

The public EcoIndex formula (cnumr, as computed by the `ecoindex-compute` package): each of the three
figures is placed on a scale of 0 to 20 by linear interpolation between the quantiles of the HTTP
Archive pages it was calibrated on; the score is 100 minus 5 times the weighted mean of the three
positions, DOM counting three times, requests twice and size once. We keep our own few lines rather
than depend on `ecoindex-compute`, which brings pydantic, requests and aiofile with it.
"""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass

DOM_QUANTILES = (
    0, 47, 75, 159, 233, 298, 358, 417, 476, 537, 603,
    674, 753, 843, 949, 1076, 1237, 1459, 1801, 2479, 594601,
)  # fmt: skip
REQUEST_QUANTILES = (
    0, 2, 15, 25, 34, 42, 49, 56, 63, 70, 78,
    86, 95, 105, 117, 130, 147, 170, 205, 281, 3920,
)  # fmt: skip
SIZE_KB_QUANTILES = (
    0, 1.37, 144.7, 319.53, 479.46, 631.97, 783.38, 937.91, 1098.62, 1265.47, 1448.32,
    1648.27, 1876.08, 2142.06, 2465.37, 2866.31, 3401.59, 4155.73, 5400.08, 8037.54, 223212.26,
)  # fmt: skip

# A score strictly above the threshold earns the grade; G below everything.
GRADE_THRESHOLDS = (("A", 80), ("B", 70), ("C", 55), ("D", 40), ("E", 25), ("F", 10))


class EcoIndexInputError(ValueError):
    """A figure given to the formula is impossible (negative)."""


@dataclass(frozen=True)
class EcoIndex:
    score: int
    grade: str
    dom_elements: int
    requests: int
    size_kb: float

    def describe(self) -> str:
        return (
            f"EcoIndex {self.score} ({self.grade}): {self.dom_elements} DOM elements, "
            f"{self.requests} requests, {self.size_kb:.1f} KB transferred"
        )


def quantile_position(quantiles: tuple[float, ...], value: float) -> float:
    """Where `value` sits on the 0–20 scale drawn by `quantiles` (20 beyond the last one)."""
    index = bisect_right(quantiles, value)
    if index >= len(quantiles):
        return float(len(quantiles) - 1)
    low, high = quantiles[index - 1], quantiles[index]
    return index - 1 + (value - low) / (high - low)


def grade_of(score: float) -> str:
    for grade, threshold in GRADE_THRESHOLDS:
        if score > threshold:
            return grade
    return "G"


def compute_ecoindex(dom_elements: int, requests: int, size_kb: float) -> EcoIndex:
    """Score (0–100, rounded half to even as Python's round) and grade (A–G) of a page."""
    for name, value in (("dom_elements", dom_elements), ("requests", requests), ("size_kb", size_kb)):
        if value < 0:
            raise EcoIndexInputError(f"{name} must be zero or more, got {value}")
    weighted = (
        3 * quantile_position(DOM_QUANTILES, dom_elements)
        + 2 * quantile_position(REQUEST_QUANTILES, requests)
        + quantile_position(SIZE_KB_QUANTILES, size_kb)
    )
    score = round(100 - 5 * weighted / 6)
    return EcoIndex(score, grade_of(score), dom_elements, requests, size_kb)
