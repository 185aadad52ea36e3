from __future__ import annotations

import pytest

from sobrindustrie.engines.teams import TeamProblem
from sobrindustrie.engines.teams.bounds import capacity_bound, lp_bound
from sobrindustrie.engines.teams.groups import SCALE, GroupProblem
from tests.engines.teams.helpers import feasible_scores, random_problem


@pytest.mark.parametrize("seed", range(20))
def test_bounds_are_never_below_the_optimum(seed: int) -> None:
    problem = random_problem(seed)
    scores = feasible_scores(problem)
    if not scores:
        return
    groups = GroupProblem.of(problem.organisations, problem.weights, problem.must_link, problem.cannot_link)
    inside_groups = scores[0] * SCALE - groups_optimum_offset(problem, groups)
    lp = lp_bound(groups, problem.max_size, 5.0)
    assert lp is not None
    assert lp >= inside_groups - 1e-6
    assert capacity_bound(groups, problem.max_size) >= inside_groups - 1e-6


def groups_optimum_offset(problem: TeamProblem, groups: GroupProblem) -> float:
    """Scaled weight inside must-link groups, which the group problem leaves out."""
    group_of = {org: g for g, members in enumerate(groups.groups) for org in members}
    return sum(round(p.weight * SCALE) for p in problem.weights if group_of[p.a] == group_of[p.b])


def test_the_lp_bound_is_exact_on_a_triangle() -> None:
    # Three organisations linked pairwise, one team of three: the LP cannot do better than 6.
    problem = GroupProblem.of(("A", "B", "C"), [], [], [])
    problem = GroupProblem.build(
        problem.groups, problem.sizes, {(0, 1): 1000, (1, 2): 2000, (0, 2): 3000}, set()
    )
    assert lp_bound(problem, 3, 5.0) == pytest.approx(6000, rel=1e-3)
    assert capacity_bound(problem, 3) == 6000
