from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "courtpath.web.audit"
    label = "audit"
