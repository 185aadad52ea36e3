"""Numbers written into markup (SVG coordinates, CSS lengths, HTML attribute values).

Markup is not prose: "400,0" is not a coordinate, and a French page localises every number it prints.
Every chart writes its numbers through `markup_number` (the `markup_number` template filter), which
writes a dot decimal, no digit grouping and no exponent, whatever the active language.
"""

from __future__ import annotations

from decimal import Decimal

#: Decimals kept: a tenth of a pixel is below what a screen or a printer shows.
PLACES = 2


def markup_number(value: int | float | Decimal | str) -> str:
    """`value` as markup writes it: "400", "332.7", "-12.25". Raises ValueError for a non-number."""
    try:
        number = Decimal(str(value))
    except ArithmeticError:
        raise ValueError(f"not a number for markup: {value!r}") from None
    if not number.is_finite():
        raise ValueError(f"not a finite number for markup: {value!r}")
    text = f"{number.quantize(Decimal(1).scaleb(-PLACES)):f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return "0" if text == "-0" else text
