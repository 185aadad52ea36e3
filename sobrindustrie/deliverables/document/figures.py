"""Figures drawn from the platform's own data for documents: a map of members as SVG (page, PDF)
and as PNG (Word), the same drawing in both. Numbers in the SVG go through `markup_number`."""

from __future__ import annotations

import io

from django.utils.html import format_html, format_html_join

from sobrindustrie.core.markup import markup_number
from sobrindustrie.core.svgmap import ProjectedMap

#: Colours as SVG attributes: WeasyPrint ignores CSS fill and stroke on inline SVG.
OUTLINE_FILL, OUTLINE_STROKE, LINK, POINT = "#e3e3fd", "#6a6af4", "#e1000f", "#000091"


def map_svg(projected: ProjectedMap, title: str) -> str:
    """The map as an inline SVG element; each point carries its label as a tooltip."""
    n = markup_number
    links = format_html_join(
        "",
        '<line x1="{}" y1="{}" x2="{}" y2="{}" stroke="{}" stroke-opacity="0.5" stroke-width="{}"/>',
        ((n(x1), n(y1), n(x2), n(y2), LINK, n(weight)) for x1, y1, x2, y2, weight in projected.links),
    )
    points = format_html_join(
        "",
        '<circle cx="{}" cy="{}" r="4" fill="{}" stroke="#ffffff" stroke-width="1"><title>{}</title></circle>',
        ((n(x), n(y), POINT, point.label) for x, y, point in projected.points),
    )
    return str(
        format_html(
            '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {} {}" width="{}" height="{}">'
            '<title>{}</title><polygon points="{}" fill="{}" stroke="{}" stroke-width="0.5"/>{}{}</svg>',
            n(projected.width),
            n(projected.height),
            n(projected.width),
            n(projected.height),
            title,
            projected.outline,
            OUTLINE_FILL,
            OUTLINE_STROKE,
            links,
            points,
        )
    )


def map_png(projected: ProjectedMap, dpi: int = 110) -> bytes:
    """The same map drawn by matplotlib (Agg canvas, no global state) for Word."""
    from sobrindustrie.deliverables.generators.charts import _figure_class

    figure = _figure_class()(figsize=(projected.width / 100, projected.height / 100), dpi=dpi)
    axes = figure.add_axes((0, 0, 1, 1))
    outline = [tuple(float(v) for v in pair.split(",")) for pair in projected.outline.split()]
    if outline:
        axes.fill(
            *zip(*outline, strict=True), facecolor=OUTLINE_FILL, edgecolor=OUTLINE_STROKE, linewidth=0.5
        )
    for x1, y1, x2, y2, weight in projected.links:
        axes.plot([x1, x2], [y1, y2], color=LINK, alpha=0.5, linewidth=weight)
    if projected.points:
        axes.scatter(
            [x for x, _y, _p in projected.points],
            [y for _x, y, _p in projected.points],
            s=30,
            color=POINT,
            edgecolors="white",
            zorder=3,
        )
    axes.set_xlim(0, projected.width)
    axes.set_ylim(projected.height, 0)
    axes.set_axis_off()
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=dpi)
    return buffer.getvalue()


def interval_svg(rows: list[tuple[str, float, float, float, float]], width: float, title: str) -> str:
    """Horizontal intervals on a common scale, one row each: (label, x_low, x_high, x_central, x_zero)
    in drawing units from 0 to `width`; the vertical line marks zero, the dot the central value."""
    n = markup_number
    row_height, label_height, margin = 34, 12, 10
    parts = []
    for index, (label, low, high, central, zero) in enumerate(rows):
        top = index * row_height
        parts.append(
            format_html(
                '<g transform="translate({} {})"><text x="0" y="{}" font-size="10">{}</text>'
                '<line x1="{}" y1="{}" x2="{}" y2="{}" stroke="#161616" stroke-width="1"/>'
                '<rect x="{}" y="{}" width="{}" height="10" fill="#000091" fill-opacity="0.35"/>'
                '<circle cx="{}" cy="{}" r="5" fill="#000091"/></g>',
                n(margin),
                n(top),
                n(label_height - 2),
                label,
                n(zero),
                n(label_height),
                n(zero),
                n(row_height - 2),
                n(low),
                n(label_height + 5),
                n(max(high - low, 1)),
                n(central),
                n(label_height + 10),
            )
        )
    total_width, total_height = width + 2 * margin, max(len(rows), 1) * row_height
    return str(
        format_html(
            '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {} {}" width="{}" height="{}"><title>{}</title>{}</svg>',
            n(total_width),
            n(total_height),
            n(total_width),
            n(total_height),
            title,
            format_html_join("", "{}", ((part,) for part in parts)),
        )
    )


def interval_png(rows: list[tuple[str, float, float, float]], unit: str, dpi: int = 110) -> bytes:
    """The same intervals in their own unit for Word: (label, low, high, central) per row."""
    from sobrindustrie.deliverables.generators.charts import _figure_class, _png, number

    figure = _figure_class()(figsize=(6.4, max(1.6, 0.9 + 0.45 * len(rows))), dpi=dpi)
    axes = figure.add_subplot()
    for index, (_label, low, high, central) in enumerate(rows):
        axes.barh(index, high - low, left=low, height=0.4, color="0.7", edgecolor="black", linewidth=0.6)
        axes.plot([central], [index], marker="o", color="black")
    axes.axvline(0, color="black", linewidth=0.8)
    axes.set_yticks(range(len(rows)))
    axes.set_yticklabels([label[:40] for label, *_rest in rows], fontsize=8)
    axes.invert_yaxis()
    axes.tick_params(axis="x", labelsize=8)
    axes.xaxis.set_major_formatter(lambda value, _position: number(value, 0))
    axes.set_xlabel(unit, fontsize=8)
    for side in ("top", "right"):
        axes.spines[side].set_visible(False)
    figure.tight_layout()
    return _png(figure)
