"""Base Empreinte exports imported as versions: all or nothing, the factors page (browse, search,
versions, difference between two versions), the upload page and the command, and balances drawing a
factor from the uncertainty its cited element publishes."""

from __future__ import annotations

import html
from io import StringIO
from pathlib import Path

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse

from sobrindustrie.evaluation import factor_library, services
from sobrindustrie.evaluation.models import FactorLibraryVersion, LibraryFactor
from tests.conftest import World
from tests.evaluation.conftest import EvalWorld
from tests.evaluation.factories import BalanceFactory, BalanceLineFactory

FIXTURES = Path(__file__).parents[1] / "engines" / "footprint" / "fixtures"
V23_6 = FIXTURES / "base_empreinte_sample_v23_6.csv"
V23_10 = FIXTURES / "base_empreinte_sample_v23_10.csv"


def _in_english(client):  # type: ignore[no-untyped-def]
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def _import_both() -> tuple[FactorLibraryVersion, FactorLibraryVersion]:
    old = factor_library.import_export(V23_6.read_bytes(), source_version="23.6", file_name=V23_6.name)
    new = factor_library.import_export(V23_10.read_bytes(), source_version="23.10", file_name=V23_10.name)
    return old, new


@pytest.mark.django_db
def test_an_export_becomes_a_version_keeping_identifier_unit_and_uncertainty() -> None:
    version = factor_library.import_export(V23_6.read_bytes(), source_version="23.6", file_name=V23_6.name)
    assert (version.encoding, version.rows, version.skipped_posts, version.skipped_other) == (
        "cp1252",
        11,
        2,
        1,
    )
    assert version.factors.count() == 8
    steel = version.factors.get(identifier="990004")
    assert (steel.name, steel.unit, steel.value, steel.uncertainty) == ("Acier", "kgCO2e/kg", 1.6, 0.3)
    assert steel.line == 7 and steel.library_version.source_version == "23.6"


@pytest.mark.django_db
def test_a_faulty_export_imports_nothing_and_names_each_line() -> None:
    text = V23_6.read_bytes().decode("cp1252").replace(";0,227;", ";zéro;", 1).replace(";6600;", ";;", 1)
    with pytest.raises(ValidationError) as caught:
        factor_library.import_export(text.encode("cp1252"), source_version="23.6")
    assert caught.value.messages == [
        "Line 3, column “Total poste non décomposé”: “zéro” is not a number",
        "Line 8, column “Total poste non décomposé”: the cell is empty",
    ]
    assert not FactorLibraryVersion.objects.exists() and not LibraryFactor.objects.exists()


@pytest.mark.django_db
def test_the_same_version_or_the_same_file_is_not_imported_twice() -> None:
    factor_library.import_export(V23_6.read_bytes(), source_version="23.6")
    with pytest.raises(ValidationError, match="already imported"):
        factor_library.import_export(V23_10.read_bytes(), source_version="23.6")
    with pytest.raises(ValidationError, match="already imported as version 23.6"):
        factor_library.import_export(V23_6.read_bytes(), source_version="23.7")
    assert FactorLibraryVersion.objects.count() == 1


@pytest.mark.django_db
def test_the_difference_between_two_versions() -> None:
    old, new = _import_both()
    diff = factor_library.diff_versions(old, new)
    assert [f.identifier for f in diff.added] == ["43255"]
    assert [f.identifier for f in diff.removed] == ["990006"]
    changes = {item.new.identifier: [(c.field, c.old, c.new) for c in item.changes] for item in diff.changed}
    assert changes == {
        "990002": [("value", 0.227, 0.243)],
        "990004": [("uncertainty", 0.3, 0.2)],
        "990005": [("value", 6600.0, 6.6), ("unit", "kgCO2e/tonne", "kgCO2e/kg")],
    }
    assert diff.unchanged == 4


@pytest.mark.django_db
def test_search_ignores_accents_and_case() -> None:
    version = factor_library.import_export(V23_6.read_bytes(), source_version="23.6")
    found = factor_library.search_factors(version.factors.all(), "ELECTRICITE mix")
    assert [f.identifier for f in found] == ["990001"]
    assert [f.identifier for f in factor_library.search_factors(version.factors.all(), "métal")] == [
        "990004",
        "990005",
    ]


def test_the_factors_page_lists_the_imported_sample_with_its_versions_and_a_diff(world: World) -> None:
    old, new = _import_both()
    client = _in_english(world.client("ademe"))
    url = reverse("www:factor_library", args=[world.programme.slug])
    page = html.unescape(client.get(url).content.decode())
    # The platform library, each factor to verify saying why.
    assert "electricity.fr.consumption_mix" in page and "To verify" in page
    assert "Derived on the platform (9 L/100 km × diesel)" in page
    # Both versions listed, the latest shown, its factors with identifier, unit and uncertainty.
    assert "ADEME Base Empreinte 23.6" in page and "ADEME Base Empreinte 23.10" in page
    assert "8 factors of ADEME Base Empreinte 23.10" in page
    assert "43255" in page and "kgCO2e/passager.km" in page and "± 10 %" in page
    assert "Porteur 26-32 t — gazole" not in page  # only in 23.6
    # Travel factors cite real Base Empreinte elements: the platform's value beside the export's.
    assert "and the Base Empreinte elements they cite, in version 23.10" in page
    assert "43256" in page and "0.00293 kgCO2e/passenger.km" in page and "0.00293 kgCO2e/passager.km" in page
    older = html.unescape(client.get(url, {"version": old.pk, "q": "porteur"}).content.decode())
    assert "1 factor of ADEME Base Empreinte 23.6" in older and "Porteur 26-32 t — gazole" in older
    diff_url = reverse("www:factor_library_diff", args=[world.programme.slug])
    diff = html.unescape(client.get(diff_url, {"de": old.pk, "a": new.pk}).content.decode())
    assert "From 23.6 to 23.10: 1 added, 1 removed, 3 changed, 4 unchanged." in diff
    assert "kgCO2e/tonne" in diff and "± 30 %" in diff and "± 20 %" in diff and "TER" in diff
    # Without a choice, the page compares the two latest imports.
    assert "From 23.6 to 23.10" in html.unescape(client.get(diff_url).content.decode())


def test_the_factors_page_is_paginated(world: World) -> None:
    version = factor_library.import_export(V23_6.read_bytes(), source_version="23.6")
    LibraryFactor.objects.bulk_create(
        LibraryFactor(library_version=version, line=100 + n, identifier=f"8{n:05d}", name=f"Extra {n}",
                      unit="kgCO2e/kg", value=1.0)
        for n in range(30)
    )  # fmt: skip
    client = _in_english(world.client("consultant"))
    url = reverse("www:factor_library", args=[world.programme.slug])
    page = client.get(url).content.decode()
    assert "38 factors of" in page and "1 / 2" in page
    assert f"?version={version.pk}&amp;page=2" in page


def test_the_import_page_refuses_a_bad_file_line_by_line_and_keeps_the_version_typed(world: World) -> None:
    client = _in_english(world.client("staff"))
    url = reverse("www:factor_library_import", args=[world.programme.slug])
    bad = V23_6.read_bytes().decode("cp1252").replace(";0,227;", ";abc;", 1).encode("cp1252")
    response = client.post(url, {"source_version": "23.6", "file": SimpleUploadedFile("export.csv", bad)})
    page = html.unescape(response.content.decode())
    assert response.status_code == 200
    assert "Line 3, column “Total poste non décomposé”: “abc” is not a number" in page
    assert 'value="23.6"' in page and not FactorLibraryVersion.objects.exists()
    good = SimpleUploadedFile("export.csv", V23_6.read_bytes())
    response = client.post(url, {"source_version": "23.6", "file": good})
    version = FactorLibraryVersion.objects.get()
    assert response.status_code == 302 and response["Location"].endswith(f"?version={version.pk}")
    assert version.imported_by == world.users["staff"] and version.factors.count() == 8


def test_only_ademe_and_staff_see_the_import_link(world: World) -> None:
    url = reverse("www:factor_library", args=[world.programme.slug])
    link = reverse("www:factor_library_import", args=[world.programme.slug])
    assert link in world.client("ademe").get(url).content.decode()
    assert link not in world.client("consultant").get(url).content.decode()


@pytest.mark.django_db
def test_the_command_imports_or_refuses_with_the_lines() -> None:
    out = StringIO()
    call_command("import_base_empreinte", str(V23_6), "--source-version", "23.6", stdout=out)
    assert "ADEME Base Empreinte 23.6: 8 emission factors imported" in out.getvalue()
    with pytest.raises(CommandError, match="already imported"):
        call_command("import_base_empreinte", str(V23_10), "--source-version", "23.6")
    with pytest.raises(CommandError, match="cannot read"):
        call_command("import_base_empreinte", "/nonexistent.csv", "--source-version", "9")


def test_a_balance_draws_a_cited_factor_from_its_elements_uncertainty(eval_world: EvalWorld) -> None:
    balance = BalanceFactory(evaluation=eval_world.evaluation)
    BalanceLineFactory(
        balance=balance, label="Train instead of car", kind="travel", effect="added", quantity=2000,
        unit="passenger.km", factor_id="", travel_mode="tgv", uncertainty=0.1,
    )  # fmt: skip
    BalanceLineFactory(
        balance=balance, label="Steel saved", kind="material", effect="avoided", quantity=100,
        unit="kg", factor_id="material.steel", uncertainty=0.1,
    )  # fmt: skip
    before = services.compute(eval_world.evaluation)
    tgv, steel = before.result["lines"]
    assert tgv["factor_uncertainty"] == {"relative": 0.2, "distribution": "lognormal", "basis": "assumed"}
    factor_library.import_export(V23_6.read_bytes(), source_version="23.6")
    after = services.compute(eval_world.evaluation)
    tgv, steel = after.result["lines"]
    # TGV cites Base Empreinte element 43256, published at ±10 % in the sample; steel cites none.
    assert tgv["factor_uncertainty"] == {"relative": 0.1, "distribution": "lognormal", "basis": "source"}
    assert steel["factor_uncertainty"]["basis"] == "assumed"
    assert after.library_reference.endswith(" BE 23.6")
    page = html.unescape(
        _in_english(eval_world.client("consultant"))
        .get(reverse("www:balance_detail", args=[eval_world.evaluation.pk]))
        .content.decode()
    )
    assert "Factor uncertainty" in page and "± 10 % (lognormal, published by the source)" in page
    assert "± 30 % (lognormal, assumed)" in page


def test_the_factors_page_does_not_grow_with_the_data(world: World) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    factor_library.import_export(V23_6.read_bytes(), source_version="23.6")
    client = world.client("consultant")
    url = reverse("www:factor_library", args=[world.programme.slug])

    def queries() -> int:
        with CaptureQueriesContext(connection) as context:
            assert client.get(url).status_code == 200
        return len(context.captured_queries)

    few = queries()
    newer = factor_library.import_export(V23_10.read_bytes(), source_version="23.10")
    LibraryFactor.objects.bulk_create(
        LibraryFactor(library_version=newer, line=100 + n, identifier=f"8{n:05d}", name=f"Extra {n}",
                      unit="kgCO2e/kg", value=1.0)
        for n in range(40)
    )  # fmt: skip
    assert queries() == few


def test_a_balance_warning_says_why_its_factor_stays_to_verify() -> None:
    from django.utils import translation

    from sobrindustrie.evaluation.wording import describe_warning

    warning = {"code": "factor_to_verify", "factor_id": "freight.road.light_van", "source": "platform"}
    text = describe_warning(warning)
    assert text.startswith("The factor “Light commercial van (diesel), per vehicle km” is marked “to verify”")
    assert text.endswith(
        "Derived on the platform (9 L/100 km × diesel): no Base Empreinte element matches it."
    )
    with translation.override("fr"):
        assert describe_warning(warning).endswith("aucun élément Base Empreinte ne lui correspond.")
