"""The hostile set, built in code and small on disk: what an attacker uploads to the platform.

Each case is a file name, its bytes and the words of the refusal the person must read.
"""

from __future__ import annotations

from collections.abc import Callable

from tests.documents.files import DOCX_TYPES, EXE, PDF, zipped

XLSX_TYPES = DOCX_TYPES.replace(b"wordprocessingml.document", b"spreadsheetml.sheet")
#: 20 MB of zeros packs into about 20 kB: past the compression-ratio limit of an office file.
BOMB_MEMBER = b"\x00" * 20 * 1024 * 1024

HTML = b"<!DOCTYPE html><html><body><script>document.location='https://evil.example'</script></body></html>"
SVG = (
    b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg">'
    b"<script>alert(document.cookie)</script></svg>"
)


def docx_bomb() -> bytes:
    return zipped([("[Content_Types].xml", DOCX_TYPES), ("word/document.xml", BOMB_MEMBER)])


def xlsx_bomb() -> bytes:
    return zipped([("[Content_Types].xml", XLSX_TYPES), ("xl/worksheets/sheet1.xml", BOMB_MEMBER)])


HostileCase = tuple[str, Callable[[], bytes], str]

HOSTILE: dict[str, HostileCase] = {
    "pe executable": ("setup.exe", lambda: EXE, "not one of the accepted formats"),
    "pe executable named pdf": ("rapport.pdf", lambda: EXE, "not one of the accepted formats"),
    "html with script": ("page.html", lambda: HTML, "not one of the accepted formats"),
    "html named txt": ("notes.txt", lambda: HTML, "Web pages and scripts are refused"),
    "svg with script": ("schema.svg", lambda: SVG, "not one of the accepted formats"),
    "svg named txt": ("schema.txt", lambda: SVG, "Web pages and scripts are refused"),
    "zip bomb named docx": ("compte-rendu.docx", docx_bomb, "compressed abnormally"),
    "zip bomb named xlsx": ("grille.xlsx", xlsx_bomb, "compressed abnormally"),
    # Shown as "rapportexe.pdf" by a browser, really ".exe": the override goes, the lie shows.
    "right-to-left override": ("rapport\u202efdp.exe", lambda: PDF, "but its name ends in .exe"),
    "oversize": ("gros.txt", lambda: b"a" * (1024 * 1024 + 10), "the limit is 1 MB"),
}
