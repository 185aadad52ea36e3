"""The EcoIndex formula against values published with `ecoindex-compute` (no browser: runs in `make test`)."""

from __future__ import annotations

import pytest

from tests.e2e.ecoindex import EcoIndexInputError, compute_ecoindex, grade_of, quantile_position


def test_it_matches_the_example_of_the_ecoindex_compute_readme() -> None:
    # README of ecoindex-compute: nodes=100, size=100, requests=100 -> score 72, grade B.
    result = compute_ecoindex(dom_elements=100, requests=100, size_kb=100)
    assert (result.score, result.grade) == (72, "B")


def test_it_matches_the_ecoindex_fr_example_of_the_api_docs() -> None:
    # Response example of the EcoIndex API for https://www.ecoindex.fr: 201 nodes, 6 requests,
    # 107.178 KB -> 87, grade A.
    result = compute_ecoindex(dom_elements=201, requests=6, size_kb=107.178)
    assert (result.score, result.grade) == (87, "A")


def test_it_gives_a_heavy_page_grade_g() -> None:
    # By hand: DOM 18 + 439/678, requests 18 + 49/76, size beyond the last quantile (20):
    # 100 - 5 * (3 * 18.6475 + 2 * 18.6447 + 20) / 6 = 5.64 -> 6.
    result = compute_ecoindex(dom_elements=2240, requests=254, size_kb=310182.902)
    assert (result.score, result.grade) == (6, "G")


def test_it_scores_an_empty_page_100() -> None:
    assert compute_ecoindex(0, 0, 0).score == 100


def test_it_interpolates_between_quantiles() -> None:
    assert quantile_position((0, 10, 30), 20) == 1.5
    assert quantile_position((0, 10, 30), 10) == 1.0
    assert quantile_position((0, 10, 30), 31) == 2.0


@pytest.mark.parametrize(
    ("score", "grade"), [(81, "A"), (80, "B"), (71, "B"), (70, "C"), (10, "G"), (0, "G")]
)
def test_it_grades_strictly_above_each_threshold(score: int, grade: str) -> None:
    assert grade_of(score) == grade


def test_it_refuses_negative_figures() -> None:
    with pytest.raises(EcoIndexInputError, match="requests must be zero or more"):
        compute_ecoindex(10, -1, 5.0)
