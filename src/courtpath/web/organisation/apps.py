from django.apps import AppConfig


class OrganisationConfig(AppConfig):
    name = "courtpath.web.organisation"
    label = "organisation"
