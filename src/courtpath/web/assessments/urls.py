"""URLs of the assessment pages and the "what if" view; the paths are those they had under the cases app."""

from django.urls import path

from courtpath.web.assessments import views

app_name = "assessments"
urlpatterns = [
    path("what-if/", views.what_if_page, name="what_if"),
    path("cases/<str:code>/assessments/<int:pk>/", views.assessment_detail, name="detail"),
]
