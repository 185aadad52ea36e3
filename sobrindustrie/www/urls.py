from django.urls import include, path

from sobrindustrie.www.accounts_views import people
from sobrindustrie.www.accounts_views import views as accounts
from sobrindustrie.www.home_views import views as home
from sobrindustrie.www.organisations_views import views as organisations
from sobrindustrie.www.programmes_views import views as programmes

app_name = "www"

urlpatterns = [
    path("", home.home, name="home"),
    path("a-faire/compte/", home.work_count, name="work_count"),
    path("accessibilite/", home.accessibility, name="accessibility"),
    path("mentions-legales/", home.legal_notice, name="legal_notice"),
    path("donnees-personnelles/", home.personal_data, name="personal_data"),
    path("connexion/", accounts.LoginView.as_view(), name="login"),
    path("deconnexion/", accounts.LogoutView.as_view(), name="logout"),
    path("plan-du-site/", accounts.site_map, name="site_map"),
    path("mot-de-passe-oublie/", accounts.PasswordResetView.as_view(), name="password_reset"),
    path("mot-de-passe-oublie/envoye/", accounts.PasswordResetDoneView.as_view(), name="password_reset_done"),
    path(
        "mot-de-passe/<uidb64>/<token>/",
        accounts.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path(
        "mot-de-passe/change/", accounts.PasswordResetCompleteView.as_view(), name="password_reset_complete"
    ),
    path("invitation/<str:token>/", people.invitation_accept, name="invitation_accept"),
    path("rappels/arreter/<str:token>/", people.reminders_stop, name="reminders_stop"),
    path("programmes/<slug:slug>/personnes/", people.people, name="people"),
    path("programmes/<slug:slug>/personnes/inviter/", people.invite, name="invite"),
    path(
        "programmes/<slug:slug>/personnes/inviter-contacts/", people.invite_contacts, name="invite_contacts"
    ),
    path(
        "programmes/<slug:slug>/personnes/<int:pk>/desactiver/",
        people.account_deactivate,
        name="account_deactivate",
    ),
    path(
        "programmes/<slug:slug>/personnes/<int:pk>/reactiver/",
        people.account_reactivate,
        name="account_reactivate",
    ),
    path("invitations/<int:pk>/renvoyer/", people.invitation_resend, name="invitation_resend"),
    path("invitations/<int:pk>/revoquer/", people.invitation_revoke, name="invitation_revoke"),
    path("programmes/", programmes.programme_list, name="programme_list"),
    path("programmes/<slug:slug>/", programmes.programme_dashboard, name="programme_dashboard"),
    path("programmes/<slug:slug>/organisations/", organisations.organisation_list, name="organisation_list"),
    path(
        "programmes/<slug:slug>/organisations/nouvelle/",
        organisations.organisation_create,
        name="organisation_create",
    ),
    path("organisations/<int:pk>/", organisations.organisation_detail, name="organisation_detail"),
    path("organisations/<int:pk>/modifier/", organisations.organisation_edit, name="organisation_edit"),
    path("organisations/<int:pk>/moyens/", organisations.inventory, name="inventory"),
    # Before exchange_add, whose <kind> would take “sites” and “contacts”.
    path("organisations/<int:pk>/sites/ajouter/", organisations.site_create, name="site_create"),
    path("organisations/<int:pk>/contacts/ajouter/", organisations.person_create, name="person_create"),
    path("organisations/<int:pk>/<str:kind>/ajouter/", organisations.exchange_add, name="exchange_add"),
    path(
        "organisations/<int:pk>/<str:kind>/<int:item_pk>/supprimer/",
        organisations.exchange_delete,
        name="exchange_delete",
    ),
    path("moyens/<int:pk>/", organisations.production_means_detail, name="production_means_detail"),
    path("moyens/<int:pk>/modifier/", organisations.production_means_edit, name="production_means_edit"),
    path("moyens/<int:pk>/supprimer/", organisations.production_means_delete, name="production_means_delete"),
    path("sites/<int:pk>/modifier/", organisations.site_edit, name="site_edit"),
    path("personnes/<int:pk>/modifier/", organisations.person_edit, name="person_edit"),
    path("personnes/<int:pk>/export/", organisations.person_export, name="person_export"),
    path("personnes/<int:pk>/effacer/", organisations.person_erase, name="person_erase"),
    path("", include("sobrindustrie.www.meetings_views.urls")),
    path("", include("sobrindustrie.www.diagnostics_views.urls")),
    path("", include("sobrindustrie.www.cooperation_views.urls")),
    path("", include("sobrindustrie.www.teams_views.urls")),
    path("", include("sobrindustrie.www.actionplans_views.urls")),
    path("", include("sobrindustrie.www.funding_views.urls")),
    path("", include("sobrindustrie.www.evaluation_views.urls")),
    path("", include("sobrindustrie.www.documents_views.urls")),
    path("", include("sobrindustrie.www.deliverables_views.urls")),
]
