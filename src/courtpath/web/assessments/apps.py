"""The Django app of the assessment pages, the deadlines and the "what if" view (no models of its own)."""

from django.apps import AppConfig


class AssessmentsConfig(AppConfig):
    name = "courtpath.web.assessments"
    label = "assessments"
