"""Numbers in markup: one helper writes them, and every chart uses it, in French too."""

from __future__ import annotations

import re
from decimal import Decimal
from types import SimpleNamespace

import pytest
from django.template.loader import render_to_string
from django.utils import translation

from sobrindustrie.core.markup import markup_number
from sobrindustrie.core.svgmap import MapLink, MapPoint, project
from sobrindustrie.deliverables.document.figures import interval_svg, map_svg

# Attributes of SVG and HTML elements that hold numbers; each must parse as a dot-decimal number.
NUMERIC_ATTRIBUTES = (
    "x",
    "y",
    "x1",
    "y1",
    "x2",
    "y2",
    "cx",
    "cy",
    "r",
    "width",
    "height",
    "stroke-width",
    "value",
)
NUMBER = re.compile(r"^-?\d+(\.\d+)?%?$")


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (400.0, "400"),
        (332.75, "332.75"),
        (332.7, "332.7"),
        (Decimal("12.500"), "12.5"),
        (-0.001, "0"),
        (1234567.891, "1234567.89"),
        (7, "7"),
        ("3.10", "3.1"),
    ],
)
def test_it_writes_a_dot_decimal_without_grouping(value: object, expected: str) -> None:
    with translation.override("fr"):
        assert markup_number(value) == expected  # type: ignore[arg-type]


@pytest.mark.parametrize("value", ["", "abc", None, float("nan"), float("inf")])
def test_it_refuses_what_is_not_a_finite_number(value: object) -> None:
    with pytest.raises(ValueError, match="number for markup"):
        markup_number(value)  # type: ignore[arg-type]


def numeric_attributes(html: str) -> list[tuple[str, str]]:
    """Every (attribute, value) of the numeric attributes in the markup, quoted with double quotes."""
    found = []
    for name in NUMERIC_ATTRIBUTES:
        found += [(name, value) for value in re.findall(rf'\s{re.escape(name)}="([^"]*)"', html)]
    for box in re.findall(r'viewBox="([^"]*)"', html):
        found += [("viewBox", part) for part in box.split()]
    for points in re.findall(r'points="([^"]*)"', html):
        found += [("points", part) for pair in points.split() for part in pair.split(",")]
    return found


def assert_numbers_parse(html: str) -> None:
    attributes = numeric_attributes(html)
    assert attributes, "no numeric attribute found: the chart was not rendered"
    bad = [(name, value) for name, value in attributes if not NUMBER.match(value)]
    assert not bad, f"numbers written for a reader, not for markup: {bad[:5]}"


def _chart_contexts() -> dict[str, dict[str, object]]:
    points = [MapPoint(43.2965, 5.3698, "Marseille"), MapPoint(43.7102, 7.262, "Nice")]
    svg_map = project(points, [MapLink(points[0], points[1], 2.5)])
    timeline_bar = SimpleNamespace(
        y=30.5,
        x=180.25,
        width=120.75,
        done_width=60.5,
        label="Action",
        status="in_progress",
        status_label="En cours",
        title="Action",
        dashed=False,
        text_y=42,
    )
    timeline = SimpleNamespace(
        width=760,
        height=120.5,
        bars=[timeline_bar],
        ticks=[(200.5, "janv.")],
        today_x=333.3,
        axis_y=22,
        label_y=12.5,
    )
    return {
        "www/includes/svgmap.html": {"map": svg_map, "map_id": "m", "map_title": "t", "map_caption": "c"},
        "www/actionplans/_timeline.html": {"timeline": timeline},
    }


@pytest.mark.parametrize("template", list(_chart_contexts()))
def test_every_chart_writes_parseable_numbers_in_french(template: str) -> None:
    with translation.override("fr"):
        html = render_to_string(template, _chart_contexts()[template])
    assert_numbers_parse(html)


def test_the_document_figures_write_parseable_numbers_in_french() -> None:
    """The figures of the document model (team map, GHG intervals) are drawn in Python, not templates."""
    points = [MapPoint(43.2965, 5.3698, "Marseille"), MapPoint(43.7102, 7.262, "Nice")]
    svg_map = project(points, [MapLink(points[0], points[1], 2.5)])
    with translation.override("fr"):
        assert_numbers_parse(map_svg(svg_map, "Carte"))
        assert_numbers_parse(interval_svg([("Projet", 120.25, 281.0, 180.125, 200.5)], 400, "Bilans"))
