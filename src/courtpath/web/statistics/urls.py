"""URLs of the statistics page and the CSV export of its aggregates."""

from django.urls import path

from courtpath.web.statistics import views

app_name = "statistics"
urlpatterns = [
    path("statistics/", views.statistics_page, name="page"),
    path("statistics.csv", views.statistics_csv, name="export"),
]
