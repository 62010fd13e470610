"""Thin views of the assessments: one saved assessment of a case, and the "what if" re-assessment of open cases."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from courtpath.web.assessments.forms import WhatIfForm
from courtpath.web.cases import permissions, selectors, services, stored


@login_required
def assessment_detail(request: HttpRequest, code: str, pk: int) -> HttpResponse:
    case = selectors.get_case(request.user, code)
    assessment = selectors.get_assessment(case, pk)
    services.opened(request.user, "assessment", f"{case.code}/{assessment.pk}")
    lang = "ru" if request.LANGUAGE_CODE == "ru" else "en"
    result = stored.assessment_result(case, assessment, lang)
    unreadable = [result] if isinstance(result, stored.Unreadable) else []
    context = {"case": case, "assessment": assessment, "result": None if unreadable else result}
    context["unreadable"] = unreadable
    return render(request, "assessments/assessment_page.html", context)


@login_required
def what_if_page(request: HttpRequest) -> HttpResponse:
    permissions.require(permissions.can_work_on_cases(request.user))
    form = WhatIfForm(request.GET or None)
    result = None
    unreadable: list[stored.Unreadable] = []
    if form.is_valid():
        from courtpath.web.assessments import whatif  # polars: loaded by the first what-if, not by every worker

        assessed, changes = whatif.what_if(
            selectors.visible_cases(request.user), form.cleaned_data["law_on"], unreadable
        )
        result = {"assessed": assessed, "changes": changes, "law_on": form.cleaned_data["law_on"]}
    context = {"form": form, "result": result, "unreadable": unreadable}
    return render(request, "assessments/what_if.html", context, status=400 if form.errors else 200)
