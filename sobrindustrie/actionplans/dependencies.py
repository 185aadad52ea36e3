"""Dependencies between actions form a directed graph that must stay acyclic.

Pure functions on plain identifiers, so the rule can be tested without a database.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping


def find_cycle(
    edges: Mapping[int, Iterable[int]], action: int, new_prerequisites: Iterable[int]
) -> list[int] | None:
    """The cycle that giving `action` the prerequisites `new_prerequisites` would create, or None.

    `edges` maps each action to its current prerequisites; the action's own entry is replaced by
    the new set. The cycle is returned as a path that starts and ends with `action`
    (A → B → C → A reads "A needs B, B needs C, C needs A").
    """
    graph = {node: set(targets) for node, targets in edges.items()}
    graph[action] = set(new_prerequisites)
    # Depth-first search from each new prerequisite looking for a way back to the action.
    for start in graph[action]:
        path = _path(graph, start, action, [action])
        if path is not None:
            return path
    return None


def _path(graph: Mapping[int, set[int]], node: int, goal: int, trail: list[int]) -> list[int] | None:
    stack: list[tuple[int, list[int]]] = [(node, [*trail, node])]
    seen: set[int] = set()
    while stack:
        current, path = stack.pop()
        if current == goal:
            return path
        if current in seen:
            continue
        seen.add(current)
        for following in sorted(graph.get(current, ())):
            stack.append((following, [*path, following]))
    return None
