"""Greenhouse-gas potential of an opportunity from the energy it saves, with the platform's one
emission-factor library (ADEME Base Empreinte values, versioned in engines/footprint)."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.formats import number_format
from django.utils.translation import gettext as _

from sobrindustrie.engines.footprint.factors import EmissionFactor, load_library

ELECTRICITY_FACTOR = "electricity.fr.consumption_mix"
NATURAL_GAS_FACTOR = "natural_gas.pci"


@dataclass(frozen=True)
class GhgEstimate:
    kgco2e_per_year: float
    basis: str


def _term(kwh: float, factor: EmissionFactor) -> str:
    return _("%(kwh)s kWh × %(value)s kgCO2e/kWh (%(source)s, %(label)s, %(version)s)") % {
        "kwh": number_format(round(kwh), force_grouping=True),
        "value": number_format(factor.value),
        "source": factor.source.name,
        "label": factor.label_fr,
        "version": factor.source.version,
    }


def estimate_ghg(electricity_kwh: float | None, natural_gas_kwh: float | None) -> GhgEstimate | None:
    """kgCO2e avoided per year by the energy saved, or None when no energy is given."""
    library = load_library()
    total = 0.0
    terms = []
    for kwh, factor_id in ((electricity_kwh, ELECTRICITY_FACTOR), (natural_gas_kwh, NATURAL_GAS_FACTOR)):
        if kwh:
            factor = library.factor(factor_id)
            total += kwh * factor.value
            terms.append(_term(kwh, factor))
    if not terms:
        return None
    basis = " + ".join(terms) + f" — {_('factor library')} {library.reference}"
    return GhgEstimate(round(total, 1), basis[:400])


def factor_citations() -> list[str]:
    """The factors the sheets cite, one line each."""
    library = load_library()
    lines = []
    for factor_id in (ELECTRICITY_FACTOR, NATURAL_GAS_FACTOR):
        factor = library.factor(factor_id)
        lines.append(
            f"{factor.label_fr} : {number_format(factor.value)} kgCO2e/kWh — "
            f"{factor.source.name} ({factor.source.version})"
        )
    return lines
