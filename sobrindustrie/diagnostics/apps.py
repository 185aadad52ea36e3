from django.apps import AppConfig


class DiagnosticsConfig(AppConfig):
    name = "sobrindustrie.diagnostics"
    label = "diagnostics"
