"""Small charts for the reports: horizontal bars drawn by matplotlib into a light PNG.

Each chart is readable in greyscale (dark fill, white hatched fill, light dotted fill, and the value
printed at the end of every bar) and comes with a text alternative that states every figure, so the
information does not depend on seeing the image. Rendering uses the object-oriented API and the Agg
canvas only (no pyplot, no global state), at a modest resolution; the same data gives the same bytes.
"""

from __future__ import annotations

import io
import math
import os
import tempfile
import textwrap
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.utils import formats
from django.utils.translation import gettext as _
from PIL import Image

#: Resolution of the PNG files: sharp enough on screen and on paper, small enough to keep files light.
DPI = 110
WIDTH_INCHES = 6.4
LABEL_WIDTH_CHARS = 30
GREYS = 16
#: Fills of the successive series: distinct without colour.
FILLS = (("0.25", ""), ("white", "///"), ("0.75", ".."))


@dataclass(frozen=True)
class Series:
    name: str
    values: Sequence[float | None]  # None: no bar for this label (e.g. no cap applies)


@dataclass(frozen=True)
class Chart:
    png: bytes
    title: str
    alt: str  # the text alternative: the title and every figure of the chart


def number(value: float, digits: int = 1) -> str:
    """A figure in the active language's notation, without needless trailing zeros."""
    rounded = round(value, digits)
    shown = next(d for d in range(digits + 1) if round(rounded, d) == rounded)
    return str(formats.number_format(rounded, decimal_pos=shown, use_l10n=True))


def _figure_class() -> type:
    # matplotlib writes a font cache into its configuration directory on first use; a home that is
    # read-only or shared by several processes makes it warn, and warnings are errors in the tests.
    os.environ.setdefault("MPLCONFIGDIR", os.path.join(tempfile.gettempdir(), "sobrindustrie-matplotlib"))
    from matplotlib.figure import Figure

    return Figure


def alt_text(title: str, labels: Sequence[str], series: Sequence[Series], unit: str, digits: int = 1) -> str:
    """“Title. Label: series value unit, series value unit; Label: …” — every figure, in order."""
    parts = []
    for index, label in enumerate(labels):
        values = []
        for serie in series:
            value = serie.values[index]
            shown = _("not applicable") if value is None else f"{number(value, digits)} {unit}".strip()
            values.append(f"{serie.name} {shown}" if len(series) > 1 else shown)
        parts.append(f"{label}: {', '.join(values)}")
    return f"{title}. {'; '.join(parts)}."


def bar_chart(
    title: str,
    labels: Sequence[str],
    series: Sequence[Series],
    *,
    unit: str = "",
    maximum: float | None = None,
    digits: int = 1,
) -> Chart:
    """Horizontal bars, one group per label and one bar per series, values printed at the bar ends."""
    if not labels or not series:
        raise ValueError("a chart needs at least one label and one series")
    if any(len(serie.values) != len(labels) for serie in series):
        raise ValueError("every series needs one value per label")
    figure_class = _figure_class()
    rows = len(labels) * len(series)
    height = max(1.8, 0.9 + 0.28 * rows + 0.1 * len(labels))
    figure = figure_class(figsize=(WIDTH_INCHES, height), dpi=DPI)
    axes = figure.add_subplot()
    bar_height = 0.8 / len(series)
    largest = max((v for serie in series for v in serie.values if v is not None), default=0.0)
    top = maximum if maximum is not None else (largest * 1.18 or 1.0)
    for position, serie in enumerate(series):
        fill, hatch = FILLS[position % len(FILLS)]
        offsets = [i - 0.4 + bar_height * (position + 0.5) for i in range(len(labels))]
        values = [math.nan if v is None else v for v in serie.values]
        bars = axes.barh(
            offsets,
            values,
            height=bar_height * 0.92,
            color=fill,
            edgecolor="black",
            linewidth=0.6,
            hatch=hatch or None,
            label=serie.name,
        )
        texts = ["" if v is None else number(v, digits) for v in serie.values]
        axes.bar_label(bars, labels=texts, padding=3, fontsize=8)
    axes.set_yticks(range(len(labels)))
    axes.set_yticklabels([textwrap.fill(label, LABEL_WIDTH_CHARS) for label in labels], fontsize=8)
    axes.invert_yaxis()
    axes.set_xlim(0, top * (1.12 if maximum is not None else 1))
    axes.tick_params(axis="x", labelsize=8)
    axes.xaxis.set_major_formatter(lambda value, _position: number(value, digits))
    if unit:
        axes.set_xlabel(unit, fontsize=8)
    axes.set_title(title, fontsize=10, loc="left")
    for side in ("top", "right"):
        axes.spines[side].set_visible(False)
    if len(series) > 1:
        axes.legend(fontsize=8, frameon=False, loc="lower right")
    figure.tight_layout()
    return Chart(_png(figure), title, alt_text(title, labels, series, unit, digits))


def _png(figure: Any) -> bytes:
    """The figure as a 16-grey palette PNG: the charts use greys only, so nothing is lost, and the
    file is about a fifth of matplotlib's RGBA one."""
    rendered = io.BytesIO()
    figure.savefig(rendered, format="png", dpi=DPI)
    rendered.seek(0)
    with Image.open(rendered) as image:
        grey = image.convert("L").quantize(colors=GREYS, dither=Image.Dither.NONE)
    out = io.BytesIO()
    grey.save(out, format="PNG", optimize=True, dpi=(DPI, DPI))
    return out.getvalue()


def satisfaction_chart(labels: Sequence[str], means: Sequence[float | None]) -> Chart:
    """Average rating out of 5 of each survey (meetings in chronological order)."""
    return bar_chart(
        _("Average satisfaction rating per meeting (out of 5)"),
        labels,
        [Series(_("Average rating"), means)],
        unit=_("out of 5"),
        maximum=5,
    )


def time_chart(
    title: str, labels: Sequence[str], spent: Sequence[float], caps: Sequence[float | None]
) -> Chart:
    """Days spent against the contractual cap, per phase or per kind of capped work."""
    series = [Series(_("Days spent"), list(spent))]
    if any(cap is not None for cap in caps):
        series.append(Series(_("Contractual cap"), list(caps)))
    return bar_chart(title, labels, series, unit=_("days"), digits=2)
