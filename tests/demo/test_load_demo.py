from __future__ import annotations

import json
from io import StringIO

import pytest
from django.core.management import call_command

from sobrindustrie.accounts.enums import Role
from sobrindustrie.accounts.models import User
from sobrindustrie.organisations.models import Need, Offer, Organisation, Person, ProductionMeans, Site
from sobrindustrie.programmes.models import Programme

MODELS = [Programme, Organisation, Site, Person, ProductionMeans, Need, Offer, User]


def _counts() -> dict[str, int]:
    counts = {model.__name__: model.objects.count() for model in MODELS}
    for model in MODELS:
        history = getattr(model, "history", None)
        if history is not None:
            counts[f"{model.__name__} history"] = history.count()
    return counts


@pytest.fixture
def demo(db: object) -> list[dict[str, str]]:
    out = StringIO()
    call_command("load_demo", "--password", "secret-demo-1", "--json", stdout=out)
    return json.loads(out.getvalue())


def test_it_creates_the_programme_with_15_laureates(demo: list[dict[str, str]]) -> None:
    programme = Programme.objects.get(slug="sobrindustrie-paca-2025")
    assert str(programme.notified_on) == "2025-10-20"
    assert str(programme.ends_on) == "2027-10-15"
    laureates = Organisation.objects.filter(programme=programme, kind="laureate_sme")
    assert laureates.count() == 15
    assert {org.commune.department_code for org in laureates} == {"04", "05", "06", "13", "83", "84"}
    assert Organisation.objects.filter(programme=programme).exclude(kind="laureate_sme").count() >= 6
    assert ProductionMeans.objects.filter(organisation__programme=programme).count() >= 100
    for laureate in laureates:
        assert 5 <= laureate.production_means.count() <= 12
        assert laureate.users.filter(role=Role.SME).exists()


def test_every_role_has_an_account_with_the_given_password(demo: list[dict[str, str]]) -> None:
    assert {account["role"] for account in demo} == {role.value for role in Role}
    for account in demo:
        assert User.objects.get(email=account["email"]).check_password("secret-demo-1")


def test_every_row_is_valid(demo: list[dict[str, str]]) -> None:
    for model in (Organisation, Site, ProductionMeans, Need, Offer, Person):
        for row in model.objects.all():
            row.full_clean()


def test_running_it_twice_changes_nothing(demo: list[dict[str, str]]) -> None:
    before = _counts()
    call_command("load_demo", "--password", "secret-demo-1", stdout=StringIO())
    assert _counts() == before


def test_it_prints_the_accounts(db: object) -> None:
    out = StringIO()
    call_command("load_demo", stdout=out)
    text = out.getvalue()
    assert "demo-sobrindustrie" in text
    assert "consultant" in text and "ademe" in text
