from django.urls import include, path
from django.views.i18n import set_language

urlpatterns = [
    path("api/", include("courtpath.web.api.urls")),
    path("i18n/setlang/", set_language, name="set_language"),
    path("accounts/", include("courtpath.web.accounts.urls")),
    path("audit/", include("courtpath.web.audit.urls")),
    path("organisation/", include("courtpath.web.organisation.urls")),  # the public identity (administrators)
    path("help/", include("courtpath.web.interview.urls")),  # the public self-help interview
    path("", include("courtpath.web.cases.urls")),  # requests/, cases/ and the dashboard at /
    path("", include("courtpath.web.assessments.urls")),  # what-if/, cases/<code>/assessments/<pk>/
    path("", include("courtpath.web.drafts.urls")),  # cases/<code>/drafts/...
    path("", include("courtpath.web.statistics.urls")),  # statistics/, statistics.csv
    path("", include("courtpath.web.agenda.urls")),  # agenda/, calendar/<token>.ics, cases/<code>/agenda/...
]
