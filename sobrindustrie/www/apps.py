from django.apps import AppConfig


class WwwConfig(AppConfig):
    name = "sobrindustrie.www"
    label = "www"
