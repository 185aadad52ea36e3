from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "sobrindustrie.accounts"
    label = "accounts"
