from django.urls import path

from sobrindustrie.www.funding_views import views

FUNDING = "programmes/<slug:slug>/financements/"
APPLICATION = "demandes-financement/<int:pk>/"

urlpatterns = [
    path(FUNDING, views.funding_needs, name="funding_needs"),
    path(FUNDING + "dispositifs/", views.scheme_list, name="funding_scheme_list"),
    path(FUNDING + "dispositifs/nouveau/", views.scheme_form, name="funding_scheme_create"),
    path(FUNDING + "dispositifs/<int:pk>/", views.scheme_detail, name="funding_scheme_detail"),
    path(FUNDING + "dispositifs/<int:pk>/modifier/", views.scheme_form, name="funding_scheme_edit"),
    path(
        FUNDING + "dispositifs/actualiser-aides-territoires/",
        views.catalogue_refresh,
        name="funding_catalogue_refresh",
    ),
    path(FUNDING + "demandes/", views.programme_grid, name="programme_funding_grid"),
    path(FUNDING + "demandes.xlsx", views.programme_grid_xlsx, name="programme_funding_grid_xlsx"),
    path(FUNDING + "entretiens/", views.interviews, name="funder_interviews"),
    path(FUNDING + "entretiens.docx", views.interviews_docx_view, name="funder_interviews_docx"),
    path(FUNDING + "synthese/", views.synthesis, name="funding_synthesis"),
    path(FUNDING + "synthese.pdf", views.synthesis_pdf_view, name="funding_synthesis_pdf"),
    path(FUNDING + "synthese.docx", views.synthesis_docx_view, name="funding_synthesis_docx"),
    path(
        "organisations/<int:pk>/eligibilite/", views.organisation_eligibility, name="organisation_eligibility"
    ),
    path("actions/<int:pk>/financements/", views.action_funding, name="action_funding"),
    path("actions/<int:pk>/financements/preselection/", views.shortlist_add, name="shortlist_add"),
    path("preselections/<int:pk>/retirer/", views.shortlist_remove, name="shortlist_remove"),
    path(
        "actions/<int:pk>/demandes-financement/nouvelle/",
        views.application_create,
        name="funding_application_create",
    ),
    path(APPLICATION, views.application_detail, name="funding_application_detail"),
    path(APPLICATION + "modifier/", views.application_edit, name="funding_application_edit"),
    path(
        APPLICATION + "etat/<str:name>/", views.application_transition, name="funding_application_transition"
    ),
    path(APPLICATION + "documents/ajouter/", views.document_add, name="funding_document_add"),
    path(
        APPLICATION + "documents/<int:document_pk>/",
        views.document_download,
        name="funding_document_download",
    ),
    path(APPLICATION + "jours/", views.days_add, name="funding_days_add"),
    path("equipes/<int:team_pk>/demandes-financement/", views.team_grid, name="team_funding_grid"),
    path(
        "equipes/<int:team_pk>/demandes-financement.xlsx", views.team_grid_xlsx, name="team_funding_grid_xlsx"
    ),
]
