"""Eligibility of an organisation to the schemes of the catalogue, through the Publicodes engine.

The company the rules see is built from the organisation's records:

- region: the programme's region, when the interface declares it (else unknown);
- workforce and NAF code: the organisation's, when recorded (an invalid NAF code stays unknown);
- micro-entrepreneur: the funding profile's answer when given; otherwise "no" for a turnover band of
  €2M or more (the micro-entrepreneur regime is capped far below), else unknown;
- priority objectives: derived from the sobriety solutions the organisation is interested in, with
  `SOLUTION_OBJECTIVES` below; no solution of interest leaves the objectives unknown rather than
  saying "none", which would make every objective-based rule false.

Results are cached per (scheme, organisation, day) with a fingerprint of those inputs, the rules and
the interface: a change to any of them is picked up at the next page view. The fingerprint is made of
two halves computed once per call, one per scheme (its rules, dates and the interface) and one per
organisation (its company); each scheme's rules are parsed once per process and evaluated on the
engine's own path, which evaluates what organisations have in common once.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import asdict, dataclass, field
from typing import Final

from django.utils.translation import gettext as _

from sobrindustrie.core.enums import Solution
from sobrindustrie.engines.publicodes import (
    Company,
    CompanyError,
    CompanySituation,
    Interface,
    ProjectedEvaluator,
    PublicodesError,
    programme_evaluator,
)
from sobrindustrie.engines.publicodes.catalogue import eligibility
from sobrindustrie.engines.publicodes.situation import normalize_naf
from sobrindustrie.funding.importer import current_interface
from sobrindustrie.funding.models import EligibilityResult, FundingProfile, FundingScheme
from sobrindustrie.organisations.enums import TurnoverBand
from sobrindustrie.organisations.models import Organisation

#: The interface's priority objectives each sobriety solution pursues. Chosen from what the solution
#: changes for the company and from the objectives the catalogue's own schemes use for the same
#: kind of project: repair and reuse schemes target "l'écoconception", industrial symbiosis schemes
#: "mon impact environnemental", energy audits "ma performance énergétique".
SOLUTION_OBJECTIVES: Final[Mapping[str, tuple[str, ...]]] = {
    # Sharing machines avoids purchases and transport: an environmental footprint objective.
    Solution.POOLING: ("mon impact environnemental",),
    # Modernising a machine rather than replacing it: longer life (eco-design) and, usually, less energy.
    Solution.RETROFIT: ("l'écoconception", "ma performance énergétique"),
    # Designing tools locally, low-tech: eco-design first.
    Solution.LOCAL_FABRICATION: ("l'écoconception", "mon impact environnemental"),
    # Maintenance in-house: longer life (eco-design) and skills to build (training or hiring).
    Solution.INHOUSE_MAINTENANCE: ("l'écoconception", "former ou recruter"),
    # Organisational changes while machines run: energy and resources such as water.
    Solution.USAGE_CHANGE: ("ma performance énergétique", "diminuer ma consommation d'eau"),
    # Selling the use rather than the tool: the catalogue files this under eco-design.
    Solution.FUNCTIONAL_ECONOMY: ("l'écoconception", "mon impact environnemental"),
    Solution.OTHER_LOWTECH: ("mon impact environnemental",),
}
#: Turnover bands incompatible with the micro-entrepreneur regime (capped well under €1M a year).
NOT_MICRO_BANDS: Final = frozenset(
    {TurnoverBand.FROM_2_TO_10M, TurnoverBand.FROM_10_TO_50M, TurnoverBand.GT_50M}
)

_INTERFACES: dict[str, Interface] = {}
# Parsed schemes by fingerprint (rules, dates, interface): the parse, or why the rules are refused.
_EVALUATORS: dict[str, ProjectedEvaluator | PublicodesError] = {}
_EVALUATORS_KEPT: Final = 4096


@dataclass(frozen=True)
class CompanyFacts:
    """The company handed to the engine, and what stayed unknown (said in words)."""

    company: Company
    unknowns: tuple[str, ...] = ()


@dataclass(frozen=True)
class SchemeEligibility:
    scheme_id: int
    result: bool | None
    error: str = ""

    @property
    def label(self) -> str:
        if self.error:
            return _("cannot be evaluated")
        return {True: _("eligible"), False: _("not eligible"), None: _("undetermined")}[self.result]


@dataclass
class OrganisationEligibility:
    organisation: Organisation
    facts: CompanyFacts
    results: dict[int, SchemeEligibility] = field(default_factory=dict)


def parsed_interface(rules: Mapping[str, object], sha256: str) -> Interface:
    interface = _INTERFACES.get(sha256)
    if interface is None:
        interface = _INTERFACES[sha256] = Interface.from_rules(rules)
    return interface


def objectives_for(solutions: Iterable[str], declared: Sequence[str]) -> tuple[str, ...] | None:
    """The interface's objectives pursued by these solutions; None (unknown) for no solution."""
    wanted = {objective for code in solutions for objective in SOLUTION_OBJECTIVES.get(code, ())}
    if not wanted:
        return None
    # Sorted: the interface's own order is not stable across databases (PostgreSQL's jsonb reorders).
    return tuple(sorted(objective for objective in declared if objective in wanted))


def company_for(organisation: Organisation, interface: Interface | None) -> CompanyFacts:
    unknowns: list[str] = []
    region = organisation.programme.region
    if interface is not None and region not in interface.regions:
        unknowns.append(_("region: “%(region)s” is not a region of the catalogue") % {"region": region})
        region = None
    naf = None
    if organisation.naf_code:
        try:
            naf = normalize_naf(organisation.naf_code)
        except CompanyError:
            unknowns.append(_("NAF code: “%(code)s” is not a NAF code") % {"code": organisation.naf_code})
    else:
        unknowns.append(_("NAF code not recorded"))
    if organisation.workforce is None:
        unknowns.append(_("workforce not recorded"))
    micro = _micro_entrepreneur(organisation)
    if micro is None:
        unknowns.append(_("micro-entrepreneur status unknown"))
    declared = interface.objectives if interface is not None else ()
    objectives = objectives_for(organisation.solution_interests or [], declared)
    if objectives is None:
        unknowns.append(_("no solution of interest recorded, so no priority objective"))
    company = Company(
        region=region,
        workforce=organisation.workforce,
        micro_entrepreneur=micro,
        naf=naf,
        objectives=objectives,
    )
    return CompanyFacts(company, tuple(unknowns))


def _micro_entrepreneur(organisation: Organisation) -> bool | None:
    try:
        profile: FundingProfile = organisation.funding_profile  # type: ignore[attr-defined]
    except FundingProfile.DoesNotExist:
        profile = None  # type: ignore[assignment]
    if profile is not None and profile.micro_entrepreneur is not None:
        return profile.micro_entrepreneur
    if organisation.turnover_band in NOT_MICRO_BANDS:
        return False
    return None


def _fingerprint(*parts: object) -> str:
    text = json.dumps(parts, ensure_ascii=False, sort_keys=True, default=str)
    return hashlib.sha256(text.encode()).hexdigest()


def _inputs(scheme_key: str, company_key: str) -> str:
    # Half of each digest (128 bits apiece) fills the 64-character column: no hashing per pair.
    return scheme_key[:32] + company_key[:32]


def evaluate(
    organisations: Sequence[Organisation], schemes: Sequence[FundingScheme], today: dt.date
) -> dict[int, OrganisationEligibility]:
    """Eligibility of each organisation to each scheme (organisation pk → results by scheme pk).

    Queries: one for the interface, one for the cached rows; when something is new, one to drop the
    earlier days' rows and one bulk write; one per stale row (rare). Organisations should come with
    `programme` and `funding_profile` selected.
    """
    row = current_interface()
    interface = parsed_interface(row.rules, row.sha256) if row is not None else None
    facts = {org.pk: company_for(org, interface) for org in organisations}
    companies = {org.pk: _situation(facts[org.pk].company, interface, today) for org in organisations}
    company_keys = {org.pk: _fingerprint(asdict(facts[org.pk].company)) for org in organisations}
    cached = {
        (result.scheme_id, result.organisation_id): result
        for result in EligibilityResult.objects.filter(
            organisation__in=[o.pk for o in organisations],
            scheme__in=[s.pk for s in schemes],
            evaluated_on=today,
        )
    }
    output = {org.pk: OrganisationEligibility(org, facts[org.pk]) for org in organisations}
    to_create: list[EligibilityResult] = []
    for scheme in schemes:
        scheme_key = _fingerprint(
            scheme.slug,
            scheme.publicodes_rules,
            scheme.valid_from,
            scheme.valid_until,
            row.sha256 if row else None,
        )
        for org in organisations:
            inputs = _inputs(scheme_key, company_keys[org.pk])
            hit = cached.get((scheme.pk, org.pk))
            if hit is not None and hit.inputs == inputs:
                result, error = hit.result, hit.error
            else:
                result, error = _evaluate_one(scheme, scheme_key, interface, companies[org.pk])
                if hit is None:
                    to_create.append(
                        EligibilityResult(
                            scheme=scheme,
                            organisation=org,
                            evaluated_on=today,
                            inputs=inputs,
                            result=result,
                            error=error,
                        )
                    )
                else:
                    hit.inputs, hit.result, hit.error = inputs, result, error
                    hit.save(update_fields=["inputs", "result", "error"])
            output[org.pk].results[scheme.pk] = SchemeEligibility(scheme.pk, result, error)
    if to_create:
        # A new day (or new schemes): earlier days' answers will not be read again.
        EligibilityResult.objects.filter(
            organisation__in=[o.pk for o in organisations], evaluated_on__lt=today
        ).delete()
        EligibilityResult.objects.bulk_create(to_create, ignore_conflicts=True)
    return output


def _situation(
    company: Company, interface: Interface | None, today: dt.date
) -> CompanySituation | CompanyError | None:
    """The company's situation, built once for every scheme; the error if the interface refuses it."""
    if interface is None:
        return None
    try:
        interface.check(company)
        return CompanySituation.of(company, today, objectives=interface.objectives)
    except CompanyError as error:
        return error


def _scheme_evaluator(
    scheme: FundingScheme, scheme_key: str, interface: Interface
) -> ProjectedEvaluator | PublicodesError:
    """The scheme's rules parsed over the interface (once per process and fingerprint), or the refusal."""
    evaluator = _EVALUATORS.get(scheme_key)
    if evaluator is None:
        try:
            evaluator = programme_evaluator(scheme.programme_document(), interface)
        except PublicodesError as error:
            evaluator = error
        if len(_EVALUATORS) >= _EVALUATORS_KEPT:
            _EVALUATORS.clear()
        _EVALUATORS[scheme_key] = evaluator
    return evaluator


def _evaluate_one(
    scheme: FundingScheme,
    scheme_key: str,
    interface: Interface | None,
    company: CompanySituation | CompanyError | None,
) -> tuple[bool | None, str]:
    if not scheme.publicodes_rules:
        return None, _("No rules to evaluate: read the conditions in words.")
    if interface is None or company is None:
        return None, _("The catalogue's interface has not been imported.")
    if isinstance(company, CompanyError):
        return None, str(company)
    evaluator = _scheme_evaluator(scheme, scheme_key, interface)
    if isinstance(evaluator, PublicodesError):
        return None, str(evaluator)
    try:
        return eligibility(evaluator.evaluate(company), evaluator.rules.source), ""
    except PublicodesError as error:
        return None, str(error)
