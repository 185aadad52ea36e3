from django.apps import AppConfig


class DocumentsConfig(AppConfig):
    name = "sobrindustrie.documents"
    label = "documents"
