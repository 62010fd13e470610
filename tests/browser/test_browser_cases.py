"""A request becomes a case and gets its assessment, through the real pages, in a browser without JavaScript."""

from __future__ import annotations

import re

import pytest
from _seed import absent_case, days_ago
from playwright.sync_api import expect

pytestmark = pytest.mark.browser

CASE_URL = re.compile(r"/cases/(C-[A-Z0-9]+)/$")
REQUEST_URL = re.compile(r"/requests/([A-Z0-9-]+)/$")
DATE = re.compile(r"\d{2}\.\d{2}\.\d{4} \d{2}:\d{2}")  # 17.12.2026 08:00, as the Russian UI writes it


def test_request_to_case_to_assessment(web, make_intake, make_coordinator, make_lawyer) -> None:
    intake, coordinator, lawyer = make_intake(), make_coordinator(), make_lawyer()

    # Intake takes a request.
    page = web.page()
    web.log_in(page, intake)
    page.goto("/requests/new/")
    page.locator("main select[name=channel]").select_option("phone")
    page.locator("main select[name=relation]").select_option("parent")
    page.locator("main textarea[name=summary]").fill("Мать: сын, мобилизованный, не вернулся из увольнения.")
    page.locator("main form button[type=submit]").click()
    expect(page).to_have_url(REQUEST_URL)
    request_code = REQUEST_URL.search(page.url).group(1)
    expect(page.locator("main")).to_contain_text("не вернулся из увольнения")

    # The coordinator finds it on the dashboard and opens it as a case for the lawyer.
    page = web.page()
    web.log_in(page, coordinator)
    page.locator(f"main a[href='/requests/{request_code}/']").click()
    page.locator("main select[name=lawyer]").select_option(label=lawyer.username)
    page.locator("main form:has(select[name=lawyer]) button[type=submit]").click()
    expect(page).to_have_url(CASE_URL)
    case_code = CASE_URL.search(page.url).group(1)
    expect(page.locator("main")).to_contain_text(lawyer.username)

    # The lawyer enters the facts: mobilized, left four days ago, still away.
    page = web.page()
    web.log_in(page, lawyer)
    page.goto(f"/cases/{case_code}/")
    page.locator(f"main a[href='/cases/{case_code}/edit/']").click()
    page.locator("main select[name=status]").select_option("mobilized")
    page.locator("main input[name=left]").fill(days_ago(4).strftime("%Y-%m-%dT%H:%M"))
    page.locator("main input[name=returned]").fill("")
    page.locator("main form button[type=submit]").click()
    expect(page).to_have_url(f"{web.url}/cases/{case_code}/")
    main = page.locator("main")
    expect(main.locator(".messages li.success")).to_be_visible()

    # The assessment: a part of art. 337 (a serviceman still away), with the cited trace behind a <details>.
    expect(main.locator("table").first).to_contain_text(re.compile(r"ч\. \d+(\.\d)? ст\. 337"))  # «ч. 2.1 ст. 337»
    citations = main.locator("details ol")
    expect(citations).to_be_hidden()
    main.locator("details summary").click()  # opens without JavaScript
    expect(citations).to_be_visible()
    expect(citations).to_contain_text("ст. 337")

    # Deadlines: the band boundaries ahead while he is away (the first list after the first heading).
    deadlines = main.locator("h2").first.locator("xpath=following-sibling::ul[1]/li")
    expect(deadlines.first).to_contain_text(DATE)

    # The lawyer's dashboard lists the case's deadlines.
    page.locator("header nav a.brand").click()
    expect(page).to_have_url(f"{web.url}/")
    expect(page.locator(f"main table a[href='/cases/{case_code}/']").first).to_be_visible()
    web.assert_clean()


PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True, "device_scale_factor": 3}


def test_pages_fit_a_phone(web, make_intake, make_coordinator, make_lawyer) -> None:
    intake, coordinator, lawyer = make_intake(), make_coordinator(), make_lawyer()
    case = absent_case(intake, coordinator, lawyer)

    # Log in without JavaScript, then measure in a second context that shares the session and runs script.
    login_page = web.page(**PHONE)
    web.log_in(login_page, lawyer)
    measuring = web.context(java_script_enabled=True, storage_state=login_page.context.storage_state(), **PHONE)
    page = measuring.new_page()
    for path in ("/", f"/cases/{case.code}/", f"/cases/{case.code}/edit/", "/cases/"):
        page.goto(path)
        expect(page).to_have_url(f"{web.url}{path}")  # still logged in
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= 390, f"{path} is {width} px wide on a 390 px phone"
    web.assert_clean()
