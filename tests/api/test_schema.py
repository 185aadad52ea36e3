from __future__ import annotations

import json

from django.test import Client

from sobrindustrie.api.openapi import COMMITTED_SCHEMA, current_schema


def test_served_schema_is_the_committed_one(db: object) -> None:
    """If this fails, run `manage.py export_openapi` and commit docs/api/openapi.json: the
    published contract changed and its readers must see the change in review."""
    response = Client().get("/api/openapi.json")
    assert response.status_code == 200
    committed = json.loads(COMMITTED_SCHEMA.read_text(encoding="utf-8"))
    assert response.json() == committed
    assert current_schema() == committed


def test_schema_is_public_and_documents_both_authentications(db: object) -> None:
    schema = Client().get("/api/openapi.json").json()
    assert set(schema["components"]["securitySchemes"]) == {"PersonalToken", "ReadOnlySession"}
    writes = {(path, method) for path, item in schema["paths"].items() for method in item if method != "get"}
    assert writes == {
        ("/api/time-entries", "post"),
        ("/api/time-entries/{entry_id}", "patch"),
        ("/api/trips", "post"),
        ("/api/trips/{trip_id}", "patch"),
        ("/api/measurements", "post"),
    }
    for path, method in writes:
        # Writes take a token only (a session would need CSRF), and document their refusals.
        operation = schema["paths"][path][method]
        assert operation["security"] == [{"PersonalToken": []}]
        assert {"403", "422"} <= set(operation["responses"])
