"""The platform's one emission-factor library: versioned data shipped in the package.

`load_library()` reads `data/factors_v1.1.yaml` (energy, freight, materials, monetary ratios, and the
platform's decisions about travel modes) and `data/travel_impactco2_v1.json` (every travel mode of
ADEME Impact CO2, derived by `impactco2.py`), validates them and returns a `FactorLibrary`.

Every factor is in kgCO2e per unit. Travel factors are per passenger.km and sum Impact CO2's parts
(construction + use + contrails); the plane has one factor per haul, chosen by the trip's distance.
A library carries its `version` and a `fingerprint` of its data files: an evaluation stores
`library.reference` to show, and later reproduce, exactly which values it used.
"""

from __future__ import annotations

import difflib
import hashlib
import json
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from functools import cache
from pathlib import Path
from typing import Any

import yaml

from sobrindustrie.engines.footprint.errors import (
    FactorLibraryError,
    FootprintError,
    UnknownFactorError,
    UnknownTravelModeError,
)
from sobrindustrie.engines.footprint.uncertainty import Distribution, Uncertainty, UncertaintyBasis
from sobrindustrie.engines.footprint.units import KNOWN_UNITS

DATA_DIR = Path(__file__).parent / "data"
DEFAULT_LIBRARY_FILE = "factors_v1.1.yaml"
EMISSION_UNIT = "kgCO2e"
FACTOR_CATEGORIES = ("energy", "freight", "material", "monetary", "travel")


@dataclass(frozen=True)
class Source:
    """Where a factor's value comes from: cite it as given."""

    name: str
    version: str
    identifier: str
    url: str = ""


@dataclass(frozen=True)
class EmissionFactor:
    """kgCO2e emitted per one `per_unit` of activity."""

    id: str
    category: str
    label_fr: str
    label_en: str
    value: float
    per_unit: str
    source: Source
    uncertainty: Uncertainty
    valid_from: date | None = None
    valid_until: date | None = None
    to_verify: bool = False
    notes: str = ""
    # Why the value stays "to verify" (French, English); empty when it does not.
    verify_reason_fr: str = ""
    verify_reason_en: str = ""
    # The Base Empreinte element ("Identifiant de l'élément") the value is; empty when none was checked.
    base_empreinte_id: str = ""
    # Life-cycle parts summing to `value` (travel: construction, use, contrails); empty when unknown.
    components: Mapping[str, float] = field(default_factory=dict, hash=False)

    @property
    def unit(self) -> str:
        return f"{EMISSION_UNIT}/{self.per_unit}"

    def is_valid_on(self, day: date) -> bool:
        """False when `day` lies outside the factor's stated validity period."""
        after_start = self.valid_from is None or day >= self.valid_from
        before_end = self.valid_until is None or day <= self.valid_until
        return after_start and before_end


@dataclass(frozen=True)
class DistanceBand:
    """One factor of a travel mode, used for trips up to `max_km` (None: no upper limit)."""

    max_km: float | None
    factor_id: str
    label_fr: str | None = None
    label_en: str | None = None


@dataclass(frozen=True)
class TravelMode:
    """A travel mode of Impact CO2, named by its slug, with what the platform decides about it."""

    slug: str
    impactco2_id: int
    label_fr: str
    label_en: str
    transport_class: str
    # True for cars: the factor is for one person alone in the car, divided among those sharing it.
    carpool: bool
    collective_land: bool
    needs_justification: bool
    bands: tuple[DistanceBand, ...]
    # Impact CO2 only shows the mode for trips in this range (informative; figures are computed anyway).
    display_min_km: float | None = None
    display_max_km: float | None = None

    def band_for(self, km: float) -> DistanceBand:
        """The band Impact CO2 uses for a trip of `km`: the first whose maximum is ≥ km, else the last."""
        for band in self.bands:
            if band.max_km is None or band.max_km >= km:
                return band
        return self.bands[-1]

    def shown_by_impactco2(self, km: float) -> bool:
        """Whether Impact CO2 would list this mode for a trip of `km` (its display range)."""
        too_short = self.display_min_km is not None and km < self.display_min_km
        too_long = self.display_max_km is not None and km > self.display_max_km
        return not (too_short or too_long)


@dataclass(frozen=True)
class FactorLibrary:
    """All factors and travel modes of one library version."""

    name: str
    version: str
    fingerprint: str
    factors: Mapping[str, EmissionFactor]
    travel_modes: Mapping[str, TravelMode]
    travel_source: Mapping[str, str]

    @property
    def reference(self) -> str:
        """What an evaluation stores to say which library it used, e.g. '1.0.0+3f2a9c01b4de'."""
        return f"{self.version}+{self.fingerprint}"

    def factor(self, factor_id: str) -> EmissionFactor:
        """The factor `factor_id`; raises `UnknownFactorError` suggesting close ids."""
        try:
            return self.factors[factor_id]
        except KeyError:
            close = difflib.get_close_matches(factor_id, list(self.factors), n=3)
            hint = f"; did you mean {', '.join(close)}?" if close else ""
            raise UnknownFactorError(f"unknown emission factor {factor_id!r}{hint}") from None

    def travel_mode(self, slug: str) -> TravelMode:
        """The travel mode `slug`; raises `UnknownTravelModeError` listing the valid slugs."""
        try:
            return self.travel_modes[slug]
        except KeyError:
            valid = ", ".join(sorted(self.travel_modes))
            raise UnknownTravelModeError(f"unknown travel mode {slug!r}; valid modes are: {valid}") from None


@cache
def load_library(library_file: str = DEFAULT_LIBRARY_FILE) -> FactorLibrary:
    """Load and validate a library shipped in the package's data folder (cached: it never changes)."""
    return load_library_from(DATA_DIR / library_file)


def load_library_from(path: Path) -> FactorLibrary:
    """Load and validate the library at `path`; its travel file is read from the same folder."""
    try:
        library_bytes = path.read_bytes()
        document = yaml.safe_load(library_bytes)
        travel_path = path.parent / str(_require(document, "travel", "library")["source_file"])
        travel_bytes = travel_path.read_bytes()
    except (OSError, yaml.YAMLError, TypeError, KeyError) as error:
        raise FactorLibraryError(f"cannot read the factor library {path}: {error}") from None
    fingerprint = hashlib.sha256(library_bytes + b"\0" + travel_bytes).hexdigest()[:12]
    return parse_library(document, json.loads(travel_bytes), fingerprint)


def parse_library(document: Any, travel_document: Any, fingerprint: str = "") -> FactorLibrary:
    """Build a library from the parsed YAML document and the parsed derived travel document.

    Raises `FactorLibraryError` naming the factor (or travel mode) and the field at fault.
    """
    if not isinstance(document, dict):
        raise FactorLibraryError("the library file must hold a mapping")
    factors: dict[str, EmissionFactor] = {}
    for position, raw in enumerate(_require(document, "factors", "library")):
        factor = _parse_factor(raw, position)
        if factor.id in factors:
            raise FactorLibraryError(f"factor id {factor.id!r} appears twice")
        factors[factor.id] = factor
    travel_factors, modes = _parse_travel(_require(document, "travel", "library"), travel_document)
    for factor in travel_factors:
        if factor.id in factors:
            raise FactorLibraryError(f"travel factor id {factor.id!r} clashes with a library factor")
        factors[factor.id] = factor
    source = travel_document.get("source", {})
    return FactorLibrary(
        name=str(_require(document, "library", "library")),
        version=str(_require(document, "version", "library")),
        fingerprint=fingerprint,
        factors=factors,
        travel_modes=modes,
        travel_source={key: str(value) for key, value in source.items() if key != "license_text"},
    )


def _parse_factor(raw: Any, position: int) -> EmissionFactor:
    if not isinstance(raw, dict):
        raise FactorLibraryError(f"factor #{position}: expected a mapping")
    where = f"factor {raw.get('id', f'#{position}')!r}"
    category = str(_require(raw, "category", where))
    if category not in FACTOR_CATEGORIES:
        raise FactorLibraryError(f"{where}: category must be one of {', '.join(FACTOR_CATEGORIES)}")
    label = _require(raw, "label", where)
    source = _require(raw, "source", where)
    reason = raw.get("verify_reason") or {}
    if not isinstance(reason, dict):
        raise FactorLibraryError(f"{where}: verify_reason must map fr and en to a text")
    try:
        return EmissionFactor(
            id=str(_require(raw, "id", where)),
            category=category,
            label_fr=str(_require(label, "fr", f"{where}, label")),
            label_en=str(_require(label, "en", f"{where}, label")),
            value=_non_negative(_require(raw, "value", where), f"{where}, value"),
            per_unit=_per_unit(str(_require(raw, "unit", where)), where),
            source=Source(
                name=str(_require(source, "name", f"{where}, source")),
                version=str(_require(source, "version", f"{where}, source")),
                identifier=str(_require(source, "identifier", f"{where}, source")),
                url=str(source.get("url") or ""),
            ),
            uncertainty=_parse_uncertainty(_require(raw, "uncertainty", where), where),
            valid_from=_optional_date(raw.get("valid_from"), f"{where}, valid_from"),
            valid_until=_optional_date(raw.get("valid_until"), f"{where}, valid_until"),
            to_verify=bool(raw.get("to_verify", False)),
            notes=str(raw.get("notes") or ""),
            verify_reason_fr=str(reason.get("fr") or ""),
            verify_reason_en=str(reason.get("en") or ""),
            base_empreinte_id=str(raw.get("base_empreinte_id") or ""),
        )
    except FactorLibraryError:
        raise
    except FootprintError as error:
        raise FactorLibraryError(f"{where}: {error}") from None


def _parse_travel(settings: Any, travel_document: Any) -> tuple[list[EmissionFactor], dict[str, TravelMode]]:
    where = "travel"
    decisions = _require(settings, "modes", where)
    uncertainty = _parse_uncertainty(_require(settings, "uncertainty", where), where)
    collective = set(_require(settings, "collective_land_classes", where))
    exempt = set(_require(settings, "no_justification_classes", where))
    source = _require(travel_document, "source", "travel document")
    raw_modes = _require(travel_document, "modes", "travel document")
    unclassified = {raw["impactco2_id"] for raw in raw_modes} - set(decisions)
    if unclassified:
        raise FactorLibraryError(
            f"travel: Impact CO2 mode ids {sorted(unclassified)} have no entry in travel.modes"
        )
    factors: list[EmissionFactor] = []
    modes: dict[str, TravelMode] = {}
    for raw in raw_modes:
        decision = decisions[raw["impactco2_id"]]
        slug = str(decision.get("slug") or raw["slug"])
        if slug in modes:
            raise FactorLibraryError(
                f"travel: slug {slug!r} is used by Impact CO2 ids {modes[slug].impactco2_id} and "
                f"{raw['impactco2_id']}; give one of them a `slug` in travel.modes"
            )
        mode_factors, bands = _travel_factors(raw, decision, slug, source, uncertainty)
        factors.extend(mode_factors)
        transport_class = str(_require(decision, "transport_class", f"travel mode {slug!r}"))
        modes[slug] = TravelMode(
            slug=slug,
            impactco2_id=int(raw["impactco2_id"]),
            label_fr=_french_label(raw),
            label_en=str(_require(decision, "label_en", f"travel mode {slug!r}")),
            transport_class=transport_class,
            carpool=bool(raw["carpool"]),
            collective_land=transport_class in collective,
            needs_justification=transport_class not in exempt,
            bands=tuple(bands),
            display_min_km=raw.get("display_min_km"),
            display_max_km=raw.get("display_max_km"),
        )
    return factors, modes


def _travel_factors(
    raw: dict[str, Any], decision: dict[str, Any], slug: str, source: dict[str, Any], uncertainty: Uncertainty
) -> tuple[list[EmissionFactor], list[DistanceBand]]:
    bands_en = decision.get("bands_en") or []
    several = len(raw["bands"]) > 1
    if several and len(bands_en) != len(raw["bands"]):
        raise FactorLibraryError(
            f"travel mode {slug!r}: bands_en must name each of its {len(raw['bands'])} hauls"
        )
    factors = []
    bands = []
    for index, band in enumerate(raw["bands"]):
        subtitle = band.get("subtitle")
        factor_id = f"travel.{slug}.{_identifier(subtitle)}" if several else f"travel.{slug}"
        components = {name: float(band[name]) for name in ("construction", "use", "contrails")}
        label_fr = _french_label(raw) + (f", {subtitle}" if several else "")
        label_en = str(decision["label_en"]) + (f", {bands_en[index]}" if several else "")
        identifier = f"deplacement.json id {raw['impactco2_id']}"
        if band.get("empreinte_id"):
            identifier += f", Base Empreinte element {band['empreinte_id']}"
        factors.append(
            EmissionFactor(
                id=factor_id,
                category="travel",
                label_fr=label_fr,
                label_en=label_en,
                # Summing floats leaves noise in the last digits (0.2176 → 0.21760000000000002).
                value=float(f"{sum(components.values()):.12g}"),
                per_unit="passenger.km",
                source=Source(
                    name="ADEME Impact CO2 (values from Base Empreinte)",
                    version=f"{source['repository']}@{source['commit']}",
                    identifier=identifier,
                    url=str(raw.get("source_url") or ""),
                ),
                uncertainty=uncertainty,
                notes=(
                    "Per person, one person in the car (Impact CO2's assumption): shared by the car's occupants."
                    if raw["carpool"]
                    else ""
                ),
                components=components,
                base_empreinte_id=str(band.get("empreinte_id") or ""),
            )
        )
        bands.append(
            DistanceBand(
                band.get("max_km"),
                factor_id,
                subtitle if several else None,
                bands_en[index] if several else None,
            )
        )
    return factors, bands


def _french_label(raw: dict[str, Any]) -> str:
    subtitle = raw.get("subtitle")
    return f"{raw['name']} ({subtitle})" if subtitle else str(raw["name"])


def _identifier(text: str | None) -> str:
    ascii_text = unicodedata.normalize("NFKD", text or "").encode("ascii", "ignore").decode()
    return "_".join(ascii_text.lower().split())


def _parse_uncertainty(raw: Any, where: str) -> Uncertainty:
    try:
        return Uncertainty(
            relative=_non_negative(
                _require(raw, "relative", f"{where}, uncertainty"), f"{where}, uncertainty"
            ),
            distribution=Distribution(_require(raw, "distribution", f"{where}, uncertainty")),
            basis=UncertaintyBasis(raw.get("basis", "assumed")),
        )
    except FactorLibraryError:
        raise
    except ValueError as error:  # an unknown distribution or basis, or an out-of-range relative value
        raise FactorLibraryError(f"{where}, uncertainty: {error}") from None


def _per_unit(unit: str, where: str) -> str:
    prefix = f"{EMISSION_UNIT}/"
    per_unit = unit.removeprefix(prefix)
    if not unit.startswith(prefix) or per_unit not in KNOWN_UNITS:
        raise FactorLibraryError(
            f"{where}: unit must be '{prefix}<unit>' with <unit> one of {', '.join(KNOWN_UNITS)}; got {unit!r}"
        )
    return per_unit


def _require(mapping: Any, key: str, where: str) -> Any:
    if not isinstance(mapping, dict) or mapping.get(key) is None:
        raise FactorLibraryError(f"{where}: field {key!r} is missing")
    return mapping[key]


def _non_negative(value: Any, where: str) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float) or not value >= 0:
        raise FactorLibraryError(f"{where}: must be a number ≥ 0, got {value!r}")
    return float(value)


def _optional_date(value: Any, where: str) -> date | None:
    if value is None or isinstance(value, date):
        return value
    raise FactorLibraryError(f"{where}: must be a date (YYYY-MM-DD) or null, got {value!r}")
