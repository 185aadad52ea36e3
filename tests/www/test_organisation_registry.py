"""The organisation form's company-registry step, on recorded registry answers (no network)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from django.core.cache import cache
from django.urls import reverse
from django.utils.html import escape
from django.utils.translation import override

from sobrindustrie.organisations.models import Organisation
from sobrindustrie.www.organisations_views.registry import unavailable_message
from tests.conftest import World
from tests.factories import CommuneFactory

AIX_SIRET = "41235678400022"
REGISTRY_NAME = "MECANIQUE DE PRECISION DU PAYS D'AIX"


@pytest.fixture(autouse=True)
def _fresh_cache() -> Iterator[None]:
    cache.clear()
    yield
    cache.clear()


def _create_url(world: World) -> str:
    return reverse("www:organisation_create", args=[world.programme.slug])


def _typed(**overrides: str) -> dict[str, str]:
    data = {
        "kind": "laureate_sme",
        "name": "",
        "slug": "",
        "siret": "",
        "naf_code": "",
        "expected_version": "",
    }
    data.update(overrides)
    return data


def test_a_siret_fills_the_empty_fields(world: World) -> None:
    aix = CommuneFactory()
    response = world.client("consultant").post(
        _create_url(world), _typed(slug="meca-aix", siret=AIX_SIRET, registry="search")
    )
    body = response.content.decode()
    assert response.status_code == 200
    form = response.context["form"]
    assert form.initial["name"] == REGISTRY_NAME
    assert form.initial["naf_code"] == "25.62A"
    assert form.initial["address"] == "15 RUE JEAN PERRIN"
    assert form.initial["postcode"] == "13290"
    assert form.initial["commune"] == str(aix.pk)
    assert form.initial["headcount_bracket"] == "12"
    assert form.initial["slug"] == "meca-aix"  # what was typed stays
    assert "Filled from the registry" in body or "Rempli depuis l" in body
    assert not Organisation.objects.filter(siret=AIX_SIRET).exists()  # nothing saved


def test_a_value_typed_otherwise_is_offered_side_by_side_not_overwritten(world: World) -> None:
    response = world.client("consultant").post(
        _create_url(world),
        _typed(name="Méca Aix", siret=AIX_SIRET, naf_code="2562A", postcode="13100", registry="search"),
    )
    body = response.content.decode()
    proposals = response.context["registry"].proposals
    assert set(proposals) == {"name", "postcode"}  # 2562A is 25.62A: no disagreement
    assert proposals["name"].typed == "Méca Aix"
    assert proposals["name"].registry == REGISTRY_NAME
    # Both values as radio buttons of the field, the typed one chosen.
    assert 'id="id_name-typed" name="name" value="Méca Aix" checked' in " ".join(body.split())
    assert 'name="name" value="MECANIQUE DE PRECISION DU PAYS D&#x27;AIX">' in " ".join(body.split())
    assert (
        "name" not in response.context["form"].initial
        or response.context["form"].initial["name"] == "Méca Aix"
    )


def test_a_name_lists_candidates_and_picking_one_fills_the_form(world: World) -> None:
    client = world.client("consultant")
    listed = client.post(_create_url(world), _typed(registry_q="Forges du Sud", registry="search"))
    candidates = listed.context["registry"].candidates
    assert [c.siret for c in candidates] == ["60412397600010", "39877216000121"]
    assert 'name="registry_pick" value="39877216000121"' in " ".join(listed.content.decode().split())
    picked = client.post(
        _create_url(world), _typed(registry_q="Forges du Sud", registry_pick="39877216000121")
    )
    initial = picked.context["form"].initial
    assert (initial["name"], initial["siret"], initial["naf_code"]) == (
        "FORGES ET ATELIERS DU SUD-EST",
        "39877216000121",
        "28.41Z",
    )
    # Toulon is not in the commune table of this test: its name goes to the free-text city.
    assert initial["city_name"] == "Toulon"


def test_the_htmx_search_answers_the_form_alone(world: World) -> None:
    response = world.client("consultant").post(
        _create_url(world), _typed(siret=AIX_SIRET, registry="search"), HTTP_HX_REQUEST="true"
    )
    body = response.content.decode()
    assert body.lstrip().startswith('<form method="post" novalidate id="organisation-form"')
    assert "<html" not in body


@pytest.mark.parametrize(
    "query,expected",
    [
        ("60412397600010", "server_error"),  # the recorded 503
        ("73282932000074", "73282932000074"),  # a valid SIRET the registry does not know
        ("", "SIRET"),
    ],
)
def test_when_the_registry_cannot_help_the_form_says_why_and_keeps_what_was_typed(
    world: World, query: str, expected: str
) -> None:
    response = world.client("consultant").post(
        _create_url(world), _typed(slug="forges", registry_q=query, registry="search")
    )
    body = response.content.decode()
    problem = response.context["registry"].problem
    if expected == "server_error":
        with override("fr"):
            expected = unavailable_message("server_error")
    assert expected in problem
    assert escape(problem) in body
    assert response.context["form"].initial["slug"] == "forges"


def test_the_registry_search_is_for_those_who_create_organisations(world: World) -> None:
    url = reverse("www:organisation_edit", args=[world.sme_org.pk])
    sme = world.client("sme")
    assert "registry_q" not in sme.get(url).content.decode()
    refused = sme.post(url, {"name": "x", "registry": "search", "registry_q": AIX_SIRET})
    assert refused.status_code == 404
    consultant = world.client("consultant")
    assert "registry_q" in consultant.get(url).content.decode()


def test_the_edit_form_keeps_its_version_through_the_registry_step(world: World) -> None:
    organisation = world.sme_org
    url = reverse("www:organisation_edit", args=[organisation.pk])
    client = world.client("consultant")
    response = client.post(
        url,
        {
            "kind": "laureate_sme",
            "name": organisation.name,
            "slug": organisation.slug,
            "siret": AIX_SIRET,
            "naf_code": "",
            "expected_version": str(organisation.version),
            "registry": "search",
        },
    )
    form = response.context["form"]
    assert form.initial["expected_version"] == str(organisation.version)
    assert form.initial["naf_code"] == "25.62A"
    assert "name" in response.context["registry"].proposals


def test_saving_after_choosing_the_registry_value_stores_it(world: World) -> None:
    CommuneFactory()
    data = _typed(
        name=REGISTRY_NAME,
        slug="meca-aix",
        siret=AIX_SIRET,
        naf_code="2562A",
        headcount_bracket="12",
        address="15 RUE JEAN PERRIN",
        postcode="13290",
    )
    response = world.client("consultant").post(_create_url(world), data)
    assert response.status_code == 302
    organisation = Organisation.objects.get(siret=AIX_SIRET)
    assert organisation.naf_code == "25.62A"
    assert organisation.get_headcount_bracket_display() in ("20 to 49 employees", "20 à 49 salariés")
