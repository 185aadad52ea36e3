from __future__ import annotations

import json
from pathlib import Path

import pytest

from sobrindustrie.engines.publicodes.cli import main
from tests.engines.publicodes.support import PROGRAMMES, require_catalogue
from tests.engines.publicodes.test_catalogue import PROGRAMME_YAML, write_catalogue

COMPANY = {"region": "Bretagne", "workforce": 12, "naf": "25.62A"}


def write_company(root: Path, data: object) -> Path:
    path = root / "company.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    return path


def run(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    status = main(argv)
    captured = capsys.readouterr()
    return status, captured.out, captured.err


def test_it_prints_each_programme_sorted_and_lists_refused_ones_on_stderr(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    directory = write_catalogue(
        tmp_path, {"zeta": PROGRAMME_YAML, "alpha": PROGRAMME_YAML, "landes": "publicodes:\n  x: Landes\n"}
    )
    company = write_company(tmp_path, COMPANY)
    status, out, err = run(
        ["--programmes", str(directory), "--company", str(company), "--date", "01/07/2026"], capsys
    )
    assert status == 0
    assert out.index('"alpha"') < out.index('"zeta"')
    assert json.loads(out) == {"alpha": True, "zeta": True}
    assert "landes.yaml, rule 'x': unknown reference 'Landes'" in err


def test_it_prints_null_for_an_undefined_result_and_false_after_the_end_date(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    directory = write_catalogue(tmp_path, {"aide": PROGRAMME_YAML})
    unknown = write_company(tmp_path, {"naf": "25.62A"})
    status, out, _ = run(
        ["--programmes", str(directory), "--company", str(unknown), "--date", "01/07/2026"], capsys
    )
    assert (status, json.loads(out)) == (0, {"aide": None})
    known = write_company(tmp_path, COMPANY)
    status, out, _ = run(
        ["--programmes", str(directory), "--company", str(known), "--date", "01/01/2027"], capsys
    )
    assert (status, json.loads(out)) == (0, {"aide": False})


def test_it_takes_an_explicit_interface(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    directory = write_catalogue(tmp_path, {"aide": PROGRAMME_YAML})
    interface = tmp_path / "elsewhere.yaml"
    (tmp_path / "publicodes-interface.yaml").rename(interface)
    company = write_company(tmp_path, COMPANY)
    argv = ["--programmes", str(directory), "--company", str(company), "--date", "01/07/2026"]
    assert run(argv, capsys)[0] == 2
    status, out, _ = run([*argv, "--interface", str(interface)], capsys)
    assert (status, json.loads(out)) == (0, {"aide": True})


@pytest.mark.parametrize(
    ("company", "extra", "message"),
    [
        ("{not json", [], "is not valid JSON"),
        ('{"workforce": -3}', [], "workforce: must be a whole number"),
        ('{"region": "Landes"}', [], "unknown region 'Landes'"),
        ("{}", ["--date", "31/02/2026"], "is not a date written DD/MM/YYYY"),
    ],
)
def test_it_reports_bad_input_with_status_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], company: str, extra: list[str], message: str
) -> None:
    directory = write_catalogue(tmp_path, {"aide": PROGRAMME_YAML})
    path = tmp_path / "company.json"
    path.write_text(company, encoding="utf-8")
    argv = ["--programmes", str(directory), "--company", str(path), *extra]
    if extra:
        with pytest.raises(SystemExit) as exited:
            main(argv)
        assert exited.value.code == 2
        assert message in capsys.readouterr().err
        return
    status, out, err = run(argv, capsys)
    assert (status, out) == (2, "")
    assert message in err


def test_it_reports_a_missing_directory_or_company_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    company = write_company(tmp_path, COMPANY)
    status, _, err = run(["--programmes", str(tmp_path / "nowhere"), "--company", str(company)], capsys)
    assert status == 2 and "is not a directory" in err
    directory = write_catalogue(tmp_path, {"aide": PROGRAMME_YAML})
    status, _, err = run(["--programmes", str(directory), "--company", str(tmp_path / "absent.json")], capsys)
    assert status == 2 and "cannot read" in err


def test_it_evaluates_the_shared_catalogue_for_the_issue_example(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    require_catalogue()
    company = write_company(
        tmp_path,
        {
            "region": "Provence-Alpes-Côte d'Azur",
            "workforce": 40,
            "micro_entrepreneur": False,
            "naf": "25.62A",
            "objectives": ["ma performance énergétique"],
        },
    )
    status, out, err = run(
        ["--programmes", str(PROGRAMMES), "--company", str(company), "--date", "01/07/2026"], capsys
    )
    results = json.loads(out)
    assert status == 0
    assert len(results) == 256 and err.count("not evaluated") == 8
    assert results["audit-energetique-en-industrie"] is True
    assert results["accelerateur-decarbonation"] is False  # ended 31/12/2025
    assert list(results) == sorted(results)


def write_companies(root: Path, data: object) -> Path:
    path = root / "companies.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    return path


def test_it_evaluates_named_companies_at_once(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    directory = write_catalogue(
        tmp_path, {"zeta": PROGRAMME_YAML, "alpha": PROGRAMME_YAML, "landes": "publicodes:\n  x: Landes\n"}
    )
    companies = write_companies(
        tmp_path,
        {"rennes": COMPANY, "nice": {**COMPANY, "workforce": 3}, "vide": {}},
    )
    status, out, err = run(
        ["--programmes", str(directory), "--companies", str(companies), "--date", "01/07/2026"], capsys
    )
    assert status == 0
    assert json.loads(out) == {
        "nice": {"alpha": False, "zeta": False},
        "rennes": {"alpha": True, "zeta": True},
        "vide": {"alpha": None, "zeta": None},
    }
    assert out.index('"nice"') < out.index('"rennes"') < out.index('"vide"')
    assert err.count("unknown reference 'Landes'") == 1  # once, not once per company


def test_named_companies_give_what_each_gives_alone(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    directory = write_catalogue(tmp_path, {"aide": PROGRAMME_YAML})
    profiles = {
        "a": COMPANY,
        "b": {"naf": "25.62A"},
        "c": {**COMPANY, "workforce": 9},
        "d": {**COMPANY, "naf": "47.11A"},
    }
    together = write_companies(tmp_path, profiles)
    status, out, _ = run(
        ["--programmes", str(directory), "--companies", str(together), "--date", "01/07/2026"], capsys
    )
    assert status == 0
    for name, profile in profiles.items():
        alone = write_company(tmp_path, profile)
        _, single, _ = run(
            ["--programmes", str(directory), "--company", str(alone), "--date", "01/07/2026"], capsys
        )
        assert json.loads(out)[name] == json.loads(single)


@pytest.mark.parametrize(
    ("companies", "message"),
    [
        ("[]", "must be a JSON object of named companies"),
        ('{"a": {}, "b": {"workforce": -3}}', "company 'b': workforce: must be a whole number"),
        ('{"a": {"region": "Landes"}}', "company 'a': region: unknown region 'Landes'"),
        ('{"a": 3}', "company 'a': company: must be a JSON object"),
    ],
)
def test_a_bad_company_among_many_is_named_and_nothing_is_printed(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], companies: str, message: str
) -> None:
    directory = write_catalogue(tmp_path, {"aide": PROGRAMME_YAML})
    path = tmp_path / "companies.json"
    path.write_text(companies, encoding="utf-8")
    status, out, err = run(["--programmes", str(directory), "--companies", str(path)], capsys)
    assert (status, out) == (2, "")
    assert message in err


def test_company_and_companies_exclude_each_other(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    directory = write_catalogue(tmp_path, {"aide": PROGRAMME_YAML})
    company = write_company(tmp_path, COMPANY)
    with pytest.raises(SystemExit) as exited:
        main(["--programmes", str(directory), "--company", str(company), "--companies", str(company)])
    assert exited.value.code == 2
    assert "not allowed with argument" in capsys.readouterr().err
