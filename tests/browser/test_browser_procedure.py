"""Events, the statutory term they start, and the draft a missed term calls for, in a real browser without
JavaScript: a lawyer records that the statement of surrender was registered, sees the last day for a decision on it
(moved past the May holidays), red because it has passed, follows the complaint it allows and gets the draft with
the days and his profile filled in."""

from __future__ import annotations

import pytest
from _seed import absent_case
from playwright.sync_api import expect

from courtpath.web.accounts import services as account_services
from courtpath.web.cases import services

pytestmark = pytest.mark.browser


def test_an_event_gives_its_term_and_the_missed_term_its_complaint(
    web, make_intake, make_coordinator, make_lawyer
) -> None:
    intake, coordinator, lawyer = make_intake(), make_coordinator(), make_lawyer()
    account_services.save_profile(
        lawyer, full_name="Выдумкин Лев Петрович", position="адвокат", bar_number="99/00001", bar="АП Энской области"
    )
    case = absent_case(intake, coordinator, lawyer, days=240)
    services.update_case(
        lawyer,
        case,
        {
            "client_surname": "Небывалов",
            "client_given_name": "Илья",
            "client_patronymic": "Сергеевич",
            "client_rank": "рядовой",
            "investigator": "военный следственный отдел по Энскому гарнизону",
        },
    )

    page = web.page(locale="en-US", extra_http_headers={"Accept-Language": "en"})
    web.log_in(page, lawyer)
    page.goto(f"/cases/{case.code}/")
    section = page.locator("#procedure")
    expect(section).to_contain_text("No statutory term is running")
    section.locator("#procedure_event").select_option("report_filed")
    section.locator("#procedure_on").fill("06.05.2026")
    section.get_by_role("button", name="Record the event").click()

    term = page.locator("#procedure table.procedure-terms tbody tr").first
    expect(term).to_have_class("overdue")
    # 6 May + 3 days = Saturday 9 May (Victory Day); Monday 11 May is its day off: the last day is Tuesday 12 May.
    expect(term.locator("td").nth(0)).to_contain_text("12 May 2026")
    expect(term.locator("td").nth(0)).to_contain_text("moved from 9 May 2026")
    expect(term.locator("td").nth(2)).to_contain_text("ч. 1, 3 ст. 144 УПК РФ")
    expect(page.locator("#procedure ul.procedure-events")).to_contain_text("Crime report registered")

    term.get_by_role("link", name="Complaint to the military prosecutor", exact=False).click()
    expect(page.locator("#draft-error")).to_contain_text("military prosecutor's office")
    page.get_by_label("Military prosecutor's office, in the nominative").fill("военная прокуратура Энского гарнизона")
    page.get_by_role("button", name="Preview this draft").click()

    draft = page.locator("pre.draft")
    expect(draft).to_contain_text("В военную прокуратуру Энского гарнизона")
    expect(draft).to_contain_text("от адвоката Выдумкина Льва Петровича")
    expect(draft).to_contain_text("рег. № 99/00001")
    expect(draft).to_contain_text("6 мая 2026 г. поступило сообщение о преступлении")
    expect(draft).to_contain_text("12 мая 2026 г.")
    expect(page.locator("ul.draft-checks li").first).to_be_visible()
    expect(page.locator("main")).to_contain_text("ст. 124")

    page.goto("/")
    row = page.locator("tr.overdue", has_text=case.code).filter(has_text="decision on the crime report due")
    expect(row.get_by_role("link", name="Draft: Complaint to the garrison military court", exact=False)).to_be_visible()
    web.assert_clean()
