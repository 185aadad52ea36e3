"""Checking what an uploaded file really is, from its content rather than its name.

A file is accepted only when its bytes match one of the programme's formats *and* its name's
extension agrees with them: an executable renamed `.pdf`, an HTML page renamed `.txt` or a zip
bomb dressed as a `.docx` are refused before anything reaches the storage.
"""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass
from typing import IO

from django.conf import settings
from django.utils.translation import gettext as _

MB = 1024 * 1024
#: A document compressing more than this ratio is not an office file but a bomb.
MAX_COMPRESSION_RATIO = 100
#: Text files are checked on their first bytes: enough to tell text from binary.
TEXT_SNIFF_BYTES = 64 * 1024


class UploadRefused(ValueError):
    """The file is not one the platform accepts; the message says why, for the person uploading."""


@dataclass(frozen=True)
class FileKind:
    code: str
    label: str
    extensions: tuple[str, ...]
    mime: str


KINDS = {
    kind.code: kind
    for kind in [
        FileKind("pdf", "PDF", ("pdf",), "application/pdf"),
        FileKind("png", "PNG", ("png",), "image/png"),
        FileKind("jpeg", "JPEG", ("jpg", "jpeg"), "image/jpeg"),
        FileKind(
            "docx",
            "Word (DOCX)",
            ("docx",),
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        ),
        FileKind(
            "xlsx",
            "Excel (XLSX)",
            ("xlsx",),
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        ),
        FileKind(
            "pptx",
            "PowerPoint (PPTX)",
            ("pptx",),
            "application/vnd.openxmlformats-officedocument.presentationml.presentation",
        ),
        FileKind("odt", "OpenDocument text", ("odt",), "application/vnd.oasis.opendocument.text"),
        FileKind(
            "ods", "OpenDocument spreadsheet", ("ods",), "application/vnd.oasis.opendocument.spreadsheet"
        ),
        FileKind(
            "odp", "OpenDocument presentation", ("odp",), "application/vnd.oasis.opendocument.presentation"
        ),
        FileKind("csv", "CSV", ("csv",), "text/csv"),
        FileKind("txt", "Text", ("txt",), "text/plain"),
    ]
}
ACCEPTED_EXTENSIONS = sorted({ext for kind in KINDS.values() for ext in kind.extensions})

# The main part each OOXML package declares in [Content_Types].xml.
OOXML_MAIN_PARTS = {
    b"wordprocessingml.document.main+xml": "docx",
    b"spreadsheetml.sheet.main+xml": "xlsx",
    b"presentationml.presentation.main+xml": "pptx",
}
ODF_MIMETYPES = {KINDS[code].mime.encode(): code for code in ("odt", "ods", "odp")}


def max_upload_bytes() -> int:
    return int(getattr(settings, "DOCUMENTS_MAX_UPLOAD_MB", 25)) * MB


def max_uncompressed_bytes() -> int:
    return int(getattr(settings, "DOCUMENTS_MAX_UNCOMPRESSED_MB", 200)) * MB


def check_name(name: str) -> str:
    """The file's extension, lower-cased; refuses names that try to say where the file goes."""
    if not name or "/" in name or "\\" in name or "\x00" in name or name.strip(". ") == "":
        raise UploadRefused(_("The file name “%s” is not allowed: give a plain name without folders.") % name)
    if len(name) > 200:
        raise UploadRefused(_("The file name is longer than 200 characters."))
    if "." not in name:
        raise UploadRefused(_("The file name has no extension (.pdf, .docx…)."))
    return name.rsplit(".", 1)[1].lower()


def inspect_upload(name: str, stream: IO[bytes], size: int) -> FileKind:
    """The kind of the uploaded file, or `UploadRefused` with a message naming the rule broken."""
    extension = check_name(name)
    limit = max_upload_bytes()
    if size > limit:
        raise UploadRefused(
            _("The file weighs %(size).1f MB; the limit is %(limit)d MB.")
            % {"size": size / MB, "limit": limit // MB}
        )
    if size == 0:
        raise UploadRefused(_("The file is empty."))
    stream.seek(0)
    head = stream.read(16)
    stream.seek(0)
    code = _detect(head, stream, extension)
    stream.seek(0)
    kind = KINDS[code]
    if extension not in kind.extensions:
        raise UploadRefused(
            _(
                "The file's content is %(kind)s but its name ends in .%(ext)s: rename it or upload the right file."
            )
            % {"kind": kind.label, "ext": extension}
        )
    return kind


def _detect(head: bytes, stream: IO[bytes], extension: str) -> str:
    if head.startswith(b"%PDF-"):
        return _check_pdf(stream)
    if head.startswith(b"\x89PNG\r\n\x1a\n") and head[12:16] == b"IHDR":
        return "png"
    if head.startswith(b"\xff\xd8\xff"):
        return "jpeg"
    if head.startswith(b"PK\x03\x04"):
        return _check_zip(stream)
    if extension in ("csv", "txt"):
        return _check_text(stream, extension)
    raise UploadRefused(
        _(
            "This file is not one of the accepted formats (%s). Executables, web pages and archives are refused."
        )
        % ", ".join(ACCEPTED_EXTENSIONS)
    )


def _check_pdf(stream: IO[bytes]) -> str:
    # A real PDF ends with an end-of-file marker near its last bytes.
    stream.seek(0, io.SEEK_END)
    end = stream.tell()
    stream.seek(max(0, end - 2048))
    if b"%%EOF" not in stream.read():
        raise UploadRefused(_("This PDF is truncated or damaged (no end-of-file marker)."))
    return "pdf"


def _check_zip(stream: IO[bytes]) -> str:
    try:
        archive = zipfile.ZipFile(stream)
        members = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError) as error:
        raise UploadRefused(_("This office document is damaged (not a readable archive).")) from error
    with archive:
        _check_zip_bomb(members)
        names = {member.filename for member in members}
        if any(name.lower().endswith("vbaproject.bin") for name in names):
            raise UploadRefused(_("Documents containing macros are refused."))
        if "[Content_Types].xml" in names:
            declared = archive.read("[Content_Types].xml")
            if b"macroEnabled" in declared:
                raise UploadRefused(_("Documents containing macros are refused."))
            for part, code in OOXML_MAIN_PARTS.items():
                if part in declared:
                    return code
        if members and members[0].filename == "mimetype" and members[0].compress_type == zipfile.ZIP_STORED:
            code = ODF_MIMETYPES.get(archive.read("mimetype").strip())
            if code:
                return code
    raise UploadRefused(
        _("This archive is not a Word, Excel, PowerPoint or OpenDocument file; archives are refused.")
    )


def _check_zip_bomb(members: list[zipfile.ZipInfo]) -> None:
    """Refuse before decompressing anything: sizes come from the archive's directory."""
    total = sum(member.file_size for member in members)
    packed = sum(member.compress_size for member in members)
    if total > max_uncompressed_bytes():
        raise UploadRefused(
            _("This document would expand to %(size)d MB once opened; the limit is %(limit)d MB.")
            % {"size": total // MB, "limit": max_uncompressed_bytes() // MB}
        )
    if total > MB and total > MAX_COMPRESSION_RATIO * max(packed, 1):
        raise UploadRefused(_("This document is compressed abnormally (a “zip bomb”): it is refused."))
    if any(member.flag_bits & 0x1 for member in members):
        raise UploadRefused(_("Encrypted documents are refused."))


def _check_text(stream: IO[bytes], extension: str) -> str:
    sample = stream.read(TEXT_SNIFF_BYTES)
    if b"\x00" in sample:
        raise UploadRefused(_("This .%s file contains binary data, not text.") % extension)
    try:
        text = sample.decode("utf-8")
    except UnicodeDecodeError as error:
        # A multi-byte character cut at the sample's end is not an error.
        if error.start < len(sample) - 4:
            try:
                text = sample.decode("cp1252")
            except UnicodeDecodeError:
                raise UploadRefused(_("This .%s file is not readable text.") % extension) from error
        else:
            text = sample[: error.start].decode("utf-8")
    lowered = text.lstrip("\ufeff \t\r\n").lower()
    if lowered.startswith(("<!doctype", "<html", "<?xml", "<svg")) or "<script" in lowered:
        raise UploadRefused(_("Web pages and scripts are refused, even renamed .%s.") % extension)
    return extension


def extract_text(kind: str, stream: IO[bytes], limit: int = 100_000) -> str:
    """Searchable text of a DOCX or PDF, or "" when none can be read (scans, damaged files)."""
    stream.seek(0)
    try:
        if kind == "docx":
            import docx

            document = docx.Document(stream)
            return "\n".join(p.text for p in document.paragraphs)[:limit]
        if kind == "pdf":
            try:
                from pypdf import PdfReader
            except ImportError:  # pypdf is optional: PDFs are then found by name only
                return ""
            reader = PdfReader(stream)
            text = "\n".join((page.extract_text() or "") for page in reader.pages[:50])
            return text[:limit]
    except Exception:
        return ""
    finally:
        stream.seek(0)
    return ""
