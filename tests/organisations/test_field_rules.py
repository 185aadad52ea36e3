"""Field rules: an SME member edits its organisation's contact details and description, never its
kind, SIRET, programme status or pre-formed group; a POST that tries is refused by field name."""

from __future__ import annotations

import pytest
from django.urls import reverse

from sobrindustrie.organisations.enums import OrganisationKind
from sobrindustrie.organisations.models import Organisation
from tests.conftest import World


def _form_data(org: Organisation, **changes: object) -> dict[str, object]:
    data = {
        "expected_version": org.version,
        "kind": org.kind,
        "name": org.name,
        "slug": org.slug,
        "siret": org.siret,
        "naf_code": org.naf_code,
        "workforce": org.workforce or "",
        "turnover_band": org.turnover_band,
        "website": org.website,
        "description": org.description,
        "address": org.address,
        "postcode": org.postcode,
        "commune": org.commune_id or "",
        "city_name": org.city_name,
        "latitude": org.latitude or "",
        "longitude": org.longitude or "",
        "preformed_group": org.preformed_group,
    }
    data.update(changes)
    return {key: value for key, value in data.items() if value is not None}


def _browser_data(org: Organisation, **changes: object) -> dict[str, object]:
    """What a browser sends: disabled inputs are left out."""
    data = _form_data(org, **changes)
    for name in ("kind", "siret", "preformed_group"):
        if name not in changes:
            data.pop(name)
    return data


def test_an_sme_member_edits_its_description(world: World) -> None:
    org = world.sme_org
    response = world.client("sme").post(
        reverse("www:organisation_edit", args=[org.pk]),
        _browser_data(org, description="Usinage de précision"),
    )
    assert response.status_code == 302
    org.refresh_from_db()
    assert org.description == "Usinage de précision"


@pytest.mark.parametrize(
    "field,value",
    [("kind", OrganisationKind.FUNDER), ("siret", "73282932000074"), ("preformed_group", "Groupe Var")],
)
def test_an_sme_member_cannot_change_what_the_programme_decides(world: World, field: str, value: str) -> None:
    org = world.sme_org
    before = Organisation.objects.get(pk=org.pk)
    data = _browser_data(org, description="Nouvelle description", **{field: value})
    response = world.client("sme").post(reverse("www:organisation_edit", args=[org.pk]), data)
    assert response.status_code == 200
    form = response.context["form"]
    assert list(form.errors) == [field]
    assert str(form.fields[field].label) in form.errors[field][0]
    org.refresh_from_db()
    assert (org.description, getattr(org, field)) == (before.description, getattr(before, field))


def test_the_page_shows_those_fields_read_only_to_the_member(world: World) -> None:
    page = world.client("sme").get(reverse("www:organisation_edit", args=[world.sme_org.pk]))
    form = page.context["form"]
    assert {name for name, field in form.fields.items() if field.disabled} == {
        "kind",
        "siret",
        "preformed_group",
    }


def test_the_consultant_changes_them(world: World) -> None:
    org = world.sme_org
    data = _form_data(org, kind=OrganisationKind.FUNDER, preformed_group="Groupe Var")
    response = world.client("consultant").post(reverse("www:organisation_edit", args=[org.pk]), data)
    assert response.status_code == 302
    org.refresh_from_db()
    assert (org.kind, org.preformed_group) == (OrganisationKind.FUNDER, "Groupe Var")
