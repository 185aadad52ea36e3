from django.urls import path

from sobrindustrie.www.cooperation_views import views

urlpatterns = [
    path("programmes/<slug:slug>/cooperation/carte/", views.cooperation_map, name="cooperation_map"),
    path("programmes/<slug:slug>/cooperation/opportunites/", views.opportunity_list, name="opportunity_list"),
    path("cooperation/opportunites/<int:pk>/", views.opportunity_detail, name="opportunity_detail"),
    path("programmes/<slug:slug>/cooperation/analyse/", views.analysis_run, name="analysis_run"),
    path("programmes/<slug:slug>/cooperation/equipes/", views.team_formation, name="team_formation"),
    path("programmes/<slug:slug>/cooperation/equipes/optimiser/", views.team_solve, name="team_solve"),
    path("programmes/<slug:slug>/cooperation/equipes/score/", views.team_score, name="team_score"),
    path(
        "programmes/<slug:slug>/cooperation/contraintes/ajouter/",
        views.constraint_add,
        name="constraint_add",
    ),
    path(
        "programmes/<slug:slug>/cooperation/contraintes/organisations/",
        views.constraint_search,
        name="constraint_search",
    ),
    path("cooperation/contraintes/<int:pk>/supprimer/", views.constraint_delete, name="constraint_delete"),
    path(
        "programmes/<slug:slug>/cooperation/scenarios/enregistrer/",
        views.scenario_save,
        name="scenario_save",
    ),
    path(
        "programmes/<slug:slug>/cooperation/scenarios/comparer/",
        views.scenario_compare,
        name="scenario_compare",
    ),
    path("cooperation/scenarios/<int:pk>/", views.scenario_detail, name="scenario_detail"),
    path("cooperation/scenarios/<int:pk>/adopter/", views.scenario_adopt, name="scenario_adopt"),
    path("cooperation/scenarios/<int:pk>/appliquer/", views.scenario_apply, name="scenario_apply"),
    path(
        "programmes/<slug:slug>/cooperation/synthese/",
        views.cooperation_synthesis,
        name="cooperation_synthesis",
    ),
    path(
        "programmes/<slug:slug>/cooperation/synthese.pdf",
        views.cooperation_synthesis_pdf,
        name="cooperation_synthesis_pdf",
    ),
    path(
        "programmes/<slug:slug>/cooperation/synthese.docx",
        views.cooperation_synthesis_docx,
        name="cooperation_synthesis_docx",
    ),
]
