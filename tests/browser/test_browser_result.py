"""The result's first screen on a phone (issue 14): with JavaScript off, on a 390×844 viewport, in Russian and
English, "what to do now" lies entirely within the first 844 px, the details are closed <details>, and no research or
internal wording appears. Prints the page height (the walk measured 6,346 px before this change)."""

from __future__ import annotations

import datetime as dt

import pytest
from playwright.sync_api import Page, expect

from courtpath.interview.definition import default_interview
from courtpath.web.organisation import services

INTERVIEW = default_interview()
PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True, "device_scale_factor": 2}
# Research notes, file references, engine jargon and lawyers' citation order: none of it for a family.
FORBIDDEN = (
    "перечень Пленума",
    "не получен",
    "отрицательный результат",
    "не подтвержд",
    "law.md",
    "docs/law",
    "open_question",
    "Программа исходит",
    "Программа применяет",
    "Движок",
    "диапазон",
    "ещё впереди)",
    "мес.)",
    "УК РФ ст.",
    "(ред.",
    "вступивший в силу",
    "not confirmed",
    "negative result",
    "The program",
    "higher band",
    "as amended",
)
_TODAY = dt.datetime.now(dt.UTC) + dt.timedelta(hours=3)  # Moscow
ONGOING = [
    ("status", "mobilized"),
    ("absence_kind", "left-unit"),
    ("left", ((_TODAY - dt.timedelta(days=15)).date(), "08:00")),
    ("still_absent", "yes"),
    ("indicators", ["none"]),
    ("first_offence", "yes"),
    ("grave_circumstances", "no"),
    ("released_80_2", "no"),
]
RETURNED_WITH_JOB = [
    ("status", "contract"),
    ("absence_kind", "leave"),
    ("left", (dt.date(2025, 6, 1), "08:00")),
    ("still_absent", "no"),
    ("returned", (dt.date(2025, 6, 20), "10:00")),
    ("surrendered", "yes"),
    ("indicators", ["job", "border"]),
    ("weapon", "no"),
    ("group", "no"),
    ("first_offence", "yes"),
    ("grave_circumstances", "no"),
    ("released_80_2", "no"),
]


def _fill_date(page: Page, step: str, day: dt.date, time: str) -> None:
    """The date as the page asks for it: a browser date widget takes ISO, a text field ДД.ММ.ГГГГ."""
    field = page.locator(f"input[name='q-{step}-date']")
    kind = field.get_attribute("type")
    field.fill(day.isoformat() if kind == "date" else day.strftime("%d.%m.%Y"))
    page.locator(f"input[name='q-{step}-time']").fill(time)


def _walk(page: Page, answers: list[tuple[str, object]], lang: str) -> None:
    page.goto("/help/" if lang == "ru" else "/help/en/")
    page.locator("button[name=go][value=next]").click()
    for step, answer in answers:
        expect(page.locator("input[name=step]")).to_have_value(step)
        if isinstance(answer, tuple):
            _fill_date(page, step, *answer)
        else:
            for value in answer if isinstance(answer, list) else [answer]:
                page.locator(f"input[name='q-{step}'][value='{value}']").check()
        page.locator("button[name=go][value=next]").click()
    expect(page.locator("h1")).to_have_text(INTERVIEW.text("result_title", lang))


# An organisation that fills in every contact: "who can help" inside "what to do now" lists them all.
FULL_ORGANISATION = {
    "name_ru": "Правозащитная группа «Вымышленный берег»",
    "name_en": "Fictional Shore human-rights group",
    "phone": "+7 900 000-00-00",
    "messenger": "@fictional_shore_help",
    "email": "help@fictional-shore.example",
    "address_ru": "а/я 1, Вымышленск, 000000",
    "address_en": "PO Box 1, Fictionsk, 000000",
    "hours_ru": "пн–пт, 10:00–19:00 по Москве",
    "hours_en": "Mon–Fri, 10:00–19:00 Moscow time",
}


@pytest.mark.parametrize("organisation", [False, True], ids=["no-organisation", "full-organisation"])
@pytest.mark.parametrize("lang", ["ru", "en"])
@pytest.mark.parametrize("answers", [ONGOING, RETURNED_WITH_JOB], ids=["ongoing", "returned-with-job"])
def test_what_to_do_now_fills_the_first_phone_screen(
    web, make_administrator, lang: str, answers: list[tuple[str, object]], organisation: bool
) -> None:
    if organisation:
        services.update_identity(make_administrator(), FULL_ORGANISATION)
    page = web.page(**PHONE)  # JavaScript off
    _walk(page, answers, lang)
    now = page.locator("section.now")
    expect(now).to_contain_text(INTERVIEW.text("now_title", lang))
    box = now.bounding_box()
    assert box is not None
    assert box["y"] >= 0 and box["y"] + box["height"] <= 844, f"'what to do now' ends at {box['y'] + box['height']} px"
    ask = now.locator("button.ask")
    expect(ask).to_be_visible()
    ask_box = ask.bounding_box()
    assert ask_box is not None and ask_box["height"] >= 44
    if answers is ONGOING:
        expect(now).to_contain_text("08:00")  # the deadline, in Moscow time
    details = page.locator("main details")
    assert details.count() >= 4
    for index in range(details.count()):
        assert details.nth(index).get_attribute("open") is None
    # closed: the folded text is not shown, its summary is
    first = details.first
    expect(first.locator("summary")).to_be_visible()
    expect(first.locator("p").first).to_be_hidden()
    text = page.content()  # the folded details too
    for phrase in FORBIDDEN:
        assert phrase not in text, phrase
    body = page.locator("body").bounding_box()
    assert body is not None
    case = "ongoing" if answers is ONGOING else "returned"
    bottom = box["y"] + box["height"]
    print(f"\nresult, {lang}, {case}: page {body['height']:.0f} px; 'what to do now' ends at {bottom:.0f} px")
    web.assert_clean()
