"""URLs of manual dates (under a case), the 14-day page, the reminder settings and the calendar feed."""

from django.urls import path

from courtpath.web.agenda import views

app_name = "agenda"
urlpatterns = [
    path("agenda/", views.upcoming, name="upcoming"),
    path("agenda/settings/", views.reminder_settings, name="settings"),
    path("agenda/settings/digest/", views.digest_settings, name="digest"),
    path("agenda/settings/feed/", views.feed_create, name="feed_create"),
    path("agenda/settings/feed/revoke/", views.feed_revoke, name="feed_revoke"),
    path("calendar/<str:token>.ics", views.feed, name="feed"),
    path("cases/<str:code>/agenda/new/", views.item_add, name="item_add"),
    path("cases/<str:code>/agenda/<int:pk>/", views.item_edit, name="item_edit"),
    path("cases/<str:code>/agenda/<int:pk>/done/", views.item_done, name="item_done"),
    path("cases/<str:code>/agenda/<int:pk>/delete/", views.item_delete, name="item_delete"),
]
# Authenticated by the token in the address, not by a session (accounts/middleware.py TOKEN_VIEWS).
TOKEN_VIEWS = frozenset({"agenda:feed"})
