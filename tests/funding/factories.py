"""Factories of the funding area."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import factory

from sobrindustrie.funding.enums import AidNature, ApplicationStatus, SchemeSource
from sobrindustrie.funding.models import FundingApplication, FundingScheme, Shortlist

#: Rules targeting industrial companies (NAF section C) aiming at energy performance, like the catalogue's.
INDUSTRY_ENERGY_RULES = {
    "entreprise . est ciblée": {
        "toutes ces conditions": ["est dans un secteur d'activité ciblé", "a un objectif ciblé"]
    },
    "entreprise . est dans un secteur d'activité ciblé": {
        "une de ces conditions": ["code NAF niveau 1 . est C"]
    },
    "entreprise . a un objectif ciblé": {
        "une de ces conditions": ["questionnaire . objectif prioritaire . est ma performance énergétique"]
    },
}


#: Rules for companies of one region only.
def region_rules(region: str) -> dict[str, object]:
    return {"entreprise . est ciblée": {"valeur": f"région = {region}"}}


class SchemeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = FundingScheme

    source = SchemeSource.MTE
    slug = factory.Sequence(lambda n: f"dispositif-{n}")
    title = factory.Sequence(lambda n: f"Dispositif {n}")
    promise = "Financez vos investissements sobres"
    contact_operator = "ADEME"
    nature = AidNature.FINANCING
    funding_amount_text = "Jusqu'à 50% des dépenses, dans un maximum de 30 000 €"
    max_amount_eur = Decimal("30000")
    max_rate_percent = Decimal("50")
    valid_from = dt.date(2025, 1, 1)
    valid_until = dt.date(2027, 12, 31)
    publicodes_rules = factory.LazyFunction(lambda: dict(INDUSTRY_ENERGY_RULES))
    selection_reason = "Pour les investissements des PME industrielles."


class ShortlistFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Shortlist

    scheme = factory.SubFactory(SchemeFactory)


class ApplicationFactory(factory.django.DjangoModelFactory):
    """An application; pass `action` and `organisation` (the lead or a contributor)."""

    class Meta:
        model = FundingApplication

    scheme = factory.SubFactory(SchemeFactory)
    status = ApplicationStatus.IDENTIFIED
    amount_requested_eur = Decimal("20000")

    class Params:
        submitted = factory.Trait(
            status=ApplicationStatus.SUBMITTED,
            preparation_started_on=dt.date(2026, 4, 1),
            submitted_on=dt.date(2026, 5, 15),
        )
        granted = factory.Trait(
            status=ApplicationStatus.GRANTED,
            preparation_started_on=dt.date(2026, 4, 1),
            submitted_on=dt.date(2026, 5, 15),
            decision_on=dt.date(2026, 7, 1),
            amount_granted_eur=Decimal("15000"),
        )
