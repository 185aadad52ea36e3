from django.urls import path

from sobrindustrie.www.deliverables_views import views

urlpatterns = [
    path("programmes/<slug:slug>/livrables/", views.registry, name="deliverable_registry"),
    path("programmes/<slug:slug>/livrables/dossier/", views.pack_request, name="deliverable_pack_request"),
    path("programmes/<slug:slug>/livrables/<slug:code>/", views.detail, name="deliverable_detail"),
    path(
        "programmes/<slug:slug>/livrables/<slug:code>/generer/", views.generate, name="deliverable_generate"
    ),
    path(
        "programmes/<slug:slug>/livrables/<slug:code>/synthese/",
        views.narrative,
        name="deliverable_narrative",
    ),
    path(
        "programmes/<slug:slug>/livrables/<slug:code>/verifications/",
        views.acknowledge,
        name="deliverable_acknowledge",
    ),
    path(
        "programmes/<slug:slug>/livrables/<slug:code>/<slug:action>/", views.review, name="deliverable_review"
    ),
    path("livrables/fichiers/<int:pk>/", views.download, name="deliverable_file"),
    path("livrables/dossiers/<int:pk>/", views.pack_status, name="deliverable_pack_status"),
    path("livrables/dossiers/<int:pk>/annuler/", views.pack_cancel, name="deliverable_pack_cancel"),
    path("livrables/dossiers/<int:pk>/telecharger/", views.pack_download, name="deliverable_pack_download"),
]
