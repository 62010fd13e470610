"""The Django app of a case's document drafts (no models of its own: nothing of a draft is stored)."""

from django.apps import AppConfig


class DraftsConfig(AppConfig):
    name = "courtpath.web.drafts"
    label = "drafts"
