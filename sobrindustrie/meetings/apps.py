from django.apps import AppConfig


class MeetingsConfig(AppConfig):
    name = "sobrindustrie.meetings"
    label = "meetings"
