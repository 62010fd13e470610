"""Fixtures for the real-browser tests: Debian's Chromium driven by Playwright against pytest-django's live server.

browser (session)
    One headless Chromium for the whole session: /usr/bin/chromium from Debian's package `chromium` (Playwright's
    own browser downloads are not used). If it is missing, every browser test fails and says how to install it;
    COURTPATH_SKIP_BROWSER=1 skips them on purpose instead.

web -> _browser.Web
    One test's visit to the live server:
    web.page(**context_options) -> Page
        A page in a new context (its own cookies), with the live server as base URL: `page.goto("/cases/")`.
        JavaScript is off unless java_script_enabled=True: the app has none and must work without it.
    web.context(**context_options) -> BrowserContext
        The same, for several pages or a context built from another's storage_state.
    web.log_in(page, user)
        Password, then the TOTP code computed from user.totp_secret, through the real pages.
    web.password_step(page, user)
        The password alone, up to the second-factor page.
    web.assert_clean()
        No request left the live server's origin, no Content-Security-Policy violation reached the console, no
        request failed, no response was 4xx or 5xx. The fixture checks it again when the test ends.
    web.url, web.requests
        The live server's base URL; every URL the browser asked for.

Users: the factories of tests/web/conftest.py (make_user, make_intake, make_lawyer, make_coordinator,
make_administrator, totp_code). The live server serves the app from a thread of this process on the same
in-memory SQLite connection, with a transactional database, so rows made in a test are seen by the browser.

    def test_dashboard(web, make_lawyer):
        page = web.page()
        web.log_in(page, make_lawyer())
        expect(page.locator("h1")).to_be_visible()
"""

from __future__ import annotations

import importlib
import importlib.util
import os
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest
from _browser import CHROMIUM, CHROMIUM_ARGS, HOW_TO_INSTALL, SKIP_BROWSER, Web

if TYPE_CHECKING:
    from playwright.sync_api import Browser

if SKIP_BROWSER and importlib.util.find_spec("playwright") is None:
    collect_ignore_glob = ["test_*.py"]  # they import playwright


def _load_web_fixtures() -> Any:
    """tests/web/conftest.py under a name of its own, to share its user factories."""
    path = Path(__file__).resolve().parents[1] / "web" / "conftest.py"
    spec = importlib.util.spec_from_file_location("courtpath_tests_web_conftest", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


_web_fixtures = _load_web_fixtures()
make_user = _web_fixtures.make_user
make_intake = _web_fixtures.make_intake
make_lawyer = _web_fixtures.make_lawyer
make_coordinator = _web_fixtures.make_coordinator
make_administrator = _web_fixtures.make_administrator
totp_code = _web_fixtures.totp_code


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_setup(item: pytest.Item) -> None:
    """Skip on purpose or fail with a clear message, before any fixture (the database, the live server) starts."""
    if SKIP_BROWSER:
        pytest.skip("COURTPATH_SKIP_BROWSER=1: the browser tests are skipped on purpose")
    if not CHROMIUM.exists():
        pytest.fail(HOW_TO_INSTALL, pytrace=False)
    if importlib.util.find_spec("playwright") is None:
        pytest.fail("Playwright is missing: pip install -e '.[test]' (make test does it).", pytrace=False)


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    from playwright.sync_api import sync_playwright

    # Playwright's sync API keeps an asyncio loop running in this thread, so Django would take every ORM call of a
    # test (and the test database's setup) for a call from async code. There is none: allow them while it runs.
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        with sync_playwright() as playwright:
            chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS)
            yield chromium
            chromium.close()
    finally:
        if previous is None:
            del os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"]
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


# The append-only audit log and the transactional database: see tests/web/conftest.py.
_audit_log_flushable = _web_fixtures._audit_log_flushable
pytest_runtest_teardown = _web_fixtures.pytest_runtest_teardown


FAILED_CALL = pytest.StashKey[bool]()


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Iterator[pytest.TestReport]:
    report = yield
    if report.when == "call" and report.failed:
        item.stash[FAILED_CALL] = True
    return report


@pytest.fixture
def web(
    request: pytest.FixtureRequest, browser: Browser, live_server: Any, _audit_log_flushable: None
) -> Iterator[Web]:
    visit = Web(browser=browser, url=live_server.url)
    yield visit
    if request.node.stash.get(FAILED_CALL, False):
        print(f"\n--- browser state after the failure ---\n{visit.report()}")
    visit.close()
    visit.assert_clean()
