from django.apps import AppConfig


class DeliverablesConfig(AppConfig):
    name = "sobrindustrie.deliverables"
    label = "deliverables"
