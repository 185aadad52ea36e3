from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("admin/", admin.site.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("api/", include("sobrindustrie.api.urls")),
    path("", include("sobrindustrie.www.urls")),
]

# Uncaught errors anywhere (middleware included): a 503 page when the database is unreachable.
handler500 = "sobrindustrie.core.middleware.server_error"
