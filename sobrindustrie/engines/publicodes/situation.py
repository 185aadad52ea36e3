"""From a company's description to the Publicodes situation of Mission Transition Écologique.

The mapping is the one `../shared/data/README.md` makes exact (so that two implementations can be
compared): the region as a reference to the interface's region rule, the workforce, the
micro-entrepreneur status, the NAF code and its section flags, the priority objectives, today's date
and the programme's validity dates. Only names that exist in the rules are set; an absent key sets
nothing, which leaves the values depending on it undefined.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Final

from sobrindustrie.engines.publicodes.errors import CompanyError, PublicodesError
from sobrindustrie.engines.publicodes.expressions import parse_expression
from sobrindustrie.engines.publicodes.parser import (
    SEPARATOR,
    SITUATION_SUFFIX,
    ParsedRules,
    Prelude,
    compile_prelude,
)

REGION: Final = "région"
WORKFORCE: Final = "entreprise . effectif"
MICRO_ENTREPRENEUR: Final = "entreprise . microentrepreneur"
NAF_CODE: Final = "entreprise . code NAF"
NAF_SECTION_PREFIX: Final = "entreprise . code NAF niveau 1 . est "
OBJECTIVE_PREFIX: Final = "questionnaire . objectif prioritaire . est "
TODAY: Final = "date du jour"
VALIDITY_START: Final = "dispositif . début de validité"
VALIDITY_END: Final = "dispositif . fin de validité"

# NAF rev. 2 (INSEE): the divisions (first two digits of a code) of each of the 21 sections.
NAF_SECTIONS: Final[Mapping[str, tuple[int, ...]]] = {
    "A": (1, 2, 3),
    "B": (5, 6, 7, 8, 9),
    "C": tuple(range(10, 34)),
    "D": (35,),
    "E": (36, 37, 38, 39),
    "F": (41, 42, 43),
    "G": (45, 46, 47),
    "H": (49, 50, 51, 52, 53),
    "I": (55, 56),
    "J": (58, 59, 60, 61, 62, 63),
    "K": (64, 65, 66),
    "L": (68,),
    "M": (69, 70, 71, 72, 73, 74, 75),
    "N": (77, 78, 79, 80, 81, 82),
    "O": (84,),
    "P": (85,),
    "Q": (86, 87, 88),
    "R": (90, 91, 92, 93),
    "S": (94, 95, 96),
    "T": (97, 98),
    "U": (99,),
}
_SECTION_OF_DIVISION: Final = {
    division: section for section, divisions in NAF_SECTIONS.items() for division in divisions
}
# A NAF rev. 2 code down to any level: division 25, group 25.6, class 25.62, sub-class 25.62A.
_NAF_CODE = re.compile(r"([0-9]{2})(?:\.?([0-9])([0-9])?([A-Z])?)?")
_COMPANY_KEYS: Final = ("region", "workforce", "micro_entrepreneur", "naf", "objectives")


def naf_section(code: str) -> str:
    """The NAF rev. 2 section letter (A–U) of a code, from its division: `25.62A` → `C`.

    Raises CompanyError if the code is malformed or its division does not exist.
    """
    found = _NAF_CODE.fullmatch(code.strip().upper())
    if found is None:
        raise CompanyError("naf", f"{code!r} is not a NAF code such as 25.62A")
    section = _SECTION_OF_DIVISION.get(int(found.group(1)))
    if section is None:
        raise CompanyError("naf", f"{code!r}: division {found.group(1)} does not exist in NAF rev. 2")
    return section


def normalize_naf(code: str) -> str:
    """The code written as INSEE writes it (`2562a` → `25.62A`); CompanyError if it is not a NAF code."""
    naf_section(code)
    found = _NAF_CODE.fullmatch(code.strip().upper())
    assert found is not None
    division, group, klass, letter = found.groups()
    return division + (f".{group}{klass or ''}{letter or ''}" if group else "")


@dataclass(frozen=True)
class Company:
    """What the eligibility rules know of a company; None (or absent) means unknown."""

    region: str | None = None
    workforce: int | None = None
    micro_entrepreneur: bool | None = None
    naf: str | None = None
    objectives: tuple[str, ...] | None = None

    @classmethod
    def from_mapping(cls, data: object) -> Company:
        """Read `{"region", "workforce", "micro_entrepreneur", "naf", "objectives"}` (any key may be
        absent or null); CompanyError naming the key for anything else."""
        if not isinstance(data, Mapping):
            raise CompanyError("company", "must be a JSON object")
        unknown = sorted(str(key) for key in data if key not in _COMPANY_KEYS)
        if unknown:
            raise CompanyError(unknown[0], f"unknown key; expected some of {', '.join(_COMPANY_KEYS)}")
        return cls(
            region=_optional_text(data, "region"),
            workforce=_optional_workforce(data.get("workforce")),
            micro_entrepreneur=_optional_flag(data.get("micro_entrepreneur")),
            naf=normalize_naf(naf) if (naf := _optional_text(data, "naf")) is not None else None,
            objectives=_optional_objectives(data.get("objectives")),
        )


def _optional_text(data: Mapping[object, object], key: str) -> str | None:
    value = data.get(key)
    if value is None:
        return None
    if not isinstance(value, str) or not value.strip():
        raise CompanyError(key, f"must be a non-empty string, not {value!r}")
    return value.strip()


def _optional_workforce(value: object) -> int | None:
    if value is None:
        return None
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if not isinstance(value, int) or isinstance(value, bool) or value < 0:
        raise CompanyError("workforce", f"must be a whole number of employees (0 or more), not {value!r}")
    return value


def _optional_flag(value: object) -> bool | None:
    if value is None or isinstance(value, bool):
        return value
    raise CompanyError("micro_entrepreneur", f"must be true or false, not {value!r}")


def _optional_objectives(value: object) -> tuple[str, ...] | None:
    if value is None:
        return None
    if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
        raise CompanyError("objectives", f"must be a list of objective names, not {value!r}")
    return tuple(value)


@dataclass(frozen=True)
class Interface:
    """The variables Mission Transition Écologique shares between programmes (publicodes-interface.yaml)."""

    rules: Mapping[str, object]
    regions: tuple[str, ...]
    objectives: tuple[str, ...]
    prelude: Prelude | None = field(default=None, compare=False, repr=False)  # parsed once, shared

    @classmethod
    def from_rules(cls, rules: object, source: str = "publicodes-interface.yaml") -> Interface:
        """The interface with the regions and objectives it declares; PublicodesError if malformed."""
        if not isinstance(rules, Mapping) or not all(isinstance(name, str) for name in rules):
            raise PublicodesError("the interface must map rule names to rules", source=source)
        return cls(dict(rules), _declared_regions(rules), _declared_objectives(rules), compile_prelude(rules))

    def check(self, company: Company) -> None:
        """CompanyError if the company names a region or an objective the interface does not declare."""
        if company.region is not None and company.region not in self.regions:
            raise CompanyError(
                "region", f"unknown region {company.region!r}; expected one of {', '.join(self.regions)}"
            )
        for objective in company.objectives or ():
            if objective not in self.objectives:
                raise CompanyError(
                    "objectives",
                    f"unknown objective {objective!r}; expected some of {', '.join(self.objectives)}",
                )


def _declared_regions(rules: Mapping[str, object]) -> tuple[str, ...]:
    # A region is a root rule whose value is its own name as a string: `Bretagne: '"Bretagne"'`.
    regions = []
    for name, value in rules.items():
        if SEPARATOR in name or not isinstance(value, str):
            continue
        try:
            tree = parse_expression(value)
        except PublicodesError:
            continue
        if tree == ("string", name):
            regions.append(name)
    return tuple(regions)


def _declared_objectives(rules: Mapping[str, object]) -> tuple[str, ...]:
    # Declared either as full names or as `avec` children of `questionnaire . objectif prioritaire`.
    names = list(rules)
    parent = OBJECTIVE_PREFIX.removesuffix(" . est ")
    children = rules.get(parent)
    if isinstance(children, Mapping) and isinstance(children.get("avec"), Mapping):
        names += [f"{parent}{SEPARATOR}{child}" for child in children["avec"] if isinstance(child, str)]
    return tuple(
        name.removeprefix(OBJECTIVE_PREFIX)
        for name in names
        if name.startswith(OBJECTIVE_PREFIX) and SITUATION_SUFFIX not in name
    )


def format_date(day: datetime.date) -> str:
    return day.strftime("%d/%m/%Y")


def company_entries(
    company: Company, today: datetime.date, *, objectives: Sequence[str]
) -> dict[str, str | int]:
    """The situation of `company` on `today` for every programme: all the names it may set, in order.

    `objectives` are those the interface declares (each set to oui or non when the company lists its
    objectives). Programmes differ only in which of these names exist in their rules and in their
    validity dates (`validity_entries`). Raises CompanyError if the NAF code is not one.
    """
    situation: dict[str, str | int] = {TODAY: format_date(today)}
    if company.region is not None:
        situation[REGION] = company.region  # a reference: the interface resolves it to the string
    if company.workforce is not None:
        situation[WORKFORCE] = company.workforce
    if company.micro_entrepreneur is not None:
        situation[MICRO_ENTREPRENEUR] = "oui" if company.micro_entrepreneur else "non"
    if company.naf is not None:
        situation[NAF_CODE] = f'"{company.naf}"'
        section = naf_section(company.naf)
        for letter in NAF_SECTIONS:
            situation[f"{NAF_SECTION_PREFIX}{letter}"] = "oui" if letter == section else "non"
    if company.objectives is not None:
        for objective in objectives:
            situation[f"{OBJECTIVE_PREFIX}{objective}"] = "oui" if objective in company.objectives else "non"
    return situation


def validity_entries(programme: Mapping[str, object] | None) -> dict[str, str]:
    """The programme's validity dates as situation entries; PublicodesError if one is not a date."""
    situation: dict[str, str] = {}
    for key, name in (("début de validité", VALIDITY_START), ("fin de validité", VALIDITY_END)):
        value = (programme or {}).get(key)
        if isinstance(value, datetime.date):
            situation[name] = format_date(value)
        elif isinstance(value, str):
            situation[name] = value
        elif value is not None:
            raise PublicodesError(f"`{key}` must be a date written dd/mm/yyyy, not {value!r}")
    return situation


def build_situation(
    rules: ParsedRules,
    company: Company,
    today: datetime.date,
    *,
    objectives: Sequence[str],
    programme: Mapping[str, object] | None = None,
) -> dict[str, str | int]:
    """The situation (rule name → Publicodes expression or number) of `company` for a programme.

    `objectives` are those the interface declares (each set to oui or non when the company lists its
    objectives); `programme` gives the validity dates. Names absent from `rules` are not set.
    """
    situation = {**company_entries(company, today, objectives=objectives), **validity_entries(programme)}
    return {name: value for name, value in situation.items() if name in rules}
