"""Search finds what people type, whatever the accents and the case, on SQLite and PostgreSQL, and
still only among what the user may see."""

from __future__ import annotations

import pytest
from django.urls import reverse

from sobrindustrie.core.search import fold
from sobrindustrie.documents import services
from sobrindustrie.documents.search import search
from tests.actionplans.factories import ActionFactory, ActionPlanFactory
from tests.documents.conftest import DocWorld
from tests.documents.factories import PostFactory
from tests.documents.files import docx, upload


def test_fold_drops_accents_case_and_ligatures() -> None:
    assert fold("Écoconception ÉNERGIE cœur") == "ecoconception energie coeur"


def _published(docs: DocWorld, space: str, title: str, text: str = "Compte rendu") -> object:
    document = services.create_document(
        docs.space(space), docs.user("consultant"), upload("cr.docx", docx(text)), title=title
    )
    for step in ("submit", "validate", "publish"):
        services.transition(document, docs.user("ademe" if step == "validate" else "consultant"), step)
    return document


@pytest.mark.parametrize("typed", ["énergie", "energie", "ENERGIE", "Énergie"])
def test_accents_and_case_do_not_matter(docs: DocWorld, typed: str) -> None:
    document = _published(docs, "programme", "Sobriété en énergie des compresseurs")
    post = PostFactory(space=docs.space("programme"), title="Webinaire énergie", status="published")
    results = search(docs.user("sme"), docs.world.programme, typed)  # type: ignore[arg-type]
    assert document in results.documents
    assert post in results.posts


@pytest.mark.parametrize("typed", ["ecoconception", "écoconception", "ÉCOCONCEPTION"])
def test_a_word_found_in_the_file_and_in_actions_and_organisations(docs: DocWorld, typed: str) -> None:
    document = _published(docs, "programme", "Guide", text="Démarche d'écoconception des outillages")
    action = ActionFactory(
        plan=ActionPlanFactory(team=docs.team),
        lead_organisation=docs.world.sme_org,
        title="Écoconception des moules",
    )
    organisation = docs.world.sme_org
    organisation.description = "Usinage et écoconception de pièces"
    organisation.save()
    results = search(docs.user("consultant"), docs.world.programme, typed)  # type: ignore[arg-type]
    assert document in results.documents
    assert action in results.actions
    assert organisation in results.organisations


def test_what_may_not_be_seen_is_not_found_however_it_is_typed(docs: DocWorld) -> None:
    private = _published(docs, "organisation", "Bilan énergie confidentiel")
    for role in ("other_sme", "partner", "outsider_sme"):
        client = docs.client(role)
        for typed in ("énergie", "energie", "ENERGIE"):
            page = client.get(reverse("www:search", args=[docs.world.programme.slug]), {"q": typed})
            assert private.title not in page.content.decode(), (role, typed)  # type: ignore[attr-defined]
    page = docs.client("sme").get(reverse("www:search", args=[docs.world.programme.slug]), {"q": "ENERGIE"})
    assert private.title in page.content.decode()  # type: ignore[attr-defined]
