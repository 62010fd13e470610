from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "courtpath.web.accounts"
    label = "accounts"
