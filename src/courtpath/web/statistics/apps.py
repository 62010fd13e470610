"""The Django app of the statistics page and its CSV export (no models of its own)."""

from django.apps import AppConfig


class StatisticsConfig(AppConfig):
    name = "courtpath.web.statistics"
    label = "statistics"
