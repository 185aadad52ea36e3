from django.urls import path

from sobrindustrie.www.evaluation_views import footprint, synthesis, views

urlpatterns = [
    path("programmes/<slug:slug>/evaluations/", views.evaluation_list, name="evaluation_list"),
    path("programmes/<slug:slug>/evaluations/new/", views.evaluation_create, name="evaluation_create"),
    path(
        "programmes/<slug:slug>/evaluations/synthesis/", synthesis.synthesis_page, name="evaluation_synthesis"
    ),
    path(
        "programmes/<slug:slug>/evaluations/synthesis.pdf",
        synthesis.synthesis_pdf_view,
        name="evaluation_synthesis_pdf",
    ),
    path(
        "programmes/<slug:slug>/evaluations/synthesis.docx",
        synthesis.synthesis_docx_view,
        name="evaluation_synthesis_docx",
    ),
    path("evaluations/<int:pk>/", views.evaluation_detail, name="evaluation_detail"),
    path("evaluations/<int:pk>/edit/", views.evaluation_edit, name="evaluation_edit"),
    path(
        "evaluations/<int:pk>/transition/<slug:name>/",
        views.evaluation_transition,
        name="evaluation_transition",
    ),
    path("evaluations/<int:pk>/consequences/new/", views.consequence_add, name="consequence_add"),
    path("consequences/<int:pk>/edit/", views.consequence_edit, name="consequence_edit"),
    path("consequences/<int:pk>/move/<slug:direction>/", views.consequence_move, name="consequence_move"),
    path("consequences/<int:pk>/delete/", views.consequence_delete, name="consequence_delete"),
    path("evaluations/<int:pk>/balance/", views.balance_detail, name="balance_detail"),
    path("evaluations/<int:pk>/balance/prefill/", views.balance_prefill, name="balance_prefill"),
    path("evaluations/<int:pk>/balance/compute/", views.balance_compute, name="balance_compute"),
    path("balance-lines/<int:pk>/edit/", views.balance_line_edit, name="balance_line_edit"),
    path("balance-lines/<int:pk>/delete/", views.balance_line_delete, name="balance_line_delete"),
    path("programmes/<slug:slug>/travel/", footprint.travel_log, name="travel_log"),
    path("programmes/<slug:slug>/travel/new/", footprint.trip_create, name="trip_create"),
    path("trips/<int:pk>/edit/", footprint.trip_edit, name="trip_edit"),
    path("trips/<int:pk>/delete/", footprint.trip_delete, name="trip_delete"),
    path("programmes/<slug:slug>/eco-responsibility/", footprint.eco_criteria, name="eco_criteria"),
    path(
        "programmes/<slug:slug>/eco-responsibility/new/",
        footprint.eco_criterion_create,
        name="eco_criterion_create",
    ),
    path("eco-criteria/<int:pk>/edit/", footprint.eco_criterion_edit, name="eco_criterion_edit"),
]
