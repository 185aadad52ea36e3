"""PDF rendering through WeasyPrint, which needs system libraries (Pango, HarfBuzz).

WeasyPrint loads those libraries when it is imported, so it is imported here, lazily, and nowhere
else: a machine without Pango still starts and serves every page; asking for a PDF then raises
`PdfUnavailable`, which the web layer turns into a page saying what to install
(`core.middleware.ServiceUnavailableMiddleware`).
"""

from __future__ import annotations

from functools import cache
from typing import Any

# The Debian/Ubuntu packages PDF export needs; README.md gives the same line.
PDF_SYSTEM_PACKAGES = ("libpango-1.0-0", "libpangoft2-1.0-0", "libharfbuzz-subset0")
INSTALL_COMMAND = "apt-get install " + " ".join(PDF_SYSTEM_PACKAGES)


class PdfUnavailable(RuntimeError):
    """PDF export cannot run on this machine: a system library is missing."""

    def __init__(self, reason: str) -> None:
        super().__init__(
            f"PDF export needs system libraries that are missing ({reason}); install them with: {INSTALL_COMMAND}"
        )
        self.reason = reason


@cache
def _html_class() -> Any:
    try:
        from weasyprint import HTML
    except (OSError, ImportError) as error:  # cffi's dlopen: absent or unreadable library
        raise PdfUnavailable(str(error)) from error
    return HTML


def pdf_unavailable_reason() -> str | None:
    """None when PDFs can be made here, else why not (for checks and the demo loader)."""
    try:
        _html_class()
    except PdfUnavailable as error:
        return error.reason
    return None


def html_to_pdf(html: str, **options: Any) -> bytes:
    """The PDF of an HTML document (options go to WeasyPrint's HTML, e.g. `url_fetcher`)."""
    return _html_class()(string=html, **options).write_pdf()  # type: ignore[no-any-return]


def local_only_fetcher(url: str, *args: Any, **kwargs: Any) -> Any:
    """A WeasyPrint URL fetcher that reads `data:` URLs (images embedded in the page) and refuses any
    other fetch, so that a document never makes a request."""
    if not url.startswith("data:"):
        raise ValueError(f"documents fetch nothing from outside (asked for {url})")
    from weasyprint.urls import default_url_fetcher  # WeasyPrint is loaded by then: we are rendering

    return default_url_fetcher(url, *args, **kwargs)


def system_problems() -> list[str]:
    """What this machine lacks for PDF export, in words (empty when nothing): `make` prints it."""
    import warnings

    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        reason = pdf_unavailable_reason()
    if reason is not None:
        return [f"PDF export is off (the platform runs without it): {reason}"]
    if any("HarfBuzz-Subset" in str(warning.message) for warning in caught):
        return ["HarfBuzz-Subset is missing: PDFs embed whole fonts (larger files)"]
    return []
