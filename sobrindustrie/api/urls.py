from django.urls import path

from sobrindustrie.api import views
from sobrindustrie.api.api import api

app_name = "api"


def _public(patterns: list) -> list:  # type: ignore[type-arg]
    """The API authenticates each request itself (token or session) and answers 401 in JSON:
    the site-wide login redirect must not apply to it."""
    for pattern in patterns:
        pattern.callback.login_required = False
    return patterns


# Ninja names its views in the "api" namespace (urls_namespace), which is this module's.
ninja_patterns, _app_name, _namespace = api.urls

urlpatterns = [
    path("jetons/", views.token_list, name="token_list"),
    path("jetons/<int:pk>/revoquer/", views.token_revoke, name="token_revoke"),
    path("documentation/", views.api_documentation, name="documentation"),
    path("documentation/<slug:operation_id>/", views.api_operation, name="documentation_operation"),
    *_public(ninja_patterns),
]
