from django.apps import AppConfig


class ActionplansConfig(AppConfig):
    name = "sobrindustrie.actionplans"
    label = "actionplans"
