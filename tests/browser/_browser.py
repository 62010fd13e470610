"""The browser side of the browser tests: how Chromium is started, and a visit that watches every request.

Imported by conftest.py and by the tests (a module of its own: every conftest is called `conftest`)."""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

if TYPE_CHECKING:
    from playwright.sync_api import Browser, BrowserContext, ConsoleMessage, Page, Request, Response

    from courtpath.web.accounts.models import User

CHROMIUM = Path("/usr/bin/chromium")
# Without the background-networking flags Chromium tries to reach Google's services, and this network is closed.
CHROMIUM_ARGS = [
    "--no-sandbox",  # CI runs as root, where Chromium's sandbox does not start
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
SKIP_BROWSER = os.environ.get("COURTPATH_SKIP_BROWSER") == "1"
HOW_TO_INSTALL = (
    f"Debian's Chromium is needed at {CHROMIUM} for the browser tests. `make test` installs it when run as root; "
    "otherwise run `sudo apt-get install -y --no-install-recommends chromium`. Set COURTPATH_SKIP_BROWSER=1 to skip "
    "the browser tests on purpose."
)
CSP_MESSAGE = re.compile(r"content.security.policy|violates the following", re.IGNORECASE)
LOCAL_SCHEMES = ("data", "about", "blob")


@dataclass
class Web:
    """One test's visit to the site at `url`: browser contexts, and everything they did that a test forbids."""

    browser: Browser
    url: str
    contexts: list[BrowserContext] = field(default_factory=list)
    requests: list[str] = field(default_factory=list)
    foreign: list[str] = field(default_factory=list)
    csp_violations: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)
    error_responses: list[str] = field(default_factory=list)
    responses: list[str] = field(default_factory=list)  # every response, for the report of a failed test

    def __post_init__(self) -> None:
        parts = urlsplit(self.url)
        self.origin = (parts.scheme, parts.netloc)

    # -- watchers ------------------------------------------------------------------------------------------------

    def _on_request(self, request: Request) -> None:
        self.requests.append(request.url)
        parts = urlsplit(request.url)
        if parts.scheme not in LOCAL_SCHEMES and (parts.scheme, parts.netloc) != self.origin:
            self.foreign.append(request.url)

    def _on_request_failed(self, request: Request) -> None:
        self.failed.append(f"{request.method} {request.url}: {request.failure}")

    def _on_response(self, response: Response) -> None:
        self.responses.append(f"{response.status} {response.request.method} {response.url}")
        if response.status >= 400:
            self.error_responses.append(f"{response.status} {response.request.method} {response.url}")

    def _on_console(self, message: ConsoleMessage) -> None:
        if CSP_MESSAGE.search(message.text):
            self.csp_violations.append(message.text)

    # -- contexts and pages --------------------------------------------------------------------------------------

    def context(self, *, java_script_enabled: bool = False, **options: Any) -> BrowserContext:
        """A new context (its own cookies) with the site as base URL. JavaScript is off unless asked for."""
        options.setdefault("locale", "ru-RU")
        options.setdefault("timezone_id", "Europe/Moscow")
        context = self.browser.new_context(base_url=self.url, java_script_enabled=java_script_enabled, **options)
        context.set_default_timeout(15_000)
        context.on("request", self._on_request)
        context.on("requestfailed", self._on_request_failed)
        context.on("response", self._on_response)
        context.on("console", self._on_console)  # the console of every page of the context
        self.contexts.append(context)
        return context

    def page(self, **options: Any) -> Page:
        return self.context(**options).new_page()

    def password_step(self, page: Page, user: User) -> None:
        """The login page's username and password, up to the second-factor page."""
        from playwright.sync_api import expect

        page.goto("/accounts/login/")
        page.locator("main input[name=username]").fill(user.username)
        page.locator("main input[name=password]").fill(user.raw_password)
        page.locator("main form button[type=submit]").click()
        expect(page).to_have_url(re.compile(r"/accounts/second-factor/$"))

    def log_in(self, page: Page, user: User, code: str | None = None) -> None:
        """Password, then the TOTP code (computed from user.totp_secret unless given), through the real pages."""
        import pyotp
        from playwright.sync_api import expect

        from courtpath.web.accounts.models import User

        # A code is accepted once per 30-second step: let the same user log in twice within one step.
        User.objects.filter(pk=user.pk).update(totp_last_counter=0)
        self.password_step(page, user)
        page.locator("main input[name=code]").fill(code or pyotp.TOTP(user.totp_secret).now())
        page.locator("main form button[type=submit]").click()
        expect(page).to_have_url(f"{self.url}/")

    # -- verdict -------------------------------------------------------------------------------------------------

    def assert_clean(self) -> None:
        """No request left the site, no CSP violation, no failed request, no 4xx/5xx response."""
        assert self.requests, "the browser made no request at all"
        assert not self.foreign, f"requests to another host than {self.url}: {self.foreign}"
        assert not self.csp_violations, f"Content-Security-Policy violations: {self.csp_violations}"
        assert not self.failed, f"failed requests: {self.failed}"
        assert not self.error_responses, f"error responses: {self.error_responses}"

    def report(self) -> str:
        """What a failed test leaves to read: the responses in order and where each page is now."""
        lines = ["responses:", *(f"  {line}" for line in self.responses[-40:]), "pages:"]
        for context in self.contexts:
            for page in context.pages:
                try:
                    text = " ".join(page.locator("body").inner_text(timeout=1000).split())[:600]
                except Exception as error:  # the page may be gone; the report must not hide the failure
                    text = f"(unreadable: {error.__class__.__name__})"
                lines.append(f"  {page.url}: {text}")
        return "\n".join(lines)

    def close(self) -> None:
        for context in self.contexts:
            context.close()
        self.contexts.clear()
