"""Reading an evaluation: its tree of consequences in display order, the net qualitative result per
environmental aspect, and the impact transfers and rebound effects found.

Net result per aspect: each consequence touching the aspect scores sign(direction) × magnitude
weight × certainty weight (weights from the grid). Positive sum: better than the reference; negative:
worse; zero with gains and losses: they balance out; only neutral consequences: no difference; only
uncertain ones: uncertain. The consequences behind each result are kept so the reader can check it.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from sobrindustrie.evaluation.enums import NetResult
from sobrindustrie.evaluation.grid import Grid, Level
from sobrindustrie.evaluation.models import Consequence


@dataclass
class TreeNode:
    consequence: Consequence
    depth: int
    children: list[TreeNode] = field(default_factory=list)
    number: str = ""  # "1.2.1", as shown to people


@dataclass(frozen=True)
class AspectResult:
    aspect: Level
    result: NetResult
    score: float
    consequences: tuple[Consequence, ...]

    @property
    def result_label(self) -> str:
        return str(self.result.label)


def build_tree(consequences: Iterable[Consequence]) -> list[TreeNode]:
    """Roots in order, each with its children in order, numbered like an outline."""
    nodes = {c.pk: TreeNode(c, 0) for c in consequences}
    roots: list[TreeNode] = []
    for node in sorted(nodes.values(), key=lambda n: (n.consequence.position, n.consequence.pk)):
        parent = nodes.get(node.consequence.parent_id)  # type: ignore[arg-type]
        (parent.children if parent else roots).append(node)
    _number(roots, "", 0)
    return roots


def _number(nodes: list[TreeNode], prefix: str, depth: int) -> None:
    for index, node in enumerate(nodes, start=1):
        node.number = f"{prefix}{index}"
        node.depth = depth
        _number(node.children, f"{node.number}.", depth + 1)


def flatten(roots: Sequence[TreeNode]) -> list[TreeNode]:
    """Depth-first, in display order."""
    out: list[TreeNode] = []
    for node in roots:
        out.append(node)
        out.extend(flatten(node.children))
    return out


def net_result(consequences: Sequence[Consequence], grid: Grid) -> tuple[NetResult, float]:
    if not consequences:
        return NetResult.NOT_ASSESSED, 0.0
    score = 0.0
    directions = set()
    for consequence in consequences:
        directions.add(consequence.direction)
        direction = grid.level("directions", consequence.direction)
        magnitude = grid.level("magnitudes", consequence.magnitude)
        certainty = grid.level("certainties", consequence.certainty)
        if direction and magnitude and certainty:
            score += direction.weight * magnitude.weight * certainty.weight
    if score > 0:
        return NetResult.BETTER, score
    if score < 0:
        return NetResult.WORSE, score
    if {"better", "worse"} <= directions:
        return NetResult.BALANCED, score
    if directions == {"uncertain"}:
        return NetResult.UNCERTAIN, score
    return NetResult.NEUTRAL, score


def aspect_results(consequences: Sequence[Consequence], grid: Grid) -> list[AspectResult]:
    results = []
    for aspect in grid.aspects:
        touching = tuple(c for c in consequences if aspect.code in (c.aspects or []))
        result, score = net_result(touching, grid)
        results.append(AspectResult(aspect, result, score, touching))
    return results
