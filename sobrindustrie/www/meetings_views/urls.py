from django.urls import path

from sobrindustrie.www.meetings_views import comment_views as comments
from sobrindustrie.www.meetings_views import event_views as events
from sobrindustrie.www.meetings_views import survey_views as surveys
from sobrindustrie.www.meetings_views import time_views as time
from sobrindustrie.www.meetings_views import views as meetings
from sobrindustrie.www.meetings_views import workshop_views as workshop

urlpatterns = [
    # Programme-wide pages
    path("programmes/<slug:slug>/reunions/", meetings.meeting_list, name="meeting_list"),
    path("programmes/<slug:slug>/reunions/calendrier/", meetings.meeting_calendar, name="meeting_calendar"),
    path("programmes/<slug:slug>/reunions/nouvelle/", meetings.meeting_create, name="meeting_create"),
    path("programmes/<slug:slug>/comptes-rendus/", meetings.minutes_pending, name="minutes_pending"),
    path("programmes/<slug:slug>/temps/", time.time_entries, name="time_entries"),
    path("programmes/<slug:slug>/obligations/", time.obligations, name="obligations"),
    # One meeting
    path("reunions/<int:pk>/", meetings.meeting_detail, name="meeting_detail"),
    path("reunions/<int:pk>/modifier/", meetings.meeting_edit, name="meeting_edit"),
    path("reunions/<int:pk>/reunion.ics", meetings.meeting_ics_download, name="meeting_ics"),
    path(
        "reunions/<int:pk>/invitations/", meetings.meeting_send_invitations, name="meeting_send_invitations"
    ),
    path("reunions/<int:pk>/presences/", meetings.meeting_attendance, name="meeting_attendance"),
    path("reunions/<int:pk>/documents/", meetings.document_add, name="document_add"),
    path(
        "reunions/<int:pk>/documents/<int:document_pk>/", meetings.document_download, name="document_download"
    ),
    path(
        "reunions/<int:pk>/documents/<int:document_pk>/supprimer/",
        meetings.document_delete,
        name="document_delete",
    ),
    path("reunions/<int:pk>/compte-rendu/", meetings.minutes_edit, name="minutes_edit"),
    # Before the transitions' pattern, which would take "commentaires" for an action.
    path("reunions/<int:pk>/compte-rendu/commentaires/", comments.minutes_comments, name="minutes_comments"),
    path(
        "reunions/<int:pk>/compte-rendu/commentaires/<int:comment_pk>/traite/",
        comments.minutes_comment_handle,
        name="minutes_comment_handle",
    ),
    path(
        "reunions/<int:pk>/compte-rendu/<str:action>/", meetings.minutes_transition, name="minutes_transition"
    ),
    path("reunions/<int:pk>/compte-rendu.<str:fmt>", meetings.minutes_export, name="minutes_export"),
    path("reunions/<int:pk>/decisions/", meetings.decision_add, name="decision_add"),
    path("reunions/<int:pk>/decisions/<int:decision_pk>/", meetings.decision_status, name="decision_status"),
    # Workshop 1 live
    path("reunions/<int:pk>/atelier-1/", workshop.workshop_capture, name="workshop_capture"),
    path(
        "reunions/<int:pk>/atelier-1/entreprises/<int:organisation_pk>/",
        workshop.workshop_contribution,
        name="workshop_contribution",
    ),
    path("reunions/<int:pk>/atelier-1/webinaires/", workshop.webinar_topics, name="webinar_topics"),
    path(
        "reunions/<int:pk>/atelier-1/webinaires/<str:theme>/",
        workshop.webinar_topic_save,
        name="webinar_topic_save",
    ),
    # Satisfaction survey
    path("reunions/<int:pk>/enquete/", surveys.survey_manage, name="survey_manage"),
    path("reunions/<int:pk>/enquete/creer/", surveys.survey_create, name="survey_create"),
    path("reunions/<int:pk>/enquete/questions/", surveys.question_add, name="question_add"),
    path(
        "reunions/<int:pk>/enquete/questions/<int:question_pk>/supprimer/",
        surveys.question_delete,
        name="question_delete",
    ),
    path("reunions/<int:pk>/enquete/envoyer/", surveys.survey_send, name="survey_send"),
    path("reunions/<int:pk>/enquete/cloturer/", surveys.survey_close, name="survey_close"),
    path("reunions/<int:pk>/enquete/resultats.<str:fmt>", surveys.survey_export, name="survey_export"),
    path("enquete/<str:token>/", surveys.survey_answer, name="survey_answer"),
    # Restitution events
    path("reunions/<int:pk>/evenement/", events.event_manage, name="event_manage"),
    path("reunions/<int:pk>/evenement/logistique/", events.checklist_add, name="checklist_add"),
    path(
        "reunions/<int:pk>/evenement/logistique/<int:item_pk>/",
        events.checklist_toggle,
        name="checklist_toggle",
    ),
    path(
        "reunions/<int:pk>/evenement/inscriptions/<int:registration_pk>/annuler/",
        events.registration_cancel,
        name="registration_cancel",
    ),
    path(
        "reunions/<int:pk>/evenement/inscrits.<str:fmt>",
        events.event_attendees_export,
        name="event_attendees_export",
    ),
    path("reunions/<int:pk>/evenement/badges.pdf", events.event_badges, name="event_badges"),
    path("evenements/<str:token>/", events.event_register, name="event_register"),
    path("evenements/inscription/<str:token>/", events.registration_manage, name="registration_manage"),
    # Time entries
    path("temps/<int:pk>/modifier/", time.time_entry_edit, name="time_entry_edit"),
    path("temps/<int:pk>/supprimer/", time.time_entry_delete, name="time_entry_delete"),
    # Personal calendar
    path("calendrier/", meetings.my_calendar, name="my_calendar"),
    path("calendrier/<str:token>.ics", meetings.calendar_feed, name="calendar_feed"),
]
