"""An SME member or a partner never finds an unpublished item: not in lists, search, notifications
or by its address; and never anything of a space they do not belong to."""

from __future__ import annotations

import pytest
from django.urls import reverse

from sobrindustrie.documents import services
from sobrindustrie.documents.models import Document, Notification
from tests.documents.conftest import DocWorld
from tests.documents.factories import PostFactory
from tests.documents.files import docx, upload

SECRET = "Mutualisation confidentielle"


def _doc(docs: DocWorld, space: str, publish: bool) -> Document:
    document = services.create_document(
        docs.space(space),
        docs.user("consultant"),
        upload("cr.docx", docx(f"{SECRET} des presses")),
        title=f"{SECRET} {space}",
    )
    if publish:
        services.transition(document, docs.user("consultant"), "submit")
        services.transition(document, docs.user("ademe"), "validate")
        services.transition(document, docs.user("consultant"), "publish")
    return document


def _everywhere(docs: DocWorld, role: str, document: Document) -> dict[str, bool]:
    client = docs.client(role)
    slug = docs.world.programme.slug
    space_page = client.get(reverse("www:space_detail", args=[document.space_id]))
    search = client.get(reverse("www:search", args=[slug]), {"q": "presses"})
    download = client.get(reverse("www:document_download", args=[document.versions.get().pk]))
    if download.streaming:
        # Reading to the end closes the file, as the test client closes streamed responses then.
        b"".join(download.streaming_content)
    return {
        "detail": client.get(document.get_absolute_url()).status_code == 200,
        "download": download.status_code == 200,
        "space": space_page.status_code == 200 and document.title in space_page.content.decode(),
        "search": search.status_code == 200 and document.title in search.content.decode(),
        "notified": Notification.objects.filter(
            user=docs.user(role), url=document.get_absolute_url()
        ).exists(),
    }


NOTHING = dict.fromkeys(["detail", "download", "space", "search", "notified"], False)
ALL = dict.fromkeys(["detail", "download", "space", "search", "notified"], True)


@pytest.mark.parametrize("role", ["sme", "other_sme", "partner", "outsider_sme", "outsider_consultant"])
@pytest.mark.parametrize("space", ["programme", "team", "copil", "organisation"])
def test_unpublished_items_reach_no_sme_nor_partner(docs: DocWorld, role: str, space: str) -> None:
    document = _doc(docs, space, publish=False)
    services.transition(document, docs.user("consultant"), "submit")
    assert _everywhere(docs, role, document) == NOTHING


# Who sees a published item, by space: (sme, other_sme, partner)
PUBLISHED = {
    "programme": (True, True, True),
    "team": (True, False, True),
    "copil": (False, False, False),
    "organisation": (True, False, False),
}


@pytest.mark.parametrize("space", PUBLISHED)
def test_published_items_reach_exactly_their_space(docs: DocWorld, space: str) -> None:
    document = _doc(docs, space, publish=True)
    for role, sees in zip(("sme", "other_sme", "partner"), PUBLISHED[space], strict=True):
        assert _everywhere(docs, role, document) == (ALL if sees else NOTHING), (space, role)
    assert _everywhere(docs, "outsider_sme", document) == NOTHING


def test_an_sme_sees_its_own_draft_but_not_its_teammates(docs: DocWorld) -> None:
    document = services.create_document(
        docs.space("team"), docs.user("sme"), upload("n.txt", b"notes"), title="Notes PME"
    )
    assert docs.client("sme").get(document.get_absolute_url()).status_code == 200
    assert docs.client("partner").get(document.get_absolute_url()).status_code == 404
    assert docs.client("consultant").get(document.get_absolute_url()).status_code == 200


def test_unpublished_news_are_hidden_from_smes(docs: DocWorld) -> None:
    post = PostFactory(space=docs.space("programme"), created_by=docs.user("consultant"), status="validated")
    listing = (
        docs.client("sme").get(reverse("www:post_list", args=[docs.world.programme.slug])).content.decode()
    )
    assert post.title not in listing
    assert docs.client("sme").get(post.get_absolute_url()).status_code == 404
    post.status = "published"
    post.save()
    assert docs.client("sme").get(post.get_absolute_url()).status_code == 200


def test_search_finds_the_same_rows_as_visible_to(docs: DocWorld) -> None:
    from sobrindustrie.documents.search import search

    published, draft = _doc(docs, "programme", True), _doc(docs, "programme", False)
    for role in ("sme", "consultant", "ademe", "outsider_consultant"):
        found = {d.pk for d in search(docs.user(role), docs.world.programme, "presses").documents}
        expected = set(
            Document.objects.visible_to(docs.user(role))
            .filter(pk__in=[published.pk, draft.pk])
            .values_list("pk", flat=True)
        )
        assert found == expected, role
