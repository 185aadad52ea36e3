"""The synthesis of the evaluations (L4.2): HTML, PDF and DOCX, in French or English (`?lang=en`)."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import translation

from sobrindustrie.accounts.access import Capability
from sobrindustrie.deliverables.document.docx import DOCX_CONTENT_TYPE, render_docx
from sobrindustrie.deliverables.document.html import render_fragment, render_pdf
from sobrindustrie.evaluation.models import Evaluation
from sobrindustrie.evaluation.synthesis import Synthesis, build_synthesis, synthesis_document
from sobrindustrie.programmes.models import Programme
from sobrindustrie.www.access import programme_for

LANGUAGES = {"fr", "en"}


def _language(request: HttpRequest) -> str:
    lang = request.GET.get("lang", "")
    return lang if lang in LANGUAGES else translation.get_language() or "fr"


def _synthesis(request: HttpRequest, programme: Programme) -> Synthesis:
    evaluations = Evaluation.objects.visible_to(request.user).for_programme(programme)  # type: ignore[arg-type]
    return build_synthesis(programme, evaluations)


def _filename(programme: Programme, lang: str, ext: str) -> str:
    return f"synthese-evaluations-{programme.slug}-{lang}.{ext}"


def synthesis_page(request: HttpRequest, slug: str) -> HttpResponse:
    programme = programme_for(request, slug, Capability.OVERSEE_PROGRAMME)
    lang = _language(request)
    with translation.override(lang):
        document = synthesis_document(_synthesis(request, programme))
        context = {
            "programme": programme,
            "lang": lang,
            "document_html": render_fragment(document, with_title=False),
        }
        return render(request, "www/evaluation/synthesis.html", context)


def synthesis_pdf_view(request: HttpRequest, slug: str) -> HttpResponse:
    programme = programme_for(request, slug, Capability.OVERSEE_PROGRAMME)
    lang = _language(request)
    with translation.override(lang):
        pdf = render_pdf(synthesis_document(_synthesis(request, programme)))
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{_filename(programme, lang, "pdf")}"'
    return response


def synthesis_docx_view(request: HttpRequest, slug: str) -> HttpResponse:
    programme = programme_for(request, slug, Capability.OVERSEE_PROGRAMME)
    lang = _language(request)
    with translation.override(lang):
        content = render_docx(synthesis_document(_synthesis(request, programme)))
    response = HttpResponse(content, content_type=DOCX_CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{_filename(programme, lang, "docx")}"'
    return response
