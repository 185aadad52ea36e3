"""Every page of the collaborative space requested by every kind of user, written out in full."""

from __future__ import annotations

import pytest
from django.urls import reverse

from sobrindustrie.documents import services
from tests.conftest import ROLES
from tests.documents.conftest import DocWorld
from tests.documents.factories import PostFactory, ShowcaseFactory
from tests.documents.files import PDF, upload

OK, NOT_FOUND, LOGIN = 200, 404, 302

# role:              anon   ademe  consult sme    o_sme  partner staff  out_c  out_sme
PAGES = {
    "space_list": [LOGIN, OK, OK, OK, OK, OK, OK, NOT_FOUND, NOT_FOUND],
    "space_detail:programme": [LOGIN, OK, OK, OK, OK, OK, OK, NOT_FOUND, NOT_FOUND],
    "space_detail:team": [LOGIN, OK, OK, OK, NOT_FOUND, OK, OK, NOT_FOUND, NOT_FOUND],
    "space_detail:copil": [LOGIN, OK, OK, NOT_FOUND, NOT_FOUND, NOT_FOUND, OK, NOT_FOUND, NOT_FOUND],
    "space_detail:organisation": [LOGIN, OK, OK, OK, NOT_FOUND, NOT_FOUND, OK, NOT_FOUND, NOT_FOUND],
    "document_create:programme": [
        LOGIN,
        NOT_FOUND,
        OK,
        NOT_FOUND,
        NOT_FOUND,
        NOT_FOUND,
        OK,
        NOT_FOUND,
        NOT_FOUND,
    ],
    "document_create:team": [LOGIN, NOT_FOUND, OK, OK, NOT_FOUND, OK, OK, NOT_FOUND, NOT_FOUND],
    "document_create:copil": [LOGIN, OK, OK, NOT_FOUND, NOT_FOUND, NOT_FOUND, OK, NOT_FOUND, NOT_FOUND],
    "post_create": [LOGIN, NOT_FOUND, OK, NOT_FOUND, NOT_FOUND, NOT_FOUND, OK, NOT_FOUND, NOT_FOUND],
    "document_detail:draft": [LOGIN, OK, OK, NOT_FOUND, NOT_FOUND, NOT_FOUND, OK, NOT_FOUND, NOT_FOUND],
    "document_detail:published": [LOGIN, OK, OK, OK, OK, OK, OK, NOT_FOUND, NOT_FOUND],
    "document_edit:draft": [LOGIN, NOT_FOUND, OK, NOT_FOUND, NOT_FOUND, NOT_FOUND, OK, NOT_FOUND, NOT_FOUND],
    "document_download:published": [LOGIN, OK, OK, OK, OK, OK, OK, NOT_FOUND, NOT_FOUND],
    "post_detail:published": [LOGIN, OK, OK, OK, OK, OK, OK, NOT_FOUND, NOT_FOUND],
    "post_detail:draft": [LOGIN, OK, OK, NOT_FOUND, NOT_FOUND, NOT_FOUND, OK, NOT_FOUND, NOT_FOUND],
    "post_edit:draft": [LOGIN, NOT_FOUND, OK, NOT_FOUND, NOT_FOUND, NOT_FOUND, OK, NOT_FOUND, NOT_FOUND],
    "post_list": [LOGIN, OK, OK, OK, OK, OK, OK, NOT_FOUND, NOT_FOUND],
    "copil_queue": [LOGIN, OK, OK, NOT_FOUND, NOT_FOUND, NOT_FOUND, OK, NOT_FOUND, NOT_FOUND],
    "comment_list": [LOGIN, OK, OK, NOT_FOUND, NOT_FOUND, NOT_FOUND, OK, NOT_FOUND, NOT_FOUND],
    "search": [LOGIN, OK, OK, OK, OK, OK, OK, NOT_FOUND, NOT_FOUND],
    "notification_list": [LOGIN, OK, OK, OK, OK, OK, OK, OK, OK],
    "notification_preferences": [LOGIN, OK, OK, OK, OK, OK, OK, OK, OK],
    "showcase_manage": [LOGIN, OK, OK, NOT_FOUND, NOT_FOUND, NOT_FOUND, OK, NOT_FOUND, NOT_FOUND],
    "showcase_create": [LOGIN, NOT_FOUND, OK, NOT_FOUND, NOT_FOUND, NOT_FOUND, OK, NOT_FOUND, NOT_FOUND],
    "showcase_edit": [LOGIN, OK, OK, NOT_FOUND, NOT_FOUND, NOT_FOUND, OK, NOT_FOUND, NOT_FOUND],
    "showcase_index": [OK] * 9,
    "showcase_page": [OK] * 9,
    "showcase_page_en": [OK] * 9,
}


def _url(page: str, docs: DocWorld) -> str:
    name, _, variant = page.partition(":")
    slug = docs.world.programme.slug
    consultant = docs.user("consultant")
    if name in {
        "space_list",
        "post_list",
        "copil_queue",
        "comment_list",
        "search",
        "showcase_manage",
        "showcase_create",
    }:
        return reverse(f"www:{name}", args=[slug])
    if name in {"space_detail", "document_create"}:
        return reverse(f"www:{name}", args=[docs.space(variant).pk])
    if name == "post_create":
        return reverse("www:post_create", args=[docs.space("programme").pk])
    if name.startswith("document"):
        document = services.create_document(
            docs.space("programme"), consultant, upload("r.pdf", PDF), title="R"
        )
        if variant == "published":
            document.status = "published"
            document.save()
        target = document.versions.get() if name == "document_download" else document
        return reverse(f"www:{name}", args=[target.pk])
    if name.startswith("post"):
        post = PostFactory(space=docs.space("programme"), created_by=consultant, status=variant)
        return reverse(f"www:{name}", args=[post.pk])
    if name.startswith("showcase"):
        page = ShowcaseFactory(team=docs.team, status="published")
        if name == "showcase_edit":
            return reverse(name.join(["www:", ""]), args=[page.pk])
        if name == "showcase_page":
            return reverse("www:showcase_page", args=[page.slug])
        if name == "showcase_page_en":
            return reverse("www:showcase_page_lang", args=["en", page.slug])
    return reverse(f"www:{name}")


@pytest.mark.parametrize("page", PAGES)
@pytest.mark.parametrize("role_index,role", list(enumerate(ROLES)))
def test_each_role_gets_what_it_may(docs: DocWorld, page: str, role_index: int, role: str) -> None:
    response = docs.client(role).get(_url(page, docs))
    assert response.status_code == PAGES[page][role_index], f"{page} as {role}"
    if response.status_code == LOGIN:
        assert response["Location"].startswith(reverse("www:login"))
    if hasattr(response, "streaming_content"):
        response.close()


@pytest.mark.parametrize("role", ["sme", "partner", "other_sme", "outsider_consultant"])
def test_posts_to_workflow_and_comments_by_the_wrong_people(docs: DocWorld, role: str) -> None:
    document = services.create_document(
        docs.space("programme"), docs.user("consultant"), upload("r.pdf", PDF), title="R"
    )
    client = docs.client(role)
    client.post(reverse("www:item_transition", args=["document", document.pk, "submit"]))
    document.refresh_from_db()
    assert document.status == "draft"
    assert (
        client.post(reverse("www:comment_add", args=["document", document.pk]), {"body": "x"}).status_code
        == 404
    )
