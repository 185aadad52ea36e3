"""The integrators' documentation: served by the app from the schema, in French, without a CDN."""

from __future__ import annotations

import re

from django.test import Client
from django.urls import reverse

from sobrindustrie.api.documentation import SUMMARIES, operations
from sobrindustrie.api.openapi import current_schema

READ_COUNT, WRITE_COUNT = 32, 5


def test_every_operation_has_its_sentence_and_the_counts_are_known(db: object) -> None:
    schema_ids = {op["operationId"] for item in current_schema()["paths"].values() for op in item.values()}
    assert schema_ids == set(SUMMARIES)
    listed = operations()
    assert sum(1 for o in listed if not o.writes) == READ_COUNT
    assert sum(1 for o in listed if o.writes) == WRITE_COUNT


def test_the_index_lists_every_endpoint_in_french_without_external_resources(db: object) -> None:
    response = Client(HTTP_ACCEPT_LANGUAGE="fr").get(reverse("api:documentation"))
    assert response.status_code == 200
    page = response.content.decode()
    assert "Documentation de l’API" in page or "Documentation de l'API" in page
    for operation in operations():
        assert reverse("api:documentation_operation", args=[operation.operation_id]) in page
    assert (
        f"{READ_COUNT} points d’accès en lecture" in page or f"{READ_COUNT} points d'accès en lecture" in page
    )
    # Nothing loaded from elsewhere: scripts and styles are the site's own.
    assert not re.search(r'(src|href)="https?://(?!testserver)[^"]*\.(js|css)', page)


def test_an_operation_page_gives_parameters_body_scope_and_example(db: object) -> None:
    response = Client(HTTP_ACCEPT_LANGUAGE="fr").get(
        reverse("api:documentation_operation", args=["time_entry_create"])
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "POST /api/time-entries" in page
    assert "consultant_id" in page and "lecture et écriture" in page
    assert "curl" in page and "-X POST" in page
    assert Client().get(reverse("api:documentation_operation", args=["nothing"])).status_code == 404
