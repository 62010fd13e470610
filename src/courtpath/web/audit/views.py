from __future__ import annotations

import csv

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from courtpath.web.audit import selectors, services
from courtpath.web.audit.models import Action


@login_required
def event_list(request: HttpRequest) -> HttpResponse:
    events = selectors.audit_events(request.user)
    page = Paginator(events, 100).get_page(request.GET.get("page"))
    return render(request, "audit/list.html", {"page": page, "rows": selectors.event_rows(page)})


@login_required
def export_csv(request: HttpRequest) -> HttpResponse:
    events = selectors.audit_events(request.user)
    services.record(request.user, Action.EXPORT, "audit_log", "all")
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="audit-log.csv"'
    writer = csv.writer(response)
    writer.writerow(["at", "actor", "action", "object_type", "object_id", "fields"])
    for event in events.iterator():
        writer.writerow(
            [
                event.at.isoformat(),
                event.actor.username if event.actor else "",
                event.action,
                event.object_type,
                event.object_id,
                event.fields,
            ]
        )
    return response
