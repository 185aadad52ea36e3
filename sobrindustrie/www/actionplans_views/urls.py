from django.urls import path

from sobrindustrie.www.actionplans_views import views

PLAN = "equipes/<int:team_pk>/plan-actions/"

urlpatterns = [
    path(PLAN, views.action_plan, name="action_plan"),
    path(PLAN + "creer/", views.action_plan_create, name="action_plan_create"),
    path(PLAN + "coordination/", views.action_plan_edit, name="action_plan_edit"),
    path(PLAN + "adopter/", views.action_plan_adopt, name="action_plan_adopt"),
    path(PLAN + "versions/<int:number>/", views.action_plan_version, name="action_plan_version"),
    path(PLAN + "actions/nouvelle/", views.action_create, name="action_create"),
    path(PLAN + "suivi/", views.progress_table, name="progress_table"),
    path(PLAN + "suivi.xlsx", views.progress_table_xlsx, name="progress_table_xlsx"),
    path(PLAN + "calendrier/", views.plan_timeline, name="plan_timeline"),
    path(PLAN + "fiche/", views.plan_sheet, name="plan_sheet"),
    path(PLAN + "fiche.pdf", views.plan_sheet_pdf, name="plan_sheet_pdf"),
    path(PLAN + "fiche.docx", views.plan_sheet_docx, name="plan_sheet_docx"),
    path(PLAN + "reunions-de-suivi/nouvelle/", views.followup_create, name="followup_create"),
    path("reunions-de-suivi/<int:pk>/", views.followup_detail, name="followup_detail"),
    path("actions/<int:pk>/", views.action_detail, name="action_detail"),
    path("actions/<int:pk>/modifier/", views.action_edit, name="action_edit"),
    path("actions/<int:pk>/avancement/", views.action_progress, name="action_progress"),
    path("actions/<int:pk>/etapes/ajouter/", views.step_add, name="step_add"),
    path("etapes/<int:pk>/modifier/", views.step_update, name="step_update"),
    path("etapes/<int:pk>/supprimer/", views.step_delete, name="step_delete"),
    path("actions/<int:pk>/contributeurs/ajouter/", views.contributor_add, name="contributor_add"),
    path("contributeurs/<int:pk>/supprimer/", views.contributor_delete, name="contributor_delete"),
    path("actions/<int:pk>/indicateurs/ajouter/", views.indicator_add, name="indicator_add"),
    path("indicateurs/<int:pk>/mesures/ajouter/", views.measurement_add, name="measurement_add"),
    path("actions/<int:pk>/difficultes/ajouter/", views.difficulty_add, name="difficulty_add"),
    path("difficultes/<int:pk>/", views.difficulty_detail, name="difficulty_detail"),
    path("difficultes/<int:pk>/signaler/", views.difficulty_raise, name="difficulty_raise"),
    path("difficultes/<int:pk>/repondre/", views.difficulty_answer, name="difficulty_answer"),
    path("difficultes/<int:pk>/resoudre/", views.difficulty_resolve, name="difficulty_resolve"),
    path("programmes/<slug:slug>/plans-actions/", views.action_plan_overview, name="action_plan_overview"),
    path(
        "programmes/<slug:slug>/plans-actions/calendrier/",
        views.programme_timeline_view,
        name="programme_timeline",
    ),
    path("programmes/<slug:slug>/difficultes/", views.difficulty_list, name="difficulty_list"),
    path("programmes/<slug:slug>/retours-experience/", views.experience_notes, name="experience_notes"),
    path(
        "programmes/<slug:slug>/retours-experience/nouveau/",
        views.experience_note_form,
        name="experience_note_create",
    ),
    path(
        "programmes/<slug:slug>/retours-experience/<int:pk>/modifier/",
        views.experience_note_form,
        name="experience_note_edit",
    ),
]
