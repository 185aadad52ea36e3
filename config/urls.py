from django.contrib import admin
from django.contrib.auth.decorators import login_not_required
from django.urls import include, path
from django.views.i18n import set_language

urlpatterns = [
    path("admin/", admin.site.urls),
    # The header's language switch is on every page, the login and public pages too: a partner must be
    # able to read them in English before signing in.
    path("i18n/setlang/", login_not_required(set_language), name="set_language"),
    path("api/", include("sobrindustrie.api.urls")),
    path("", include("sobrindustrie.www.urls")),
]

# Uncaught errors anywhere (middleware included): a 503 page when the database is unreachable.
handler500 = "sobrindustrie.core.middleware.server_error"
