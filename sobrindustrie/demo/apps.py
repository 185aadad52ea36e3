from django.apps import AppConfig


class DemoConfig(AppConfig):
    name = "sobrindustrie.demo"
    label = "demo"
