"""Import of Mission Transition Écologique files and the default catalogue."""

from __future__ import annotations

import datetime as dt
import shutil
from decimal import Decimal
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from sobrindustrie.funding.catalogue import CATALOGUE_FILE, DATA_DIR, load_default_catalogue, read_catalogue
from sobrindustrie.funding.enums import AidNature, SchemeSource
from sobrindustrie.funding.importer import CatalogueError, import_directory
from sobrindustrie.funding.models import CatalogueImport, FundingScheme, PublicodesInterface
from tests.funding.conftest import INTERFACE_FILE, SHARED_DATA
from tests.funding.factories import SchemeFactory

GOOD = """\
titre: Étude de rétrofit
promesse: Modernisez vos machines
description: Une étude pour rétrofiter vos machines.
opérateur de contact: ADEME
autres opérateurs: [Région Sud (PACA)]
nature de l'aide: étude
montant du financement: Jusqu'à 70% du coût de l'étude, dans un maximum de 50 000 €
début de validité: 01/01/2025
fin de validité: 31/12/2027
url: https://example.org/retrofit
objectifs:
  - description: Déposez votre dossier.
    liens:
      - lien: https://example.org/depot
        texte: Déposer
conditions d'éligibilité:
  secteur d'activité: [Industrie]
publicodes:
  entreprise . est ciblée:
    toutes ces conditions:
      - code NAF niveau 1 . est C
"""
MALFORMED = "titre: [unclosed\npublicodes: {"
UNKNOWN_CONSTRUCT = GOOD.replace("      - code NAF niveau 1 . est C", "      - barème: 3")
SELF_REFERENCE = GOOD.replace(
    "publicodes:\n  entreprise . est ciblée:\n    toutes ces conditions:\n      - code NAF niveau 1 . est C",
    "publicodes:\n  entreprise . est ciblée:\n    valeur: entreprise . boucle\n"
    "  entreprise . boucle:\n    valeur: entreprise . boucle",
)
UNKNOWN_NATURE = GOOD.replace("nature de l'aide: étude", "nature de l'aide: subvention magique")
BAD_DATE = GOOD.replace("fin de validité: 31/12/2027", "fin de validité: 31/13/2027")


def _directory(tmp_path: Path, files: dict[str, str]) -> Path:
    directory = tmp_path / "programs"
    directory.mkdir()
    shutil.copy(INTERFACE_FILE, tmp_path / "publicodes-interface.yaml")
    for name, text in files.items():
        (directory / f"{name}.yaml").write_text(text, encoding="utf-8")
    return directory


@pytest.mark.django_db
def test_a_good_file_is_imported_with_every_field(tmp_path: Path) -> None:
    report = import_directory(
        _directory(tmp_path, {"etude-retrofit": GOOD}), source_date=dt.date(2026, 6, 12)
    )
    assert report.created == ["etude-retrofit"] and not report.refused
    scheme = FundingScheme.objects.get(slug="etude-retrofit")
    assert scheme.source == SchemeSource.MTE
    assert scheme.nature == AidNature.STUDY
    assert scheme.title == "Étude de rétrofit"
    assert scheme.other_operators == ["Région Sud (PACA)"]
    assert scheme.max_amount_eur == Decimal("50000") and scheme.max_rate_percent == Decimal("70")
    assert (scheme.valid_from, scheme.valid_until) == (dt.date(2025, 1, 1), dt.date(2027, 12, 31))
    assert scheme.steps == [
        {
            "description": "Déposez votre dossier.",
            "links": [{"url": "https://example.org/depot", "text": "Déposer"}],
        }
    ]
    assert scheme.eligibility_conditions == {"secteur d'activité": ["Industrie"]}
    assert "entreprise . est ciblée" in scheme.publicodes_rules
    assert scheme.source_date == dt.date(2026, 6, 12)
    assert PublicodesInterface.objects.get().rules["région"] is None


@pytest.mark.django_db
def test_bad_files_are_refused_with_file_and_rule_and_the_others_import(tmp_path: Path) -> None:
    files = {
        "a-good": GOOD,
        "b-malformed": MALFORMED,
        "c-unknown-construct": UNKNOWN_CONSTRUCT,
        "d-self-reference": SELF_REFERENCE,
        "e-unknown-nature": UNKNOWN_NATURE,
        "f-bad-date": BAD_DATE,
        "g-good-too": GOOD.replace("Étude de rétrofit", "Autre étude"),
    }
    report = import_directory(_directory(tmp_path, files))
    assert report.created == ["a-good", "g-good-too"]
    refused = dict(report.refused)
    assert set(refused) == {
        "b-malformed.yaml", "c-unknown-construct.yaml", "d-self-reference.yaml",
        "e-unknown-nature.yaml", "f-bad-date.yaml",
    }  # fmt: skip
    assert "malformed YAML" in refused["b-malformed.yaml"]
    assert "rule 'entreprise . est ciblée'" in refused["c-unknown-construct.yaml"]
    assert "barème" in refused["c-unknown-construct.yaml"]
    assert "entreprise . boucle" in refused["d-self-reference.yaml"]
    assert "subvention magique" in refused["e-unknown-nature.yaml"]
    assert "fin de validité" in refused["f-bad-date.yaml"]
    assert FundingScheme.objects.count() == 2
    run = CatalogueImport.objects.get()
    assert (run.created, len(run.refused)) == (2, 5)
    assert {item["file"] for item in run.refused} == set(refused)


@pytest.mark.django_db
def test_reimport_changes_only_what_changed_and_keeps_the_tracking(tmp_path: Path) -> None:
    directory = _directory(tmp_path, {"one": GOOD, "two": GOOD.replace("Étude de rétrofit", "Deux")})
    import_directory(directory)
    scheme = FundingScheme.objects.get(slug="one")
    scheme.funders = ["ADEME", "Région Sud"]
    scheme.submission_deadlines = ["2027-03-31"]
    scheme.save()
    history = FundingScheme.history.count()

    again = import_directory(directory)
    assert (again.created, again.updated, sorted(again.unchanged)) == ([], [], ["one", "two"])
    assert FundingScheme.history.count() == history

    (directory / "two.yaml").write_text(GOOD.replace("Étude de rétrofit", "Deux bis"), encoding="utf-8")
    changed = import_directory(directory)
    assert changed.updated == ["two"] and changed.unchanged == ["one"]
    assert FundingScheme.objects.get(slug="two").title == "Deux bis"
    scheme.refresh_from_db()
    assert scheme.funders == ["ADEME", "Région Sud"] and scheme.submission_deadlines == ["2027-03-31"]


@pytest.mark.django_db
def test_a_curated_identifier_is_not_overwritten(tmp_path: Path) -> None:
    SchemeFactory(slug="one", source=SchemeSource.CURATED, title="Curated")
    report = import_directory(_directory(tmp_path, {"one": GOOD}))
    assert report.refused == [("one.yaml", "the identifier 'one' is already used by a curated scheme")]
    assert FundingScheme.objects.get(slug="one").title == "Curated"


@pytest.mark.django_db
def test_a_directory_without_interface_imports_nothing(tmp_path: Path) -> None:
    directory = tmp_path / "alone"
    directory.mkdir()
    (directory / "one.yaml").write_text(GOOD, encoding="utf-8")
    with pytest.raises(CatalogueError, match="publicodes-interface.yaml"):
        import_directory(directory)
    with pytest.raises(CommandError, match="publicodes-interface.yaml"):
        call_command("import_mte", str(directory))
    assert not FundingScheme.objects.exists()


@pytest.mark.django_db
def test_the_command_prints_the_report(tmp_path: Path) -> None:
    directory = _directory(tmp_path, {"good": GOOD, "bad": MALFORMED})
    out = StringIO()
    call_command("import_mte", str(directory), "--source-date", "12/06/2026", stdout=out)
    text = out.getvalue()
    assert "Created: 1" in text and "Refused: 1" in text and "bad.yaml: malformed YAML" in text
    with pytest.raises(CommandError, match="DD/MM/YYYY"):
        call_command("import_mte", str(directory), "--source-date", "2026-06-12")


@pytest.mark.django_db
@pytest.mark.skipif(
    not (SHARED_DATA / "programs").is_dir(), reason="../shared/data is absent: nothing to import"
)
def test_the_shared_catalogue_imports_with_the_refusals_the_reference_engine_makes() -> None:
    report = import_directory(SHARED_DATA / "programs")
    # 8 files reference names that exist nowhere (`Landes`, `Bouches-du-Rhône`), as the README says.
    assert len(report.refused) == 8
    assert all("unknown reference" in reason for _name, reason in report.refused)
    assert len(report.created) == 256
    assert FundingScheme.objects.filter(nature=AidNature.LOAN).count() == 10
    again = import_directory(SHARED_DATA / "programs")
    assert len(again.unchanged) == 256 and not again.created and not again.updated


def test_every_selected_scheme_is_shipped_and_nothing_else() -> None:
    data = read_catalogue()
    selected = {item["slug"] for item in data["selection"]}
    shipped = {path.stem for path in (DATA_DIR / data["mte"]["directory"]).glob("*.yaml")}
    assert selected == shipped
    assert all(item["why"].strip() for item in data["selection"])
    for entry in data["curated"]:
        assert entry["source_url"].startswith("https://") and entry["source_date"]
        assert "funding_amount_text" not in entry  # never invent amounts


@pytest.mark.django_db
def test_the_default_catalogue_loads_from_the_package_and_is_idempotent() -> None:
    report = load_default_catalogue()
    assert not report.mte.refused
    data = read_catalogue(CATALOGUE_FILE)
    expected = len(data["selection"]) + len(data["curated"])
    assert FundingScheme.objects.default_catalogue().count() == expected
    feder = FundingScheme.objects.get(slug="feder-paca-2021-2027")
    assert feder.source == SchemeSource.CURATED and feder.funding_amount_text == ""
    assert feder.is_call_for_projects and feder.source_url
    feder.funders = ["Région Sud"]
    feder.save()
    counts = (FundingScheme.objects.count(), FundingScheme.history.count())
    again = load_default_catalogue()
    assert set(again.curated.values()) == {"unchanged"} and not again.mte.updated
    assert (FundingScheme.objects.count(), FundingScheme.history.count()) == counts
    assert FundingScheme.objects.get(slug="feder-paca-2021-2027").funders == ["Région Sud"]


@pytest.mark.django_db
def test_the_console_script_runs_the_import(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from sobrindustrie.cli import main

    assert main(["funding", "import-mte", str(_directory(tmp_path, {"good": GOOD}))]) == 0
    assert "Created: 1" in capsys.readouterr().out
    assert FundingScheme.objects.filter(slug="good").exists()
