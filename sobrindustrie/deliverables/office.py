"""Finishing touches shared by every generated file: metadata, and stable bytes.

Office files (DOCX, XLSX, PPTX) are zip archives whose entries carry the time they were written and
whose `docProps/core.xml` carries title, author, language and dates. `finalise` sets that metadata
from the generation context and rewrites the archive with fixed entry times, so the same data gives
the same bytes (a new version is stored only when something really changed). PDF files get their
metadata from the HTML they are rendered from (`<title>`, `lang`, author meta).
"""

from __future__ import annotations

import io
import zipfile
from datetime import datetime

from lxml import etree

OFFICE_FORMATS = {"docx", "xlsx", "pptx"}
_NS = {
    "cp": "http://schemas.openxmlformats.org/package/2006/metadata/core-properties",
    "dc": "http://purl.org/dc/elements/1.1/",
    "dcterms": "http://purl.org/dc/terms/",
    "xsi": "http://www.w3.org/2001/XMLSchema-instance",
}
_FIXED_ENTRY_TIME = (1980, 1, 1, 0, 0, 0)
_CORE = "docProps/core.xml"
_EMPTY_CORE = (
    b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    b'<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" '
    b'xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" '
    b'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"/>'
)


def _set(root: etree._Element, tag: str, text: str, *, w3cdtf: bool = False) -> None:
    prefix, name = tag.split(":")
    element = root.find(tag, _NS)
    if element is None:
        element = etree.SubElement(root, f"{{{_NS[prefix]}}}{name}")
    element.text = text
    if w3cdtf:
        element.set(f"{{{_NS['xsi']}}}type", "dcterms:W3CDTF")


def _core_xml(original: bytes | None, *, title: str, author: str, language: str, when: datetime) -> bytes:
    root = etree.fromstring(original or _EMPTY_CORE)
    stamp = when.replace(microsecond=0, tzinfo=None).isoformat() + "Z"
    _set(root, "dc:title", title)
    _set(root, "dc:creator", author)
    _set(root, "cp:lastModifiedBy", author)
    _set(root, "dc:language", language)
    _set(root, "dcterms:created", stamp, w3cdtf=True)
    _set(root, "dcterms:modified", stamp, w3cdtf=True)
    revision = root.find("cp:revision", _NS)
    if revision is not None:
        revision.text = "1"
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def finalise(content: bytes, fmt: str, *, title: str, author: str, language: str, when: datetime) -> bytes:
    """Set an office file's metadata and normalise its archive; other formats are returned as they are."""
    if fmt not in OFFICE_FORMATS:
        return content
    source = zipfile.ZipFile(io.BytesIO(content))
    names = source.namelist()
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as target:
        for name in names:
            data = source.read(name)
            if name == _CORE:
                data = _core_xml(data, title=title, author=author, language=language, when=when)
            info = zipfile.ZipInfo(name, date_time=_FIXED_ENTRY_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o600 << 16
            target.writestr(info, data, compress_type=zipfile.ZIP_DEFLATED, compresslevel=9)
        if _CORE not in names:
            # A package without core properties would also need a relationship and a content type;
            # every library used here writes one, so this is a programming error.
            raise ValueError(f"{fmt} file without {_CORE}")
    return out.getvalue()


def core_properties(content: bytes) -> dict[str, str]:
    """The metadata of an office file, for tests and the registry."""
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        root = etree.fromstring(archive.read(_CORE))
    found = {}
    for tag in ("dc:title", "dc:creator", "dc:language", "dcterms:created", "dcterms:modified"):
        element = root.find(tag, _NS)
        if element is not None and element.text:
            found[tag.split(":")[1]] = element.text
    return found


def office_text(content: bytes, fmt: str) -> str:
    """All the visible text of a DOCX, XLSX or PPTX file, to check that a file says what it claims."""
    texts: list[str] = []
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        for name in archive.namelist():
            wanted = (
                (fmt == "docx" and name.startswith("word/") and name.endswith(".xml"))
                or (fmt == "xlsx" and (name == "xl/sharedStrings.xml" or name.startswith("xl/worksheets/")))
                or (fmt == "pptx" and name.startswith("ppt/slides/slide") and name.endswith(".xml"))
            )
            if wanted:
                root = etree.fromstring(archive.read(name))
                texts.extend(t for t in root.itertext() if t.strip())
    return "\n".join(texts)
