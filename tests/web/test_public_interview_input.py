"""The public interview's questions in the web app: dates are text fields read day first, what was typed comes back
with its error, the buttons say «Далее», Back is explained, and the staff what-if form takes a date as text too."""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest
from _interview_pages import ANSWERS, Form, post, walk
from django.test import Client
from django.urls import reverse

from courtpath.interview.definition import default_interview

INTERVIEW = default_interview()


@pytest.fixture
def anonymous() -> Client:
    return Client(enforce_csrf_checks=True)


def _inputs(html: str) -> dict[str, str]:
    """id -> the whole <input> tag."""
    return {m.group(1): m.group(0) for m in re.finditer(r'<input[^>]*\bid="([^"]+)"[^>]*>', html)}


@pytest.mark.django_db
@pytest.mark.parametrize("lang", ["ru", "en"])
def test_the_date_question_is_a_text_field_with_a_day_first_hint(anonymous: Client, lang: str) -> None:
    html = walk(anonymous, lang, upto=2)  # on "when did the absence begin?"
    inputs = _inputs(html)
    for name in ("q-left-date", "q-left-time"):
        assert 'type="text"' in inputs[name] and 'inputmode="decimal"' in inputs[name], inputs[name]
    assert 'type="date"' not in html and 'type="time"' not in html
    hint = "например, 01.06.2025" if lang == "ru" else "day.month.year, e.g. 01.06.2025"
    assert f'<span class="hint" id="hint-left-date">{hint}</span>' in html


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("typed", "message"),
    [("31.02.2026", "Даты «31.02.2026» не существует"), ("1234567890123", "«1234567890123» как дату"),
     ("01.01.2999", "Дата «01.01.2999» ещё не наступила"), ("01.06.1999", "Дата «01.06.1999» — раньше 2000")],
)  # fmt: skip
def test_a_date_that_cannot_be_used_comes_back_as_typed_with_a_russian_message(
    anonymous: Client, typed: str, message: str
) -> None:
    page = walk(anonymous, upto=2)
    html = post(anonymous, "/help/step/", page, "left", {"q-left-date": typed, "q-left-time": "7.15"}).content.decode()
    assert 'name="step" value="left"' in html
    assert message in html.replace("\u00a0", " ")
    inputs = _inputs(html)
    assert f'value="{typed}"' in inputs["q-left-date"] and 'value="7.15"' in inputs["q-left-time"]
    assert 'aria-invalid="true"' in inputs["q-left-date"]
    assert "a-left" not in Form(html).hidden  # nothing taken


@pytest.mark.django_db
def test_eight_digits_are_read_day_first_and_shown_back_with_dots(anonymous: Client) -> None:
    page = walk(anonymous, "en", upto=2)
    page = post(anonymous, "/help/en/step/", page, "left", {"q-left-date": "05112026", "q-left-time": ""}).content
    html = page.decode()
    assert Form(html).hidden["a-left"] == "2026-11-05T00:00"  # 5 November, never 11 May
    back = post(anonymous, "/help/en/step/", html, "still_absent", {}, go="back").content.decode()
    assert 'value="05.11.2026"' in _inputs(back)["q-left-date"]


@pytest.mark.django_db
def test_a_return_later_than_now_is_asked_again_at_the_return_question(anonymous: Client) -> None:
    page = walk(anonymous, upto=4)  # on "when did the absence end?"
    html = post(anonymous, "/help/step/", page, "returned", {"q-returned-date": "01.01.2098"}).content.decode()
    assert 'name="step" value="returned"' in html and "ещё не наступила" in html


@pytest.mark.django_db
@pytest.mark.parametrize("lang", ["ru", "en"])
def test_the_buttons_and_the_back_note(anonymous: Client, lang: str) -> None:
    first = walk(anonymous, lang, upto=0)
    assert ">Далее</button>" in first if lang == "ru" else ">Next</button>" in first
    assert "Следующая страница" not in first
    assert 'id="back-note"' not in first  # no in-page Back on the first question, so nothing to explain
    second = walk(anonymous, lang, upto=1)
    note = "нажмите «Назад» на этой странице" if lang == "ru" else "use the Back button on this page"
    assert 'id="back-note"' in second and note in second.replace("\u00a0", " ")


@pytest.mark.django_db
def test_every_step_and_the_result_stay_out_of_the_browser_cache(anonymous: Client) -> None:
    """The chosen trade-off (docs/threat-model.md, "Back button"): no-store, so that no page with answers is written
    to the disk cache of a shared phone; the in-page Back is the way back."""
    page = anonymous.post("/help/step/", {"go": "next"})
    assert page["Cache-Control"] == "no-store"
    for step, typed in ANSWERS:
        page = post(anonymous, "/help/step/", page.content.decode(), step, typed, go="next")
        assert page["Cache-Control"] == "no-store"
    assert INTERVIEW.text("result_title", "ru") in page.content.decode()


# -- the staff what-if form -------------------------------------------------------------------------------------
@pytest.mark.django_db
def test_what_if_takes_the_date_as_text(world: dict[str, object], login: Callable[..., object], client: Client) -> None:
    login(client, world["lawyer1"])
    url = reverse("assessments:what_if")
    empty = client.get(url).content.decode()
    field = _inputs(empty)["id_law_on"]
    assert 'type="text"' in field and 'type="date"' not in empty
    dotted = client.get(url, {"law_on": "09.01.2026"})
    assert dotted.status_code == 200 and 'value="09.01.2026"' in dotted.content.decode()
    assert client.get(url, {"law_on": "2026-01-09"}).status_code == 200
    refused = client.get(url, {"law_on": "31.02.2026"}, HTTP_ACCEPT_LANGUAGE="ru")
    assert refused.status_code == 400
    assert 'value="31.02.2026"' in refused.content.decode()
