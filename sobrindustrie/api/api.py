"""The NinjaAPI instance: read-only, authenticated by personal token or browser session."""

from __future__ import annotations

from ninja import NinjaAPI
from ninja.operation import Operation

from sobrindustrie.api.auth import PersonalToken, ReadOnlySession
from sobrindustrie.api.endpoints import router

API_DESCRIPTION = """Read-only access to the Sobr'Industrie programmes a user may see.

Authenticate with a personal token (`Authorization: Bearer sbi_...`, created on the
"API tokens" page) or, from a browser, with the session. Each endpoint applies the same
permissions as the pages: an object the user may not see answers 404.
Lists are paginated (`page`, `page_size` up to 200) and ordered by identifier."""


class SobrindustrieAPI(NinjaAPI):
    def get_openapi_operation_id(self, operation: Operation) -> str:
        # The function's name ("organisation_list"), stable and readable for generated clients.
        return operation.view_func.__name__


api = SobrindustrieAPI(
    title="Sobr'Industrie API",
    version="1",
    description=API_DESCRIPTION,
    auth=[PersonalToken(), ReadOnlySession()],
    urls_namespace="api",
    # No interactive documentation page: it would load scripts from a CDN. The schema is served
    # and committed (docs/api/openapi.json).
    docs_url=None,
    openapi_url="/openapi.json",
)
api.add_router("/", router)
