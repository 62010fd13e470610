"""Issue 17, item 4: a stranger's wrong passwords lock a username, but not its owner's known browser (device cookies,
accounts/devices.py); and the first administrator's name is chosen, never the guessable `admin`."""

from __future__ import annotations

import datetime as dt
import io
import re
import sys
import time
from collections.abc import Callable

import pytest
from django.conf import settings
from django.core import signing
from django.http import HttpResponse
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from courtpath.cli import web as web_cli
from courtpath.web.accounts import devices, services, totp
from courtpath.web.accounts.models import DeviceCookie, User

LOGIN = reverse("accounts:login")
SECOND_FACTOR = reverse("accounts:second_factor")
WRONG = "not the password at all"


def new_client() -> Client:
    return Client(headers={"accept-language": "en"})


def password_step(client: Client, user: User, password: str | None = None) -> HttpResponse:
    return client.post(LOGIN, {"username": user.username, "password": password or user.raw_password})


def lock(user: User) -> None:
    """A stranger's browser (no device cookie) types wrong passwords until the username is locked."""
    stranger = new_client()
    for _ in range(settings.AXES_FAILURE_LIMIT):
        stranger.post(LOGIN, {"username": user.username, "password": WRONG})
    assert password_step(stranger, user).status_code == 429


def known_browser(user: User, login: Callable[..., HttpResponse]) -> Client:
    """The owner's browser after a full login (password and code), logged out again: it keeps its device cookie."""
    client = new_client()
    login(client, user)
    client.post(reverse("accounts:logout"))
    assert client.cookies[devices.COOKIE_NAME].value
    return client


def full_login(client: Client, user: User, totp_code: Callable[..., str]) -> HttpResponse:
    User.objects.filter(pk=user.pk).update(totp_last_counter=0)
    response = password_step(client, user)
    assert (response.status_code, response["Location"]) == (302, SECOND_FACTOR)
    return client.post(SECOND_FACTOR, {"code": totp_code(user)})


def test_a_full_login_issues_a_device_cookie(
    lawyer: User, login: Callable[..., HttpResponse], db_contains: Callable[[str], bool]
) -> None:
    client = new_client()
    password_step(client, lawyer)
    assert devices.COOKIE_NAME not in client.cookies  # the password alone earns no cookie
    response = login(client, lawyer)
    cookie = response.cookies[devices.COOKIE_NAME]
    assert cookie["httponly"] and cookie["samesite"] == "Strict" and cookie["path"] == "/"
    assert int(cookie["max-age"]) == 180 * 24 * 3600
    assert lawyer.username not in cookie.value
    assert DeviceCookie.objects.filter(user=lawyer).count() == 1
    nonce = signing.TimestampSigner(salt="courtpath.web.accounts.devices").unsign(cookie.value)
    assert not db_contains(nonce)  # the table holds a hash only: a copy of it forges no cookie
    # A logout keeps it (Clear-Site-Data does not name cookies any more); the next full login replaces it.
    assert "cookies" not in client.post(reverse("accounts:logout"))["Clear-Site-Data"]
    login(client, lawyer)
    assert client.cookies[devices.COOKIE_NAME].value != cookie.value
    assert DeviceCookie.objects.filter(user=lawyer).count() == 1


def test_the_owner_with_a_device_cookie_gets_in_while_the_username_is_locked(
    lawyer: User, login: Callable[..., HttpResponse], totp_code: Callable[..., str]
) -> None:
    browser = known_browser(lawyer, login)
    lock(lawyer)

    # The owner's known browser: right password and right code, in.
    response = full_login(browser, lawyer, totp_code)
    assert response.status_code == 302
    assert browser.session.get("second_factor_ok") is True

    # Any other browser is still locked out, even with the right password.
    assert password_step(new_client(), lawyer).status_code == 429


def test_the_device_cookie_still_needs_the_right_password_and_code(
    lawyer: User, login: Callable[..., HttpResponse]
) -> None:
    browser = known_browser(lawyer, login)
    lock(lawyer)
    response = password_step(browser, lawyer, WRONG)
    assert response.status_code == 200 and "The username or the password is wrong." in response.content.decode()
    assert password_step(browser, lawyer).status_code == 302
    now = totp.counter_at(time.time())
    current = {totp.code_at(lawyer.totp_secret, now + d) for d in (-1, 0, 1)}
    wrong = next(c for c in ("000000", "111111", "222222", "333333") if c not in current)
    response = browser.post(SECOND_FACTOR, {"code": wrong})
    assert response.status_code == 200 and "This code is not valid" in response.content.decode()
    assert not browser.session.get("second_factor_ok")


def test_a_device_cookie_has_its_own_failure_limit(lawyer: User, login: Callable[..., HttpResponse]) -> None:
    browser = known_browser(lawyer, login)
    lock(lawyer)
    for _ in range(settings.AXES_FAILURE_LIMIT):
        assert password_step(browser, lawyer, WRONG).status_code == 200  # counted on the cookie, not locked out
    assert not DeviceCookie.objects.filter(user=lawyer).exists()  # used up
    assert password_step(browser, lawyer).status_code == 429  # back under the username's lockout


def test_failures_with_a_device_cookie_do_not_lock_the_username(
    lawyer: User, login: Callable[..., HttpResponse]
) -> None:
    browser = known_browser(lawyer, login)
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        password_step(browser, lawyer, WRONG)
    assert password_step(new_client(), lawyer).status_code == 302  # a stranger's count, not the owner's typos


def _with_cookie(value: str) -> Client:
    client = new_client()
    client.cookies[devices.COOKIE_NAME] = value
    return client


def test_forged_expired_revoked_or_foreign_device_cookies_count_as_none(
    lawyer: User, make_lawyer: Callable[..., User], make_administrator: Callable[..., User], login: Callable
) -> None:
    browser = known_browser(lawyer, login)
    genuine = browser.cookies[devices.COOKIE_NAME].value
    other = make_lawyer()
    foreign = known_browser(other, login).cookies[devices.COOKIE_NAME].value
    lock(lawyer)

    unsigned = genuine.rsplit(":", 1)[0] + ":" + "A" * 43
    unknown_nonce = signing.TimestampSigner(salt="courtpath.web.accounts.devices").sign("made-up-nonce")
    other_salt = signing.TimestampSigner(salt="another purpose").sign(genuine.split(":", 1)[0])
    for value in ("garbage", "", unsigned, unknown_nonce, other_salt, foreign, genuine + "x", "x" * 5000):
        assert password_step(_with_cookie(value), lawyer).status_code == 429, value

    # Expired in the database.
    DeviceCookie.objects.filter(user=lawyer).update(expires_at=timezone.now() - dt.timedelta(seconds=1))
    assert password_step(_with_cookie(genuine), lawyer).status_code == 429
    DeviceCookie.objects.filter(user=lawyer).update(expires_at=timezone.now() + dt.timedelta(days=1))
    assert password_step(_with_cookie(genuine), lawyer).status_code == 302

    # Too old for its signature (180 days), whatever the database says.
    signer = signing.TimestampSigner(salt="courtpath.web.accounts.devices")
    stale_nonce = "stale-nonce"
    timestamp = signing.b62_encode(int((timezone.now() - dt.timedelta(days=181)).timestamp()))
    value = f"{stale_nonce}:{timestamp}"
    value = f"{value}:{signer.signature(value)}"  # what sign() made 181 days ago
    DeviceCookie.objects.create(
        user=lawyer, digest=devices._digest(stale_nonce), expires_at=timezone.now() + dt.timedelta(days=1)
    )
    assert password_step(_with_cookie(value), lawyer).status_code == 429

    # Revoked: an administrator issued a one-time password (also on a reset of the app and on deactivation).
    services.issue_one_time_password(make_administrator(), lawyer)
    assert not DeviceCookie.objects.filter(user=lawyer).exists()
    assert password_step(_with_cookie(genuine), lawyer).status_code == 429


# -- the first administrator ----------------------------------------------------------------------------------------


def test_the_first_administrator_gets_the_chosen_name(db: None) -> None:
    assert web_cli._first_admin_name("river.warden") == "river.warden"
    user, _ = services.create_first_administrator(web_cli._first_admin_name("River.Warden"))
    assert user.username == "river.warden"


def test_without_a_name_the_first_administrator_is_not_admin(monkeypatch: pytest.MonkeyPatch) -> None:
    # No terminal to ask in: a random name, printed with the one-time password.
    monkeypatch.setattr(sys, "stdin", io.StringIO(""))
    names = {web_cli._first_admin_name(None) for _ in range(5)}
    assert all(re.fullmatch(r"admin-[a-z2-9]{6}", name) for name in names) and len(names) == 5

    # In a terminal: asked for, Enter takes the random suggestion.
    class Terminal(io.StringIO):
        def isatty(self) -> bool:
            return True

    monkeypatch.setattr(sys, "stdin", Terminal("heron.keeper\n"))
    assert web_cli._first_admin_name(None) == "heron.keeper"
    monkeypatch.setattr(sys, "stdin", Terminal("\n"))
    assert re.fullmatch(r"admin-[a-z2-9]{6}", web_cli._first_admin_name(None))


@pytest.mark.parametrize("command", ["init", "serve"])
def test_no_command_defaults_to_admin(command: str) -> None:
    import typer.main

    click_command = typer.main.get_command(web_cli.web_app).commands[command]
    option = next(p for p in click_command.params if p.name == "admin")
    assert option.default is None
