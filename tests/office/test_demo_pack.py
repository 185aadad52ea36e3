"""The demo programme's whole pack, built from the command line, opened by LibreOffice.

Marked `office` (run by `make office-check` in CI, after installing LibreOffice's headless packages):
it loads the demo (about a minute), builds every deliverable with `sobrindustrie deliverables build`,
converts every DOCX, XLSX and PPTX to PDF with `soffice --headless` and reads the text back, checks
that each file says what it claims (the programme, its companies, its teams), and that building again
gives the same bytes.
"""

from __future__ import annotations

import shutil
import subprocess
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.core.management import call_command
from pypdf import PdfReader

from sobrindustrie.deliverables.catalogue import KINDS, REPORT_CONTENTS
from sobrindustrie.deliverables.office import core_properties, office_text

pytestmark = pytest.mark.office
SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")


@pytest.fixture(scope="module")
def pack(
    django_db_setup: None, django_db_blocker: object, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Path]:
    out = tmp_path_factory.mktemp("pack")
    with django_db_blocker.unblock():  # type: ignore[attr-defined]
        call_command("load_demo", verbosity=0)
        call_command("deliverables", "build", "--programme", "sobrindustrie-paca-2025", "--out", str(out))
        yield out


def _files(pack: Path, *suffixes: str) -> list[Path]:
    return sorted(p for p in pack.rglob("*") if p.suffix in suffixes and p.parent != pack)


def test_the_pack_has_a_table_of_contents_and_every_deliverable(pack: Path) -> None:
    toc = (pack / "00-sommaire.html").read_text()
    for kind in KINDS:
        assert f"<td>{kind.display_code}</td>" in toc, kind.code
    produced = {
        p.parent.name for p in _files(pack, ".docx", ".xlsx", ".pptx", ".pdf") if p.parent.name != "rapports"
    }
    # The demo runs to the end of the follow-up: every Axis 1 to 3 deliverable has its data.
    for code in REPORT_CONTENTS["REPORT_M6"] + REPORT_CONTENTS["REPORT_M12"]:
        assert code in produced, code
    assert (pack / "rapports").is_dir()
    zips = list(pack.glob("*.zip"))
    assert len(zips) == 1
    with zipfile.ZipFile(zips[0]) as archive:
        assert archive.testzip() is None


def test_office_files_carry_their_metadata(pack: Path) -> None:
    for path in _files(pack, ".docx", ".xlsx", ".pptx"):
        properties = core_properties(path.read_bytes())
        assert properties.get("title"), path
        assert properties.get("language") == "fr", path
        assert properties.get("creator"), path


@pytest.mark.skipif(SOFFICE is None, reason="LibreOffice is installed by .ci/run before make office-check")
def test_libreoffice_opens_every_office_file(pack: Path, tmp_path: Path) -> None:
    files = _files(pack, ".docx", ".xlsx", ".pptx")
    assert files
    converted = tmp_path / "pdf"
    profile = tmp_path / "profile"
    # One soffice run converts them all (a run per file would take minutes).
    subprocess.run(
        [SOFFICE, f"-env:UserInstallation=file://{profile}", "--headless", "--convert-to", "pdf",
         "--outdir", str(converted), *map(str, files)],
        check=True, capture_output=True, timeout=600,
    )  # fmt: skip
    for path in files:
        pdf = converted / f"{path.stem}.pdf"
        assert pdf.exists(), f"LibreOffice could not open {path.relative_to(pack)}"
        text = " ".join(page.extract_text() or "" for page in PdfReader(pdf).pages)
        source = office_text(path.read_bytes(), path.suffix[1:])
        # What the file says survives the conversion: its first substantial line is in the PDF.
        first = next(line for line in source.splitlines() if len(line.strip()) > 12)
        assert " ".join(first.split()[:3]) in " ".join(text.split()), (path.name, first)


def test_files_name_the_programme_s_data(pack: Path) -> None:
    from sobrindustrie.organisations.models import Organisation
    from sobrindustrie.teams.models import ProjectTeam

    names = set(
        Organisation.objects.filter(programme__slug="sobrindustrie-paca-2025").values_list("name", flat=True)
    )
    teams = set(
        ProjectTeam.objects.filter(programme__slug="sobrindustrie-paca-2025").values_list("name", flat=True)
    )
    l13 = " ".join(
        office_text(p.read_bytes(), "docx") for p in _files(pack, ".docx") if p.parent.name == "L1.3"
    )
    assert sum(1 for name in names if name in l13) >= 10
    l17 = " ".join(
        office_text(p.read_bytes(), "docx") for p in _files(pack, ".docx") if p.parent.name == "L1.7"
    )
    assert all(team in l17 for team in teams)
    for pdf in _files(pack, ".pdf"):
        assert PdfReader(pdf).pages, pdf


def test_building_again_gives_the_same_office_files(
    pack: Path, tmp_path: Path, django_db_blocker: object
) -> None:
    with django_db_blocker.unblock():  # type: ignore[attr-defined]
        call_command(
            "deliverables", "build", "--programme", "sobrindustrie-paca-2025", "--out", str(tmp_path)
        )
    for path in _files(pack, ".docx", ".xlsx", ".pptx"):
        again = tmp_path / path.relative_to(pack)
        assert again.read_bytes() == path.read_bytes(), path.relative_to(pack)
