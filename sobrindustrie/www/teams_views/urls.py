from django.urls import path

from sobrindustrie.www.teams_views import committee, prospecting, views

urlpatterns = [
    # Teams
    path("programmes/<slug:slug>/equipes/", views.team_list, name="team_list"),
    path("programmes/<slug:slug>/equipes/nouvelle/", views.team_create, name="team_create"),
    path("equipes/mes-equipes/", views.my_teams, name="my_teams"),
    path("equipes/<int:pk>/", views.team_detail, name="team_detail"),
    path("equipes/<int:pk>/modifier/", views.team_edit, name="team_edit"),
    path("equipes/<int:pk>/membres/ajouter/", views.member_add, name="team_member_add"),
    path(
        "equipes/<int:pk>/membres/<int:membership_pk>/modifier/", views.member_edit, name="team_member_edit"
    ),
    path(
        "equipes/<int:pk>/membres/<int:membership_pk>/retirer/",
        views.member_remove,
        name="team_member_remove",
    ),
    path("equipes/<int:pk>/fiche/", views.team_sheet, name="team_sheet"),
    path("equipes/<int:pk>/fiche.pdf", views.team_sheet_pdf, name="team_sheet_pdf"),
    path("equipes/<int:pk>/fiche.docx", views.team_sheet_docx, name="team_sheet_docx"),
    # Prospecting
    path("equipes/<int:pk>/prospection/", prospecting.prospect_board, name="prospect_board"),
    path("equipes/<int:pk>/prospection/ajouter/", prospecting.prospect_create, name="prospect_create"),
    path("programmes/<slug:slug>/prospection/", prospecting.prospect_table, name="prospect_table"),
    path(
        "programmes/<slug:slug>/prospection/grille.xlsx", prospecting.prospect_export, name="prospect_export"
    ),
    path("prospection/<int:pk>/", prospecting.prospect_detail, name="prospect_detail"),
    path("prospection/<int:pk>/modifier/", prospecting.prospect_edit, name="prospect_edit"),
    path("prospection/<int:pk>/statut/", prospecting.prospect_move, name="prospect_move"),
    # Partners' committee
    path("programmes/<slug:slug>/comite-partenaires/", committee.committee, name="committee"),
    path(
        "programmes/<slug:slug>/comite-partenaires/liste.xlsx",
        committee.committee_export,
        name="committee_export",
    ),
    path(
        "programmes/<slug:slug>/comite-partenaires/ajouter/",
        committee.committee_member_add,
        name="committee_member_add",
    ),
    path(
        "comite-partenaires/<int:pk>/modifier/", committee.committee_member_edit, name="committee_member_edit"
    ),
    path(
        "comite-partenaires/<int:pk>/retirer/",
        committee.committee_member_remove,
        name="committee_member_remove",
    ),
    path(
        "programmes/<slug:slug>/comite-partenaires/sous-groupes/nouveau/",
        committee.subgroup_create,
        name="subgroup_create",
    ),
    path("comite-partenaires/sous-groupes/<int:pk>/", committee.subgroup_edit, name="subgroup_edit"),
]
