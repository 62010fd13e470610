"""Public URLs of the self-help interview: Russian under /help/, English under /help/en/ (no language cookie)."""

from django.urls import path

from courtpath.web.interview import notice, views

app_name = "interview"

urlpatterns = [
    path("", views.start, {"lang": "ru"}, name="start"),
    path("step/", views.step, {"lang": "ru"}, name="step"),
    path("pdf/", views.pdf, {"lang": "ru"}, name="pdf"),
    path("ask/", views.ask, {"lang": "ru"}, name="ask"),
    path("privacy/", notice.privacy, {"lang": "ru"}, name="privacy"),
    path("en/", views.start, {"lang": "en"}, name="start_en"),
    path("en/step/", views.step, {"lang": "en"}, name="step_en"),
    path("en/pdf/", views.pdf, {"lang": "en"}, name="pdf_en"),
    path("en/ask/", views.ask, {"lang": "en"}, name="ask_en"),
    path("en/privacy/", notice.privacy, {"lang": "en"}, name="privacy_en"),
]

PUBLIC_VIEWS = frozenset(f"{app_name}:{p.name}" for p in urlpatterns)
