"""Logging in with password and TOTP in a real browser, without JavaScript, by mouse and by keyboard."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser


def test_coordinator_logs_in_with_password_and_totp_without_javascript(web, make_coordinator, totp_code) -> None:
    coordinator = make_coordinator()
    page = web.page()  # JavaScript is off in this context
    page.goto("/cases/")
    expect(page).to_have_url(re.compile(r"/accounts/login/\?next=/cases/$"))

    page.locator("main input[name=username]").fill(coordinator.username)
    page.locator("main input[name=password]").fill(coordinator.raw_password)
    page.locator("main form button[type=submit]").click()
    expect(page).to_have_url(re.compile(r"/accounts/second-factor/$"))
    expect(page.locator("nav a[href='/statistics/']")).to_have_count(0)  # not logged in before the second factor

    page.locator("main input[name=code]").fill(totp_code(coordinator))
    page.locator("main form button[type=submit]").click()
    expect(page).to_have_url(f"{web.url}/cases/")  # back where the coordinator wanted to go
    expect(page.locator("header .session")).to_contain_text(coordinator.username)
    expect(page.locator("nav a[href='/statistics/']")).to_be_visible()

    # Over the live server's plain http the session cookie is not Secure (settings_test: COURTPATH_HTTPS=0), and
    # it is kept from script and from other sites.
    cookies = {cookie["name"]: cookie for cookie in page.context.cookies()}
    session = cookies["sessionid"]
    assert session["httpOnly"] and session["sameSite"] == "Strict" and not session["secure"]

    # The style sheet loads (WhiteNoise's finders in the live server) and applies.
    assert any(url.endswith("/static/courtpath/app.css") for url in web.requests)
    assert page.locator("main").evaluate("element => getComputedStyle(element).maxWidth") == "1100px"

    page.locator("header form[action='/accounts/logout/'] button").click()
    page.goto("/cases/")
    expect(page).to_have_url(re.compile(r"/accounts/login/"))
    web.assert_clean()


def test_a_wrong_code_is_refused_in_the_browser(web, make_lawyer, totp_code) -> None:
    lawyer = make_lawyer()
    page = web.page()
    web.password_step(page, lawyer)
    right = totp_code(lawyer)
    page.locator("main input[name=code]").fill("000000" if right != "000000" else "111111")
    page.locator("main form button[type=submit]").click()
    expect(page).to_have_url(re.compile(r"/accounts/second-factor/$"))
    expect(page.locator("main .errorlist")).to_be_visible()
    expect(page.locator("nav a[href='/cases/']")).to_have_count(0)
    web.assert_clean()


def _focused(page) -> str:
    return page.evaluate("document.activeElement && (document.activeElement.name || document.activeElement.tagName)")


def _tab_to(page, name: str, limit: int = 20) -> None:
    """Press Tab until the field `name` has the focus (the page's own autofocus may have put it there)."""
    for _ in range(limit):
        if _focused(page) == name:
            return
        page.keyboard.press("Tab")
    pytest.fail(f"Tab never reached the field {name!r}; focus is on {_focused(page)!r}")


def test_login_with_the_keyboard_only(web, make_lawyer, totp_code) -> None:
    lawyer = make_lawyer()
    page = web.page()
    page.goto("/accounts/login/")

    expect(page.locator("main input[name=username]")).to_be_focused()  # autofocus (applied just after the load)
    page.keyboard.press("Shift+Tab")  # backwards: the header's controls, back to the skip link at the very top
    _tab_to(page, "username")
    page.keyboard.type(lawyer.username)
    page.keyboard.press("Tab")
    assert _focused(page) == "password"
    page.keyboard.type(lawyer.raw_password)
    page.keyboard.press("Enter")

    expect(page).to_have_url(re.compile(r"/accounts/second-factor/$"))
    page.wait_for_load_state()  # the URL changes before the page has loaded (and applied its autofocus)
    _tab_to(page, "code")
    page.keyboard.type(totp_code(lawyer))
    page.keyboard.press("Enter")
    expect(page).to_have_url(f"{web.url}/")
    expect(page.locator("header .session")).to_contain_text(lawyer.username)
    web.assert_clean()


def test_a_late_answer_to_the_half_open_session_does_not_log_the_browser_out(web, make_lawyer, totp_code) -> None:
    """The flake this test pins down: a request sent with the half-open session's cookie and answered after the
    second factor rotated the key used to delete the browser's new cookie, so the next page went to the login."""
    lawyer = make_lawyer()
    page = web.page()
    web.password_step(page, lawyer)
    half_open = {cookie["name"]: cookie["value"] for cookie in page.context.cookies()}["sessionid"]
    page.locator("main input[name=code]").fill(totp_code(lawyer))
    page.locator("main form button[type=submit]").click()
    expect(page).to_have_url(f"{web.url}/")

    # The late request, through the context's own cookie jar (its Set-Cookie answers land there).
    late = page.context.request.get("/cases/", headers={"Cookie": f"sessionid={half_open}"}, max_redirects=0)
    assert late.status == 302 and "/accounts/login/" in late.headers["location"]
    page.goto("/cases/")
    expect(page).to_have_url(f"{web.url}/cases/")
    expect(page.locator("header .session")).to_contain_text(lawyer.username)

    # The pages themselves ask for no /favicon.ico (base.html names an empty icon).
    assert not [url for url in web.requests if url.endswith("/favicon.ico")]
    web.assert_clean()
