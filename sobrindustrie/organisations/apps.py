from django.apps import AppConfig


class OrganisationsConfig(AppConfig):
    name = "sobrindustrie.organisations"
    label = "organisations"
