"""Reading a Mission Transition Écologique programme file into the fields of a FundingScheme.

The rules are parsed by the Publicodes engine (`load_programme`), which refuses a malformed file, an
unknown construct or a rule that references itself, naming the file and the rule. This module then
checks what the platform needs besides (a title, a known nature of aid, dates written dd/mm/yyyy)
and maps the French keys of the format (program-data-schema.json) to the model's fields. Keys it does
not map are kept in `extra`, so nothing of the source is lost.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from pathlib import Path
from typing import Any, Final

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator

from sobrindustrie.engines.publicodes import Interface, PublicodesError
from sobrindustrie.engines.publicodes.catalogue import load_programme
from sobrindustrie.funding.amounts import parse_max_amount, parse_max_rate
from sobrindustrie.funding.enums import MTE_NATURES, AidNature, SchemeSource

NATURE_KEY: Final = "nature de l'aide"
# The schema names it "type de l'aide"; the published files say "nature de l'aide". Both are read.
NATURE_KEYS: Final = (NATURE_KEY, "type de l'aide")
TEXT_FIELDS: Final = {
    "titre": "title",
    "promesse": "promise",
    "description": "description",
    "description longue": "long_description",
    "opérateur de contact": "contact_operator",
    "montant du financement": "funding_amount_text",
    "montant du prêt": "loan_amount_text",
    "durée du prêt": "loan_duration_text",
    "montant de l'avantage fiscal": "tax_advantage_text",
    "coût de l'accompagnement": "support_cost_text",
    "durée de l'accompagnement": "support_duration_text",
    "contact question": "contact_url",
}
HANDLED_KEYS: Final = frozenset(
    {
        *TEXT_FIELDS,
        *NATURE_KEYS,
        "autres opérateurs",
        "début de validité",
        "fin de validité",
        "url",
        "objectifs",
        "étapes",
        "conditions d'éligibilité",
        "publicodes",
        "date mise à jour",
    }
)
_MAX_LENGTHS: Final = {
    "title": 250,
    "loan_duration_text": 250,
    "support_duration_text": 250,
    "contact_url": 500,
}


class ProgrammeFileError(ValueError):
    """A programme file the importer refuses; the message names the file (and the rule or key)."""

    def __init__(self, file_name: str, reason: str) -> None:
        super().__init__(f"{file_name}: {reason}")
        self.file_name = file_name
        self.reason = reason


def read_programme_file(path: Path, interface: Interface) -> dict[str, Any]:
    """The FundingScheme field values of one file; ProgrammeFileError if it is refused."""
    try:
        programme = load_programme(path, interface)
    except PublicodesError as error:
        reason = f"rule {error.rule!r}: {error.reason}" if error.rule else error.reason
        raise ProgrammeFileError(path.name, reason) from None
    try:
        return scheme_values(programme.slug, programme.data)
    except ValueError as error:
        raise ProgrammeFileError(path.name, str(error)) from None


def _text(data: Mapping[str, Any], key: str) -> str:
    value = data.get(key)
    if value is None:
        return ""
    if not isinstance(value, str | int | float):
        raise ValueError(f"`{key}` must be text, not {type(value).__name__}")
    return str(value).strip()


def _date(data: Mapping[str, Any], key: str) -> dt.date | None:
    value = data.get(key)
    if value is None or value == "":
        return None
    if isinstance(value, dt.date):
        return value
    try:
        return dt.datetime.strptime(str(value).strip(), "%d/%m/%Y").date()
    except ValueError:
        raise ValueError(f"`{key}` must be a date written dd/mm/yyyy, not {value!r}") from None


def _nature(data: Mapping[str, Any]) -> AidNature:
    raw = next((data[key] for key in NATURE_KEYS if key in data), None)
    if raw is None:
        raise ValueError(f"`{NATURE_KEY}` is missing")
    nature = MTE_NATURES.get(str(raw).strip().lower())
    if nature is None:
        raise ValueError(f"unknown `{NATURE_KEY}` {raw!r}; expected one of {', '.join(MTE_NATURES)}")
    return nature


def _steps(data: Mapping[str, Any]) -> list[dict[str, Any]]:
    """`objectifs` (and the schema's `étapes`) as [{description, links: [{url, text}]}]."""
    steps = []
    for item in data.get("objectifs") or data.get("étapes") or []:
        if not isinstance(item, Mapping):
            raise ValueError("`objectifs` must be a list of {description, liens}")
        links = [
            {"url": str(link.get("lien", "")).strip(), "text": str(link.get("texte", "")).strip()}
            for link in item.get("liens") or []
            if isinstance(link, Mapping) and link.get("lien")
        ]
        description = item.get("description") or item.get("étape") or ""
        steps.append({"description": str(description).strip(), "links": links})
    return steps


def _url(data: Mapping[str, Any], extra: dict[str, Any]) -> str:
    url = _text(data, "url")
    if not url:
        return ""
    try:
        URLValidator()(url)
    except ValidationError:
        extra["url"] = url  # kept as given rather than refusing the whole scheme for a bad link
        return ""
    return url if len(url) <= 500 else ""


def scheme_values(slug: str, data: Mapping[str, Any]) -> dict[str, Any]:
    """Map a programme document to FundingScheme fields (tracking fields excluded); ValueError if unusable."""
    title = _text(data, "titre")
    if not title:
        raise ValueError("`titre` is missing")
    values: dict[str, Any] = {name: _text(data, key) for key, name in TEXT_FIELDS.items()}
    for name, limit in _MAX_LENGTHS.items():
        if len(values[name]) > limit:
            raise ValueError(f"`{name}` is longer than {limit} characters")
    operators = data.get("autres opérateurs") or []
    if not isinstance(operators, list) or not all(isinstance(item, str) for item in operators):
        raise ValueError("`autres opérateurs` must be a list of names")
    conditions = data.get("conditions d'éligibilité") or {}
    if not isinstance(conditions, Mapping):
        raise ValueError("`conditions d'éligibilité` must be a mapping")
    extra = {key: value for key, value in data.items() if key not in HANDLED_KEYS}
    nature = _nature(data)
    amount = values["loan_amount_text"] if nature == AidNature.LOAN else values["funding_amount_text"]
    values.update(
        source=SchemeSource.MTE,
        nature=nature,
        other_operators=[item.strip() for item in operators],
        valid_from=_date(data, "début de validité"),
        valid_until=_date(data, "fin de validité"),
        eligibility_conditions=_jsonable(conditions),
        publicodes_rules=_jsonable(data.get("publicodes") or {}),
        steps=_steps(data),
        max_amount_eur=parse_max_amount(amount),
        # In a loan a percentage is an interest rate, not a share of the costs.
        max_rate_percent=parse_max_rate(amount) if nature != AidNature.LOAN else None,
    )
    values["url"] = _url(data, extra)
    values["extra"] = _jsonable(extra)
    if values["valid_from"] and values["valid_until"] and values["valid_until"] < values["valid_from"]:
        raise ValueError("`fin de validité` comes before `début de validité`")
    updated = _date(data, "date mise à jour")
    if updated is not None:
        values["source_date"] = updated
    return values


def _jsonable(value: Any) -> Any:
    """YAML may hold dates; JSON fields may not."""
    if isinstance(value, Mapping):
        return {str(key): _jsonable(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_jsonable(item) for item in value]
    if isinstance(value, dt.date):
        return value.isoformat()
    return value
