"""The public self-help interview: one question per page, answers carried in the form, nothing kept on the server.

Every answer travels in hidden fields of a POST form (never in the URL, so never in access logs or browser
history). The views keep no session, set no cookie and write nothing: they only read the form and render. They are
exempt from CSRF protection on purpose: a forged submission changes no server state and shows its result only to
the browser that sent it, while a CSRF token would need a cookie. Each page is rendered in the language of its URL,
never from a cookie.
"""

from __future__ import annotations

import datetime as dt
import logging

from django import forms
from django.conf import settings
from django.db import DatabaseError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import translation
from django.utils.translation import gettext_lazy as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods

from courtpath.interview.answers import AnswerError, Answers, carried, normalise
from courtpath.interview.definition import Interview, Step, default_interview
from courtpath.interview.explain import Explanation
from courtpath.interview.facts import FactsProblem, check
from courtpath.interview.navigation import next_step, previous_step
from courtpath.interview.result import outcome
from courtpath.law.facts import MOSCOW
from courtpath.pdf import PdfError, html_to_pdf
from courtpath.vault.errors import VaultError
from courtpath.web.cases import services
from courtpath.web.interview import pages, slots
from courtpath.web.interview import services as interview_services
from courtpath.web.interview.ask import AskForm, answers_facts, answers_summary
from courtpath.web.statistics.beside_case import known_outcomes

logger = logging.getLogger(__name__)

ANSWER_PREFIX = "a-"
SPENT_MESSAGE = _(
    "This form was already sent once. If you sent it, your request has arrived and you need not send it again. "
    "If not, check what you typed below and send it again."
)
BUSY_MESSAGE = _(
    "Too many requests are arriving right now, so yours was not sent. What you typed is still below: please send it "
    "again in an hour, or contact the organisation another way."
)
LOCKED_MESSAGE = _(
    "The server is not ready to receive requests, so yours was not sent. What you typed is still below: please send "
    "it again later."
)
FAULT_MESSAGE = _(
    "A technical fault kept your request from being saved. What you typed is still below: please send it again in a "
    "few minutes."
)
BUSY_RETRY_AFTER_SECONDS = 3600  # the hourly maximum: a slot frees up within the hour
LOCKED_RETRY_AFTER_SECONDS = 600  # an operator has to unlock the vault
FAULT_RETRY_AFTER_SECONDS = 300


def _now() -> dt.datetime:
    return dt.datetime.now(tz=MOSCOW)


def _carried(request: HttpRequest, interview: Interview) -> Answers:
    raw = {k.removeprefix(ANSWER_PREFIX): v for k, v in request.POST.items() if k.startswith(ANSWER_PREFIX)}
    return carried(interview, raw)


def _typed(request: HttpRequest, step: Step) -> str | list[str] | tuple[str, str]:
    """What the person entered on the page of `step`, in the form `normalise` takes."""
    name = f"q-{step.id}"
    if step.kind == "multi-choice":
        return request.POST.getlist(name)
    if step.kind == "datetime":
        return request.POST.get(f"{name}-date", ""), request.POST.get(f"{name}-time", "")
    if step.kind == "date":
        return request.POST.get(f"{name}-date", "")
    return request.POST.get(name, "")


@require_GET
def start(request: HttpRequest, lang: str) -> HttpResponse:
    with translation.override(lang):
        return render(request, "interview/start.html", pages.base_context(lang))


@csrf_exempt
@require_http_methods(["GET", "POST"])
def step(request: HttpRequest, lang: str) -> HttpResponse:
    """Take the answer of the page just sent (go = next | back | stay), then show the next page or the result."""
    if request.method != "POST":
        return redirect("interview:start_en" if lang == "en" else "interview:start")
    interview, now = default_interview(), _now()
    answers = _carried(request, interview)
    review = request.POST.get("review") == "1"
    edit = request.POST.get("edit", "")
    with translation.override(lang):
        if interview.has_step(edit):
            return pages.step_page(request, interview, interview.step(edit), answers, lang, review=True)
        current_id = request.POST.get("step", "")
        current = interview.step(current_id) if interview.has_step(current_id) else None
        go = request.POST.get("go", "next")
        if current is not None and go in ("next", "back", "stay"):
            error = _take(request, interview, current, answers, now)
            if error is not None and go == "next":
                return pages.step_page(request, interview, current, answers, lang, review=review, error=error)
            if go == "stay":
                return pages.step_page(request, interview, current, answers, lang, review=review)
            if go == "back":
                target = previous_step(interview, answers, current.id) or current
                return pages.step_page(request, interview, target, answers, lang, review=review)
        elif go == "result_back":  # "back" from the result: the last question
            last = previous_step(interview, answers, None)
            if last is not None:
                return pages.step_page(request, interview, last, answers, lang, review=review)
        following = next_step(interview, answers, current.id if current else None, review=review)
        if following is not None:
            return pages.step_page(request, interview, following, answers, lang, review=review)
        try:
            assessment, explanation = outcome(interview, answers, now, lang)
        except FactsProblem as problem:
            target = interview.step(problem.step)
            message = problem.error.render(interview, lang)
            return pages.step_page(request, interview, target, answers, lang, review=True, error=message)
        return pages.result_page(request, interview, answers, explanation, lang, known_outcomes(assessment))


def _take(request: HttpRequest, interview: Interview, current: Step, answers: Answers, now: dt.datetime) -> str | None:
    """Store the page's answer in `answers`; the message to show if it cannot be used (then nothing changes)."""
    try:
        value = normalise(current, _typed(request, current), interview, now)
    except AnswerError as error:
        return error.render(interview, translation.get_language() or "ru")
    before = answers.get(current.id)
    answers[current.id] = value
    problem = check(interview, answers, now)
    if problem is not None and problem.step == current.id:
        if before is None:
            del answers[current.id]
        else:
            answers[current.id] = before
        return problem.error.render(interview, translation.get_language() or "ru")
    return None


def _completed(request: HttpRequest, lang: str) -> tuple[Answers, Explanation | HttpResponse]:
    """The answers carried in the form, and their explanation, or the question page to show first (unanswered, or
    inconsistent). Call inside translation.override(lang)."""
    interview, now = default_interview(), _now()
    answers = _carried(request, interview)
    missing = next_step(interview, answers, None, review=True)
    if missing is not None:
        return answers, pages.step_page(request, interview, missing, answers, lang, review=True)
    try:
        _, explanation = outcome(interview, answers, now, lang)
    except FactsProblem as problem:
        message = problem.error.render(interview, lang)
        return answers, pages.step_page(request, interview, interview.step(problem.step), answers, lang, True, message)
    return answers, explanation


@csrf_exempt
@require_http_methods(["POST"])
def pdf(request: HttpRequest, lang: str) -> HttpResponse:
    """The result as a PDF made in memory and sent as a download; nothing is written to disk. At most
    COURTPATH_PUBLIC_PDF_SLOTS are made at once by all server processes: the others get a page to try again. The
    slot is taken first, so that a refusal costs neither the engine nor WeasyPrint. A request waits for a slot for
    COURTPATH_PUBLIC_PDF_WAIT_SECONDS (2), holding one thread of the public pool (web/server/pools.py)."""
    with translation.override(lang):
        try:
            with slots.slot(
                settings.COURTPATH_PUBLIC_PDF_SLOTS_DIR,
                settings.COURTPATH_PUBLIC_PDF_SLOTS,
                settings.COURTPATH_PUBLIC_PDF_WAIT_SECONDS,
            ):
                return _pdf_download(request, lang)
        except slots.NoFreeSlot:
            return pages.pdf_busy(request, _carried(request, default_interview()), lang)


def _pdf_download(request: HttpRequest, lang: str) -> HttpResponse:
    _answers, explanation = _completed(request, lang)
    if isinstance(explanation, HttpResponse):
        return explanation
    try:
        document = html_to_pdf(pages.pdf_html(explanation, lang))
    except PdfError:
        return pages.pdf_unavailable(request, lang)
    response = HttpResponse(document, content_type="application/pdf")
    name = "rezultat.pdf" if lang == "ru" else "result.pdf"  # a plain name: it may be seen in a download list
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@csrf_exempt  # no cookie, no login: see courtpath.web.interview.ask for what protects this form instead
@require_http_methods(["POST"])
def ask(request: HttpRequest, lang: str) -> HttpResponse:
    """Optional: send a request for help to the organisation, with only what the person fills in on this page."""
    with translation.override(lang):
        answers, explanation = _completed(request, lang)
        if isinstance(explanation, HttpResponse):
            return explanation
        summary = answers_summary(explanation)
        if request.POST.get("send") != "1":
            form = AskForm()
            return pages.ask_page(request, answers, form, summary, lang)
        form = AskForm(request.POST)
        if not form.is_valid():
            return pages.ask_page(request, answers, form, summary, lang, status=400)
        data = form.cleaned_data
        try:
            sent = interview_services.send_request(
                token=data["token"],
                relation=data["relation"],
                contact=data["contact"],
                message=data["message"],
                facts_summary=summary if data["send_answers"] else "",
                answers=answers_facts(default_interview(), answers, _now()) if data["send_answers"] else {},
            )
        except interview_services.TokenSpent:
            form.add_error("token", forms.ValidationError(SPENT_MESSAGE, code="spent"))
            return pages.ask_page(request, answers, form, summary, lang, status=400)
        except services.TooManyPublicRequests:  # every refusal: the form comes back with everything typed
            return _refused(request, answers, form, summary, lang, 429, BUSY_MESSAGE, BUSY_RETRY_AFTER_SECONDS)
        except VaultError:  # the vault is locked: the server was started without its passphrase
            return _refused(request, answers, form, summary, lang, 503, LOCKED_MESSAGE, LOCKED_RETRY_AFTER_SECONDS)
        except DatabaseError as error:  # a full disk, a lost connection...: the type only, never what was typed
            logger.error("public request not saved: %s", type(error).__name__)
            return _refused(request, answers, form, summary, lang, 503, FAULT_MESSAGE, FAULT_RETRY_AFTER_SECONDS)
        return pages.ask_sent(request, answers, sent.code, lang)


def _refused(
    request: HttpRequest,
    answers: Answers,
    form: AskForm,
    summary: str,
    lang: str,
    status: int,
    problem: object,
    retry_after: int,
) -> HttpResponse:
    return pages.ask_page(
        request, answers, form, summary, lang, status=status, problem=str(problem), retry_after=retry_after
    )
