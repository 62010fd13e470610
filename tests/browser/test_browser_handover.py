"""From a family's request to a lawyer's case, in a browser without JavaScript (issue 14): a mother answers the public
interview on a phone and asks for help with her answers; the coordinator sees the request's assessment and opens a
case for a lawyer without retyping; the lawyer finds the family's facts assessed on the case, the contact, and the
link to the request, which she may open."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect
from test_browser_interview import ANSWERS, INTERVIEW, PHONE, _answer

pytestmark = pytest.mark.browser

CASE_URL = re.compile(r"/cases/(C-[A-Z0-9]+)/$")
CONTACT = "Signal: samovar-on-the-sill-2718"  # fictional
MESSAGE = "Сын не вернулся из отпуска, мы очень волнуемся."


@pytest.mark.django_db(transaction=True)
def test_public_ask_to_a_lawyers_case_without_retyping(web, make_coordinator, make_lawyer) -> None:
    from courtpath.web.cases.models import Case, HelpRequest

    coordinator, lawyer = make_coordinator(), make_lawyer()

    # The mother, on a phone: the interview, then "ask for help" with her answers.
    page = web.page(**PHONE)
    page.goto("/help/")
    page.locator("button[name=go][value=next]").click()
    for step, answer in ANSWERS:
        _answer(page, step, answer, "ru")
    expect(page.locator("h1")).to_have_text(INTERVIEW.text("result_title", "ru"))
    page.locator("#block-ask ~ .buttons button").click()
    page.get_by_label("Мать или отец").check()
    page.locator("#id_contact").fill(CONTACT)
    page.locator("#id_message").fill(MESSAGE)
    page.locator("#id_send_answers").check()
    page.locator("#id_consent").check()
    page.locator("button.primary").click()
    request_code = page.locator("strong.secret").inner_text()
    assert request_code.startswith("R-") and page.context.cookies() == []

    # The coordinator: the request is new on the list; its page assesses the answers; one click opens the case.
    page = web.page()
    web.log_in(page, coordinator)
    page.goto("/requests/?status=new")
    row = page.locator("main tr", has=page.locator(f"a[href='/requests/{request_code}/']"))
    expect(row).to_contain_text("Новое")
    expect(row).to_contain_text(MESSAGE[:30])  # the preview
    row.locator(f"a[href='/requests/{request_code}/']").click()
    main = page.locator("main")
    expect(main.locator("table").first).to_contain_text(re.compile(r"ч\.\s\d+(\.\d)?\sст\.\s337"))
    page.locator("main select[name=lawyer]").select_option(label=lawyer.username)
    page.locator("main form:has(select[name=lawyer]) button[type=submit]").click()
    expect(page).to_have_url(CASE_URL)
    case_code = CASE_URL.search(page.url).group(1)

    # The lawyer: the family's facts, assessed; the contact; the request it came from, which she may open.
    page = web.page()
    web.log_in(page, lawyer)
    page.goto(f"/cases/{case_code}/")
    main = page.locator("main")
    expect(main.locator("table").first).to_contain_text(re.compile(r"ч\.\s\d+(\.\d)?\sст\.\s337"))
    expect(main).to_contain_text(CONTACT)
    expect(main).to_contain_text("Мать или отец")
    main.locator(f"a[href='/requests/{request_code}/']").click()
    expect(page.locator("h1")).to_contain_text(request_code)
    expect(page.locator("main")).to_contain_text(MESSAGE)
    page.locator(f"main a[href='/cases/{case_code}/']").click()
    page.locator(f"main a[href='/cases/{case_code}/edit/']").click()  # the facts form holds the answers
    expect(page.locator("main select[name=status]")).to_have_value("mobilized")
    expect(page.locator("main input[name=left]")).not_to_have_value("")

    case = Case.objects.get(code=case_code)
    assert case.request == HelpRequest.objects.get(code=request_code) and case.status == "mobilized"
    web.assert_clean()
