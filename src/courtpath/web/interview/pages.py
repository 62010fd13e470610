"""Page contexts and rendering for the interview views (the views decide which page; this builds it)."""

from __future__ import annotations

from django.forms import Form
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.urls import reverse

from courtpath.interview.answers import Answers, typed_form
from courtpath.interview.definition import NO, YES, Interview, Step
from courtpath.interview.explain import Explanation
from courtpath.interview.navigation import previous_step, progress
from courtpath.web.interview.ask import new_token
from courtpath.web.organisation.selectors import public_identity

OTHER = {"ru": "en", "en": "ru"}
LANGUAGE_NAMES = {"ru": "Русский", "en": "English"}
PDF_RETRY_AFTER_SECONDS = 60


def _url(name: str, lang: str) -> str:
    return reverse(f"interview:{name}_en" if lang == "en" else f"interview:{name}")


def base_context(lang: str) -> dict[str, object]:
    other = OTHER[lang]
    return {
        "lang": lang,
        "other_lang": other,
        "other_lang_name": LANGUAGE_NAMES[other],
        "start_url": _url("start", lang),
        "other_start_url": _url("start", other),
        "step_url": _url("step", lang),
        "other_step_url": _url("step", other),
        "pdf_url": _url("pdf", lang),
        "ask_url": _url("ask", lang),
        "privacy_url": _url("privacy", lang),
        "other_privacy_url": _url("privacy", other),
        "organisation": public_identity(lang),
    }


def _hidden(answers: Answers) -> list[tuple[str, str]]:
    return [(f"a-{key}", value) for key, value in answers.items()]


def _options(step: Step, interview: Interview, answer: str | None, lang: str) -> list[dict[str, object]]:
    chosen = set(answer.split(",")) if answer else set()
    if step.kind == "yes-no":
        pairs = [(YES, interview.text(YES, lang)), (NO, interview.text(NO, lang))]
    else:
        pairs = [(o.value, o.label.get(lang)) for o in step.options]
    return [
        {"value": value, "label": label, "checked": value in chosen, "id": f"q-{step.id}-{number}"}
        for number, (value, label) in enumerate(pairs, 1)
    ]


def step_page(
    request: HttpRequest,
    interview: Interview,
    step: Step,
    answers: Answers,
    lang: str,
    review: bool = False,
    error: str | None = None,
) -> HttpResponse:
    answer = answers.get(step.id)
    date_value, time_value = "", ""
    if step.kind in ("date", "datetime"):
        if error and f"q-{step.id}-date" in request.POST:  # what was typed on this page, to be corrected
            date_value = request.POST.get(f"q-{step.id}-date", "")
            time_value = request.POST.get(f"q-{step.id}-time", "")
        elif answer:  # an answer given before, day first as the hint asks
            date_value, time_value = typed_form(step, answer)
    k, n = progress(interview, answers, step.id)
    context = {
        **base_context(lang),
        "step": step,
        "question": step.question.get(lang),
        "help": step.help.get(lang) if step.help else "",
        "options": _options(step, interview, answer, lang),
        "date_value": date_value,
        "time_value": time_value,
        "error": error,
        "progress": interview.text("step_of", lang, k=k, n=n),
        "progress_k": k,
        "progress_n": n,
        "hidden": _hidden(answers),
        "review": review,
        "is_first": previous_step(interview, answers, step.id) is None,
        "date_label": interview.text("date_label", lang),
        "date_hint": interview.text("date_hint", lang),
        "time_label": interview.text("time_label", lang),
        "time_hint": interview.text("time_hint", lang),
    }
    return render(request, "interview/step.html", context)


def result_page(
    request: HttpRequest,
    interview: Interview,
    answers: Answers,
    explanation: Explanation,
    lang: str,
    outcomes: dict[str, object] | None = None,
) -> HttpResponse:
    """The result; `outcomes`: the figures of the plain sentence on known outcomes (web/statistics/beside_case)."""
    context = {**base_context(lang), "explanation": explanation, "hidden": _hidden(answers), "outcomes": outcomes}
    return render(request, "interview/result.html", context)


def pdf_html(explanation: Explanation, lang: str) -> str:
    context = {"explanation": explanation, "lang": lang, "organisation": public_identity(lang)}
    return render_to_string("interview/pdf.html", context)


def pdf_unavailable(request: HttpRequest, lang: str) -> HttpResponse:
    return render(request, "interview/pdf_unavailable.html", base_context(lang), status=503)


def pdf_busy(request: HttpRequest, answers: Answers, lang: str) -> HttpResponse:
    """Every PDF slot is taken: a page with the answers kept, to try again in a minute (503 + Retry-After)."""
    context = {**base_context(lang), "hidden": _hidden(answers)}
    response = render(request, "interview/pdf_busy.html", context, status=503)
    response["Retry-After"] = str(PDF_RETRY_AFTER_SECONDS)
    return response


def ask_page(
    request: HttpRequest,
    answers: Answers,
    form: Form,
    summary: str,
    lang: str,
    status: int = 200,
    problem: str | None = None,
    retry_after: int | None = None,
) -> HttpResponse:
    """The ask form, with what was typed when it comes back; always with a fresh token, so that it can be sent
    (again) whatever happened to the previous one. With a `problem` (the request was refused), the page also shows
    the organisation's other contacts and hours, so that it never leaves the person without a way to reach it."""
    context = {
        **base_context(lang),
        "form": form,
        "token": new_token(),
        "summary": summary,
        "hidden": _hidden(answers),
        "problem": problem,
    }
    response = render(request, "interview/ask.html", context, status=status)
    if retry_after is not None:
        response["Retry-After"] = str(retry_after)
    return response


def ask_sent(request: HttpRequest, answers: Answers, code: str, lang: str) -> HttpResponse:
    context = {**base_context(lang), "code": code, "hidden": _hidden(answers)}
    return render(request, "interview/ask_sent.html", context)
