"""The watchers of the browser tests see what they must catch: a CSP violation and a request to another host."""

from __future__ import annotations

import pytest
from _browser import Web

pytestmark = pytest.mark.browser

PROBE = "http://probe.localhost/"
OFFENDING = """<!DOCTYPE html><html><head><style>body { color: red; }</style></head>
<body><p>probe</p><img src="https://example.invalid/pixel.png" alt=""></body></html>"""
HEADERS = {"Content-Type": "text/html", "Content-Security-Policy": "default-src 'none'"}


def test_watchers_catch_a_violation_and_a_foreign_request(browser) -> None:
    watch = Web(browser=browser, url=PROBE.rstrip("/"))
    page = watch.page()
    page.route(PROBE, lambda route: route.fulfill(status=200, body=OFFENDING, headers=HEADERS))
    page.goto(PROBE)
    page.wait_for_timeout(200)  # console messages arrive after the load event
    watch.close()
    assert any("example.invalid" in url for url in watch.foreign)
    assert watch.csp_violations
    with pytest.raises(AssertionError):
        watch.assert_clean()
