"""A lawyer adds a hearing on a case page and finds it on the dashboard, in a browser without JavaScript whose
language is English (the date is typed the Russian way in a text field, never a browser date widget)."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from _seed import MSK, absent_case
from playwright.sync_api import expect

pytestmark = pytest.mark.browser


def test_a_hearing_added_on_the_case_page_is_on_the_dashboard(web, make_intake, make_coordinator, make_lawyer) -> None:
    lawyer = make_lawyer()
    case = absent_case(make_intake(), make_coordinator(), lawyer)
    hearing = (dt.datetime.now(MSK) + dt.timedelta(days=3)).replace(hour=10, minute=30)
    typed = f"{hearing:%d%m%Y}"  # what confused the browser's date widget: 5 November typed as 05112026
    page = web.page(locale="en-US")
    web.log_in(page, lawyer)
    page.goto(f"/cases/{case.code}/")
    form = page.locator("main form[action$='/agenda/new/']")
    expect(form.locator("input[name=when]")).to_have_attribute("type", "text")

    form.locator("input[name=when]").fill(typed)  # no dots: refused on its field, the note kept
    form.locator("select[name=kind]").select_option("hearing")
    form.locator("textarea[name=note]").fill("Зал 7")
    form.locator("button[type=submit]").click()
    main = page.locator("main")
    expect(main.locator(".errorlist")).to_be_visible()
    expect(main.locator("textarea[name=note]")).to_have_value("Зал 7")
    assert [line.split()[0] for line in web.error_responses] == ["400"]  # the refusal was the point
    web.error_responses.clear()

    main.locator("input[name=when]").fill(f"{hearing:%d.%m.%Y %H:%M}")
    main.locator("form button[type=submit]").click()
    expect(page).to_have_url(re.compile(rf"/cases/{case.code}/#agenda$"))
    agenda = page.locator("main table:below(#agenda)").first
    expect(agenda).to_contain_text(f"{hearing:%d.%m.%Y %H:%M}")
    expect(agenda).to_contain_text("Зал 7")

    page.goto("/")
    row = (
        page.locator("main table")
        .first.locator("tr", has_text=case.code)
        .filter(has_text=re.compile("Court hearing|Судебное заседание"))
    )
    expect(row).to_have_count(1)
    # the dashboard's date format is the staff pages' (ISO today; 17.12.2026 10:30 in the Russian UI to come)
    # The staff pages' formats: 17.12.2026 10:30 in Russian, 17 Dec 2026 10:30 in English (web/formats)
    expect(row).to_contain_text(re.compile(f"{hearing:%d.%m.%Y %H:%M}|{hearing.day} {hearing:%b %Y %H:%M}"))
    expect(row).not_to_contain_text("Зал 7")  # the note stays on the case page
    web.assert_clean()
