from __future__ import annotations

import datetime
from pathlib import Path

import pytest

from sobrindustrie.engines.publicodes.catalogue import (
    evaluate_catalogue,
    evaluate_programme,
    load_catalogue,
    read_yaml,
)
from sobrindustrie.engines.publicodes.errors import CompanyError, PublicodesError
from sobrindustrie.engines.publicodes.situation import Company
from tests.engines.publicodes.support import INTERFACE, PROGRAMMES, require_catalogue

EXAMPLE = Company("Provence-Alpes-Côte d'Azur", 40, False, "25.62A", ("ma performance énergétique",))

INTERFACE_YAML = """\
entreprise:
entreprise . effectif:
entreprise . code NAF niveau 1:
  avec:
    est C:
    est G:
région:
Bretagne: '"Bretagne"'
questionnaire:
questionnaire . objectif prioritaire:
  avec:
    est eau:
dispositif:
  avec:
    début de validité:
    fin de validité:
date du jour:
"""
PROGRAMME_YAML = """\
titre: Aide test
fin de validité: 31/12/2026
publicodes:
  entreprise . est ciblée:
    toutes ces conditions:
      - est éligible
      - code NAF niveau 1 . est C
  entreprise . est éligible:
    applicable si: date du jour <= dispositif . fin de validité
    toutes ces conditions:
      - effectif >= 10
      - région = Bretagne
"""


def write_catalogue(root: Path, programmes: dict[str, str]) -> Path:
    (root / "publicodes-interface.yaml").write_text(INTERFACE_YAML, encoding="utf-8")
    directory = root / "programs"
    directory.mkdir()
    for name, text in programmes.items():
        (directory / f"{name}.yaml").write_text(text, encoding="utf-8")
    return directory


def test_it_evaluates_a_programme_of_its_own_catalogue(tmp_path: Path) -> None:
    catalogue = load_catalogue(write_catalogue(tmp_path, {"aide": PROGRAMME_YAML}))
    company = Company(region="Bretagne", workforce=12, naf="25.62A")
    results = evaluate_catalogue(catalogue, company, datetime.date(2026, 7, 1))
    assert results.results == {"aide": True}
    assert evaluate_catalogue(catalogue, company, datetime.date(2027, 1, 1)).results == {"aide": False}
    assert evaluate_catalogue(catalogue, Company(naf="25.62A"), datetime.date(2026, 7, 1)).results == {
        "aide": None
    }
    assert evaluate_catalogue(catalogue, Company(naf="47.11A"), datetime.date(2026, 7, 1)).results == {
        "aide": False
    }


def test_bad_files_are_refused_with_the_reason_and_the_others_still_load(tmp_path: Path) -> None:
    directory = write_catalogue(
        tmp_path,
        {
            "aide": PROGRAMME_YAML,
            "cassee": "titre: [oops",
            "inconnue": "publicodes:\n  entreprise . est ciblée: région = Landes\n",
            "cycle": "publicodes:\n  entreprise . est ciblée: entreprise . est ciblée\n",
            "liste": "- a\n- b\n",
            "sans-regles": "titre: rien\n",
        },
    )
    catalogue = load_catalogue(directory)
    assert list(catalogue.programmes) == ["aide"]
    assert set(catalogue.refused) == {"cassee", "inconnue", "cycle", "liste", "sans-regles"}
    assert "cassee.yaml: malformed YAML" in catalogue.refused["cassee"]
    assert "rule 'entreprise . est ciblée': unknown reference 'Landes'" in catalogue.refused["inconnue"]
    assert "depends on itself" in catalogue.refused["cycle"]
    assert "must be a YAML mapping" in catalogue.refused["liste"]
    assert "no `publicodes` mapping" in catalogue.refused["sans-regles"]
    results = evaluate_catalogue(catalogue, Company(), datetime.date(2026, 7, 1))
    assert set(results.errors) == set(catalogue.refused)


def test_a_programme_without_the_target_rule_is_an_error_not_a_result(tmp_path: Path) -> None:
    catalogue = load_catalogue(write_catalogue(tmp_path, {"vide": "publicodes:\n  x: oui\n"}))
    results = evaluate_catalogue(catalogue, Company(), datetime.date(2026, 7, 1))
    assert results.results == {}
    assert "'entreprise . est ciblée', does not exist" in results.errors["vide"]


def test_it_needs_an_interface_and_a_directory(tmp_path: Path) -> None:
    with pytest.raises(PublicodesError, match="is not a directory"):
        load_catalogue(tmp_path / "nowhere")
    (tmp_path / "programs").mkdir()
    with pytest.raises(PublicodesError, match="no publicodes-interface.yaml"):
        load_catalogue(tmp_path / "programs")


def test_it_loads_the_shared_catalogue_refusing_the_eight_programmes_with_unknown_names() -> None:
    require_catalogue()
    catalogue = load_catalogue(PROGRAMMES)
    assert len(catalogue.programmes) + len(catalogue.refused) == len(list(PROGRAMMES.glob("*.yaml"))) == 264
    assert sorted(catalogue.refused) == [
        "ameliorer-la-connaissance-des-milieux",
        "economies-recyclage-eau-activites-industrielles-artisanat",
        "gestion-eaux-pluviales",
        "lutter-contre-les-micropolluants",
        "programme-marguerite",
        "proteger-biodiversite-et-restaurer-trame-verte-et-bleue",
        "reduire-les-pollutions",
        "restaurer-preserver-les-milieux-aquatiques",
    ]
    assert "unknown reference 'Bouches-du-Rhône'" in catalogue.refused["programme-marguerite"]


@pytest.mark.parametrize(
    ("company", "today", "expected"),
    [
        (EXAMPLE, datetime.date(2026, 7, 1), True),
        (EXAMPLE, datetime.date(2027, 1, 1), False),  # after its end of validity: non applicable, so false
        (Company(naf="47.11A", objectives=("ma performance énergétique",)), datetime.date(2026, 7, 1), False),
        (Company(naf="25.62A"), datetime.date(2026, 7, 1), None),  # objectives unknown
    ],
)
def test_it_evaluates_the_industrial_energy_audit_programme(
    company: Company, today: datetime.date, expected: bool | None
) -> None:
    # Open 01/01/2023 – 31/12/2026 to NAF sections A–E with the energy-performance objective.
    require_catalogue()
    programme = read_yaml(PROGRAMMES / "audit-energetique-en-industrie.yaml")
    interface = read_yaml(INTERFACE)
    assert isinstance(programme, dict) and isinstance(interface, dict)
    assert evaluate_programme(programme, interface, company, today) is expected


def test_evaluate_programme_refuses_an_undeclared_region() -> None:
    require_catalogue()
    programme = read_yaml(PROGRAMMES / "audit-clef-verte-sud.yaml")
    interface = read_yaml(INTERFACE)
    assert isinstance(programme, dict) and isinstance(interface, dict)
    with pytest.raises(CompanyError, match="unknown region 'Landes'"):
        evaluate_programme(programme, interface, Company(region="Landes"), datetime.date(2024, 7, 1))
    company = Company(
        region="Provence-Alpes-Côte d'Azur", naf="55.10Z", objectives=("mon impact environnemental",)
    )
    assert evaluate_programme(programme, interface, company, datetime.date(2024, 7, 1)) is True
    assert (
        evaluate_programme(programme, interface, Company(region="Bretagne"), datetime.date(2024, 7, 1))
        is False
    )
