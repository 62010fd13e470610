"""The public pages' quick exit in a real browser (JavaScript off, a 390×844 phone): visible on the first screen, the
first stop of the keyboard after the skip link, and it leads away to the neutral site in the same tab. The neutral
site is a stand-in answered by the browser itself (no network): the only request that leaves the live server."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, Route, expect

from courtpath.web.organisation import services

PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True, "device_scale_factor": 2}
STAND_IN = "https://weather.test/today"  # configured as the quick-exit target; fulfilled by page.route below
NAME = {"ru": "Правозащитная группа «Тестовая гавань»", "en": "Test Harbour Rights Group"}  # fictional


def _focused(page: Page) -> str:
    return page.evaluate("(() => { const e = document.activeElement; return e ? (e.id || e.className) : ''; })()")


def _stand_in(route: Route) -> None:
    route.fulfill(
        status=200,
        content_type="text/html; charset=utf-8",
        body="<!DOCTYPE html><meta charset=utf-8><title>Погода</title><h1>Погода</h1>",
    )


@pytest.mark.parametrize("lang", ["ru", "en"])
def test_the_quick_exit_is_on_the_first_screen_first_by_keyboard_and_leads_away(
    web, make_administrator, lang: str
) -> None:
    services.update_identity(
        make_administrator(), {"name_ru": NAME["ru"], "name_en": NAME["en"], "quick_exit_url": STAND_IN}
    )
    page = web.page(**PHONE)
    page.route("https://weather.test/**", _stand_in)
    base = "/help/" if lang == "ru" else "/help/en/"
    label = "Быстрый выход" if lang == "ru" else "Quick exit"

    page.goto(base)
    link = page.get_by_role("link", name=label, exact=True)
    expect(link).to_be_visible()
    box = link.bounding_box()
    assert box is not None and box["y"] >= 0 and box["y"] + box["height"] <= 844 and box["x"] + box["width"] <= 390
    assert box["height"] >= 44  # a touch target
    expect(page.locator("header .brand")).to_have_text(NAME[lang])

    page.keyboard.press("Tab")
    assert _focused(page) == "skip"
    page.keyboard.press("Tab")
    assert _focused(page) == "quick-exit"

    page.get_by_role("button", name=re.compile("Начать|Start")).click()  # a question page, reached by a POST
    expect(page.locator("input[name=step]")).to_have_count(1)
    pages_before = len(page.context.pages)
    page.get_by_role("link", name=label, exact=True).click()
    expect(page).to_have_url(STAND_IN)
    expect(page.locator("h1")).to_have_text("Погода")
    assert len(page.context.pages) == pages_before  # the same tab, no new window

    left = list(web.foreign)
    assert left == [STAND_IN], left  # nothing else left the site: the pages load nothing from elsewhere
    web.foreign.clear()  # the stand-in was the one request allowed to leave
