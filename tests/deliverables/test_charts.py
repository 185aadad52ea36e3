"""The reports' charts: light greyscale PNG files, stable bytes, and a text alternative with every figure."""

from __future__ import annotations

import io
from collections.abc import Iterator

import pytest
from django.utils import translation
from django.utils.translation import gettext
from PIL import Image

from sobrindustrie.deliverables.generators.charts import (
    DPI,
    Series,
    bar_chart,
    number,
    satisfaction_chart,
    time_chart,
)

MAX_BYTES = 60 * 1024


@pytest.fixture(autouse=True)
def french() -> Iterator[None]:
    with translation.override("fr"):
        yield


def test_a_satisfaction_chart_is_a_light_grey_png_whose_alternative_states_each_rating() -> None:
    labels = [f"Atelier d'échange d'expériences n° {i} (12/01/2026)" for i in range(1, 16)]
    means = [round(4.5 - i * 0.1, 1) for i in range(15)]
    chart = satisfaction_chart(labels, means)
    with Image.open(io.BytesIO(chart.png)) as image:
        assert image.format == "PNG"
        assert image.mode in ("L", "P")
        assert round(image.info["dpi"][0]) == DPI
        assert image.width <= 800
    assert len(chart.png) <= MAX_BYTES
    assert chart.alt.startswith(chart.title)
    assert "Atelier d'échange d'expériences n° 1 (12/01/2026): 4,5" in chart.alt
    assert "n° 15 (12/01/2026): 3,1" in chart.alt


def test_the_same_figures_give_the_same_bytes() -> None:
    first = time_chart("Temps passé", ["Axe 1", "Axe 2"], [12.5, 3], [75, None])
    second = time_chart("Temps passé", ["Axe 1", "Axe 2"], [12.5, 3], [75, None])
    assert first.png == second.png
    assert first.alt == second.alt
    assert first.png != time_chart("Temps passé", ["Axe 1", "Axe 2"], [12.5, 4], [75, None]).png


def test_a_time_chart_names_both_series_and_says_where_no_cap_applies() -> None:
    chart = time_chart("Temps passé", ["Diagnostics", "Suivi"], [12.5, 3], [75, None])
    spent, cap, days = gettext("Days spent"), gettext("Contractual cap"), gettext("days")
    assert f"Diagnostics: {spent} 12,5 {days}, {cap} 75 {days}" in chart.alt
    assert f"Suivi: {spent} 3 {days}, {cap} {gettext('not applicable')}" in chart.alt


def test_without_any_cap_a_time_chart_has_a_single_series() -> None:
    chart = time_chart("Jours par phase", ["Axe 1", "Axe 2", "Axe 3"], [1, 2.25, 0], [None, None, None])
    days = gettext("days")
    assert chart.alt == f"Jours par phase. Axe 1: 1 {days}; Axe 2: 2,25 {days}; Axe 3: 0 {days}."


def test_a_chart_refuses_series_that_do_not_match_the_labels() -> None:
    with pytest.raises(ValueError, match="one value per label"):
        bar_chart("Titre", ["a", "b"], [Series("s", [1.0])])
    with pytest.raises(ValueError, match="at least one label"):
        bar_chart("Titre", [], [Series("s", [])])


def test_numbers_follow_the_active_language() -> None:
    assert number(4.26) == "4,3"
    assert number(3.0) == "3"
    assert number(2.5, 2) == "2,5"
    with translation.override("en"):
        assert number(12.5) == "12.5"
