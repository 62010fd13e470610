"""URLs of a case's document drafts: the list, a preview, and a download as DOCX or PDF."""

from django.urls import path

from courtpath.web.drafts import views

app_name = "drafts"
urlpatterns = [
    path("cases/<str:code>/drafts/", views.drafts_page, name="list"),
    path("cases/<str:code>/drafts/<slug:template>/", views.draft_preview, name="preview"),
    path("cases/<str:code>/drafts/<slug:template>/<str:fmt>/", views.draft_download, name="download"),
]
