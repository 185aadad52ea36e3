"""The NinjaAPI instance: read-only, authenticated by personal token or browser session."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from ninja import NinjaAPI
from ninja.operation import Operation

from sobrindustrie.api import records
from sobrindustrie.api.auth import PersonalToken, ReadOnlySession
from sobrindustrie.api.endpoints import router
from sobrindustrie.api.writing import UNPROCESSABLE, Refused

API_DESCRIPTION = """Access to the Sobr'Industrie programmes a user may see, and to the records a
user may write: time entries, trips of the travel log, indicator measurements.

Authenticate with a personal token (`Authorization: Bearer sbi_...`, created on the
"API tokens" page) or, from a browser, with the session (reading only). A token's scope is
`read` (GET only; a write answers 403) or `read_write`. Each endpoint applies the same
permissions as the pages: an object the user may not see answers 404. A write goes through the
page's own rules: a refused value answers 422 with one entry per problem
(`{"detail": [{"loc": ["body", "<field>"], "msg": "<rule>", "type": "<code>"}]}`) and nothing
is saved; a PATCH carries the `version` read and answers 409 if the record changed since.
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
    # Not Swagger's page, which loads scripts from a CDN: the documentation page (`api:documentation`)
    # is rendered by the server from the schema, which is served and committed (docs/api/openapi.json).
    docs_url=None,
    openapi_url="/openapi.json",
)
api.add_router("/", router)
api.add_router("/", records.router)


@api.exception_handler(Refused)
def refused(request: HttpRequest, error: Refused) -> HttpResponse:
    return api.create_response(request, error.body, status=UNPROCESSABLE)
