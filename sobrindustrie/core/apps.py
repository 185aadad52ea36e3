from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "sobrindustrie.core"
    label = "core"
