"""The optional "ask an organisation for help" step of the public interview: only what the person fills in is sent,
sealed like case data; bad input is a form error (400) and writes nothing; no cookie; the hourly cap and a locked
vault are answered with a page, never a 500."""

from __future__ import annotations

import logging
from collections.abc import Callable

import pytest
from _interview_pages import Form, post, walk
from django.core import signing
from django.test import Client

from courtpath.vault import state
from courtpath.web.accounts.models import User
from courtpath.web.audit.models import AuditEvent
from courtpath.web.cases import selectors
from courtpath.web.cases.models import HelpRequest
from courtpath.web.interview.ask import TOKEN_SALT, new_token

CONTACT = "Signal: tea-kettle-7341"  # fictional
MESSAGE = "Прошу перезвонить вечером"


@pytest.fixture
def anonymous() -> Client:
    return Client(enforce_csrf_checks=True)  # as a browser without cookies: the form must work without a CSRF token


def ask_form(client: Client, lang: str = "ru") -> str:
    """The ask page reached from the result page, as HTML."""
    base = "/help/" if lang == "ru" else "/help/en/"
    result = walk(client, lang)
    response = post(client, f"{base}ask/", result, None, {})
    assert response.status_code == 200
    return response.content.decode()


def send(client: Client, page: str, lang: str = "ru", **typed: object):
    base = "/help/" if lang == "ru" else "/help/en/"
    fields = {"relation": "parent", "contact": CONTACT, "message": MESSAGE, "consent": "on"}
    fields.update(typed)
    return post(client, f"{base}ask/", page, None, {k: v for k, v in fields.items() if v is not None})


@pytest.mark.django_db
def test_the_result_page_offers_the_step_and_the_form_explains_what_is_sent(anonymous: Client) -> None:
    result = walk(anonymous, "en")
    assert 'formaction="/help/en/ask/"' in result
    page = ask_form(anonymous, "en")
    assert "Ask an organisation for help" in page
    assert "Only what you fill in on this page is sent" in page
    assert "What your answers say" in page and "Under a contract" in page  # shown before anything is sent
    hidden = Form(page).hidden
    assert hidden["send"] == "1" and signing.TimestampSigner(salt=TOKEN_SALT).unsign(hidden["token"]) == "ask"
    assert not HelpRequest.objects.exists()
    assert not anonymous.cookies


@pytest.mark.django_db
def test_sending_creates_a_sealed_request_with_only_what_was_chosen(
    anonymous: Client, db_contains: Callable[[str], bool], caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    page = ask_form(anonymous)
    response = send(anonymous, page)  # "send my answers" not ticked
    assert response.status_code == 200
    request = HelpRequest.objects.get()
    assert request.code in response.content.decode()
    assert (request.created_by, request.channel, request.relation) == (None, "web", "parent")
    assert request.contact == CONTACT
    assert request.summary == MESSAGE  # the answers were not chosen, so they were not sent
    assert not db_contains(CONTACT) and not db_contains(MESSAGE)  # sealed, never in clear
    assert not anonymous.cookies
    event = AuditEvent.objects.get(object_id=request.code)
    assert event.actor_id is None
    logged = "\n".join(r.getMessage() for r in caplog.records)
    assert CONTACT not in logged and MESSAGE not in logged


@pytest.mark.django_db
def test_ticking_send_answers_adds_the_answers_in_the_persons_language(anonymous: Client) -> None:
    page = ask_form(anonymous, "en")
    assert send(anonymous, page, "en", send_answers="on", message="").status_code == 200
    summary = HelpRequest.objects.get().summary
    assert summary.startswith("Your answers")
    assert "Under a contract" in summary and "He took a job" in summary


@pytest.mark.django_db
def test_the_request_reaches_coordinators_not_intake(
    anonymous: Client, make_coordinator: Callable[..., User], make_intake: Callable[..., User]
) -> None:
    send(anonymous, ask_form(anonymous))
    request = HelpRequest.objects.get()
    assert selectors.visible_requests(make_coordinator()).filter(pk=request.pk).exists()
    assert not selectors.visible_requests(make_intake()).filter(pk=request.pk).exists()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("typed", "error"),
    [
        ({"contact": "   "}, "error-contact"),
        ({"contact": None}, "error-contact"),
        ({"consent": None}, "error-consent"),
        ({"relation": "boss"}, "error-relation"),
        ({"contact": "x" * 301}, "error-contact"),
        ({"message": "x" * 3001}, "error-message"),
        ({"token": "ask:1:forged"}, "error-form"),
        ({"website": "http://spam.example"}, "Обращение не удалось отправить"),
    ],
)
def test_bad_input_is_a_form_error_and_writes_nothing(anonymous: Client, typed: dict[str, object], error: str) -> None:
    page = ask_form(anonymous)
    response = send(anonymous, page, **typed)
    assert response.status_code == 400
    text = response.content.decode()
    assert error in text
    assert not HelpRequest.objects.exists() and not AuditEvent.objects.exists()
    kept = Form(text).hidden  # the answers survive the error
    assert kept["a-status"] == "contract" and kept["a-left"].startswith("2025-04-03")


@pytest.mark.django_db
def test_an_expired_token_is_refused(anonymous: Client, monkeypatch: pytest.MonkeyPatch) -> None:
    page = ask_form(anonymous)
    monkeypatch.setattr("courtpath.web.interview.ask.TOKEN_MAX_AGE_SECONDS", -1)
    response = send(anonymous, page)
    assert response.status_code == 400 and "Эта форма устарела" in response.content.decode()
    assert not HelpRequest.objects.exists()


@pytest.mark.django_db
def test_incomplete_answers_go_back_to_the_missing_question(anonymous: Client) -> None:
    page = walk(anonymous, "ru", upto=3)
    response = post(anonymous, "/help/ask/", page, None, {"send": "1", "token": new_token(), "contact": CONTACT})
    assert response.status_code == 200
    assert 'name="step" value="still_absent"' in response.content.decode()
    assert not HelpRequest.objects.exists()


@pytest.mark.django_db
def test_the_hourly_cap_is_a_page_not_an_error(anonymous: Client, settings: object) -> None:
    settings.COURTPATH_PUBLIC_REQUESTS_PER_HOUR = 1
    page = ask_form(anonymous, "en")
    assert send(anonymous, page, "en").status_code == 200
    response = send(anonymous, page, "en")
    assert response.status_code == 429
    assert "Too many requests arrived in the last hour. Nothing was sent." in response.content.decode()
    assert HelpRequest.objects.count() == 1


@pytest.mark.django_db
def test_a_locked_vault_sends_nothing_and_says_so(anonymous: Client) -> None:
    page = ask_form(anonymous, "en")
    previous = state.master()
    state.lock()
    try:
        response = send(anonymous, page, "en")
    finally:
        state.unlock(previous)
    assert response.status_code == 503 and "Nothing was sent" in response.content.decode()
    assert not HelpRequest.objects.exists()


@pytest.mark.django_db
def test_get_is_not_allowed(anonymous: Client) -> None:
    assert anonymous.get("/help/ask/").status_code == 405
