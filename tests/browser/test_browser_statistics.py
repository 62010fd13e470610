"""The statistics page draws its SVG charts on the server; a browser shows them without script or inline style."""

from __future__ import annotations

import pytest
from _seed import absent_case, returned_case
from playwright.sync_api import expect

pytestmark = pytest.mark.browser

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def test_statistics_chart_is_drawn(web, make_intake, make_coordinator, make_lawyer, tmp_path) -> None:
    intake, coordinator, lawyer = make_intake(), make_coordinator(), make_lawyer()
    absent_case(intake, coordinator, lawyer)
    absent_case(intake, coordinator, lawyer, days=12, status="contract")
    returned_case(intake, coordinator, lawyer)

    page = web.page()
    web.log_in(page, coordinator)
    page.locator("nav a[href='/statistics/']").click()
    expect(page).to_have_url(f"{web.url}/statistics/")
    charts = page.locator("main figure svg")
    expect(charts.first).to_be_visible()
    assert charts.count() >= 4
    box = charts.first.bounding_box()
    assert box is not None and box["width"] > 100 and box["height"] > 50

    shot = tmp_path / "requests-per-month.png"
    charts.first.screenshot(path=shot)
    data = shot.read_bytes()
    assert data.startswith(PNG_SIGNATURE)
    assert len(data) > 3000, f"the chart's screenshot is only {len(data)} bytes: an empty drawing?"
    web.assert_clean()


def test_statistics_fit_a_phone(web, make_intake, make_coordinator, make_lawyer) -> None:
    intake, coordinator, lawyer = make_intake(), make_coordinator(), make_lawyer()
    returned_case(intake, coordinator, lawyer)
    phone = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "device_scale_factor": 3}
    login_page = web.page(**phone)
    web.log_in(login_page, coordinator)
    measuring = web.context(java_script_enabled=True, storage_state=login_page.context.storage_state(), **phone)
    page = measuring.new_page()
    page.goto("/statistics/")
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, f"the statistics page is {width} px wide on a 390 px phone"
    web.assert_clean()
