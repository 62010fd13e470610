"""The staff pages in a real browser (issue 14): table cells labelled on a 390 px phone, touch targets of at least
44 px, chart text of at least 11 px on a phone, the print stylesheet, and axe-core's WCAG 2.0/2.1 A and AA rules (and
2.2 AA's) with no violation on the public interview and the main staff pages.

axe-core comes from PyPI (the axe-playwright-python package bundles axe.min.js; pyproject's [test] extra). The app's
Content-Security-Policy forbids every script, so the scanning context bypasses the CSP (Playwright's bypass_csp) and
runs JavaScript; the pages themselves have none.
"""

from __future__ import annotations

import importlib.util
import re
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
from _seed import absent_case, returned_case
from playwright.sync_api import Page, expect

pytestmark = pytest.mark.browser

PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True, "device_scale_factor": 2}
DESKTOP = {"viewport": {"width": 1280, "height": 900}}
WCAG = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
TARGET_PX = 44


def _interview_pages() -> ModuleType:
    """tests/web/_interview_pages.py: the interview's answers, shared with the interview's own tests."""
    path = Path(__file__).resolve().parents[1] / "web" / "_interview_pages.py"
    spec = importlib.util.spec_from_file_location("courtpath_tests_interview_pages", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _logged_in(web: Any, user: Any, **options: Any) -> Page:
    """A page logged in through the real pages (JavaScript off), then a JavaScript-on context with its cookies for
    measuring (and, with bypass_csp, for axe)."""
    login_page = web.page(**options)
    web.log_in(login_page, user)
    state = login_page.context.storage_state()
    return web.context(java_script_enabled=True, storage_state=state, **options).new_page()


def _scanning(web: Any, **options: Any) -> Page:
    return web.context(java_script_enabled=True, bypass_csp=True, **options).new_page()


def _axe(page: Page, where: str) -> None:
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page, options={"runOnly": {"type": "tag", "values": WCAG}, "resultTypes": ["violations"]})
    assert results.violations_count == 0, f"{where}: {results.generate_report()}"


# -- phones ------------------------------------------------------------------------------------------------------


def test_a_table_cell_shows_its_label_on_a_phone(web, make_intake, make_coordinator, make_lawyer) -> None:
    intake, coordinator, lawyer = make_intake(), make_coordinator(), make_lawyer()
    case = absent_case(intake, coordinator, lawyer)
    page = _logged_in(web, lawyer, **PHONE)
    page.goto("/cases/")
    cell = page.locator("main tbody tr").first.locator("td").nth(2)  # code, full name, stage
    label = cell.evaluate("td => getComputedStyle(td, '::before').content")
    assert label == '"Стадия: "', label
    header = page.locator("main thead").bounding_box()
    assert header is None or header["height"] <= 1  # visually hidden, still read by screen readers
    assert page.evaluate("document.documentElement.scrollWidth") <= 390

    page.goto(f"/cases/{case.code}/")  # the assessment's table: «Наказания: лишение свободы: …»
    penalties = page.locator("main table.assessment td").nth(2)
    assert penalties.evaluate("td => getComputedStyle(td, '::before').content") == '"Наказания: "'
    assert page.evaluate("document.documentElement.scrollWidth") <= 390

    page.set_viewport_size({"width": 1280, "height": 900})  # on a desktop: a table with its header row
    assert cell.evaluate("td => getComputedStyle(td, '::before').content") in ("none", "normal")
    web.assert_clean()


def _too_small(page: Page, selector: str) -> list[str]:
    small = []
    for element in page.locator(selector).all():
        if not element.is_visible():
            continue
        box = element.bounding_box()
        assert box is not None
        if box["height"] < TARGET_PX - 0.5:
            small.append(f"{element.evaluate('e => e.outerHTML.slice(0, 90)')}: {box['height']:.0f} px high")
    return small


@pytest.mark.parametrize("device", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_touch_targets_are_at_least_44_px(web, make_intake, make_coordinator, make_lawyer, device) -> None:
    intake, coordinator, lawyer = make_intake(), make_coordinator(), make_lawyer()
    case = absent_case(intake, coordinator, lawyer)
    page = _logged_in(web, coordinator, **device)
    targets = "button, a.button, header nav a, header .session a, select, input[type=text], .check"
    page.goto(f"/cases/{case.code}/")
    assert page.locator("main button").count() >= 4  # stage, assign, note, attach, delete
    assert not _too_small(page, targets), _too_small(page, targets)
    page.goto(f"/cases/{case.code}/edit/")
    checks = page.locator("main .check")
    assert checks.count() >= 10
    assert not _too_small(page, targets), _too_small(page, targets)
    width = device["viewport"]["width"]
    assert page.evaluate("document.documentElement.scrollWidth") <= width, "the facts form is wider than the screen"
    for index in range(checks.count()):  # the box beside its label, on one line
        box = checks.nth(index).locator("input").bounding_box()
        label = checks.nth(index).locator("label").bounding_box()
        assert box is not None and label is not None and box["x"] < label["x"]
        assert abs((box["y"] + box["height"] / 2) - (label["y"] + label["height"] / 2)) < 4
    web.assert_clean()


def test_chart_text_is_at_least_11_px_on_a_phone(web, make_intake, make_coordinator, make_lawyer) -> None:
    intake, coordinator, lawyer = make_intake(), make_coordinator(), make_lawyer()
    absent_case(intake, coordinator, lawyer)
    returned_case(intake, coordinator, lawyer)
    page = _logged_in(web, coordinator, **PHONE)
    page.goto("/statistics/")
    sizes = page.evaluate(
        """() => [...document.querySelectorAll('main figure svg')].flatMap(svg => {
            const scale = svg.getBoundingClientRect().width / svg.viewBox.baseVal.width;
            return [...svg.querySelectorAll('text')].map(t => parseFloat(getComputedStyle(t).fontSize) * scale);
        })"""
    )
    assert len(sizes) > 20
    assert min(sizes) >= 11, f"chart text as small as {min(sizes):.1f} px on a 390 px phone"
    assert page.evaluate("document.documentElement.scrollWidth") <= 390  # wide charts scroll inside their figure
    web.assert_clean()


# -- print -------------------------------------------------------------------------------------------------------


def test_the_print_view_prints_without_navigation_or_forms(
    web, make_intake, make_coordinator, make_lawyer, tmp_path
) -> None:
    intake, coordinator, lawyer = make_intake(), make_coordinator(), make_lawyer()
    case = returned_case(intake, coordinator, lawyer)
    page = _logged_in(web, coordinator, **DESKTOP)
    page.goto(f"/cases/{case.code}/")
    page.locator("main a", has_text="Печать").click()
    expect(page).to_have_url(f"{web.url}/cases/{case.code}/print/")
    page.emulate_media(media="print")
    expect(page.locator("header.top")).to_be_hidden()
    expect(page.locator("main .no-print").first).to_be_hidden()
    expect(page.locator("main table.assessment")).to_be_visible()
    expect(page.locator("main table.assessment thead")).to_be_visible()  # tables stay tables on paper
    expect(page.locator("main details ol")).to_be_visible()  # the trace unfolded
    pdf = tmp_path / "case.pdf"
    page.pdf(path=str(pdf), format="A4")
    assert pdf.read_bytes().startswith(b"%PDF-")
    page.goto(f"/cases/{case.code}/")  # the case page printed: no navigation, forms or delete box either
    expect(page.locator("main form").first).to_be_hidden()
    expect(page.locator("main section.danger")).to_be_hidden()
    web.assert_clean()


# -- accessibility: axe-core, WCAG 2.0/2.1 A and AA --------------------------------------------------------------


def _answer(page: Page, typed: dict[str, object]) -> None:
    for name, value in typed.items():
        if isinstance(value, list):
            for item in value:
                page.locator(f"input[name='{name}'][value='{item}']").check()
            continue
        field = page.locator(f"[name='{name}']")
        kind = field.first.get_attribute("type")
        if kind in ("radio", "checkbox"):
            page.locator(f"input[name='{name}'][value='{value}']").check()
        elif kind == "date" and re.fullmatch(r"\d\d\.\d\d\.\d{4}", str(value)):  # a browser date widget takes ISO
            day, month, year = str(value).split(".")
            field.fill(f"{year}-{month}-{day}")
        else:
            field.fill(str(value))


@pytest.mark.parametrize("device", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_the_public_interview_has_no_accessibility_violation(web, device) -> None:
    answers = _interview_pages().ANSWERS
    page = _scanning(web, **device)
    page.goto("/help/")
    _axe(page, "start")
    page.locator("button[name=go][value=next]").click()
    _axe(page, f"step {answers[0][0]}")
    page.locator("button[name=go][value=next]").click()  # nothing chosen: the error at the field
    expect(page.locator("main [role=alert], main .error, main .errorlist").first).to_be_visible()
    _axe(page, "a step with an error")
    for step, typed in answers:
        expect(page.locator("input[name=step]")).to_have_value(step)
        _answer(page, typed)
        page.locator("button[name=go][value=next]").click()
    expect(page.locator("input[name=step]")).to_have_count(0)
    _axe(page, "result")
    page.locator("main button[formaction$='/ask/'], main a[href$='/ask/']").first.click()
    expect(page).to_have_url(f"{web.url}/help/ask/")
    _axe(page, "ask")
    page.locator("main button.primary, main form button[type=submit]").first.click()  # nothing filled in
    expect(page.locator("main .error, main .errorlist, main [role=alert]").first).to_be_visible()
    _axe(page, "ask with errors")
    web.error_responses = [r for r in web.error_responses if not r.startswith("400 POST")]  # the refused form
    web.assert_clean()


@pytest.mark.parametrize("device", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_the_main_staff_pages_have_no_accessibility_violation(
    web, make_intake, make_coordinator, make_lawyer, device
) -> None:
    intake, coordinator, lawyer = make_intake(), make_coordinator(), make_lawyer()
    case = absent_case(intake, coordinator, lawyer)
    returned_case(intake, coordinator, lawyer)
    page = _scanning(web, **device)
    page.goto("/accounts/login/")
    _axe(page, "login")
    page = _scanning(web, storage_state=_logged_in(web, coordinator).context.storage_state(), **device)
    for where, url in [
        ("dashboard", "/"),
        ("case list", "/cases/"),
        ("case page", f"/cases/{case.code}/"),
        ("facts form", f"/cases/{case.code}/edit/"),
        ("print view", f"/cases/{case.code}/print/"),
        ("requests", "/requests/"),
        ("statistics", "/statistics/"),
    ]:
        page.goto(url)
        _axe(page, where)
    page.goto(f"/cases/{case.code}/edit/")
    page.locator("#id_client_birth_date").fill("31.02.1990")
    page.locator("main form button[type=submit]").click()
    expect(page.locator(".error-summary")).to_be_visible()
    _axe(page, "facts form with errors")
    web.error_responses = [r for r in web.error_responses if not r.startswith("400 POST")]  # the refused form
    web.assert_clean()


def test_the_scan_finds_violations_where_there_are_some(web) -> None:
    """The harness is not blind: a field without a label, an image without text and grey on grey are reported."""
    page = _scanning(web, **DESKTOP)
    page.goto("/accounts/login/")
    page.set_content(
        '<html lang="ru"><head><title>t</title></head><body><main><h1>Проверка</h1>'
        '<input type="text" name="x"><img src="data:,">'
        '<p style="color:#bbb;background:#fff">Бледный текст</p></main></body></html>'
    )
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page, options={"runOnly": {"type": "tag", "values": WCAG}, "resultTypes": ["violations"]})
    found = {violation["id"] for violation in results.response["violations"]}
    assert {"label", "image-alt", "color-contrast"} <= found, found
