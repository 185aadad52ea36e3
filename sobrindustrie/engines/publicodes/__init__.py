"""A pure-Python evaluator of the Publicodes rules of Mission Transition Écologique programmes.

It answers, for a company, whether each programme of the catalogue targets it (`entreprise . est
ciblée`): true, false or undefined, exactly as the reference engine (publicodes 1.10.1 on npm) does on
the same rules and situation; tests/engines/publicodes/test_reference.py checks that against it.

    catalogue = load_catalogue(Path("…/programs"))            # parse once
    eligibility = evaluate_catalogue(catalogue, company, today)  # then, per company, the catalogue
    eligibilities = evaluate_companies(catalogue, companies, today)  # many companies, programme-major

Lower levels: `compile_rules` parses any rule set, `evaluate` evaluates a rule of it in a situation.
"""

from __future__ import annotations

from sobrindustrie.engines.publicodes.catalogue import (
    TARGET,
    Catalogue,
    CatalogueEligibility,
    Programme,
    evaluate_catalogue,
    evaluate_companies,
    evaluate_programme,
    load_catalogue,
    load_interface,
    programme_evaluator,
)
from sobrindustrie.engines.publicodes.errors import CompanyError, PublicodesError
from sobrindustrie.engines.publicodes.evaluator import evaluate
from sobrindustrie.engines.publicodes.parser import ParsedRules, compile_rules
from sobrindustrie.engines.publicodes.projection import CompanySituation, ProjectedEvaluator
from sobrindustrie.engines.publicodes.situation import Company, Interface, build_situation, naf_section
from sobrindustrie.engines.publicodes.values import UNDEFINED, Value

__all__ = [
    "TARGET",
    "UNDEFINED",
    "Catalogue",
    "CatalogueEligibility",
    "Company",
    "CompanyError",
    "CompanySituation",
    "Interface",
    "ParsedRules",
    "ProjectedEvaluator",
    "Programme",
    "PublicodesError",
    "Value",
    "build_situation",
    "compile_rules",
    "evaluate",
    "evaluate_catalogue",
    "evaluate_companies",
    "evaluate_programme",
    "load_catalogue",
    "load_interface",
    "naf_section",
    "programme_evaluator",
]
