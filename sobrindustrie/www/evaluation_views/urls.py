from django.urls import path
from django.views.generic import RedirectView

from sobrindustrie.www.evaluation_views import factors, footprint, synthesis, views

urlpatterns = [
    path("programmes/<slug:slug>/evaluations/", views.evaluation_list, name="evaluation_list"),
    path("programmes/<slug:slug>/evaluations/nouvelle/", views.evaluation_create, name="evaluation_create"),
    path(
        "programmes/<slug:slug>/evaluations/synthese/", synthesis.synthesis_page, name="evaluation_synthesis"
    ),
    path(
        "programmes/<slug:slug>/evaluations/synthese.pdf",
        synthesis.synthesis_pdf_view,
        name="evaluation_synthesis_pdf",
    ),
    path(
        "programmes/<slug:slug>/evaluations/synthese.docx",
        synthesis.synthesis_docx_view,
        name="evaluation_synthesis_docx",
    ),
    path("evaluations/<int:pk>/", views.evaluation_detail, name="evaluation_detail"),
    path("evaluations/<int:pk>/modifier/", views.evaluation_edit, name="evaluation_edit"),
    path(
        "evaluations/<int:pk>/transition/<slug:name>/",
        views.evaluation_transition,
        name="evaluation_transition",
    ),
    path("evaluations/<int:pk>/consequences/nouvelle/", views.consequence_add, name="consequence_add"),
    path("consequences/<int:pk>/modifier/", views.consequence_edit, name="consequence_edit"),
    path("consequences/<int:pk>/deplacer/<slug:direction>/", views.consequence_move, name="consequence_move"),
    path("consequences/<int:pk>/supprimer/", views.consequence_delete, name="consequence_delete"),
    path("evaluations/<int:pk>/bilan/", views.balance_detail, name="balance_detail"),
    path("evaluations/<int:pk>/bilan/pre-remplir/", views.balance_prefill, name="balance_prefill"),
    path("evaluations/<int:pk>/bilan/calculer/", views.balance_compute, name="balance_compute"),
    path("lignes-de-bilan/<int:pk>/modifier/", views.balance_line_edit, name="balance_line_edit"),
    path("lignes-de-bilan/<int:pk>/supprimer/", views.balance_line_delete, name="balance_line_delete"),
    path("programmes/<slug:slug>/facteurs-d-emission/", factors.factor_library_page, name="factor_library"),
    path(
        "programmes/<slug:slug>/facteurs-d-emission/comparer/",
        factors.factor_library_diff,
        name="factor_library_diff",
    ),
    path(
        "programmes/<slug:slug>/facteurs-d-emission/importer/",
        factors.factor_library_import,
        name="factor_library_import",
    ),
    path("programmes/<slug:slug>/deplacements/", footprint.travel_log, name="travel_log"),
    path("programmes/<slug:slug>/deplacements/nouveau/", footprint.trip_create, name="trip_create"),
    path("deplacements/<int:pk>/modifier/", footprint.trip_edit, name="trip_edit"),
    path("deplacements/<int:pk>/supprimer/", footprint.trip_delete, name="trip_delete"),
    path("programmes/<slug:slug>/eco-responsabilite/", footprint.eco_criteria, name="eco_criteria"),
    path(
        "programmes/<slug:slug>/eco-responsabilite/nouveau/",
        footprint.eco_criterion_create,
        name="eco_criterion_create",
    ),
    path(
        "criteres-eco-responsabilite/<int:pk>/modifier/",
        footprint.eco_criterion_edit,
        name="eco_criterion_edit",
    ),
]

# The English addresses these pages had until December 2026, redirected for good (301) to the French
# ones so that bookmarks and links in e-mails keep working.
OLD_ADDRESSES = {
    "programmes/<slug:slug>/evaluations/new/": "evaluation_create",
    "programmes/<slug:slug>/evaluations/synthesis/": "evaluation_synthesis",
    "programmes/<slug:slug>/evaluations/synthesis.pdf": "evaluation_synthesis_pdf",
    "programmes/<slug:slug>/evaluations/synthesis.docx": "evaluation_synthesis_docx",
    "evaluations/<int:pk>/edit/": "evaluation_edit",
    "evaluations/<int:pk>/consequences/new/": "consequence_add",
    "consequences/<int:pk>/edit/": "consequence_edit",
    "consequences/<int:pk>/move/<slug:direction>/": "consequence_move",
    "consequences/<int:pk>/delete/": "consequence_delete",
    "evaluations/<int:pk>/balance/": "balance_detail",
    "evaluations/<int:pk>/balance/prefill/": "balance_prefill",
    "evaluations/<int:pk>/balance/compute/": "balance_compute",
    "balance-lines/<int:pk>/edit/": "balance_line_edit",
    "balance-lines/<int:pk>/delete/": "balance_line_delete",
    "programmes/<slug:slug>/travel/": "travel_log",
    "programmes/<slug:slug>/travel/new/": "trip_create",
    "trips/<int:pk>/edit/": "trip_edit",
    "trips/<int:pk>/delete/": "trip_delete",
    "programmes/<slug:slug>/eco-responsibility/": "eco_criteria",
    "programmes/<slug:slug>/eco-responsibility/new/": "eco_criterion_create",
    "eco-criteria/<int:pk>/edit/": "eco_criterion_edit",
}
urlpatterns += [
    path(old, RedirectView.as_view(pattern_name=f"www:{name}", permanent=True, query_string=True))
    for old, name in OLD_ADDRESSES.items()
]
