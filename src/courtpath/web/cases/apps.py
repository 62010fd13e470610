from django.apps import AppConfig


class CasesConfig(AppConfig):
    name = "courtpath.web.cases"
    label = "cases"
