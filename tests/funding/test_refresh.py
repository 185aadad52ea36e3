"""`sobrindustrie funding refresh DIR`: the difference first, then all of it or nothing."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from sobrindustrie.cli import main
from sobrindustrie.funding.catalogue import load_default_catalogue
from sobrindustrie.funding.eligibility import evaluate
from sobrindustrie.funding.matching import rank
from sobrindustrie.funding.models import CatalogueImport, FundingScheme, Shortlist
from sobrindustrie.funding.refresh import RefreshRefused, plan_mte_refresh
from sobrindustrie.funding.services import organisations_concerned
from tests.funding.conftest import SHARED_DATA, FundingWorld
from tests.funding.test_import import BAD_DATE, GOOD, MALFORMED, _directory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]
TODAY = dt.date(2026, 12, 7)
EXPIRED = "accelerateur-economie-circulaire"  # ended on 25/11/2026


def _refresh(*args: str) -> str:
    from io import StringIO

    out = StringIO()
    call_command("refresh_funding_catalogue", *args, "--today", TODAY.isoformat(), stdout=out)
    return out.getvalue()


def test_the_report_names_new_changed_fields_withdrawn_and_expired(tmp_path: Path, interface: object) -> None:
    directory = _directory(tmp_path, {"kept": GOOD, "edited": GOOD, "gone": GOOD})
    assert "New: 3" in _refresh(str(directory), "--yes")
    (directory / "edited.yaml").write_text(
        GOOD.replace("fin de validité: 31/12/2027", "fin de validité: 30/11/2026"), encoding="utf-8"
    )
    (directory / "gone.yaml").unlink()
    (directory / "fresh.yaml").write_text(
        GOOD.replace("Étude de rétrofit", "Nouvelle étude"), encoding="utf-8"
    )
    report = _refresh(str(directory), "--dry-run")
    assert "New: 1\n  + fresh" in report
    assert "Changed: 1\n  ~ edited (valid until)" in report
    assert "Withdrawn by the source (kept for history): 1\n  - gone" in report
    assert "Expired (past their end date, kept, left out of matching): 1\n  × edited" in report
    assert "Dry run: nothing was changed." in report
    assert not FundingScheme.objects.filter(slug="fresh").exists()
    assert FundingScheme.objects.get(slug="edited").valid_until == dt.date(2027, 12, 31)

    _refresh(str(directory), "--yes")
    gone = FundingScheme.objects.get(slug="gone")
    assert gone.withdrawn_on == TODAY  # kept for history
    assert set(FundingScheme.objects.in_force(TODAY).values_list("slug", flat=True)) == {"kept", "fresh"}
    run = CatalogueImport.objects.first()
    assert run is not None and run.directory == "programs"  # the folder's name, not the server's path
    assert run.changes["changed"] == {"edited": ["valid until"]} and run.withdrawn == 1
    # Republished: back in force.
    (directory / "gone.yaml").write_text(GOOD, encoding="utf-8")
    assert "~ gone (withdrawn from the source on)" in _refresh(str(directory), "--yes")
    assert FundingScheme.objects.get(slug="gone").withdrawn_on is None


def test_one_broken_file_changes_nothing_and_is_named_with_its_field(
    tmp_path: Path, interface: object
) -> None:
    directory = _directory(tmp_path, {"good": GOOD})
    _refresh(str(directory), "--yes")
    before = list(FundingScheme.objects.values_list("slug", "valid_until", "version"))
    (directory / "good.yaml").write_text(GOOD.replace("31/12/2027", "31/12/2028"), encoding="utf-8")
    (directory / "other.yaml").write_text(GOOD, encoding="utf-8")
    (directory / "bad-date.yaml").write_text(BAD_DATE, encoding="utf-8")
    (directory / "malformed.yaml").write_text(MALFORMED, encoding="utf-8")
    too_long = GOOD.replace(
        "nature de l'aide: étude", "nature de l'aide: étude\ndurée de l'accompagnement: " + "x" * 300
    )
    (directory / "too-long.yaml").write_text(too_long, encoding="utf-8")
    with pytest.raises(CommandError) as refused:
        _refresh(str(directory), "--yes")
    message = str(refused.value)
    assert "Refused, nothing was changed:" in message
    assert "bad-date.yaml, field “fin de validité”: `fin de validité` must be a date" in message
    assert "malformed.yaml: malformed YAML" in message
    assert "too-long.yaml, field “durée de l'accompagnement”: `support_duration_text` is longer" in message
    assert list(FundingScheme.objects.values_list("slug", "valid_until", "version")) == before
    assert CatalogueImport.objects.count() == 1


def test_a_prompt_guards_the_apply_and_a_pipe_needs_yes(
    tmp_path: Path, interface: object, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    directory = _directory(tmp_path, {"good": GOOD})
    with pytest.raises(CommandError, match="--yes"):
        _refresh(str(directory))
    monkeypatch.setattr("sys.stdin.isatty", lambda: True)
    monkeypatch.setattr("builtins.input", lambda prompt: "n")
    assert "Nothing was changed." in _refresh(str(directory))
    assert not FundingScheme.objects.exists()
    monkeypatch.setattr("builtins.input", lambda prompt: "y")
    assert "Applied." in _refresh(str(directory))
    assert FundingScheme.objects.filter(slug="good").exists()


def test_a_slug_of_another_source_is_refused(tmp_path: Path, interface: object) -> None:
    FundingScheme.objects.create(slug="good", title="Curated", source="curated", nature="study")
    with pytest.raises(RefreshRefused, match="already used by a scheme of another source"):
        plan_mte_refresh(_directory(tmp_path, {"good": GOOD}), TODAY)


@pytest.mark.skipif(not (SHARED_DATA / "programs").is_dir(), reason="../shared/data is absent")
def test_the_demo_catalogue_refreshed_from_the_full_directory_drops_the_expired_scheme(
    funding_world: FundingWorld, capsys: pytest.CaptureFixture[str]
) -> None:
    load_default_catalogue()  # what the demo loads: 30 of the 264 programmes and the curated schemes
    action = funding_world.action
    expired = FundingScheme.objects.get(slug=EXPIRED)
    Shortlist.objects.create(action=action, scheme=expired)
    directory = SHARED_DATA / "programs"
    assert main(["funding", "refresh", str(directory), "--dry-run", "--today", TODAY.isoformat()]) == 0
    report = capsys.readouterr().out
    assert "New: 234" in report and "Changed: 0" in report
    # The world's own test scheme is not in the source: withdrawn, not deleted.
    assert f"Withdrawn by the source (kept for history): 1\n  - {funding_world.scheme.slug}" in report
    assert f"  × {EXPIRED}" in report
    assert "Rules the engine refuses (eligibility cannot be evaluated): 8" in report
    assert FundingScheme.objects.count() == 30 + 3
    assert main(["funding", "refresh", str(directory), "--yes", "--today", TODAY.isoformat()]) == 0
    assert "Applied." in capsys.readouterr().out
    assert FundingScheme.objects.filter(source="mte", withdrawn_on__isnull=True).count() == 264
    # Kept for history, out of matching: the schemes the action's funding page ranks are the ones in force.
    assert FundingScheme.objects.filter(slug=EXPIRED).exists()
    schemes = list(FundingScheme.objects.in_force(TODAY))
    assert EXPIRED not in {scheme.slug for scheme in schemes}
    organisations = organisations_concerned(action)
    eligibility = evaluate(organisations, schemes, TODAY)
    matching = rank(action, schemes, [eligibility[o.pk] for o in organisations], TODAY)
    ranked = {m.scheme.slug for m in matching.matches} | {m.scheme.slug for m in matching.excluded}
    assert EXPIRED not in ranked and len(ranked) == len(schemes)
    # Refreshing again changes nothing.
    assert main(["funding", "refresh", str(directory), "--dry-run", "--today", TODAY.isoformat()]) == 0
    assert "New: 0" in (again := capsys.readouterr().out) and "Changed: 0" in again
