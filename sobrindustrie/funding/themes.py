"""Which schemes of the default catalogue serve each of the seven sobriety solutions.

Read from each scheme's reason for being in the catalogue (`data/catalogue.yaml`, `why`): a scheme
is listed under a solution when that reason names the solution or what it needs (a retrofit is
a repair: the reuse-and-repair schemes; in-house maintenance needs training: the OPCO's courses).
Used to propose, for a webinar theme, the funding its participants can look at. Only schemes in
force are returned; a slug the database does not hold is skipped.
"""

from __future__ import annotations

import datetime as dt
from typing import Final

from sobrindustrie.core.enums import Solution
from sobrindustrie.funding.models import FundingScheme

SCHEMES_BY_SOLUTION: Final[dict[str, tuple[str, ...]]] = {
    Solution.POOLING: ("programme-synergies-durables", "cedre-investissement", "feder-paca-2021-2027"),
    Solution.RETROFIT: (
        "etude-performance-energetique-en-industrie",
        "etude-reemploi-reutilisation-reparation",
        "investissement-reemploi-reutilisation-reparation",
        "pret-action-climat",
    ),
    Solution.LOCAL_FABRICATION: (
        "demi-bac",
        "etude-performance-produits",
        "diag-ecoconception",
        "credit-impot-innovation",
    ),
    Solution.INHOUSE_MAINTENANCE: (
        "etude-reemploi-reutilisation-reparation",
        "investissement-reemploi-reutilisation-reparation",
        "formations-2i",
    ),
    Solution.USAGE_CHANGE: (
        "pacte-industrie",
        "diag-eco-flux",
        "certificats-economie-energie",
        "visite-energie-cci",
    ),
    Solution.FUNCTIONAL_ECONOMY: ("etude-economie-de-la-fonctionnalite", "accelerateur-economie-circulaire"),
    Solution.OTHER_LOWTECH: ("cedre-premier-pas", "formation-engager-entreprise-transition-ecologique"),
}


def schemes_for_solution(solution: str, today: dt.date) -> list[FundingScheme]:
    """The schemes in force that serve `solution`, in the order of the table above."""
    slugs = SCHEMES_BY_SOLUTION.get(solution, ())
    found = {s.slug: s for s in FundingScheme.objects.in_force(today).filter(slug__in=slugs)}
    return [found[slug] for slug in slugs if slug in found]
