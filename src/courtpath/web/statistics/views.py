"""Thin views of the statistics: the charts page and the CSV export, aggregates only (coordinators, administrators).

A coordinator, who can open every case, gets the exact charts; an administrator, who can open none, gets tables with
small counts suppressed (statistics/protected.py)."""

from __future__ import annotations

import csv

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from courtpath.web.cases import permissions, selectors, services, stored
from courtpath.web.statistics import memo


def _lang(request: HttpRequest) -> str:
    return "ru" if request.LANGUAGE_CODE == "ru" else "en"


@login_required
def statistics_page(request: HttpRequest) -> HttpResponse:
    cases, requests = selectors.statistics_scope(request.user)
    lang = _lang(request)
    exact = permissions.sees_exact_statistics(request.user)
    # The codes only for those who may open the cases; an administrator sees no case data, only how many.
    named = permissions.can_work_on_cases(request.user)

    def compute() -> dict[str, object]:
        # polars and the analytics: imported by the first statistics request, not by every worker (tens of MB).
        from courtpath.web.statistics import protected, stats

        unreadable: list[stored.Unreadable] = []
        if exact:
            charts = stats.organisation_charts(cases, requests, lang, unreadable)
            context: dict[str, object] = {"charts": charts, "cases": cases.count(), "requests": requests.count()}
        else:
            tables = protected.protected_statistics(cases, requests, lang, unreadable=unreadable)
            context = {"tables": tables.tables, "cases": tables.cases, "requests": tables.requests, "protected": True}
        context["unreadable"] = unreadable if named else []
        context["unreadable_count"] = len({problem.case_code for problem in unreadable})
        return context

    kept = memo.figures(("page", exact, named, lang), compute)
    context = {**kept.context, "computed_at": kept.computed_at}
    return render(request, "statistics/statistics.html", context)


@login_required
def statistics_csv(request: HttpRequest) -> HttpResponse:
    cases, requests = selectors.statistics_scope(request.user)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="statistics.csv"'
    from courtpath.web.statistics import protected, stats

    if permissions.sees_exact_statistics(request.user):
        rows = stats.aggregates_csv_rows(cases, requests)
    else:
        rows = protected.csv_rows(protected.protected_statistics(cases, requests, _lang(request)))
    csv.writer(response).writerows(rows)
    services.exported(request.user, "statistics")
    return response
