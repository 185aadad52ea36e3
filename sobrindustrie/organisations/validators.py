"""Field validators whose messages name the rule that failed."""

from __future__ import annotations

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from stdnum.exceptions import InvalidChecksum, InvalidFormat, InvalidLength
from stdnum.fr import siret as stdnum_siret

from sobrindustrie.organisations.reference import naf_codes, taxonomy

# Bounding boxes (south, west, north, east) of metropolitan France with Corsica and of the
# overseas regions where ADEME also runs programmes.
FRANCE_BOXES = (
    (41.3, -5.3, 51.2, 9.7),  # metropolitan France and Corsica
    (15.8, -61.9, 16.6, -61.0),  # Guadeloupe
    (14.3, -61.3, 14.9, -60.8),  # Martinique
    (2.1, -54.7, 5.8, -51.6),  # Guyane
    (-21.4, 55.2, -20.8, 55.9),  # La Réunion
    (-13.1, 44.9, -12.6, 45.4),  # Mayotte
)


def normalise_siret(value: str) -> str:
    return "".join(ch for ch in value if not ch.isspace())


def validate_siret(value: str) -> None:
    compact = normalise_siret(value)
    try:
        stdnum_siret.validate(compact)
    except InvalidLength:
        raise ValidationError(
            _("A SIRET has 14 digits; this one has %(count)d.") % {"count": len(compact)}, code="siret_length"
        ) from None
    except InvalidFormat:
        raise ValidationError(_("A SIRET contains digits only."), code="siret_format") from None
    except InvalidChecksum:
        raise ValidationError(
            _("This SIRET fails its checksum (Luhn key): check for a mistyped digit."), code="siret_checksum"
        ) from None


# INSEE writes a NAF rev. 2 sub-class `25.62A`; its files and the Sirene exports often drop the dot
# (`2562A`). Both are accepted and the dotted form is stored.
_COMPACT_NAF = re.compile(r"([0-9]{2})\.?([0-9]{2}[A-Z])")


def normalise_naf(value: str) -> str:
    """`2562a`, ` 25.62 A` → `25.62A`; anything else comes back upper-cased, spaces removed, for
    `validate_naf` to refuse with its message."""
    compact = "".join(value.split()).upper()
    found = _COMPACT_NAF.fullmatch(compact)
    return f"{found.group(1)}.{found.group(2)}" if found else compact


def validate_naf(value: str) -> None:
    if normalise_naf(value) not in naf_codes():
        raise ValidationError(
            _("“%(value)s” is not a NAF rev. 2 code (format 25.62A or 2562A, from INSEE's nomenclature).")
            % {"value": value},
            code="naf_unknown",
        )


def validate_category(value: str) -> None:
    category = taxonomy().get(value)
    if category is None or category.parent is None:
        raise ValidationError(
            _("“%(value)s” is not a subcategory of the production-means taxonomy.") % {"value": value},
            code="category_unknown",
        )


def is_in_france(latitude: float, longitude: float) -> bool:
    return any(s <= latitude <= n and w <= longitude <= e for s, w, n, e in FRANCE_BOXES)


def validate_coordinates(latitude: float | None, longitude: float | None) -> dict[str, str]:
    """Return field errors for a coordinate pair (both or neither; inside France)."""
    if latitude is None and longitude is None:
        return {}
    if latitude is None or longitude is None:
        missing = "latitude" if latitude is None else "longitude"
        return {missing: _("Give both latitude and longitude, or neither.")}
    if not is_in_france(latitude, longitude):
        return {
            "latitude": _("These coordinates (%(lat).4f, %(lon).4f) are outside France.")
            % {"lat": latitude, "lon": longitude}
        }
    return {}
