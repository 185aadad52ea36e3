"""List pages make the same number of queries whatever the number of rows."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from sobrindustrie.documents.models import Document
from tests.documents.conftest import DocWorld
from tests.documents.factories import PostFactory, VersionFactory


def _add(docs: DocWorld, n: int) -> None:
    for space in ("programme", "team"):
        for _ in range(n):
            document = Document.objects.create(space=docs.space(space), title="D", status="published")
            VersionFactory(document=document)
            PostFactory(space=docs.space(space), status="published")


def _count(docs: DocWorld, role: str, url: str) -> int:
    client = docs.client(role)
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


@pytest.mark.parametrize("role", ["consultant", "sme"])
@pytest.mark.parametrize("page", ["space_list", "space_detail", "post_list", "copil_queue"])
def test_lists_do_not_grow_with_the_data(docs: DocWorld, role: str, page: str) -> None:
    if page == "copil_queue" and role == "sme":
        return
    args = [docs.space("team").pk] if page == "space_detail" else [docs.world.programme.slug]
    url = reverse(f"www:{page}", args=args)
    _add(docs, 1)
    few = _count(docs, role, url)
    _add(docs, 4)
    assert _count(docs, role, url) == few
