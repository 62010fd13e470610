"""Thin views of the statistics: the charts page and the CSV export, aggregates only (coordinators, administrators)."""

from __future__ import annotations

import csv
from types import ModuleType

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from courtpath.web.cases import selectors, services


def _stats() -> ModuleType:
    """courtpath.web.statistics.stats, imported by the first statistics request: it loads polars and the analytics
    (tens of MB), which a worker serving case pages or the public interview never needs."""
    from courtpath.web.statistics import stats

    return stats


@login_required
def statistics_page(request: HttpRequest) -> HttpResponse:
    cases, requests = selectors.statistics_scope(request.user)
    lang = "ru" if request.LANGUAGE_CODE == "ru" else "en"
    context = {
        "charts": _stats().organisation_charts(cases, requests, lang),
        "cases": cases.count(),
        "requests": requests.count(),
    }
    return render(request, "statistics/statistics.html", context)


@login_required
def statistics_csv(request: HttpRequest) -> HttpResponse:
    cases, requests = selectors.statistics_scope(request.user)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="statistics.csv"'
    csv.writer(response).writerows(_stats().aggregates_csv_rows(cases, requests))
    services.exported(request.user, "statistics")
    return response
