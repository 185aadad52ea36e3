"""The service's travel log: kgCO2e per trip, the justification rule, monthly and per-mode totals."""

from __future__ import annotations

import datetime as dt

import pytest

from sobrindustrie.evaluation import travel
from sobrindustrie.evaluation.models import Trip
from tests.conftest import World
from tests.evaluation.factories import TripFactory


@pytest.mark.parametrize(
    "mode,justification,needs",
    [
        ("tgv", "", False),
        ("ter", "", False),
        ("autocar", "", False),
        ("busthermique", "", False),
        ("velo", "", False),
        ("voiturethermique", "", True),
        ("voiturethermique", "Zone sans desserte", False),
        ("avion", "", True),
    ],
)
def test_justification_rule(mode: str, justification: str, needs: bool) -> None:
    errors = travel.validate_trip(mode, 100, 1, justification)
    assert ("justification" in errors) is needs


def test_negative_distance_and_unknown_mode_are_refused() -> None:
    assert "km" in travel.validate_trip("tgv", -5, 1, "")
    assert "≥ 0" in travel.validate_trip("tgv", -5, 1, "")["km"]
    assert travel.validate_trip("hoverboard", 5, 1, "") == {"mode": "Unknown travel mode “hoverboard”."}
    assert "people" in travel.validate_trip("voiturethermique", 5, 6, "Livraison")


def test_totals_per_month_and_mode(world: World) -> None:
    programme = world.programme
    TripFactory(programme=programme, day=dt.date(2026, 3, 2), km=250, mode="tgv")
    TripFactory(programme=programme, day=dt.date(2026, 3, 20), km=80, mode="ter")
    TripFactory(
        programme=programme, day=dt.date(2026, 4, 5), km=100, mode="voiturethermique", people=2,
        justification="Matériel de mesure",
    )  # fmt: skip
    rows, summary = travel.summarise(Trip.objects.for_programme(programme).order_by("day"))
    assert [r.kg_co2e for r in rows] == pytest.approx([0.7325, 2.2152, 21.76])
    assert [(t.key, t.trips) for t in summary.by_month] == [("2026-03", 2), ("2026-04", 1)]
    assert summary.by_month[0].kg_co2e == pytest.approx(0.7325 + 2.2152)
    assert summary.by_mode[0].key == "voiturethermique"
    # 330 passenger.km of 530 by collective land transport
    assert summary.collective_share_of_distance == pytest.approx(330 / 530)
    assert summary.missing_justifications == ()
