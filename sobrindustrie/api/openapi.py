"""The API's OpenAPI schema as committed in docs/api/openapi.json."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.conf import settings

COMMITTED_SCHEMA = Path(settings.BASE_DIR) / "docs" / "api" / "openapi.json"


def current_schema() -> dict[str, Any]:
    from sobrindustrie.api.api import api

    # A round trip through JSON turns tuples and lazy strings into what the endpoint serves.
    return json.loads(json.dumps(api.get_openapi_schema(), default=str))


def render(schema: dict[str, Any]) -> str:
    return json.dumps(schema, indent=2, ensure_ascii=False, sort_keys=True) + "\n"
