"""Eligibility of a company to the programmes of a Mission Transition Écologique catalogue.

A programme file (YAML) holds, under `publicodes`, rules that are merged over the shared interface
(`publicodes-interface.yaml`; the programme wins on equal names) and evaluated for the rule
`entreprise . est ciblée`: true (eligible), false (not eligible) or None (undefined: something the
rules need is unknown — the platform shows the programme, as for true). A programme whose rules are
refused (unknown reference, unsupported construct, cycle) is an error, not a result.

Rules are parsed once per programme (`load_catalogue`); a company's situation is built once for the
whole catalogue, and each programme evaluates it on the names its rules read, so that companies that
agree on those share one evaluation (`projection.py`). `evaluate_rules` is the plain path, one
situation and one evaluation per company and programme, kept as the yardstick of the fast one.
"""

from __future__ import annotations

import datetime
import functools
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Final

import yaml

from sobrindustrie.engines.publicodes.errors import PublicodesError
from sobrindustrie.engines.publicodes.evaluator import evaluate
from sobrindustrie.engines.publicodes.parser import ParsedRules, compile_rules
from sobrindustrie.engines.publicodes.projection import CompanySituation, ProjectedEvaluator
from sobrindustrie.engines.publicodes.situation import Company, Interface, build_situation
from sobrindustrie.engines.publicodes.values import UNDEFINED, Value, describe

TARGET: Final = "entreprise . est ciblée"
INTERFACE_FILE_NAME: Final = "publicodes-interface.yaml"
_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


@dataclass(frozen=True)
class Programme:
    """One programme file: its slug (file name without `.yaml`), its content and its parsed rules."""

    slug: str
    data: Mapping[str, object]
    rules: ParsedRules

    @functools.cached_property
    def evaluator(self) -> ProjectedEvaluator:
        """Its target for companies, memoised on what its rules read (kept with the programme)."""
        return ProjectedEvaluator(self.rules, TARGET, self.data)


@dataclass(frozen=True)
class Catalogue:
    """The programmes of a directory whose rules parse, and the refused ones with the reason."""

    interface: Interface
    programmes: Mapping[str, Programme]
    refused: Mapping[str, str]

    @functools.cached_property
    def evaluators(self) -> dict[str, ProjectedEvaluator]:
        """Each programme's evaluator by slug (built at the first evaluation, then kept)."""
        return {slug: programme.evaluator for slug, programme in self.programmes.items()}


@dataclass(frozen=True)
class CatalogueEligibility:
    """For each programme, True / False / None (undefined); `errors` holds programmes with no result."""

    results: Mapping[str, bool | None]
    errors: Mapping[str, str]


def read_yaml(path: Path) -> object:
    """The YAML document in `path`; PublicodesError naming the file if it cannot be read or parsed."""
    try:
        return yaml.load(path.read_text(encoding="utf-8"), Loader=_Loader)
    except (OSError, UnicodeDecodeError) as error:
        raise PublicodesError(f"cannot read the file: {error}", source=path.name) from None
    except yaml.YAMLError as error:
        raise PublicodesError(f"malformed YAML: {error}".replace("\n", " "), source=path.name) from None


def load_interface(path: Path) -> Interface:
    """The shared interface file; PublicodesError if it is missing or malformed."""
    return Interface.from_rules(read_yaml(path), source=path.name)


def find_interface(programmes_dir: Path) -> Path | None:
    """publicodes-interface.yaml next to the programmes directory (in its parent, or in it), if any."""
    for candidate in (programmes_dir.parent / INTERFACE_FILE_NAME, programmes_dir / INTERFACE_FILE_NAME):
        if candidate.is_file():
            return candidate
    return None


def programme_rules(programme: Mapping[str, object], interface: Interface, source: str) -> ParsedRules:
    """The programme's `publicodes` rules merged over the interface, parsed; PublicodesError if refused."""
    rules = programme.get("publicodes")
    if not isinstance(rules, Mapping) or not all(isinstance(name, str) for name in rules):
        raise PublicodesError("no `publicodes` mapping of rules", source=source)
    return (
        compile_rules(rules, source, prelude=interface.prelude)
        if interface.prelude
        else compile_rules({**interface.rules, **rules}, source)
    )


def load_programme(path: Path, interface: Interface) -> Programme:
    """One programme file, parsed; PublicodesError naming the file (and rule) if it is refused."""
    data = read_yaml(path)
    if not isinstance(data, Mapping):
        raise PublicodesError("a programme file must be a YAML mapping", source=path.name)
    return Programme(path.stem, data, programme_rules(data, interface, path.name))


def load_catalogue(directory: Path, interface_path: Path | None = None) -> Catalogue:
    """Every `*.yaml` programme of `directory` (except the interface itself), sorted by file name.

    The interface is `interface_path`, else publicodes-interface.yaml next to the directory. Raises
    PublicodesError if the directory or the interface cannot be read; a refused programme only lands in
    `Catalogue.refused`.
    """
    if not directory.is_dir():
        raise PublicodesError(f"{directory} is not a directory")
    interface_path = interface_path or find_interface(directory)
    if interface_path is None:
        raise PublicodesError(f"no {INTERFACE_FILE_NAME} next to {directory}; give its path")
    interface = load_interface(interface_path)
    programmes: dict[str, Programme] = {}
    refused: dict[str, str] = {}
    for path in sorted(directory.glob("*.yaml")):
        if path.name == INTERFACE_FILE_NAME:
            continue
        try:
            programmes[path.stem] = load_programme(path, interface)
        except PublicodesError as error:
            refused[path.stem] = str(error)
    return Catalogue(interface, programmes, refused)


def eligibility(value: Value, source: str | None = None) -> bool | None:
    """True / False for oui / non; None for undefined or non applicable; PublicodesError otherwise."""
    if value is True or value is False:
        return value
    if value is None or value is UNDEFINED:
        return None
    raise PublicodesError(f"`{TARGET}` must be oui or non, but is worth {describe(value)}", source=source)


def evaluate_rules(
    rules: ParsedRules,
    interface: Interface,
    company: Company,
    today: datetime.date,
    programme: Mapping[str, object],
) -> bool | None:
    """`entreprise . est ciblée` of already parsed rules for `company` on `today`."""
    situation = build_situation(rules, company, today, objectives=interface.objectives, programme=programme)
    return eligibility(evaluate(rules, TARGET, situation), rules.source)


def evaluate_catalogue(catalogue: Catalogue, company: Company, today: datetime.date) -> CatalogueEligibility:
    """Every programme's eligibility for `company`; refused programmes and failed evaluations in errors.

    Raises CompanyError if the company names a region or objective the interface does not declare.
    """
    return evaluate_companies(catalogue, [company], today)[0]


def evaluate_companies(
    catalogue: Catalogue, companies: Sequence[Company], today: datetime.date
) -> list[CatalogueEligibility]:
    """`evaluate_catalogue` of each company, in order: every situation is built first, then each
    programme answers for every company in turn (its rules and memo stay in the processor's caches,
    which makes the same work about a quarter cheaper than company after company).

    Raises CompanyError for the first company the interface refuses, before anything is evaluated.
    """
    interface = catalogue.interface
    for company in companies:
        interface.check(company)
    situations = [
        CompanySituation.of(company, today, objectives=interface.objectives) for company in companies
    ]
    results: list[dict[str, bool | None]] = [{} for _ in companies]
    errors: list[dict[str, str]] = [dict(catalogue.refused) for _ in companies]
    for slug, evaluator in catalogue.evaluators.items():
        source = evaluator.rules.source
        for situation, answers, failures in zip(situations, results, errors, strict=True):
            try:
                value = evaluator.evaluate(situation)
                # oui / non as they are; anything else through `eligibility` (None, or an error).
                answers[slug] = value if value is True or value is False else eligibility(value, source)
            except PublicodesError as error:
                failures[slug] = str(error)
    return [
        CatalogueEligibility(answers, dict(sorted(failures.items())) if failures else {})
        for answers, failures in zip(results, errors, strict=True)
    ]


def evaluate_catalogue_plainly(
    catalogue: Catalogue, company: Company, today: datetime.date
) -> CatalogueEligibility:
    """`evaluate_catalogue` without sharing anything between programmes or companies (the yardstick)."""
    catalogue.interface.check(company)
    results: dict[str, bool | None] = {}
    errors: dict[str, str] = dict(catalogue.refused)
    for slug, programme in catalogue.programmes.items():
        try:
            results[slug] = evaluate_rules(
                programme.rules, catalogue.interface, company, today, programme.data
            )
        except PublicodesError as error:
            errors[slug] = str(error)
    return CatalogueEligibility(results, dict(sorted(errors.items())))


def evaluate_programme(
    programme_yaml: Mapping[str, object],
    interface: Mapping[str, object],
    company: Company,
    today: datetime.date,
) -> bool | None:
    """Eligibility of `company` to one programme (its YAML content) given the interface's rules.

    True, False, or None when undefined. Raises PublicodesError if the programme's rules are refused
    and CompanyError if the company does not fit the interface. Parsed rules are cached, so calling
    this for many companies parses each programme once.
    """
    parsed_interface = _interface(_canonical(interface))
    parsed_interface.check(company)
    source = str(programme_yaml.get("titre") or "programme")
    rules = _programme_rules(_canonical(programme_yaml.get("publicodes")), _canonical(interface), source)
    return evaluate_rules(rules, parsed_interface, company, today, programme_yaml)


def programme_evaluator(
    programme_yaml: Mapping[str, object], interface: Interface, source: str | None = None
) -> ProjectedEvaluator:
    """One programme (its YAML content) parsed over `interface`, ready to evaluate many companies.

    `evaluator.evaluate(CompanySituation.of(company, today, objectives=interface.objectives))` gives
    what `evaluate_programme` gives, with what companies have in common evaluated once. Raises
    PublicodesError if the programme's rules are refused.
    """
    source = source or str(programme_yaml.get("titre") or "programme")
    return ProjectedEvaluator(programme_rules(programme_yaml, interface, source), TARGET, programme_yaml)


def _canonical(data: object) -> str:
    return json.dumps(data, ensure_ascii=False, default=str)


@functools.lru_cache(maxsize=64)
def _interface(interface_json: str) -> Interface:
    return Interface.from_rules(json.loads(interface_json))


@functools.lru_cache(maxsize=1024)
def _programme_rules(rules_json: str, interface_json: str, source: str) -> ParsedRules:
    return programme_rules({"publicodes": json.loads(rules_json)}, _interface(interface_json), source)
