from django.urls import path

from sobrindustrie.www.diagnostics_views import views

urlpatterns = [
    path("programmes/<slug:slug>/diagnostics/", views.diagnostic_list, name="diagnostic_list"),
    path("programmes/<slug:slug>/diagnostics/nouveau/", views.diagnostic_create, name="diagnostic_create"),
    path(
        "programmes/<slug:slug>/diagnostics/planifier/", views.diagnostic_plan_all, name="diagnostic_plan_all"
    ),
    path("programmes/<slug:slug>/methodes/", views.method_list, name="method_list"),
    path("programmes/<slug:slug>/candidatures/", views.candidacy_import, name="candidacy_import"),
    path(
        "programmes/<slug:slug>/candidatures/modele.<str:file_format>",
        views.candidacy_template,
        name="candidacy_template",
    ),
    path("programmes/<slug:slug>/synthese-besoins/", views.synthesis, name="synthesis"),
    path("programmes/<slug:slug>/synthese-besoins/modifier/", views.synthesis_edit, name="synthesis_edit"),
    path("programmes/<slug:slug>/synthese-besoins.pdf", views.synthesis_pdf, name="synthesis_pdf"),
    path("programmes/<slug:slug>/synthese-besoins.docx", views.synthesis_docx_view, name="synthesis_docx"),
    path("candidatures/imports/<int:pk>/", views.candidacy_preview, name="candidacy_preview"),
    path("candidatures/imports/<int:pk>/annuaire/", views.candidacy_registry, name="candidacy_registry"),
    path("methodes/<int:pk>/", views.method_detail, name="method_detail"),
    path("methodes/<int:pk>/valider/", views.method_validate, name="method_validate"),
    path("methodes/<int:pk>/yaml/", views.method_source, name="method_source"),
    path("mon-diagnostic/", views.diagnostic_mine, name="diagnostic_mine"),
    path("diagnostics/<int:pk>/", views.diagnostic_detail, name="diagnostic_detail"),
    path("diagnostics/<int:pk>/modifier/", views.diagnostic_edit, name="diagnostic_edit"),
    path("diagnostics/<int:pk>/partage/", views.diagnostic_sharing, name="diagnostic_sharing"),
    path(
        "diagnostics/<int:pk>/transition/<str:name>/",
        views.diagnostic_transition,
        name="diagnostic_transition",
    ),
    path("diagnostics/<int:pk>/questionnaire/", views.diagnostic_section, name="diagnostic_questionnaire"),
    path(
        "diagnostics/<int:pk>/questionnaire/<str:section>/",
        views.diagnostic_section,
        name="diagnostic_section",
    ),
    path("diagnostics/<int:pk>/reponse/", views.diagnostic_answer, name="diagnostic_answer"),
    path("diagnostics/<int:pk>/observations/", views.diagnostic_observations, name="diagnostic_observations"),
    path("diagnostics/<int:pk>/sessions/", views.session_add, name="session_add"),
    path(
        "diagnostics/<int:pk>/sessions/<int:session_pk>/supprimer/",
        views.session_delete,
        name="session_delete",
    ),
    path("diagnostics/<int:pk>/suggestions/", views.diagnostic_suggest, name="diagnostic_suggest"),
    path("diagnostics/<int:pk>/opportunites/nouvelle/", views.opportunity_create, name="opportunity_create"),
    path("diagnostics/<int:pk>/signaux/", views.signal_add, name="signal_add"),
    path(
        "diagnostics/<int:pk>/signaux/<int:signal_pk>/supprimer/", views.signal_delete, name="signal_delete"
    ),
    path("diagnostics/<int:pk>/fiche/", views.diagnostic_sheet, name="diagnostic_sheet"),
    path("diagnostics/<int:pk>/fiche.pdf", views.diagnostic_sheet_pdf, name="diagnostic_sheet_pdf"),
    path("diagnostics/<int:pk>/fiche.docx", views.diagnostic_sheet_docx, name="diagnostic_sheet_docx"),
    path("opportunites/<int:pk>/modifier/", views.opportunity_edit, name="opportunity_edit"),
    path("opportunites/<int:pk>/supprimer/", views.opportunity_delete, name="opportunity_delete"),
]
