from django.urls import path

from courtpath.web.organisation import views

app_name = "organisation"
urlpatterns = [
    path("", views.identity_edit, name="identity"),
]
