"""Thin views of the statistics: the charts page and the CSV export, aggregates only (coordinators, administrators)."""

from __future__ import annotations

import csv

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from courtpath.web.cases import permissions, selectors, services, stored
from courtpath.web.statistics import stats


@login_required
def statistics_page(request: HttpRequest) -> HttpResponse:
    cases, requests = selectors.statistics_scope(request.user)
    lang = "ru" if request.LANGUAGE_CODE == "ru" else "en"
    unreadable: list[stored.Unreadable] = []
    charts = stats.organisation_charts(cases, requests, lang, unreadable)
    # The codes only for those who may open the cases; an administrator sees no case data, only how many.
    named = permissions.can_work_on_cases(request.user)
    context = {
        "charts": charts,
        "unreadable": unreadable if named else [],
        "unreadable_count": len({problem.case_code for problem in unreadable}),
        "cases": cases.count(),
        "requests": requests.count(),
    }
    return render(request, "statistics/statistics.html", context)


@login_required
def statistics_csv(request: HttpRequest) -> HttpResponse:
    cases, requests = selectors.statistics_scope(request.user)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="statistics.csv"'
    csv.writer(response).writerows(stats.aggregates_csv_rows(cases, requests))
    services.exported(request.user, "statistics")
    return response
