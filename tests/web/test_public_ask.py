"""The optional "ask an organisation for help" step of the public interview: only what the person fills in is sent,
sealed like case data; bad input is a form error (400) and writes nothing; no cookie; a form is sent once; a flood
cannot shut out the next real request; the hourly maximum and a locked vault are answered with the form and what was
typed, never a 500."""

from __future__ import annotations

import datetime as dt
import logging
import re
from collections.abc import Callable

import pytest
from _interview_pages import Form, post, walk
from django.core import signing
from django.test import Client
from django.utils import timezone

from courtpath.vault import state
from courtpath.web.accounts.models import User
from courtpath.web.audit.models import AuditEvent
from courtpath.web.cases import selectors
from courtpath.web.cases.models import HelpRequest
from courtpath.web.interview.ask import TOKEN_MAX_AGE_SECONDS, TOKEN_SALT, new_token, token_is_valid
from courtpath.web.interview.models import SpentToken
from courtpath.web.interview.services import forget_expired_tokens, token_digest

FLOOD = 1000
TOKEN_FIELD = re.compile(r'name="token" value="([^"]+)"')
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
    assert hidden["send"] == "1" and token_is_valid(hidden["token"])
    assert signing.TimestampSigner(salt=TOKEN_SALT).unsign(hidden["token"]) != "ask"  # a random nonce
    assert Form(ask_form(anonymous, "en")).hidden["token"] != hidden["token"]  # never the same for two forms
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


def kept_what_was_typed(html: str, contact: str = CONTACT, message: str = MESSAGE) -> bool:
    """The form came back with the contact, the message, the ticks and the answers, and a token to send it again."""
    hidden = Form(html).hidden
    return (
        f'value="{contact}"' in html
        and f">{message}</textarea>" in html
        and 'name="consent" id="id_consent" checked' in html
        and hidden["a-status"] == "contract"
        and token_is_valid(hidden["token"])
    )


@pytest.mark.django_db
def test_a_form_is_sent_once(anonymous: Client, db_contains: Callable[[str], bool]) -> None:
    page = ask_form(anonymous, "en")
    token = Form(page).hidden["token"]
    assert send(anonymous, page, "en").status_code == 200
    replay = send(anonymous, page, "en")  # the same form again: a double click, the back button, or a flood
    assert replay.status_code == 400
    text = replay.content.decode()
    assert "This form was already sent once" in text and 'id="error-form"' in text
    assert kept_what_was_typed(text)
    assert HelpRequest.objects.count() == 1 and AuditEvent.objects.count() == 1
    assert SpentToken.objects.count() == 1 and not db_contains(token)  # only a keyed hash of it is kept
    again = send(anonymous, text, "en")  # the page it came back with carries a new token
    assert again.status_code == 200 and HelpRequest.objects.count() == 2


@pytest.mark.django_db
def test_spent_tokens_are_forgotten_once_expired(anonymous: Client) -> None:
    page = ask_form(anonymous)
    assert send(anonymous, page).status_code == 200
    spent = SpentToken.objects.get()
    assert spent.expires >= timezone.now() + dt.timedelta(seconds=TOKEN_MAX_AGE_SECONDS)
    assert (spent.expires.minute, spent.expires.second, spent.expires.microsecond) == (0, 0, 0)
    assert forget_expired_tokens(spent.expires - dt.timedelta(seconds=1)) == 0
    assert forget_expired_tokens(spent.expires + dt.timedelta(seconds=1)) == 1


@pytest.mark.django_db
def test_a_flood_neither_shuts_out_the_next_real_request_nor_loses_what_it_says(
    anonymous: Client, make_coordinator: Callable[..., User]
) -> None:
    """1,000 junk requests in a row from one client, each with a fresh form fetched as an attacker would, then one
    real request: it is accepted and coordinators see it."""
    answers = Form(walk(Client(), "ru")).hidden
    attacker = Client()
    for number in range(FLOOD):
        page = attacker.post("/help/ask/", answers).content.decode()
        token = TOKEN_FIELD.search(page).group(1)
        junk = {"send": "1", "token": token, "relation": "other", "contact": f"junk {number}", "consent": "on"}
        assert attacker.post("/help/ask/", {**answers, **junk}).status_code == 200, number
    real = send(anonymous, ask_form(anonymous))
    assert real.status_code == 200
    request = HelpRequest.objects.order_by("-pk").first()
    assert request.code in real.content.decode()
    assert (request.contact, request.summary) == (CONTACT, MESSAGE)
    assert selectors.visible_requests(make_coordinator()).filter(pk=request.pk).exists()
    assert HelpRequest.objects.count() == 1001
    assert HelpRequest.objects.filter(held=False).count() == 30  # the hourly number; the rest are held apart
    assert request.held


@pytest.mark.django_db
def test_past_the_hourly_maximum_the_form_comes_back_with_everything_typed(anonymous: Client, settings: object) -> None:
    settings.COURTPATH_PUBLIC_REQUESTS_PER_HOUR = 1
    settings.COURTPATH_PUBLIC_REQUESTS_MAX_PER_HOUR = 2
    assert send(anonymous, ask_form(anonymous, "en"), "en").status_code == 200
    assert send(anonymous, ask_form(anonymous, "en"), "en").status_code == 200
    assert list(HelpRequest.objects.order_by("pk").values_list("held", flat=True)) == [False, True]
    page = ask_form(anonymous, "en")
    response = send(anonymous, page, "en")
    assert response.status_code == 429
    text = response.content.decode()
    assert "Too many requests are arriving right now, so yours was not sent" in text
    assert kept_what_was_typed(text)
    assert HelpRequest.objects.count() == 2
    assert not SpentToken.objects.filter(digest=token_digest(Form(page).hidden["token"])).exists()  # not spent


@pytest.mark.django_db
def test_a_locked_vault_sends_nothing_and_says_so(anonymous: Client) -> None:
    page = ask_form(anonymous, "en")
    previous = state.master()
    state.lock()
    try:
        response = send(anonymous, page, "en")
    finally:
        state.unlock(previous)
    assert response.status_code == 503 and "The server is not ready to receive requests" in response.content.decode()
    assert kept_what_was_typed(response.content.decode())
    assert not HelpRequest.objects.exists() and not SpentToken.objects.exists()


@pytest.mark.django_db
def test_get_is_not_allowed(anonymous: Client) -> None:
    assert anonymous.get("/help/ask/").status_code == 405
