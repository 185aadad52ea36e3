from __future__ import annotations

import pytest

from sobrindustrie.engines.teams import (
    PairWeight,
    TeamProblem,
    TeamsInputError,
    find_conflicts,
    formation,
    greedy_partition,
    score_partition,
    solve_teams,
)
from tests.engines.teams.helpers import feasible_scores, random_problem

W = PairWeight
# Four organisations in two pairs: {A,B} + {C,D} = 9, {A,C} + {B,D} = 3, {A,D} + {B,C} = 0.
FOUR = TeamProblem(("A", "B", "C", "D"), (W("A", "B", 5), W("C", "D", 4), W("A", "C", 3)), 2, 2, 2)


def members(teams: object) -> list[list[str]]:
    return [list(team.members) for team in teams]  # type: ignore[attr-defined]


def test_it_finds_the_best_pairs() -> None:
    solution = solve_teams(FOUR)
    assert solution.status == "OPTIMAL"
    assert solution.objective == 9
    assert solution.bound == 9
    assert members(solution.teams) == [["A", "B"], ["C", "D"]]
    assert solution.teams[0].pairs == (W("A", "B", 5),)


def test_it_lists_the_next_best_distinct_partitions() -> None:
    solution = solve_teams(FOUR, alternatives=5)
    assert [(alt.objective, members(alt.teams)) for alt in solution.alternatives] == [
        (3, [["A", "C"], ["B", "D"]]),
        (0, [["A", "D"], ["B", "C"]]),
    ]  # only three ways to split four into two pairs


def test_it_honours_must_link_and_cannot_link() -> None:
    together = TeamProblem(FOUR.organisations, FOUR.weights, 2, 2, 2, must_link=(("A", "C"),))
    assert members(solve_teams(together).teams) == [["A", "C"], ["B", "D"]]
    apart = TeamProblem(FOUR.organisations, FOUR.weights, 2, 2, 2, cannot_link=(("A", "B"),))
    assert solve_teams(apart).objective == 3


def test_it_keeps_apart_organisations_with_a_negative_weight() -> None:
    problem = TeamProblem(("A", "B", "C", "D"), (W("A", "B", -5), W("A", "C", 1)), 2, 1, 3)
    solution = solve_teams(problem)
    assert solution.objective == 1
    assert all(not {"A", "B"} <= set(team.members) for team in solution.teams)


@pytest.mark.parametrize("seed", range(40))
def test_it_matches_brute_force_on_small_problems(seed: int) -> None:
    problem = random_problem(seed)
    scores = feasible_scores(problem)
    solution = solve_teams(problem, alternatives=2)
    if not scores:
        assert solution.status == "INFEASIBLE"
        assert solution.conflicts
        return
    assert solution.status == "OPTIMAL"
    assert solution.objective == pytest.approx(scores[0])
    assert [alt.objective for alt in solution.alternatives] == pytest.approx(scores[1:3])
    partitions = [members(solution.teams)] + [members(alt.teams) for alt in solution.alternatives]
    assert len({str(p) for p in partitions}) == len(partitions)
    for partition in partitions:
        assert score_partition(problem, partition).feasible
        assert sorted(org for team in partition for org in team) == sorted(problem.organisations)


@pytest.mark.parametrize("seed", range(40, 52))
def test_the_large_problem_path_also_finds_the_optimum(seed: int, monkeypatch: pytest.MonkeyPatch) -> None:
    # Neighbourhood search, LP bound and the global model without exact pairs, on problems small
    # enough to check by brute force.
    monkeypatch.setattr(formation, "EXACT_PAIRS_UP_TO", 2)
    problem = random_problem(seed)
    scores = feasible_scores(problem)
    solution = solve_teams(problem)
    if scores:
        assert solution.status == "OPTIMAL"
        assert solution.objective == pytest.approx(scores[0])
    else:
        assert solution.status == "INFEASIBLE"


def test_it_gives_the_same_answer_twice() -> None:
    problem = random_problem(7)
    first, second = solve_teams(problem, alternatives=2), solve_teams(problem, alternatives=2)
    assert first.teams == second.teams
    assert first.alternatives == second.alternatives


def test_it_sorts_members_and_teams() -> None:
    problem = TeamProblem(("Z", "Y", "X", "W"), (W("Z", "W", 2), W("Y", "X", 1)), 2, 2, 2)
    assert members(solve_teams(problem).teams) == [["W", "Z"], ["X", "Y"]]


@pytest.mark.parametrize(
    ("problem", "kinds"),
    [
        (
            TeamProblem(("A", "B", "C"), (), 1, 1, 2, must_link=(("A", "B", "C"),)),
            {"must_link_too_large", "too_few_places"},
        ),
        (
            TeamProblem(
                ("A", "B", "C", "D"),
                (),
                2,
                1,
                3,
                must_link=(("A", "B"), ("B", "C")),
                cannot_link=(("A", "C"),),
            ),
            {"must_and_cannot_link"},
        ),
        (TeamProblem(("A", "B", "C"), (), 1, 1, 2), {"too_few_places"}),
        (TeamProblem(("A", "B", "C"), (), 2, 2, 3), {"too_many_places"}),
        (TeamProblem(("A", "B"), (), 3, 1, 2), {"too_many_teams", "too_many_places"}),
        (TeamProblem(("A", "B", "C"), (), 2, 1, 3, must_link=(("A", "B", "C"),)), {"too_few_groups"}),
        (TeamProblem(("A", "B"), (), 1, 3, 2), {"sizes", "too_many_places"}),
    ],
    ids=[
        "group-too-large",
        "transitive-must-cannot",
        "too-few-places",
        "too-many-places",
        "k>n",
        "few-groups",
        "min>max",
    ],
)
def test_it_reports_conflicts_before_solving(problem: TeamProblem, kinds: set[str]) -> None:
    assert {c.kind for c in find_conflicts(problem)} == kinds
    solution = solve_teams(problem)
    assert solution.status == "INFEASIBLE"
    assert {c.kind for c in solution.conflicts} == kinds
    assert solution.teams == ()


def test_the_transitive_conflict_names_the_merged_group() -> None:
    problem = TeamProblem(
        ("A", "B", "C", "D"), (), 2, 1, 3, must_link=(("A", "B"), ("B", "C")), cannot_link=(("C", "A"),)
    )
    (conflict,) = find_conflicts(problem)
    assert conflict.organisations == ("A", "B", "C")
    assert conflict.message == "C and A cannot be in the same team but must-link joins them (group A, B, C)"


def test_it_names_the_constraints_that_conflict_when_the_search_proves_it() -> None:
    # Three organisations that refuse each other cannot fit in two teams.
    problem = TeamProblem(
        ("A", "B", "C", "D"), (), 2, 1, 3, cannot_link=(("A", "B"), ("B", "C"), ("A", "C"), ("C", "D"))
    )
    assert find_conflicts(problem) == []
    solution = solve_teams(problem)
    assert solution.status == "INFEASIBLE"
    summary, *parts = solution.conflicts
    assert summary.kind == "unsatisfiable"
    assert {(c.kind, c.organisations) for c in parts} == {
        ("cannot_link", ("A", "B")),
        ("cannot_link", ("B", "C")),
        ("cannot_link", ("A", "C")),
    }
    assert summary.message.startswith("these constraints cannot all hold in 2 teams: ")


def test_it_scores_a_partition_made_by_hand() -> None:
    problem = TeamProblem(FOUR.organisations, FOUR.weights, 2, 2, 2, cannot_link=(("A", "C"),))
    scored = score_partition(problem, [["A", "C"], ["B", "D"]], optimum=9)
    assert scored.score == 3
    assert scored.loss == 6
    assert [c.kind for c in scored.broken] == ["cannot_link"]
    assert not scored.feasible


def test_it_lists_every_broken_rule_of_a_partition() -> None:
    problem = TeamProblem(("A", "B", "C", "D"), (), 2, 2, 2, must_link=(("A", "B"),))
    scored = score_partition(problem, [["A", "C", "X"], ["A"], ["B"]])
    assert [c.kind for c in scored.broken] == [
        "unknown_organisation",
        "duplicate",
        "missing",
        "team_count",
        "size",
        "size",
        "size",
        "must_link",
    ]


def test_greedy_partition_meets_the_constraints() -> None:
    problem = random_problem(11)
    partition = greedy_partition(problem)
    assert partition is not None
    assert score_partition(problem, partition).feasible


@pytest.mark.parametrize(
    ("problem", "field"),
    [
        (TeamProblem(("A", "A"), (), 1, 1, 2), "organisations[1]"),
        (TeamProblem(("A", "B"), (W("A", "Z", 1),), 1, 1, 2), "weights[0].b"),
        (TeamProblem(("A", "B"), (W("A", "B", 1), W("B", "A", 2)), 1, 1, 2), "weights[1]"),
        (TeamProblem(("A", "B"), (W("A", "A", 1),), 1, 1, 2), "weights[0]"),
        (TeamProblem(("A", "B"), (W("A", "B", float("nan")),), 1, 1, 2), "weights[0].w"),
        (TeamProblem(("A", "B"), (), 0, 1, 2), "k"),
        (TeamProblem(("A", "B"), (), 1, 1, 2, must_link=(("A", "Q"),)), "must_link[0][1]"),
        (TeamProblem(("A", "B"), (), 1, 1, 2, cannot_link=(("B", "B"),)), "cannot_link[0]"),
    ],
)
def test_it_names_the_field_of_bad_input(problem: TeamProblem, field: str) -> None:
    with pytest.raises(TeamsInputError) as error:
        solve_teams(problem)
    assert error.value.field == field


def test_greedy_partition_repairs_given_communities() -> None:
    problem = TeamProblem(tuple("ABCDEF"), (W("A", "B", 1), W("E", "F", 1)), 3, 2, 2)
    partition = greedy_partition(problem, improve=False, start=[["A", "B", "C", "D", "E", "F"]])
    assert partition is not None
    assert score_partition(problem, partition).feasible
