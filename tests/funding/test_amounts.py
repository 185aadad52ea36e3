from __future__ import annotations

from decimal import Decimal

import pytest

from sobrindustrie.funding.amounts import parse_max_amount, parse_max_rate


@pytest.mark.parametrize(
    "text,amount",
    [
        ("Jusqu'à 80% du coût de l'étude, dans un maximum de 100 000 €", Decimal("100000")),
        (
            "Jusqu'à 50% du coût, dans une limite de 10 000 € (sauf véhicule propre limité à 5 000 €)",
            Decimal("10000"),
        ),
        ("De 50 000 € à 5 000 000 €", Decimal("5000000")),
        ("jusqu’à 9 000 €, selon le véhicule", Decimal("9000")),
        ("dans la limite de 8000 €", Decimal("8000")),
        ("Jusqu’à 1 000 € HT/ jour pour les entreprises de 250 salariés.", None),  # per day
        ("Aide forfaitaire de 25 à 38 €/MWh", None),  # per unit
        ("Jusqu'à 20 000 € HT par borne ou 100 000 € HT par projet", None),  # per unit, ambiguous
        (
            "Prêt entre 50 000 et 350 000 € - Obligations convertibles pour maximum 500 000 €",
            None,
        ),  # two ceilings
        ("Selon la nature du projet", None),
        ("", None),
    ],
)
def test_a_ceiling_is_read_only_when_unambiguous(text: str, amount: Decimal | None) -> None:
    assert parse_max_amount(text) == amount


@pytest.mark.parametrize(
    "text,rate",
    [
        ("Jusqu'à 80% du coût de l'étude, dans un maximum de 100 000 €", Decimal("80")),
        ("50 à 80% du coût de l'étude ou du projet", Decimal("80")),
        ("Jusqu’à 70 % du coût de l'étude pour une petite entreprise", Decimal("70")),
        ("Jusqu'à 50% de l'étude et jusqu'à 30% de l'investissement", None),  # two rates
        ("à partir de 10 % des coûts de la réparation du produit", None),  # a floor
        ("Gratuit", None),
    ],
)
def test_a_rate_is_read_only_when_unambiguous(text: str, rate: Decimal | None) -> None:
    assert parse_max_rate(text) == rate
