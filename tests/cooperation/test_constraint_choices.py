"""The organisations of a team-formation constraint are searched, not listed: the page shows only the
chosen ones (each with a remove button) and the matches of a search, however large the programme.
Without JavaScript the search, add and remove buttons are a GET form that draws the page again; with
HTMX the same buttons fetch the selection alone. A refused constraint keeps what was chosen."""

from __future__ import annotations

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from sobrindustrie.cooperation.enums import ConstraintKind
from sobrindustrie.cooperation.models import TeamConstraint
from sobrindustrie.organisations.models import Organisation
from sobrindustrie.www.cooperation_views.picker import RESULTS_SHOWN
from tests.conftest import ROLES, World
from tests.cooperation.factories import Cooperation
from tests.cooperation.test_access import GET_PAGES, LOGIN
from tests.factories import CommuneFactory, OrganisationFactory

HTMX = {"HTTP_HX_REQUEST": "true"}


def _grow(world: World, count: int, name: str = "Atelier") -> list[Organisation]:
    commune = CommuneFactory()
    return [
        OrganisationFactory(programme=world.programme, commune=commune, name=f"{name} {index:03d}")
        for index in range(count)
    ]


def _page(world: World) -> str:
    return reverse("www:team_formation", args=[world.programme.slug])


def _search(world: World) -> str:
    return reverse("www:constraint_search", args=[world.programme.slug])


def _chosen(body: str) -> list[int]:
    """The organisations the POST form would record."""
    return [
        int(pk) for pk in re.findall(r'name="organisations"\s+value="(\d+)"\s+form="constraint-form"', body)
    ]


def test_the_page_lists_no_organisation_until_one_is_searched(world: World, coop: Cooperation) -> None:
    _grow(world, 60)
    body = world.client("consultant").get(_page(world)).content.decode()
    assert 'name="organisations"' not in body and "Atelier 0" not in body
    assert 'id="constraint-q"' in body and "None yet: search for them above" in body
    assert '<select name="organisations"' not in body and 'type="checkbox" name="organisations"' not in body


def test_a_search_without_javascript_shows_the_first_matches(world: World, coop: Cooperation) -> None:
    _grow(world, RESULTS_SHOWN + 5)
    body = world.client("consultant").get(_page(world), {"q": "atelier"}).content.decode()
    assert body.count('name="add"') == RESULTS_SHOWN
    assert "Atelier 000" in body and f"Atelier {RESULTS_SHOWN:03d}" not in body
    assert "type more of the name" in body
    assert "csrfmiddlewaretoken" not in body.split('id="constraint-search"')[1].split("</form>")[0]


def test_the_search_ignores_accents_and_reads_a_siret(world: World, coop: Cooperation) -> None:
    OrganisationFactory(programme=world.programme, name="Forge Émeraude", siret="73282932000074")
    OrganisationFactory(name="Forge Émeraude d'un autre programme")
    client = world.client("consultant")
    by_name = client.get(_search(world), {"q": "emeraude"}, **HTMX).content.decode()
    assert "Forge Émeraude" in by_name and "autre programme" not in by_name
    by_siret = client.get(_search(world), {"q": "732 829"}, **HTMX).content.decode()
    assert "Forge Émeraude" in by_siret
    short = client.get(_search(world), {"q": "e"}, **HTMX).content.decode()
    assert "at least two characters" in short and 'name="add"' not in short


def test_add_and_remove_without_javascript_keep_the_selection(world: World, coop: Cooperation) -> None:
    first, second, third = _grow(world, 3)
    client = world.client("consultant")
    body = client.get(_page(world), {"q": "atelier", "organisations": [first.pk], "add": second.pk}).content
    page = body.decode()
    assert _chosen(page) == [first.pk, second.pk]
    # The matches leave out what is chosen; the remove buttons name what they remove.
    assert f'name="add"\n                      value="{third.pk}"' in page
    assert f'value="{first.pk}"' not in page.split('id="constraint-results-title"')[1]
    assert re.search(rf'name="remove"\s+value="{first.pk}"', page)
    removed = client.get(_page(world), {"organisations": [first.pk, second.pk], "remove": first.pk})
    assert _chosen(removed.content.decode()) == [second.pk]


def test_with_htmx_the_selection_alone_comes_back(world: World, coop: Cooperation) -> None:
    first, second = _grow(world, 2)
    response = world.client("consultant").get(
        _search(world), {"q": "atelier", "organisations": [first.pk], "add": second.pk}, **HTMX
    )
    body = response.content.decode()
    assert body.lstrip().startswith('<div id="constraint-selection"')
    assert "<html" not in body and _chosen(body) == [first.pk, second.pk]
    assert b"INVALID_TEMPLATE_VARIABLE" not in response.content


def test_organisations_of_another_programme_or_archived_cannot_be_chosen(
    world: World, coop: Cooperation
) -> None:
    elsewhere = OrganisationFactory(name="Atelier ailleurs")
    archived = OrganisationFactory(programme=world.programme, name="Atelier fermé", is_archived=True)
    body = (
        world.client("consultant")
        .get(_search(world), {"organisations": [elsewhere.pk, archived.pk, "x"], "q": "atelier"}, **HTMX)
        .content.decode()
    )
    assert _chosen(body) == [] and "ailleurs" not in body and "fermé" not in body


def test_a_constraint_is_added_from_the_chosen_organisations(world: World, coop: Cooperation) -> None:
    added = _grow(world, 5)
    url = reverse("www:constraint_add", args=[world.programme.slug])
    data = {
        "kind": ConstraintKind.MUST_LINK,
        "organisations": [added[0].pk, world.sme_org.pk],
        "reason": "Même site",
    }
    assert world.client("consultant").post(url, data).status_code == 302
    assert set(TeamConstraint.objects.get().organisations.all()) == {added[0], world.sme_org}


def test_a_refused_constraint_keeps_what_was_chosen(world: World, coop: Cooperation) -> None:
    added = _grow(world, 3)
    url = reverse("www:constraint_add", args=[world.programme.slug])
    chosen = [added[0].pk, added[1].pk, world.sme_org.pk]
    data = {"kind": ConstraintKind.CANNOT_LINK, "organisations": chosen, "reason": "Concurrents directs"}
    response = world.client("consultant").post(url, data)
    body = response.content.decode()
    assert response.status_code == 200
    assert "exactly two organisations (3 chosen)" in body
    assert 'value="Concurrents directs"' in body
    assert sorted(_chosen(body)) == sorted(chosen)
    assert not TeamConstraint.objects.exists()
    empty = world.client("consultant").post(url, {"kind": ConstraintKind.MUST_LINK}).content.decode()
    assert "search and add at least two organisations" in empty


def test_the_page_makes_the_same_queries_and_weight_at_any_size(world: World, coop: Cooperation) -> None:
    """The page reads counts and the chosen rows, never the whole programme: its queries do not grow
    with the organisations, nor does its weight beyond the names of what is chosen or found."""
    client = world.client("consultant")
    chosen = [world.sme_org.pk, coop.third_org.pk]
    query = {"q": "atelier", "organisations": chosen}
    client.get(_page(world), query)
    _grow(world, 5)
    OrganisationFactory.create_batch(2, programme=world.programme, preformed_group="Binôme initial")

    def measure() -> tuple[int, int]:
        with CaptureQueriesContext(connection) as captured:
            response = client.get(_page(world), query)
        assert response.status_code == 200
        return len(captured.captured_queries), len(response.content)

    small_queries, small_weight = measure()
    _grow(world, 150, name="Atelier bis")
    for index in range(30):  # pre-formed candidacy pairs: named up to a few, the rest counted
        OrganisationFactory.create_batch(2, programme=world.programme, preformed_group=f"Binôme {index:02d}")
    large_queries, large_weight = measure()
    assert large_queries == small_queries
    assert large_weight < small_weight + 8_000  # full result list, preformed groups capped; not 150 rows
    assert "And 21 more pre-formed groups" in client.get(_page(world)).content.decode()


@pytest.mark.parametrize("role_index,role", list(enumerate(ROLES)))
def test_each_role_gets_what_it_may_at_scale(
    world: World, coop: Cooperation, role_index: int, role: str
) -> None:
    _grow(world, 60)
    response = world.client(role).get(_page(world), {"q": "atelier"})
    expected = GET_PAGES["team_formation"][role_index]
    if expected == LOGIN:
        assert response.status_code == 302 and response["Location"].startswith(reverse("www:login"))
        return
    assert response.status_code == expected, role
    if expected == 200:
        assert b"INVALID_TEMPLATE_VARIABLE" not in response.content
        # Only those who manage the cooperation add constraints.
        managing = role in {"consultant", "staff"}
        assert (b'id="constraint-search"' in response.content) is managing
        assert (b"Atelier 000" in response.content) is managing
