"""The emission factors page: the platform's library (with why a factor stays "to verify"), the
imported versions of ADEME's Base Empreinte (browse, search), the difference between two versions,
and the import of a new export. The library is the same for every programme; the page is reached
from a programme like the other evaluation pages."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from sobrindustrie.accounts.access import Capability
from sobrindustrie.core.uploads import CheckedFileField
from sobrindustrie.engines.footprint import load_library
from sobrindustrie.evaluation import factor_library
from sobrindustrie.evaluation.models import FactorLibraryVersion
from sobrindustrie.www.access import programme_for
from sobrindustrie.www.forms import DsfrFormMixin

FACTORS_PER_PAGE = 25


class BaseEmpreinteImportForm(DsfrFormMixin, forms.Form):
    source_version = forms.CharField(
        label=gettext_lazy("Base Empreinte version"),
        max_length=40,
        help_text=gettext_lazy("As ADEME names it, e.g. 23.6."),
    )
    file = CheckedFileField(
        label=gettext_lazy("CSV export of Base Empreinte"),
        kinds=("csv",),
        help_text=gettext_lazy(
            "The file downloaded from base-empreinte.ademe.fr: semicolon-separated, French column names."
        ),
    )


def _version_from(request: HttpRequest, name: str) -> FactorLibraryVersion | None:
    value = request.GET.get(name, "")
    if value.isdigit():
        return FactorLibraryVersion.objects.filter(pk=int(value)).first()
    return None


def factor_library_page(request: HttpRequest, slug: str) -> HttpResponse:
    programme = programme_for(request, slug, Capability.OVERSEE_PROGRAMME)
    versions = list(FactorLibraryVersion.objects.all())
    version = _version_from(request, "version") or (versions[0] if versions else None)
    query = request.GET.get("q", "").strip()[:200]
    page = None
    if version is not None:
        factors = factor_library.search_factors(version.factors.all(), query)
        page = Paginator(factors, FACTORS_PER_PAGE).get_page(request.GET.get("page"))
    library = load_library()
    kept = {"version": version.pk} if version else {}
    if query:
        kept["q"] = query
    context = {
        "programme": programme,
        "library": library,
        "platform_rows": factor_library.platform_factors(version, library),
        "travel_rows": factor_library.travel_factors_found(version, library),
        "versions": versions,
        "version": version,
        "query": query,
        "page": page,
        "pagination_query": urlencode(kept) + "&" if kept else "",
        "can_import": request.access.on_programme(Capability.VALIDATE_REPORTS, programme.pk),  # type: ignore[attr-defined]
        "page_title": _("Emission factors"),
    }
    return render(request, "www/evaluation/factors.html", context)


def factor_library_diff(request: HttpRequest, slug: str) -> HttpResponse:
    programme = programme_for(request, slug, Capability.OVERSEE_PROGRAMME)
    versions = list(FactorLibraryVersion.objects.all())
    old, new = _version_from(request, "de"), _version_from(request, "a")
    if old is None and new is None and len(versions) >= 2:
        old, new = versions[1], versions[0]
    diff = factor_library.diff_versions(old, new) if old and new and old.pk != new.pk else None
    context: dict[str, Any] = {
        "programme": programme,
        "versions": versions,
        "old": old,
        "new": new,
        "diff": diff,
        "page_title": _("Differences between two versions of Base Empreinte"),
    }
    return render(request, "www/evaluation/factors_diff.html", context)


def factor_library_import(request: HttpRequest, slug: str) -> HttpResponse:
    programme = programme_for(request, slug, Capability.VALIDATE_REPORTS)
    form = BaseEmpreinteImportForm(request.POST or None, request.FILES or None)
    problems: list[str] = []
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            version = factor_library.import_export(
                upload.read(),
                source_version=form.cleaned_data["source_version"],
                file_name=upload.name,
                user=request.user,  # type: ignore[arg-type]
            )
        except ValidationError as error:
            if hasattr(error, "error_dict"):
                for field, errors in error.error_dict.items():
                    form.add_error(field if field in form.fields else None, errors)
            else:
                problems = error.messages
                form.add_error(
                    "file",
                    _("The file was refused, nothing was imported: %(count)s problems, listed above.")
                    % {"count": len(problems)},
                )
        else:
            messages.success(
                request,
                _("Base Empreinte %(version)s imported: %(count)s emission factors.")
                % {"version": version.source_version, "count": version.factors.count()},
            )
            url = reverse("www:factor_library", args=[programme.slug])
            return redirect(f"{url}?version={version.pk}")
    context = {
        "form": form,
        "problems": problems,
        "programme": programme,
        "cancel_url": reverse("www:factor_library", args=[programme.slug]),
        "page_title": _("Import a Base Empreinte export"),
    }
    return render(request, "www/evaluation/factors_import.html", context)
