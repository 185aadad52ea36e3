"""The public showcase (no login, French and English) and comments handled by the consultant."""

from __future__ import annotations

from django.test import Client
from django.urls import reverse

from sobrindustrie.documents import services
from sobrindustrie.documents.models import Comment
from tests.documents.conftest import DocWorld
from tests.documents.factories import ShowcaseFactory
from tests.documents.files import PDF, upload


def test_only_published_pages_are_public_in_both_languages(docs: DocWorld) -> None:
    page = ShowcaseFactory(team=docs.team, status="validated")
    anonymous = Client()
    assert anonymous.get(reverse("www:showcase_page", args=[page.slug])).status_code == 404
    assert page.title not in anonymous.get(reverse("www:showcase_index")).content.decode()
    page.status = "published"
    page.save()
    french = anonymous.get(reverse("www:showcase_page", args=[page.slug])).content.decode()
    english = anonymous.get(reverse("www:showcase_page_lang", args=["en", page.slug])).content.decode()
    assert "Découpe laser partagée" in french and "2 achats évités" in french and 'lang="fr"' in french
    assert "Shared laser cutting" in english and "30% less energy" in english and 'lang="en"' in english
    assert "<script>" not in french.split("</footer>")[0].split("<main")[1]
    assert anonymous.get("/vitrine/de/").status_code == 404


def test_showcase_goes_through_the_copil(docs: DocWorld) -> None:
    page = ShowcaseFactory(team=docs.team, created_by=docs.user("consultant"))
    services.transition(page, docs.user("consultant"), "submit")
    services.transition(page, docs.user("ademe"), "validate")
    services.transition(page, docs.user("consultant"), "publish")
    assert Client().get(reverse("www:showcase_page", args=[page.slug])).status_code == 200


def test_team_members_comment_and_the_consultant_handles(docs: DocWorld) -> None:
    document = services.create_document(
        docs.space("team"), docs.user("consultant"), upload("r.pdf", PDF), title="Plan"
    )
    document.status = "published"
    document.save()
    docs.client("partner").post(
        reverse("www:comment_add", args=["document", document.pk]), {"body": "Page 3 : chiffre à revoir."}
    )
    comment = Comment.objects.get()
    assert comment.author == docs.user("partner")
    assert docs.client("sme").post(reverse("www:comment_handle", args=[comment.pk])).status_code == 404
    listing = docs.client("consultant").get(reverse("www:comment_list", args=[docs.world.programme.slug]))
    assert "chiffre à revoir" in listing.content.decode()
    docs.client("consultant").post(reverse("www:comment_handle", args=[comment.pk]))
    comment.refresh_from_db()
    assert comment.handled_by == docs.user("consultant")


def test_an_empty_comment_is_refused(docs: DocWorld) -> None:
    document = services.create_document(
        docs.space("programme"), docs.user("consultant"), upload("r.pdf", PDF), title="R"
    )
    docs.client("consultant").post(reverse("www:comment_add", args=["document", document.pk]), {"body": ""})
    assert not Comment.objects.exists()
