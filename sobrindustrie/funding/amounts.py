"""Figures read from the amounts Mission Transition Écologique writes in words.

The format gives amounts as short French phrases ("Jusqu'à 80% du coût de l'étude, dans un maximum
de 100 000 €"). The text is always kept as given; a figure is parsed only where the phrase states it
without ambiguity, because a wrong ceiling would mislead the matching more than a missing one:

- a ceiling: "maximum de / limite de / plafond de / jusqu'à N €" or the upper end of "de A à B €",
  when exactly one such figure appears and it is not per unit ("1 000 € HT / jour", "par site");
- a rate: "jusqu'à N %" or the upper end of "A à N %" (or "entre A et N %"), when exactly one
  percentage appears in the phrase. A lone percentage without "jusqu'à" ("pris en charge à 50%")
  is read too, but not a rate after "à partir de" (a floor) nor in a loan (an interest rate).
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation
from typing import Final

_NUMBER: Final = r"(?:\d{1,3}(?:[\s\u202f\u00a0.]\d{3})+(?:,\d+)?|\d+(?:,\d+)?)"
# An amount per unit (€/MWh, € par véhicule, € HT par site) is not a ceiling of the aid.
_UNIT: Final = r"\s*(?P<unit>M€|k€|K€|millions?\s+d['’]euros|€|euros?)(?!\s*(?:HT\s*)?(?:/|par\b))"
_CEILING = re.compile(
    rf"(?:maximum|limite|plafond|plafonnée?s?\s+à|jusqu['’]à|au plus)\s*(?:de\s+|d['’])?(?P<n>{_NUMBER}){_UNIT}",
    re.IGNORECASE,
)
_RANGE_AMOUNT = re.compile(
    rf"(?:de|entre)\s+{_NUMBER}\s*(?:€|k€|M€)?\s*(?:HT\s*)?(?:à|et)\s+(?P<n>{_NUMBER}){_UNIT}", re.IGNORECASE
)
_PERCENT = re.compile(rf"(?P<n>{_NUMBER})\s*%")
_RATE_FLOOR = re.compile(r"à partir de\s*\d", re.IGNORECASE)
_MULTIPLIERS: Final = {"m€": Decimal(1_000_000), "k€": Decimal(1000), "million": Decimal(1_000_000)}


def _decimal(text: str) -> Decimal | None:
    cleaned = re.sub(r"[\s\u202f\u00a0]", "", text)
    if re.fullmatch(r"\d{1,3}(?:\.\d{3})+", cleaned):  # 1.500.000: dots as thousands separators
        cleaned = cleaned.replace(".", "")
    try:
        return Decimal(cleaned.replace(",", "."))
    except InvalidOperation:
        return None


def _euros(number: str, unit: str) -> Decimal | None:
    value = _decimal(number)
    if value is None:
        return None
    for prefix, factor in _MULTIPLIERS.items():
        if unit.lower().startswith(prefix):
            return value * factor
    return value


def parse_max_amount(text: str) -> Decimal | None:
    """The ceiling in euros stated by `text`, or None when absent or ambiguous."""
    if not text:
        return None
    found = {
        amount
        for pattern in (_CEILING, _RANGE_AMOUNT)
        for match in pattern.finditer(text)
        if (amount := _euros(match.group("n"), match.group("unit"))) is not None
    }
    return found.pop() if len(found) == 1 else None


def parse_max_rate(text: str) -> Decimal | None:
    """The highest share of the costs (in %) stated by `text`, or None when absent or ambiguous."""
    if not text or _RATE_FLOOR.search(text):
        return None
    rates = list(_PERCENT.finditer(text))
    if len(rates) != 1:
        return None
    value = _decimal(rates[0].group("n"))
    if value is None or not 0 < value <= 100:
        return None
    return value
