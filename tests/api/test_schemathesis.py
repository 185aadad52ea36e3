"""schemathesis against the API, in-process through WSGI, on the demo data, with a consultant's
read-and-write token.

Each operation of the served schema, the writes included, gets a bounded number of generated
requests (valid and invalid); every answer must be free of server errors and conform to the
schema: a documented status code, the documented content type and a body matching the documented
model. The figures (operations, cases, failures) are printed for the record (`-s`).
"""

from __future__ import annotations

from collections import Counter
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
from sobrindustrie.accounts.enums import Role
from sobrindustrie.accounts.models import User
from sobrindustrie.api.models import ApiToken, TokenScope
from sobrindustrie.demo.loader import load_demo

EXAMPLES_PER_OPERATION = 12
CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]
WRITE_METHODS = {"POST", "PATCH", "PUT", "DELETE"}


@pytest.fixture
def demo_consultant(db: object, settings: object, tmp_path: object) -> User:
    settings.MEDIA_ROOT = tmp_path  # type: ignore[attr-defined]
    accounts = load_demo(password="secret-demo-1", with_areas=True)
    email = next(account.email for account in accounts if account.role == Role.CONSULTANT)
    return User.objects.get(email=email)


@pytest.fixture
def api_schema(demo_consultant: User, settings: object) -> Iterator[schemathesis.schemas.BaseSchema]:
    settings.ALLOWED_HOSTS = ["*"]  # type: ignore[attr-defined]
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


def test_every_operation_answers_within_its_schema(demo_consultant: User, api_schema: object) -> None:
    _token, raw = ApiToken.issue(demo_consultant, "schemathesis", TokenScope.READ_WRITE)
    # The in-process WSGI client does not inflate gzip (GZipMiddleware): ask for plain bodies.
    headers = {"Authorization": f"Bearer {raw}", "Accept-Encoding": "identity"}
    operations = [result.ok() for result in api_schema.get_all_operations()]  # type: ignore[attr-defined]
    writes = [op for op in operations if op.method.upper() in WRITE_METHODS]
    assert len(operations) >= 37 and len(writes) == 5
    figures: Counter[str] = Counter()
    failures: list[str] = []

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
                figures["cases"] += 1
                response = case.call_and_validate(headers=headers, checks=CHECKS)
                figures[f"status {response.status_code}"] += 1

            try:
                check()
            except (Exception, BaseExceptionGroup) as error:  # schemathesis raises a FailureGroup
                failures.append(f"{operation.method.upper()} {operation.path} ({mode}): {error}")

    print(
        f"\nschemathesis: {len(operations)} operations ({len(writes)} writes), "
        f"{figures['cases']} test cases, {len(failures)} failures; "
        + ", ".join(f"{key}: {value}" for key, value in sorted(figures.items()) if key != "cases")
    )
    assert not failures, "\n".join(failures)
