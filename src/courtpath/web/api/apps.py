from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "courtpath.web.api"
    label = "api"
