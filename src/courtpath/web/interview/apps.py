from django.apps import AppConfig


class InterviewConfig(AppConfig):
    name = "courtpath.web.interview"
    label = "interview"
