"""The API's lists make the same number of queries whatever the amount of data."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from tests.api.factories import bearer, build_api_data
from tests.conftest import World

LISTS = [
    "programmes",
    "organisations",
    "production-means",
    "teams",
    "actions",
    "indicators",
    "opportunities",
    "funding-applications",
    "meetings",
    "minutes",
    "decisions",
    "time-entries",
    "trips",
    "measurements",
    "programmes/{}/obligations",
    "programmes/{}/deliverables",
]


@pytest.mark.parametrize("endpoint", LISTS)
def test_list_query_count_does_not_grow_with_data(world: World, endpoint: str) -> None:
    headers = bearer(world.users["consultant"])
    client = Client()
    build_api_data(world, "a")
    client.get("/api/me", **headers)  # the token's first use writes last_used_at: not measured
    url = "/api/" + endpoint.format(world.programme.pk)  # type: ignore[attr-defined]
    with CaptureQueriesContext(connection) as small:
        first = client.get(url, **headers)
    for suffix in "bcde":
        build_api_data(world, suffix)
    with CaptureQueriesContext(connection) as large:
        second = client.get(url, **headers)
    assert first.status_code == second.status_code == 200
    assert len(second.json()["items"]) >= len(first.json()["items"])
    assert len(large) == len(small), [q["sql"] for q in large.captured_queries]
