"""The demo programme's whole pack, built from the command line, opened by LibreOffice.

Marked `office` (run by `make office-check` in CI, after installing LibreOffice's headless packages):
it loads the demo (about a minute), builds every deliverable with `sobrindustrie deliverables build`,
converts every DOCX, XLSX and PPTX to PDF with `soffice --headless` and reads the text back, checks
that each file says what it claims (the programme, its companies, its teams), and that building again
gives the same bytes.
"""

from __future__ import annotations

import difflib
import io
import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest
from django.core.management import call_command
from pypdf import PdfReader

from sobrindustrie.deliverables.catalogue import KINDS, REPORT_CONTENTS
from sobrindustrie.deliverables.office import core_properties, office_text

pytestmark = pytest.mark.office
SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")
SLUG = "sobrindustrie-paca-2025"


@pytest.mark.django_db(transaction=True)
def test_the_demo_pack(tmp_path: Path) -> None:
    """One test: loading the demo is the costly part, every check below reads the same pack."""
    pack = tmp_path / "pack"
    call_command("load_demo", verbosity=0)
    call_command("deliverables", "build", "--programme", SLUG, "--out", str(pack), stdout=io.StringIO())
    check_table_of_contents(pack)
    check_metadata(pack)
    check_names_of_the_programme_s_data(pack)
    check_libreoffice_opens_every_office_file(pack, tmp_path)
    check_building_again_gives_the_same_office_files(pack, tmp_path / "again")


def _files(pack: Path, *suffixes: str) -> list[Path]:
    return sorted(p for p in pack.rglob("*") if p.suffix in suffixes and p.parent != pack)


def check_table_of_contents(pack: Path) -> None:
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


def check_metadata(pack: Path) -> None:
    for path in _files(pack, ".docx", ".xlsx", ".pptx"):
        properties = core_properties(path.read_bytes())
        assert properties.get("title"), path
        assert properties.get("language") == "fr", path
        assert properties.get("creator"), path


def check_libreoffice_opens_every_office_file(pack: Path, tmp_path: Path) -> None:
    assert SOFFICE, "LibreOffice (soffice) is needed: .ci/run installs it before make office-check"
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


def check_names_of_the_programme_s_data(pack: Path) -> None:
    from sobrindustrie.organisations.models import Organisation
    from sobrindustrie.teams.models import ProjectTeam

    names = set(Organisation.objects.filter(programme__slug=SLUG).values_list("name", flat=True))
    teams = set(ProjectTeam.objects.filter(programme__slug=SLUG).values_list("name", flat=True))
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


def check_building_again_gives_the_same_office_files(pack: Path, again_dir: Path) -> None:
    call_command("deliverables", "build", "--programme", SLUG, "--out", str(again_dir), stdout=io.StringIO())
    for path in _files(pack, ".docx", ".xlsx", ".pptx"):
        again = again_dir / path.relative_to(pack)
        if again.read_bytes() != path.read_bytes():
            fmt = path.suffix[1:]
            before, after = office_text(path.read_bytes(), fmt), office_text(again.read_bytes(), fmt)
            changed = list(difflib.unified_diff(before.splitlines(), after.splitlines(), lineterm=""))
            raise AssertionError(
                f"{path.relative_to(pack)} changed on a rebuild:\n" + "\n".join(changed[:40])
            )
