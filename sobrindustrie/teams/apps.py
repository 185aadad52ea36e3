from django.apps import AppConfig


class TeamsConfig(AppConfig):
    name = "sobrindustrie.teams"
    label = "teams"
