"""The organisations of a team-formation constraint as the programme grows: one checkbox each up to
CHECKBOX_CHOICES_LIMIT, a native labelled list box beyond. Only the widget changes: the same data
adds the constraint, the same refusals keep what was chosen."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from sobrindustrie.cooperation.enums import ConstraintKind
from sobrindustrie.cooperation.models import TeamConstraint
from sobrindustrie.organisations.models import Organisation
from sobrindustrie.www.forms import CHECKBOX_CHOICES_LIMIT, MULTIPLE_SELECT_SIZE
from tests.conftest import ROLES, World
from tests.cooperation.factories import Cooperation
from tests.cooperation.test_access import GET_PAGES, LOGIN
from tests.factories import CommuneFactory, OrganisationFactory

HINT = "Ctrl-click (⌘-click on a Mac) to choose several."


def _grow_to(world: World, total: int) -> list[Organisation]:
    """Active organisations of the programme up to `total`; the ones added."""
    missing = total - Organisation.objects.for_programme(world.programme).active().count()
    return OrganisationFactory.create_batch(missing, programme=world.programme, commune=CommuneFactory())


def _page(world: World) -> str:
    return reverse("www:team_formation", args=[world.programme.slug])


def _organisations_select(body: str) -> str:
    return re.search(r'<select name="organisations".*?</select>', body, re.DOTALL).group(0)


def test_up_to_the_limit_each_organisation_is_a_checkbox(world: World, coop: Cooperation) -> None:
    _grow_to(world, CHECKBOX_CHOICES_LIMIT)
    response = world.client("consultant").get(_page(world))
    body = response.content.decode()
    assert response.context["constraint_form"]["organisations"].widget_type == "checkboxselectmultiple"
    assert body.count('type="checkbox" name="organisations"') == CHECKBOX_CHOICES_LIMIT
    assert '<select name="organisations"' not in body and HINT not in body


def test_beyond_the_limit_the_organisations_are_a_labelled_list_box(world: World, coop: Cooperation) -> None:
    _grow_to(world, CHECKBOX_CHOICES_LIMIT + 1)
    response = world.client("consultant").get(_page(world))
    body = response.content.decode()
    assert response.context["constraint_form"]["organisations"].widget_type == "selectmultiple"
    assert 'type="checkbox" name="organisations"' not in body
    select = _organisations_select(body)
    opening = select.split(">", 1)[0]
    assert " multiple" in opening and f'size="{MULTIPLE_SELECT_SIZE}"' in opening and "fr-select" in opening
    assert select.count("<option") == CHECKBOX_CHOICES_LIMIT + 1
    label = re.search(r'<label class="fr-label" for="id_organisations">.*?</label>', body, re.DOTALL).group(0)
    assert "Organisations" in label and HINT in label
    assert "Two for a cannot-link" in label  # the field's own help stays


def test_a_constraint_is_added_from_the_list_box(world: World, coop: Cooperation) -> None:
    added = _grow_to(world, CHECKBOX_CHOICES_LIMIT + 5)
    url = reverse("www:constraint_add", args=[world.programme.slug])
    data = {
        "kind": ConstraintKind.MUST_LINK,
        "organisations": [added[0].pk, world.sme_org.pk],
        "reason": "Même site",
    }
    assert world.client("consultant").post(url, data).status_code == 302
    assert set(TeamConstraint.objects.get().organisations.all()) == {added[0], world.sme_org}


@pytest.mark.parametrize("extra", [0, 1], ids=["checkboxes", "list-box"])
def test_a_refused_constraint_keeps_what_was_chosen(world: World, coop: Cooperation, extra: int) -> None:
    added = _grow_to(world, CHECKBOX_CHOICES_LIMIT + extra)
    url = reverse("www:constraint_add", args=[world.programme.slug])
    chosen = [added[0].pk, added[1].pk, world.sme_org.pk]
    data = {"kind": ConstraintKind.CANNOT_LINK, "organisations": chosen, "reason": "Concurrents directs"}
    response = world.client("consultant").post(url, data)
    body = response.content.decode()
    assert response.status_code == 200
    assert "exactly two organisations (3 chosen)" in body
    assert 'value="Concurrents directs"' in body
    if extra:
        kept = re.findall(r'<option value="(\d+)" selected>', _organisations_select(body))
        assert 'aria-invalid="true"' in _organisations_select(body)
    else:
        kept = re.findall(r'<input type="checkbox" name="organisations" value="(\d+)"[^>]*\bchecked\b', body)
    assert sorted(map(int, kept)) == sorted(chosen)
    assert not TeamConstraint.objects.exists()


@pytest.mark.parametrize("role_index,role", list(enumerate(ROLES)))
def test_each_role_gets_what_it_may_at_scale(
    world: World, coop: Cooperation, role_index: int, role: str
) -> None:
    _grow_to(world, CHECKBOX_CHOICES_LIMIT + 1)
    response = world.client(role).get(_page(world))
    expected = GET_PAGES["team_formation"][role_index]
    if expected == LOGIN:
        assert response.status_code == 302 and response["Location"].startswith(reverse("www:login"))
        return
    assert response.status_code == expected, role
    if expected == 200:
        assert b"INVALID_TEMPLATE_VARIABLE" not in response.content
        # Only those who manage the cooperation add constraints.
        managing = role in {"consultant", "staff"}
        assert (b'<select name="organisations"' in response.content) is managing
