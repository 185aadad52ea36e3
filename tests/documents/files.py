"""Small files built in code, good and hostile: no binary fixture in the repository."""

from __future__ import annotations

import io
import zipfile

from django.core.files.uploadedfile import SimpleUploadedFile

PDF = b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + b"\x00" * 17
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + b"\x00" * 20 + b"\xff\xd9"
EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff" + b"\x00" * 100
ELF = b"\x7fELF\x02\x01\x01" + b"\x00" * 100
HTML = b"<!DOCTYPE html><html><body><script>alert(1)</script></body></html>"

DOCX_TYPES = (
    b'<?xml version="1.0"?><Types><Override PartName="/word/document.xml" '
    b'ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>'
)
PPTX_TYPES = DOCX_TYPES.replace(b"wordprocessingml.document", b"presentationml.presentation")


def docx(text: str = "Compte rendu de l'atelier de mutualisation") -> bytes:
    import docx as python_docx

    document = python_docx.Document()
    document.add_paragraph(text)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def xlsx() -> bytes:
    import openpyxl

    workbook = openpyxl.Workbook()
    workbook.active["A1"] = "Machine"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def zipped(members: list[tuple[str, bytes]], stored_first: bool = False) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for index, (name, data) in enumerate(members):
            compress = zipfile.ZIP_STORED if stored_first and index == 0 else zipfile.ZIP_DEFLATED
            archive.writestr(name, data, compress_type=compress)
    return buffer.getvalue()


def pptx() -> bytes:
    return zipped([("[Content_Types].xml", PPTX_TYPES), ("ppt/presentation.xml", b"<p/>")])


def odt() -> bytes:
    return zipped(
        [("mimetype", b"application/vnd.oasis.opendocument.text"), ("content.xml", b"<office/>")],
        stored_first=True,
    )


def zip_bomb() -> bytes:
    """A "docx" whose one member expands from a few kilobytes to 20 MB."""
    return zipped([("[Content_Types].xml", DOCX_TYPES), ("word/document.xml", b"\x00" * 20 * 1024 * 1024)])


def macro_docx() -> bytes:
    return zipped([("[Content_Types].xml", DOCX_TYPES), ("word/vbaProject.bin", b"\x00" * 10)])


def upload(name: str, data: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type="application/octet-stream")


GOOD = {
    "pdf": ("rapport.pdf", lambda: PDF),
    "png": ("photo.png", lambda: PNG),
    "jpeg": ("photo.jpg", lambda: JPEG),
    "docx": ("compte-rendu.docx", docx),
    "xlsx": ("grille.xlsx", xlsx),
    "pptx": ("slides.pptx", pptx),
    "odt": ("note.odt", odt),
    "csv": ("export.csv", lambda: b"machine;heures\nTour;1200\n"),
    "txt": ("notes.txt", lambda: "Notes de l'atelier, été 2026\n".encode()),
}

HOSTILE = {
    "exe renamed pdf": ("rapport.pdf", lambda: EXE, "not one of the accepted formats"),
    "elf renamed docx": ("rapport.docx", lambda: ELF, "not one of the accepted formats"),
    "html": ("page.html", lambda: HTML, "not one of the accepted formats"),
    "html renamed txt": ("notes.txt", lambda: HTML, "Web pages and scripts are refused"),
    "zip bomb as docx": ("cr.docx", zip_bomb, "zip bomb"),
    "plain zip as docx": ("cr.docx", lambda: zipped([("a.txt", b"hello")]), "archives are refused"),
    "macros": ("cr.docx", macro_docx, "macros are refused"),
    "png named pdf": ("rapport.pdf", lambda: PNG, "content is PNG but its name ends in .pdf"),
    "binary csv": ("export.csv", lambda: b"a;b\x00\x01", "binary data"),
    "truncated pdf": ("rapport.pdf", lambda: b"%PDF-1.4\nnothing else", "truncated or damaged"),
    "no extension": ("rapport", lambda: PDF, "no extension"),
}
