from django.apps import AppConfig


class ProgrammesConfig(AppConfig):
    name = "sobrindustrie.programmes"
    label = "programmes"
