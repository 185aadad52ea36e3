from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "sobrindustrie.api"
    label = "api"
