"""The known-outcomes panel of a case page in a real browser, without JavaScript, on a desk and on a phone."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from _seed import absent_case
from playwright.sync_api import expect

from _outcome_frames import convictions, official_rows
from courtpath.analytics.outcomes_table import build_table
from courtpath.web.cases import services

pytestmark = pytest.mark.browser

COURT = "54GV0003"  # the Barnaul garrison court, in Altai Krai


def _table_for(article: str, part: str, real: int, suspended: int) -> dict:
    kinds = [("imprisonment", False)] * real + [("imprisonment", True)] * suspended
    return build_table(convictions(article, part, dt.date(2026, 6, 1), kinds, COURT, "22"), official_rows([]))


def test_the_outcomes_panel_reads_on_a_desk_and_a_phone(
    web, settings, tmp_path, make_intake, make_coordinator, make_lawyer
) -> None:
    settings.DATA_DIR = tmp_path
    intake, coordinator, lawyer = make_intake(), make_coordinator(), make_lawyer()
    case = absent_case(intake, coordinator, lawyer, days=40)
    services.update_case(lawyer, case, {"court_id": COURT})
    assessment = services.save_assessment(lawyer, case)
    primary = next(q for q in assessment.result_en["qualifications"] if q["primary"])
    (tmp_path / "analytics").mkdir()
    table = _table_for(primary["article"], primary["part"], real=12, suspended=8)
    (tmp_path / "analytics" / "outcomes.json").write_text(json.dumps(table), encoding="utf-8")

    page = web.page(locale="en-US", extra_http_headers={"Accept-Language": "en"})
    web.log_in(page, lawyer)
    page.goto(f"/cases/{case.code}/")
    panel = page.locator("section.outcomes")
    expect(panel.locator("h3")).to_have_text(f"Known outcomes under part {primary['part']} of article 337")
    court_row = panel.locator("tbody tr").nth(0)
    expect(court_row.locator("th")).to_contain_text("Барнаульский гарнизонный военный суд")
    expect(court_row.locator("td").nth(1)).to_have_text("20")
    expect(court_row.locator("td").nth(2)).to_contain_text("60\u00a0% (")
    official_row = panel.locator("tbody tr").nth(3)
    expect(official_row).to_contain_text("official statistics")
    expect(official_row).to_contain_text("too few to say")

    phone = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "device_scale_factor": 3}
    measuring = web.context(java_script_enabled=True, storage_state=page.context.storage_state(), **phone)
    small = measuring.new_page()
    small.goto(f"/cases/{case.code}/")
    expect(small.locator("section.outcomes")).to_be_visible()
    width = small.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, f"the case page is {width} px wide on a 390 px phone"
    web.assert_clean()
