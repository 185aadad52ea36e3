"""The one upload policy of the platform: what an uploaded file really is, from its content.

A file is accepted only when its bytes match one of the allowed formats *and* its name's extension
agrees with them: an executable renamed `.pdf`, an HTML page renamed `.txt` or a zip bomb dressed
as a `.docx` are refused before anything reaches the storage or a parser. Names lose their control
and bidirectional characters (a right-to-left override shows `rapport‮fdp.exe` as `rapportexe.pdf`).

Every way in uses it: `CheckedFileField` on forms (`DsfrFormMixin` puts it in place of any plain file
field, so a form added later is covered too), `check_upload` in services, `check_archive_size`
before a parser opens an office file. Every way out goes through `attachment_response`, which serves
the file as an attachment that the browser neither sniffs nor runs.
"""

from __future__ import annotations

import io
import unicodedata
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass
from typing import IO, Any

from django import forms
from django.conf import settings
from django.core.files.base import File
from django.http import FileResponse, Http404
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

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
        # Only where asked for by name (the diagnostic method's source): not a document format.
        FileKind("yaml", "YAML", ("yaml", "yml"), "application/yaml"),
    ]
}
TEXT_KINDS = ("csv", "txt", "yaml")
#: What a document upload accepts unless a field asks for fewer kinds.
DOCUMENT_KINDS = ("pdf", "png", "jpeg", "docx", "xlsx", "pptx", "odt", "ods", "odp", "csv", "txt")
IMAGE_KINDS = ("png", "jpeg")
ACCEPTED_EXTENSIONS = sorted({ext for code in DOCUMENT_KINDS for ext in KINDS[code].extensions})

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


def safe_name(name: str) -> str:
    """`name` without control, format (bidirectional overrides, zero-width) or unassigned characters,
    in NFC and without surrounding spaces; folders are refused by `check_name`, not dropped."""
    cleaned = "".join(
        char
        for char in unicodedata.normalize("NFC", name)
        if unicodedata.category(char) not in UNSAFE_CATEGORIES
    )
    return cleaned.strip()


#: Control, format (U+202E RIGHT-TO-LEFT OVERRIDE, U+200B…), surrogate, private-use and unassigned.
UNSAFE_CATEGORIES = frozenset({"Cc", "Cf", "Cs", "Co", "Cn", "Zl", "Zp"})


def check_name(name: str) -> str:
    """The file's extension, lower-cased; refuses names that try to say where the file goes."""
    name = safe_name(name)
    if not name or "/" in name or "\\" in name or "\x00" in name or name.strip(". ") == "":
        raise UploadRefused(_("The file name “%s” is not allowed: give a plain name without folders.") % name)
    if len(name) > 200:
        raise UploadRefused(_("The file name is longer than 200 characters."))
    if "." not in name:
        raise UploadRefused(_("The file name has no extension (.pdf, .docx…)."))
    return name.rsplit(".", 1)[1].lower()


def inspect_upload(
    name: str, stream: IO[bytes], size: int, kinds: Iterable[str] = DOCUMENT_KINDS
) -> FileKind:
    """The kind of the uploaded file, or `UploadRefused` with a message naming the rule broken.

    `kinds` is the allow-list of this way in; the content decides the kind, the name must agree.
    """
    allowed = tuple(kinds)
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
    code = _detect(head, stream, extension, allowed)
    stream.seek(0)
    kind = KINDS[code]
    if extension not in kind.extensions:
        raise UploadRefused(
            _(
                "The file's content is %(kind)s but its name ends in .%(ext)s: rename it or upload the right file."
            )
            % {"kind": kind.label, "ext": extension}
        )
    if code not in allowed:
        raise UploadRefused(
            _("This is a %(kind)s file; here only %(formats)s are accepted.")
            % {"kind": kind.label, "formats": ", ".join(accepted_extensions(allowed))}
        )
    return kind


def accepted_extensions(kinds: Iterable[str]) -> list[str]:
    return sorted({ext for code in kinds for ext in KINDS[code].extensions})


def _detect(head: bytes, stream: IO[bytes], extension: str, allowed: tuple[str, ...]) -> str:
    if head.startswith(b"%PDF-"):
        return _check_pdf(stream)
    if head.startswith(b"\x89PNG\r\n\x1a\n") and head[12:16] == b"IHDR":
        return "png"
    if head.startswith(b"\xff\xd8\xff"):
        return "jpeg"
    if head.startswith(b"PK\x03\x04"):
        return _check_zip(stream)
    text_kind = next((code for code in TEXT_KINDS if extension in KINDS[code].extensions), None)
    if text_kind:
        _check_text(stream, extension)
        return text_kind
    raise UploadRefused(
        _(
            "This file is not one of the accepted formats (%s). Executables, web pages and archives are refused."
        )
        % ", ".join(accepted_extensions(allowed))
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


def check_archive_size(data: bytes | IO[bytes]) -> None:
    """Refuse an office file (a zip) that would expand beyond the limit, before any parser opens it.

    Only the archive's directory is read. A file that is not a readable archive is left to the
    parser, whose own error says so.
    """
    stream = io.BytesIO(data) if isinstance(data, bytes) else data
    try:
        with zipfile.ZipFile(stream) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError):
        return
    finally:
        stream.seek(0)
    _check_zip_bomb(members)


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


def check_upload(upload: Any, kinds: Iterable[str] = DOCUMENT_KINDS) -> FileKind:
    """Check an uploaded file (Django's `UploadedFile`) against the policy and give it its safe name.

    Services call it even when a form did already: a file reaching storage by another way (the API,
    a command) meets the same rules. The name keeps what the person typed, less what could mislead.
    """
    kind = inspect_upload(upload.name or "", upload.file, upload.size or 0, kinds)
    upload.name = safe_name(upload.name)
    return kind


class CheckedFileField(forms.FileField):
    """A form's file field under the upload policy: refusals show on the field, with the reason."""

    def __init__(self, *args: Any, kinds: Iterable[str] = DOCUMENT_KINDS, **kwargs: Any) -> None:
        self.kinds = tuple(kinds)
        extensions = accepted_extensions(self.kinds)
        kwargs.setdefault(
            "help_text",
            gettext_lazy("Accepted: %(formats)s; %(limit)d MB at most.")
            % {"formats": ", ".join(extensions), "limit": max_upload_bytes() // MB},
        )
        super().__init__(*args, **kwargs)
        self.widget.attrs.setdefault("accept", ",".join(f".{ext}" for ext in extensions))

    @classmethod
    def replacing(cls, field: forms.FileField) -> CheckedFileField:
        """The checked twin of a plain file field built by a model form (same label, requirement)."""
        checked = cls(
            label=field.label, required=field.required, max_length=field.max_length, widget=field.widget
        )
        if field.help_text:
            checked.help_text = field.help_text
        return checked

    def clean(self, data: Any, initial: Any = None) -> Any:
        upload = super().clean(data, initial)
        if upload and hasattr(upload, "content_type"):  # a new upload, not the stored file kept
            try:
                check_upload(upload, self.kinds)
            except UploadRefused as error:
                raise forms.ValidationError(str(error), code="upload_refused") from error
        return upload


def check_form_file_fields(fields: dict[str, forms.Field]) -> None:
    """Put every plain file field of a form under the policy (fields declared checked are kept)."""
    for name, field in list(fields.items()):
        if isinstance(field, forms.FileField) and not isinstance(field, CheckedFileField):
            fields[name] = CheckedFileField.replacing(field)


# --- Serving stored files ------------------------------------------------------------------------

#: A downloaded file never runs in the platform's origin: no script, no plugin, no form, no fetch.
SANDBOX_POLICY = "default-src 'none'; sandbox"


class MissingFile(FileNotFoundError):
    """A file the database refers to is not in the storage; the message names it."""


def open_stored(field_file: Any) -> File:  # type: ignore[type-arg]
    """The stored file opened for reading, or `MissingFile` naming it."""
    try:
        return field_file.storage.open(field_file.name, "rb")  # type: ignore[no-any-return]
    except (FileNotFoundError, OSError) as error:
        raise MissingFile(_("The file “%s” is missing from the storage.") % field_file.name) from error


def stored_size(field_file: Any) -> int | None:
    """The stored file's size, or None when it is missing (a page shows so rather than failing)."""
    if not field_file:
        return None
    try:
        return int(field_file.storage.size(field_file.name))
    except (FileNotFoundError, OSError):
        return None


def protect(response: Any) -> Any:
    """Headers every served upload carries: the declared type is final, and nothing in it may run."""
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = SANDBOX_POLICY
    return response


def attachment_response(handle: Any, filename: str, content_type: str | None = None) -> FileResponse:
    """A stored file served for download under `filename` (made safe), never shown inline."""
    name = safe_name(filename).replace("/", "_").replace("\\", "_") or "fichier"
    response = FileResponse(handle, as_attachment=True, filename=name)
    if content_type:
        response["Content-Type"] = content_type
    return protect(response)  # type: ignore[no-any-return]


def serve_stored(field_file: Any, filename: str, content_type: str | None = None) -> FileResponse:
    """Download of a stored file; a file missing from the storage is a 404 naming it, not a 500."""
    try:
        handle = open_stored(field_file)
    except MissingFile as error:
        raise Http404(str(error)) from error
    return attachment_response(handle, filename, content_type)
