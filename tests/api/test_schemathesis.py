"""schemathesis against the API, in-process through WSGI, with a consultant's token.

Each operation of the served schema gets a bounded number of generated requests (valid and
invalid); every answer must be free of server errors and conform to the schema: a documented
status code, the documented content type and a body matching the documented model.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from config.wsgi import application
from sobrindustrie.api.models import ApiToken
from tests.api.factories import build_api_data
from tests.conftest import World

EXAMPLES_PER_OPERATION = 12
CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]


@pytest.fixture
def api_schema(world: World, settings: object) -> Iterator[schemathesis.schemas.BaseSchema]:
    settings.ALLOWED_HOSTS = ["*"]  # type: ignore[attr-defined]
    build_api_data(world)
    # Calling the WSGI application directly sends request_started/finished, whose handler closes
    # the database connection: inside a test's transaction on PostgreSQL that loses the data. The
    # test client disconnects it the same way.
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield schemathesis.openapi.from_wsgi("/api/openapi.json", application)
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


def test_every_operation_answers_within_its_schema(world: World, api_schema: object) -> None:
    _token, raw = ApiToken.issue(world.users["consultant"], "schemathesis")
    # The in-process WSGI client does not inflate gzip (GZipMiddleware): ask for plain bodies.
    headers = {"Authorization": f"Bearer {raw}", "Accept-Encoding": "identity"}
    operations = [result.ok() for result in api_schema.get_all_operations()]  # type: ignore[attr-defined]
    assert len(operations) >= 17

    for operation in operations:
        for mode in ("positive", "negative"):

            @given(case=operation.as_strategy(generation_mode=schemathesis.GenerationMode(mode)))
            @settings(
                max_examples=EXAMPLES_PER_OPERATION,
                deadline=None,
                derandomize=True,
                database=None,
                suppress_health_check=list(HealthCheck),
            )
            def check(case: schemathesis.Case) -> None:
                case.call_and_validate(headers=headers, checks=CHECKS)

            check()
