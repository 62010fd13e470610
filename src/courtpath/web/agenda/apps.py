from django.apps import AppConfig


class AgendaConfig(AppConfig):
    name = "courtpath.web.agenda"
    label = "agenda"
