from django.apps import AppConfig


class CooperationConfig(AppConfig):
    name = "sobrindustrie.cooperation"
    label = "cooperation"
