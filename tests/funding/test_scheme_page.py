"""The scheme page renders the source's Markdown safely, words its extra fields, shows no server path."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.urls import reverse
from django.utils import timezone

from sobrindustrie.funding.enums import SchemeSource
from sobrindustrie.funding.importer import import_directory
from sobrindustrie.funding.models import FundingScheme
from sobrindustrie.funding.rendering import extra_details, source_inline, source_text
from tests.funding.conftest import PACKAGE_DATA, FundingWorld

pytestmark = pytest.mark.usefixtures("english")


def test_markdown_hard_breaks_lists_and_html_are_rendered_safely() -> None:
    text = "Ce financement :\n\n- diagnostics, dynamiques locales,\\\n  besoins ;\n- études\n\n<script>x()</script>"
    html = str(source_text(text))
    assert (
        "<li>diagnostics, dynamiques locales,<br />" in html
        or "<li>diagnostics, dynamiques locales,<br>" in html
    )
    assert "\\" not in html and "<script>" not in html
    assert "&lt;script&gt;" in html  # raw HTML in Markdown is shown as text, never run
    assert str(source_inline("Un *seul* paragraphe")) == "Un <em>seul</em> paragraphe"
    at_html = str(
        source_text(
            '<p onclick="x()">Appel <a href="javascript:x()">FEDER</a></p>', SchemeSource.AIDES_TERRITOIRES
        )
    )
    assert "onclick" not in at_html and "javascript" not in at_html and "<p>Appel" in at_html
    assert str(source_text("# Titre")) == "<h3>Titre</h3>\n"


def test_extra_fields_are_worded_and_the_source_s_own_fields_never_shown() -> None:
    extra = {
        "metaTitre": "Titre SEO",
        "metaDescription": "Description SEO",
        "illustration": "images/x.webp",
        "activable en autonomie": "oui",
        "champs conditionnels": [
            {"une de ces conditions": ["région = Corse"], "Montant du dispositif": "Crédit d'impôt de 35%"}
        ],
        "inconnu": {"a": 1},
    }
    details = dict(extra_details(extra, SchemeSource.MTE))
    assert set(details) == {"Can be started without outside support", "Depending on the company"}
    assert "If <em>région = Corse</em> — Montant du dispositif : Crédit d&#x27;impôt de 35%" in str(
        details["Depending on the company"]
    ) or "région = Corse" in str(details["Depending on the company"])


@pytest.mark.django_db
def test_the_page_of_a_real_programme_has_no_raw_field_and_the_funding_page_no_path(
    funding_world: FundingWorld, tmp_path: Path
) -> None:
    import_directory(PACKAGE_DATA / "mte" / "programs", only={"accelerateur-economie-circulaire"})
    scheme = FundingScheme.objects.get(slug="accelerateur-economie-circulaire")
    scheme.extra["metaTitre"] = "Titre pour les moteurs de recherche"
    scheme.save()
    client = funding_world.client("consultant")
    page = client.get(
        reverse("www:funding_scheme_detail", args=[funding_world.programme.slug, scheme.pk])
    ).content.decode()
    assert "metaTitre" not in page and "Titre pour les moteurs" not in page and "images/" not in page
    assert "<li>13 jours de mission de conseil" in page  # the source's list, rendered
    if scheme.is_expired(timezone.localdate()):
        assert "This scheme ended on 25/11/2026" in page
    needs = client.get(reverse("www:funding_needs", args=[funding_world.programme.slug])).content.decode()
    assert "Catalogue last read from Mission Transition Écologique on" in needs
    assert str(PACKAGE_DATA) not in needs and "/sobrindustrie/funding/data" not in needs
