"""The walk's two traps, in a real browser as a worried family member has it: an English-language browser (en-US,
as a default Tor Browser), JavaScript off, a 390×844 phone.

* A date typed the Russian way («05112026», «05.11.2026») is 5 November in the result, never 11 May: the field is
  text, read day first by the server, not Chromium's mm/dd/yyyy widget.
* The phone's own Back button: the steps are POST pages sent with `Cache-Control: no-store`, so Chromium shows an
  error rather than a copy of the answers from its cache (the privacy choice of docs/threat-model.md); the page says
  so next to the in-page «Назад», which keeps every answer.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Error, Page, expect

from courtpath.interview.definition import default_interview

INTERVIEW = default_interview()
PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True, "locale": "en-US"}
# (step, answer): a choice by its option's value, a date-time as (date text, time text).
PATH: list[tuple[str, object]] = [
    ("status", "contract"),
    ("absence_kind", "left-unit"),
    ("left", None),  # the date under test
    ("still_absent", "no"),
    ("returned", ("20.11.2026", "10:00")),
    ("surrendered", "yes"),
    ("indicators", "none"),
    ("first_offence", "yes"),
    ("grave_circumstances", "no"),
    ("released_80_2", "no"),
]


def _label(step: str, value: str, lang: str) -> str:
    if value in ("yes", "no"):
        return INTERVIEW.text(value, lang)
    option = INTERVIEW.step(step).option(value)
    assert option is not None
    return option.label.get(lang)


def _answer(page: Page, step: str, answer: object, lang: str) -> None:
    expect(page.locator("input[name=step]")).to_have_value(step)
    if isinstance(answer, tuple):
        page.get_by_label(INTERVIEW.text("date_label", lang)).fill(answer[0])
        page.get_by_label(INTERVIEW.text("time_label", lang)).fill(answer[1])
    else:
        page.get_by_label(_label(step, str(answer), lang), exact=True).check()
    page.locator("button[name=go][value=next]").click()


@pytest.mark.parametrize("lang", ["ru", "en"])
@pytest.mark.parametrize("typed", ["05112026", "05.11.2026"])
def test_a_date_typed_the_russian_way_in_an_english_browser(web, lang: str, typed: str) -> None:
    page = web.page(**PHONE)
    response = page.goto("/help/" if lang == "ru" else "/help/en/")
    assert response is not None and response.request.all_headers()["accept-language"].startswith("en-US")
    page.locator("button[name=go][value=next]").click()
    for step, answer in PATH:
        if step != "left":
            _answer(page, step, answer, lang)
            continue
        date_field = page.get_by_label(INTERVIEW.text("date_label", lang))
        expect(date_field).to_have_attribute("type", "text")
        expect(page.locator("#hint-left-date")).to_have_text(INTERVIEW.text("date_hint", lang))
        date_field.click()
        page.keyboard.type(typed)  # typed key by key, as on a phone
        expect(date_field).to_have_value(typed)
        page.locator("button[name=go][value=next]").click()
    expect(page.locator("h1")).to_have_text(INTERVIEW.text("result_title", lang))
    answers = page.locator("dl.answers")
    left_question = INTERVIEW.step("left").question.get(lang)
    answer_of_left = answers.locator("dt", has_text=left_question).locator("xpath=following-sibling::dd[1]")
    expect(answer_of_left).to_contain_text("05.11.2026 00:00")
    body = page.locator("main").inner_text()
    assert "11.05.2026" not in body and "2026-05-11" not in body and "May" not in body
    web.assert_clean()


def test_the_phones_back_button_shows_no_cached_answers_and_the_page_says_why(web) -> None:
    page = web.page(**PHONE)
    page.goto("/help/")
    page.locator("button[name=go][value=next]").click()
    _answer(page, "status", "contract", "ru")
    _answer(page, "absence_kind", "left-unit", "ru")
    _answer(page, "left", ("03.11.2026", "07:15"), "ru")
    expect(page.locator("input[name=step]")).to_have_value("still_absent")
    note = page.locator("#back-note")
    expect(note).to_be_visible()
    expect(note).to_contain_text("«Назад» на этой странице")
    box = note.bounding_box()
    assert box is not None and box["y"] + box["height"] <= 844, "the note is below the first screen"

    # The system Back: the previous step was a POST answered with no-store, so there is no copy to show.
    with pytest.raises(Error, match="ERR_CACHE_MISS"):
        page.go_back()
    expect(page.locator("input[name=step]")).to_have_count(0)  # no step page came back from a cache
    expect(page.locator("body")).not_to_contain_text("03.11.2026")
    print("after the system Back:", page.url, " ".join(page.locator("body").inner_text().split())[:200])
    web.failed = [f for f in web.failed if not re.search(r"/help/step/: net::ERR_CACHE_MISS", f)]

    # Reloading the error page sends the earlier form again (a browser asks to confirm it): the server, which keeps
    # nothing, answers it with the same question and the answers given so far.
    page.reload()
    expect(page.locator("input[name=step]")).to_have_value("left")
    expect(page.get_by_label(INTERVIEW.text("date_label", "ru"))).to_have_value("")
    web.failed = [f for f in web.failed if not re.search(r"/help/step/: net::ERR_CACHE_MISS", f)]
    web.assert_clean()
