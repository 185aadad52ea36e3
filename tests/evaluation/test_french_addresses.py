"""The evaluation and travel pages have French addresses; the English ones redirect for good."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from sobrindustrie.www.evaluation_views.urls import OLD_ADDRESSES
from tests.conftest import World

ARGUMENTS = {"slug": "sobrindustrie-paca", "pk": "7", "direction": "up"}


def _fill(route: str) -> str:
    return "/" + re.sub(r"<(?:\w+:)?(\w+)>", lambda match: ARGUMENTS[match.group(1)], route)


@pytest.mark.parametrize(("old", "name"), list(OLD_ADDRESSES.items()))
def test_an_old_address_redirects_permanently_to_the_french_one(world: World, old: str, name: str) -> None:
    kwargs = {key: value for key, value in ARGUMENTS.items() if f":{key}>" in old}
    new = reverse(f"www:{name}", kwargs=kwargs)
    assert new != _fill(old)
    response = world.client("consultant").get(_fill(old) + "?page=2")
    assert response.status_code == 301
    assert response["Location"] == f"{new}?page=2"


def test_the_new_addresses_are_french() -> None:
    assert reverse("www:travel_log", args=["p"]) == "/programmes/p/deplacements/"
    assert reverse("www:eco_criteria", args=["p"]) == "/programmes/p/eco-responsabilite/"
    assert reverse("www:balance_detail", args=[4]) == "/evaluations/4/bilan/"
    assert reverse("www:evaluation_synthesis", args=["p"]) == "/programmes/p/evaluations/synthese/"
