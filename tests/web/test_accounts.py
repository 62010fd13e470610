"""Logging in and out: password, TOTP, lockout, session timeouts, enrolment, forced password change, CSRF."""

from __future__ import annotations

import re
import time
from collections.abc import Callable

import pytest
from axes.models import AccessAttempt
from django.conf import settings
from django.db import connection
from django.http import HttpResponse
from django.test import Client
from django.urls import reverse

from courtpath.web.accounts import totp
from courtpath.web.accounts.models import User
from courtpath.web.accounts.services import ACTION_SECOND_FACTOR_FAILED
from courtpath.web.accounts.session_state import LAST_SEEN_AT, SECOND_FACTOR_OK, STARTED_AT
from courtpath.web.audit.models import Action, AuditEvent
from courtpath.web.privacy import throttle_name

LOGIN = reverse("accounts:login")
LOGOUT = reverse("accounts:logout")
SECOND_FACTOR = reverse("accounts:second_factor")
ENROL = reverse("accounts:enrol")
PASSWORD_CHANGE = reverse("accounts:password_change")
NEW_PASSWORD = "a brand new long passphrase 7"
CSRF_INPUT = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


@pytest.fixture
def client() -> Client:
    """English pages, whatever the default language: some assertions below read English texts."""
    return Client(headers={"accept-language": "en"})


def password_step(client: Client, user: User, password: str | None = None) -> HttpResponse:
    return client.post(LOGIN, {"username": user.username, "password": password or user.raw_password})


def wrong_code(user: User) -> str:
    """A well-formed code that is not valid now (the code of an hour ago, unless it happens to be a current one)."""
    current = {totp.code_at(user.totp_secret, totp.counter_at(time.time()) + d) for d in (-1, 0, 1)}
    return next(c for c in ("000000", "111111", "222222", "333333") if c not in current)


def is_logged_in(client: Client) -> bool:
    return "_auth_user_id" in client.session


def text(response: HttpResponse) -> str:
    return response.content.decode()


def without_tokens(html: str) -> str:
    return CSRF_INPUT.sub('name="csrfmiddlewaretoken" value=""', html)


# -- the whole login ------------------------------------------------------------------------------------------------


def test_full_login_flow(client: Client, lawyer: User, totp_code: Callable[..., str]) -> None:
    assert client.get(LOGIN).status_code == 200

    response = password_step(client, lawyer)
    assert response.status_code == 302
    assert response["Location"] == SECOND_FACTOR
    after_password = client.cookies[settings.SESSION_COOKIE_NAME].value
    assert is_logged_in(client)
    assert not client.session.get(SECOND_FACTOR_OK)

    # With the password only, nothing else is reachable.
    for path in ("/", PASSWORD_CHANGE, reverse("accounts:user_list"), "/no-such-page/"):
        response = client.get(path)
        assert (response.status_code, response["Location"]) == (302, SECOND_FACTOR), path

    response = client.post(SECOND_FACTOR, {"code": totp_code(lawyer)})
    assert response.status_code == 302
    assert response["Location"] == reverse(settings.LOGIN_REDIRECT_URL)
    assert client.session[SECOND_FACTOR_OK] is True
    assert client.cookies[settings.SESSION_COOKIE_NAME].value != after_password  # new key for the full session

    assert client.get(PASSWORD_CHANGE).status_code == 200
    assert AuditEvent.objects.filter(actor=lawyer, action=Action.LOGIN, object_type="user").count() == 1


def test_the_password_step_rotates_the_session_key(client: Client, lawyer: User) -> None:
    client.get(LOGIN)
    session = client.session
    session["planted"] = "by someone else"
    session.save()
    before = session.session_key
    client.cookies[settings.SESSION_COOKIE_NAME] = before
    password_step(client, lawyer)
    assert client.cookies[settings.SESSION_COOKIE_NAME].value != before
    assert "planted" not in client.session  # nothing from before the login survives


def test_login_helper_lands_logged_in(client: Client, coordinator: User, login: Callable[..., HttpResponse]) -> None:
    login(client, coordinator)
    login(client, coordinator)  # twice within one TOTP step works too
    assert client.get(PASSWORD_CHANGE).status_code == 200


def test_administrator_lands_on_the_accounts(client: Client, administrator: User, login: Callable) -> None:
    assert login(client, administrator)["Location"] == reverse("accounts:user_list")


def test_wrong_password_is_refused_with_a_generic_message(client: Client, lawyer: User, make_lawyer: Callable) -> None:
    inactive = make_lawyer(is_active=False)
    pages = []
    for username, password in ((lawyer.username, "wrong password 123"), ("nobody", "x"), (inactive.username, None)):
        response = client.post(LOGIN, {"username": username, "password": password or inactive.raw_password})
        assert response.status_code == 200
        assert not is_logged_in(client)
        assert "The username or the password is wrong." in text(response)
        pages.append(without_tokens(text(response)).replace(username, "USERNAME"))
    assert pages[0] == pages[1] == pages[2]


def test_wrong_totp_is_refused(client: Client, lawyer: User, totp_code: Callable[..., str]) -> None:
    password_step(client, lawyer)
    response = client.post(SECOND_FACTOR, {"code": wrong_code(lawyer)})
    assert response.status_code == 200
    assert "This code is not valid" in text(response)
    assert not client.session.get(SECOND_FACTOR_OK)
    assert client.get("/")["Location"] == SECOND_FACTOR
    assert AuditEvent.objects.filter(actor=lawyer, action=ACTION_SECOND_FACTOR_FAILED).count() == 1
    assert AccessAttempt.objects.get(username=throttle_name(lawyer.username)).failures_since_start == 1

    response = client.post(SECOND_FACTOR, {"code": totp_code(lawyer)})
    assert response.status_code == 302
    assert client.session[SECOND_FACTOR_OK] is True
    assert not AccessAttempt.objects.filter(username=throttle_name(lawyer.username)).exists()  # a login clears it


def test_replayed_totp_is_refused(client: Client, lawyer: User, totp_code: Callable[..., str]) -> None:
    now = time.time()
    code = totp_code(lawyer, now)
    password_step(client, lawyer)
    assert client.post(SECOND_FACTOR, {"code": code}).status_code == 302
    client.post(LOGOUT)

    # The same code again, a minute later at most: still inside the time window, but used.
    password_step(client, lawyer)
    response = client.post(SECOND_FACTOR, {"code": code})
    assert response.status_code == 200
    assert not client.session.get(SECOND_FACTOR_OK)
    # The previous step's code is older than the used one: refused as well.
    previous = totp.code_at(lawyer.totp_secret, totp.counter_at(now) - 1)
    if previous != code:
        assert client.post(SECOND_FACTOR, {"code": previous}).status_code == 200
        assert not client.session.get(SECOND_FACTOR_OK)


def test_five_wrong_totp_codes_lock_the_username(client: Client, lawyer: User) -> None:
    password_step(client, lawyer)
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert client.post(SECOND_FACTOR, {"code": wrong_code(lawyer)}).status_code == 200
    response = client.post(SECOND_FACTOR, {"code": wrong_code(lawyer)})
    assert response.status_code == 429
    assert not is_logged_in(client)  # the half-open session is gone
    # Logging in again with the right password does not help: a new password step cannot reset the count.
    assert password_step(client, lawyer).status_code == 429
    assert not is_logged_in(client)


# -- lockout after failed passwords ---------------------------------------------------------------------------------


def test_lockout_after_five_failures_does_not_reveal_whether_the_user_exists(lawyer: User) -> None:
    existing, unknown = Client(headers={"accept-language": "en"}), Client(headers={"accept-language": "en"})
    for attempt in range(1, settings.AXES_FAILURE_LIMIT + 1):
        first = existing.post(LOGIN, {"username": lawyer.username, "password": "not the password"})
        second = unknown.post(LOGIN, {"username": "no.such.user", "password": "not the password"})
        expected = 429 if attempt == settings.AXES_FAILURE_LIMIT else 200
        assert first.status_code == second.status_code == expected
        assert without_tokens(text(first)).replace(lawyer.username, "U") == without_tokens(text(second)).replace(
            "no.such.user", "U"
        )
    assert lawyer.username not in text(first)
    assert "no.such.user" not in text(second)

    # Locked: even the right password is refused, with the same page.
    response = existing.post(LOGIN, {"username": lawyer.username, "password": lawyer.raw_password})
    assert response.status_code == 429
    assert without_tokens(text(response)) == without_tokens(text(second))
    assert not is_logged_in(existing)


def test_lockout_is_per_username(client: Client, lawyer: User, coordinator: User) -> None:
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post(LOGIN, {"username": lawyer.username, "password": "not the password"})
    assert password_step(client, lawyer).status_code == 429
    assert password_step(client, coordinator).status_code == 302


# -- session timeouts -----------------------------------------------------------------------------------------------


def _set_session(client: Client, **values: float) -> None:
    session = client.session
    for key, value in values.items():
        session[key] = value
    session.save()


def test_idle_timeout(client: Client, lawyer: User, login: Callable) -> None:
    login(client, lawyer)
    now = time.time()
    _set_session(client, **{LAST_SEEN_AT: now - settings.SESSION_IDLE_SECONDS + 60})
    assert client.get(PASSWORD_CHANGE).status_code == 200  # not idle long enough
    assert client.session[LAST_SEEN_AT] >= now  # and the request moved the clock

    _set_session(client, **{LAST_SEEN_AT: now - settings.SESSION_IDLE_SECONDS - 1})
    response = client.get(PASSWORD_CHANGE)
    assert (response.status_code, response["Location"]) == (302, LOGIN)
    assert not is_logged_in(client)
    assert "Your session has expired" in text(client.get(LOGIN))
    assert AuditEvent.objects.filter(actor=lawyer, action=Action.LOGOUT, fields="timeout").count() == 1


def test_absolute_timeout(client: Client, lawyer: User, login: Callable) -> None:
    login(client, lawyer)
    now = time.time()
    _set_session(client, **{STARTED_AT: now - settings.SESSION_ABSOLUTE_SECONDS - 1, LAST_SEEN_AT: now})
    response = client.get(PASSWORD_CHANGE)
    assert (response.status_code, response["Location"]) == (302, LOGIN)
    assert not is_logged_in(client)


def test_timeout_also_ends_a_half_open_login(client: Client, lawyer: User) -> None:
    password_step(client, lawyer)
    _set_session(client, **{LAST_SEEN_AT: time.time() - settings.SESSION_IDLE_SECONDS - 1})
    assert client.get(SECOND_FACTOR)["Location"] == LOGIN
    assert not is_logged_in(client)


def test_a_session_made_without_the_login_pages_is_ended(client: Client, lawyer: User) -> None:
    client.force_login(lawyer)  # no session clock, no second factor
    assert client.get(PASSWORD_CHANGE)["Location"] == LOGIN
    assert not is_logged_in(client)


# -- enrolment and the forced password change -----------------------------------------------------------------------


def test_enrolment_is_required_before_anything_else(client: Client, make_lawyer: Callable) -> None:
    user = make_lawyer(enrolled=False)
    response = password_step(client, user)
    assert response["Location"] == ENROL
    for path in ("/", PASSWORD_CHANGE, SECOND_FACTOR, reverse("accounts:user_list"), "/no-such-page/"):
        assert client.get(path)["Location"] == ENROL, path

    page = client.get(ENROL)
    assert page.status_code == 200
    html = text(page)
    user.refresh_from_db()
    secret = totp.decrypt_secret(user.totp_secret_encrypted)
    assert "<svg" in html and 'class="qr"' in html  # the QR code, drawn on the server
    assert "<img" not in html and 'src="data:' not in html and "<script" not in html and "style=" not in html
    assert totp.grouped(secret) in html
    assert totp.grouped(secret) in text(client.get(ENROL))  # reloading keeps the same pending secret
    assert not user.totp_confirmed

    user.totp_secret = secret
    assert client.post(ENROL, {"code": wrong_code(user)}).status_code == 200
    response = client.post(ENROL, {"code": totp.code_at(secret, totp.counter_at(time.time()))})
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.totp_confirmed
    assert client.session[SECOND_FACTOR_OK] is True  # proving the new device completes the login
    assert client.get(PASSWORD_CHANGE).status_code == 200
    assert client.get(ENROL)["Location"] != ENROL  # no second enrolment over a confirmed device
    assert AuditEvent.objects.filter(actor=user, action=Action.CHANGE, fields="totp").count() == 1


def test_must_change_password_is_forced_after_the_second_factor(
    client: Client, make_lawyer: Callable, login: Callable
) -> None:
    user = make_lawyer(must_change_password=True)
    assert login(client, user)["Location"] == PASSWORD_CHANGE
    for path in ("/", reverse("accounts:user_list"), "/no-such-page/"):
        assert client.get(path)["Location"] == PASSWORD_CHANGE, path
    assert "one-time password" in text(client.get(PASSWORD_CHANGE))

    same = {"old_password": user.raw_password, "new_password1": user.raw_password, "new_password2": user.raw_password}
    response = client.post(PASSWORD_CHANGE, same)
    assert response.status_code == 200
    assert response.context["form"].errors
    weak = {"old_password": user.raw_password, "new_password1": "short", "new_password2": "short"}
    assert client.post(PASSWORD_CHANGE, weak).context["form"].errors
    common = {"old_password": user.raw_password, "new_password1": "password1234", "new_password2": "password1234"}
    assert client.post(PASSWORD_CHANGE, common).context["form"].errors

    good = {"old_password": user.raw_password, "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD}
    response = client.post(PASSWORD_CHANGE, good)
    assert response.status_code == 302
    user.refresh_from_db()
    assert not user.must_change_password
    assert user.check_password(NEW_PASSWORD)
    assert user.password.startswith("argon2$")
    assert client.get(PASSWORD_CHANGE).status_code == 200  # this session survived its own password change
    assert AuditEvent.objects.filter(actor=user, action=Action.CHANGE, fields="password").count() == 1


def test_the_password_cannot_be_changed_with_the_password_alone(client: Client, make_lawyer: Callable) -> None:
    user = make_lawyer(must_change_password=True)
    password_step(client, user)
    good = {"old_password": user.raw_password, "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD}
    assert client.post(PASSWORD_CHANGE, good)["Location"] == SECOND_FACTOR
    user.refresh_from_db()
    assert user.check_password(user.raw_password)


# -- secrets at rest ------------------------------------------------------------------------------------------------


def test_totp_secret_is_not_stored_in_clear(
    client: Client, make_lawyer: Callable, lawyer: User, db_contains: Callable[[str], bool]
) -> None:
    pending = make_lawyer(enrolled=False)
    password_step(client, pending)
    client.get(ENROL)  # creates the pending secret
    pending.refresh_from_db()
    pending_secret = totp.decrypt_secret(pending.totp_secret_encrypted)

    with connection.cursor() as cursor:
        cursor.execute("SELECT totp_secret_encrypted FROM accounts_user WHERE id = %s", [lawyer.pk])
        (raw,) = cursor.fetchone()
    raw = bytes(raw)
    assert raw and lawyer.totp_secret.encode() not in raw and lawyer.totp_secret.lower().encode() not in raw

    for secret in (lawyer.totp_secret, pending_secret):  # in no column of any table, sessions included
        for form in (secret, secret.lower(), totp.grouped(secret)):
            assert not db_contains(form), "a TOTP secret is stored in clear"


# -- logout, redirects, CSRF, headers -------------------------------------------------------------------------------


def test_logout_is_post_only_and_ends_the_session(client: Client, lawyer: User, login: Callable) -> None:
    login(client, lawyer)
    assert client.get(LOGOUT).status_code == 405
    assert is_logged_in(client)
    session_key = client.session.session_key
    response = client.post(LOGOUT)
    assert (response.status_code, response["Location"]) == (302, LOGIN)
    assert "cache" in response["Clear-Site-Data"]  # not "cookies": the device cookie stays (accounts/devices.py)
    assert not response.cookies[settings.SESSION_COOKIE_NAME].value  # the session cookie is deleted
    assert not is_logged_in(client)
    # The old session is gone on the server, not only forgotten by this browser.
    replay = Client()
    replay.cookies[settings.SESSION_COOKIE_NAME] = session_key
    assert replay.get(PASSWORD_CHANGE)["Location"].startswith(LOGIN)
    assert AuditEvent.objects.filter(actor=lawyer, action=Action.LOGOUT).count() == 1


def test_anonymous_users_reach_only_the_login_page(client: Client) -> None:
    assert client.get(LOGIN).status_code == 200
    for path in ("/", SECOND_FACTOR, ENROL, PASSWORD_CHANGE, reverse("accounts:user_list"), "/no-such-page/"):
        response = client.get(path)
        assert response.status_code == 302, path
        assert response["Location"].startswith(LOGIN + "?next="), path
    assert client.get("/static/courtpath/app.css").status_code != 302  # static files are not redirected


def test_next_is_followed_only_within_the_site(
    client: Client, lawyer: User, totp_code: Callable[..., str], login: Callable
) -> None:
    client.post(LOGIN + "?next=https://evil.example/", {"username": lawyer.username, "password": lawyer.raw_password})
    response = client.post(SECOND_FACTOR, {"code": totp_code(lawyer)})
    assert response["Location"] == reverse(settings.LOGIN_REDIRECT_URL)

    other = Client()
    other.post(LOGIN, {"username": lawyer.username, "password": lawyer.raw_password, "next": PASSWORD_CHANGE})
    User.objects.filter(pk=lawyer.pk).update(totp_last_counter=0)
    assert other.post(SECOND_FACTOR, {"code": totp_code(lawyer)})["Location"] == PASSWORD_CHANGE


def test_csrf_is_enforced_on_login(lawyer: User) -> None:
    client = Client(enforce_csrf_checks=True)
    credentials = {"username": lawyer.username, "password": lawyer.raw_password}
    assert client.post(LOGIN, credentials).status_code == 403
    assert not is_logged_in(client)

    token = CSRF_INPUT.search(text(client.get(LOGIN))).group(1)
    response = client.post(LOGIN, {**credentials, "csrfmiddlewaretoken": token})
    assert (response.status_code, response["Location"]) == (302, SECOND_FACTOR)
    # The second step is protected too (login rotated the token: the old one no longer works).
    assert client.post(SECOND_FACTOR, {"code": "123456", "csrfmiddlewaretoken": token}).status_code == 403


def test_pages_have_no_inline_script_or_style_and_are_not_cached(
    client: Client, make_lawyer: Callable, lawyer: User, login: Callable
) -> None:
    pages = [client.get(LOGIN)]
    password_step(client, make_lawyer(enrolled=False))
    pages.append(client.get(ENROL))
    client.post(LOGOUT)
    password_step(client, lawyer)
    pages.append(client.get(SECOND_FACTOR))
    login(client, lawyer)
    pages.append(client.get(PASSWORD_CHANGE))
    for page in pages:
        html = text(page)
        assert page.status_code == 200
        assert "<script" not in html and "style=" not in html and "<style" not in html
        assert "script-src 'none'" in page["Content-Security-Policy"]  # no script at all, not even our own
        assert page["Cache-Control"] == "no-store"


# -- bad input ------------------------------------------------------------------------------------------------------

BAD_LOGIN = [
    {},
    {"username": "", "password": ""},
    {"username": "x" * 5000, "password": "y"},
    {"username": "nul\x00byte", "password": "p"},
    {"username": "someone", "password": "p" * 5000},
    {"username": "<script>alert(1)</script>", "password": "p"},
]
BAD_CODES = [{}, {"code": ""}, {"code": "abcdef"}, {"code": "1" * 50}, {"code": "١٢٣٤٥٦"}, {"code": "12 34"}]


@pytest.mark.parametrize("data", BAD_LOGIN)
def test_bad_login_input_gives_form_errors(client: Client, data: dict[str, str], db: None) -> None:
    response = client.post(LOGIN, data)
    assert response.status_code in (200, 400)
    assert response.context["form"].errors
    assert "<script>alert(1)</script>" not in text(response)


@pytest.mark.parametrize("data", BAD_CODES)
def test_bad_codes_give_form_errors(client: Client, make_lawyer: Callable, data: dict[str, str]) -> None:
    password_step(client, make_lawyer())
    response = client.post(SECOND_FACTOR, data)
    assert response.status_code in (200, 400)
    assert response.context["form"].errors
    assert not AccessAttempt.objects.exists()  # malformed input is not a guess: it does not count towards lockout

    client.post(LOGOUT)
    password_step(client, make_lawyer(enrolled=False))
    response = client.post(ENROL, data)
    assert response.status_code in (200, 400)
    assert response.context["form"].errors


@pytest.mark.parametrize(
    "data",
    [
        {},
        {"old_password": "wrong", "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
        {"old_password": "OLD", "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD + "x"},
        {"old_password": "OLD", "new_password1": "12345678901234", "new_password2": "12345678901234"},
        {"old_password": "OLD", "new_password1": "\x00" * 20, "new_password2": "\x00" * 20},
    ],
)
def test_bad_password_change_input_gives_form_errors(
    client: Client, lawyer: User, login: Callable, data: dict[str, str]
) -> None:
    login(client, lawyer)
    data = {key: lawyer.raw_password if value == "OLD" else value for key, value in data.items()}
    response = client.post(PASSWORD_CHANGE, data)
    assert response.status_code in (200, 400)
    assert response.context["form"].errors
    lawyer.refresh_from_db()
    assert lawyer.check_password(lawyer.raw_password)


def test_the_session_table_holds_no_usable_session_key(lawyer: User, login: Callable[..., object]) -> None:
    from django.contrib.sessions.models import Session

    from courtpath.web.accounts.sessions import stored_key

    client = Client()
    login(client, lawyer)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME].value
    assert client.get("/").status_code == 200  # the session works
    keys = list(Session.objects.values_list("session_key", flat=True))
    assert cookie not in keys and stored_key(cookie) in keys
    thief = Client()
    thief.cookies[settings.SESSION_COOKIE_NAME] = stored_key(cookie)  # what a copy of the table would give
    assert thief.get("/").status_code == 302  # to the login page
    client.post(reverse("accounts:logout"))
    assert not Session.objects.filter(session_key=stored_key(cookie)).exists()


def test_a_late_request_with_the_key_from_before_the_login_keeps_the_new_session(
    client: Client, lawyer: User, totp_code: Callable[..., str]
) -> None:
    """A request sent with the half-open session's key (a favicon, a second tab) that is answered after the second
    factor rotated the key must not delete the browser's cookie: that logged the user out at the next page."""
    password_step(client, lawyer)
    half_open = client.cookies[settings.SESSION_COOKIE_NAME].value
    client.post(SECOND_FACTOR, {"code": totp_code(lawyer)})
    full = client.cookies[settings.SESSION_COOKIE_NAME].value
    assert full != half_open

    late = Client(headers={"accept-language": "en"})
    late.cookies[settings.SESSION_COOKIE_NAME] = half_open
    response = late.get("/favicon.ico")
    assert response.status_code == 302  # anonymous: to the login page
    assert settings.SESSION_COOKIE_NAME not in response.cookies  # no Set-Cookie that would end the new session

    assert client.get(PASSWORD_CHANGE).status_code == 200  # the new session still works


def test_logging_out_still_deletes_the_cookie(client: Client, lawyer: User, login: Callable) -> None:
    login(client, lawyer)
    response = client.post(LOGOUT)
    cookie = response.cookies[settings.SESSION_COOKIE_NAME]
    assert cookie.value == "" and cookie["max-age"] == 0
