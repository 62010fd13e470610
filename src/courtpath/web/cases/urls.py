"""URLs of requests and cases; the assessment, drafts and statistics pages have apps of their own."""

from django.urls import path

from courtpath.web.cases import views

app_name = "cases"
urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("requests/", views.request_list, name="request_list"),
    path("requests/new/", views.request_create, name="request_create"),
    path("requests/delete/", views.request_bulk_delete, name="request_bulk_delete"),
    path("requests/selected/", views.request_bulk, name="request_bulk"),
    path("requests/<str:code>/", views.request_detail, name="request_detail"),
    path("requests/<str:code>/decline/", views.request_decline, name="request_decline"),
    path("requests/<str:code>/status/", views.request_status, name="request_status"),
    path("requests/<str:code>/assign/", views.request_assign, name="request_assign"),
    path("requests/<str:code>/delete/", views.request_delete, name="request_delete"),
    path("cases/", views.case_list, name="case_list"),
    path("cases/export.csv", views.case_export, name="case_export"),
    path("cases/<str:code>/", views.case_detail, name="case_detail"),
    path("cases/<str:code>/print/", views.case_print, name="case_print"),
    path("cases/<str:code>/edit/", views.case_edit, name="case_edit"),
    path("cases/<str:code>/stage/", views.case_stage, name="case_stage"),
    path("cases/<str:code>/notes/", views.case_note, name="case_note"),
    path("cases/<str:code>/procedure/", views.case_procedure, name="case_procedure"),
    path("cases/<str:code>/procedure/remove/", views.case_procedure_remove, name="case_procedure_remove"),
    path("cases/<str:code>/assign/", views.case_assign, name="case_assign"),
    path("cases/<str:code>/documents/", views.document_upload, name="document_upload"),
    path("cases/<str:code>/documents/<int:pk>/", views.document_download, name="document_download"),
    path("cases/<str:code>/delete/", views.case_delete, name="case_delete"),
]
