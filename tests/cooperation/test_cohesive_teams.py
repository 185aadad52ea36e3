"""Cohesive teams on the workshop page: every team holds a cooperation by default, a distance term
the consultant weights, the price of both against the unconstrained optimum, refusals in words."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from sobrindustrie.cooperation.adapters import pair_distances, team_spread_km, with_distance_term
from sobrindustrie.cooperation.models import CooperationAnalysis
from sobrindustrie.engines.teams import PairWeight
from sobrindustrie.organisations.models import Organisation
from tests.conftest import World
from tests.cooperation.factories import Cooperation

HTMX = {"HTTP_HX_REQUEST": "true"}
SOLVE = {"k": "2", "min_size": "1", "max_size": "3", "time_limit_s": "5"}


def _solve(world: World, **data: str) -> str:
    url = reverse("www:team_solve", args=[world.programme.slug])
    return world.client("consultant").post(url, {**SOLVE, **data}, **HTMX).content.decode()


def test_the_floor_is_ticked_by_default(
    world: World, coop: Cooperation, analysis: CooperationAnalysis
) -> None:
    body = world.client("consultant").get(reverse("www:team_formation", args=[world.programme.slug]))
    html = body.content.decode()
    assert 'name="cohesive"' in html
    assert (
        'name="cohesive" id="id_cohesive" checked' in html
        or "checked" in html.split('name="cohesive"')[1][:80]
    )


def test_a_floor_no_partition_reaches_is_refused_with_the_reason(
    world: World, coop: Cooperation, analysis: CooperationAnalysis
) -> None:
    # Three laureates in two teams: one team is a single company, which cannot hold a cooperation.
    body = _solve(world, cohesive="on")
    assert "Only 1 teams can hold a cooperation" in body or "gives every team a cooperation" in body
    assert 'id="board"' not in body
    # Without the floor the optimiser forms the teams, and says one holds no cooperation.
    plain = _solve(world)
    assert 'id="board"' in plain
    assert "1 team holds no cooperation between its members." in plain


def test_the_price_of_the_choices_is_shown(
    world: World, coop: Cooperation, analysis: CooperationAnalysis
) -> None:
    body = _solve(world, k="1", max_size="3", cohesive="on", distance_penalty="1")
    assert 'id="board"' in body
    assert "Without the floor and the distance term, the best partition scores" in body
    assert "your choices cost 0.0 points (0.0 %)" in body  # one team: nothing to give up
    assert "km apart (great-circle × 1.3)" in body


def test_the_distance_term_takes_points_per_10_km(world: World, coop: Cooperation) -> None:
    organisations = {
        org.slug: org
        for org in Organisation.objects.filter(
            pk__in=[world.sme_org.pk, world.other_sme_org.pk, coop.third_org.pk]
        )
    }
    distances = pair_distances(organisations)
    a, b = sorted(organisations)[:2]
    weighted = {
        (w.a, w.b): w.weight for w in with_distance_term([PairWeight(a, b, 100.0)], organisations, 2.0)
    }
    assert weighted[(a, b)] == pytest.approx(100 - 2 * distances[(a, b)] / 10, abs=0.001)
    # Pairs without a cooperation now weigh their distance only.
    for pair, km in distances.items():
        if pair != (a, b) and km > 0.5:
            assert weighted[pair] == pytest.approx(-2 * km / 10, abs=0.001)
    assert team_spread_km(list(organisations), distances) == pytest.approx(max(distances.values()))


def test_the_distance_term_is_refused_beyond_its_limit(
    world: World, coop: Cooperation, analysis: CooperationAnalysis, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("sobrindustrie.www.cooperation_views.views.DISTANCE_TERM_MAX_ORGANISATIONS", 2)
    body = _solve(world, distance_penalty="1")
    assert "The distance term weighs every pair: at most 2 organisations (here 3)." in body
    assert 'value="1.0"' in body or 'value="1"' in body  # what was typed is kept


def test_ranked_alternatives_go_on_the_board_in_one_click(
    world: World, coop: Cooperation, analysis: CooperationAnalysis
) -> None:
    body = _solve(world)
    assert "Alternatives" in body and "Put it on the board" in body
    forms = re.findall(r'<form method="post"\s+action="[^"]*/equipes/score/".*?</form>', body, re.DOTALL)
    alternative = next(form for form in forms if "Changing team" in form)
    fields = dict(re.findall(r'name="(partition|token)" value="([^"]+)"', alternative))
    assert set(fields) == {"partition", "token"}  # one compact field, not one per organisation
    loss = float(re.search(r"Score [\d.]+ \(−([\d.]+)\)", alternative).group(1))
    assert loss >= 0
    board = world.client("consultant").post(
        reverse("www:team_score", args=[world.programme.slug]), fields, **HTMX
    )
    html = board.content.decode()
    assert 'id="board"' in html
    assert f"<strong>{loss:.1f}</strong>" in html  # the loss against the optimum, as listed
