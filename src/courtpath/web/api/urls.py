from django.urls import path

from courtpath.web.api import views

app_name = "api"
urlpatterns = [
    path("assess", views.assess, name="assess"),
    path("openapi.json", views.openapi, name="openapi"),
    path("tokens/", views.token_list, name="tokens"),
    path("tokens/<int:pk>/revoke", views.token_revoke, name="token_revoke"),
]
