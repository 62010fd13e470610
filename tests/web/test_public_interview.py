"""The public interview in the web app: no login, no cookie, no database row, nothing in the logs, answers carried
in the form, bad and tampered input answered with the question again (never a 500), the PDF made in memory."""

from __future__ import annotations

import logging
import re

import pytest
from _interview_pages import ANSWERS, PRIVATE_DATE, Form, post, row_counts, walk
from django.test import Client

from courtpath.interview.definition import default_interview
from courtpath.law.problems import MESSAGES

INTERVIEW = default_interview()


@pytest.fixture
def anonymous() -> Client:
    return Client(enforce_csrf_checks=True)  # as a browser: the interview must work without a CSRF token


@pytest.mark.django_db
def test_the_whole_interview_leaves_no_row_no_cookie_and_nothing_in_the_logs(
    anonymous: Client, caplog: pytest.LogCaptureFixture
) -> None:
    before = row_counts()
    caplog.set_level(logging.DEBUG)
    start = anonymous.get("/help/")
    assert start.status_code == 200 and not start.cookies
    page = walk(anonymous)
    assert "ст.\u00a0337 УК\u00a0РФ" in page and INTERVIEW.text("result_title", "ru") in page
    pdf = post(anonymous, "/help/pdf/", page, None, {})
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    assert row_counts() == before
    assert not anonymous.cookies, anonymous.cookies
    assert "sessionid" not in str(anonymous.cookies) and "csrftoken" not in str(anonymous.cookies)
    logged = "\n".join(r.getMessage() for r in caplog.records)
    for private in (PRIVATE_DATE, "2025-04-03", "03.04.2025", "07:15", "leave"):
        assert private not in logged


@pytest.mark.django_db
def test_every_page_is_no_store_with_one_h1_and_no_cookie(anonymous: Client) -> None:
    for upto in (0, 3, 6, len(ANSWERS)):
        client = Client(enforce_csrf_checks=True)
        page = walk(client, upto=upto)
        assert Form(page).h1 == 1
        response = client.post("/help/step/", {**Form(page).hidden, "go": "stay", "step": "status"})
        assert response["Cache-Control"] == "no-store"
        assert not response.cookies
    assert anonymous.get("/help/en/")["Cache-Control"] == "no-store"


@pytest.mark.django_db
def test_answers_travel_in_hidden_fields_and_never_in_the_url(anonymous: Client) -> None:
    page = walk(anonymous, upto=4)
    hidden = Form(page).hidden
    assert hidden["a-status"] == "contract"
    assert hidden["a-left"] == "2025-04-03T07:15"
    assert not re.search(r'action="[^"]*\?', page)
    assert 'method="post"' in page and 'method="get"' not in page


@pytest.mark.django_db
def test_back_keeps_the_answers(anonymous: Client) -> None:
    page = walk(anonymous, upto=3)  # on "still absent?"
    back = post(anonymous, "/help/step/", page, "still_absent", {}, go="back").content.decode()
    assert 'name="step" value="left"' in back
    assert 'value="03.04.2025"' in back and 'value="07:15"' in back
    back = post(anonymous, "/help/step/", back, "left", {}, go="back").content.decode()
    assert 'name="step" value="absence_kind"' in back
    assert re.search(r'value="leave"\s+checked', back)
    forward = post(anonymous, "/help/step/", back, "absence_kind", {"q-absence_kind": "leave"}, go="next")
    forward_page = forward.content.decode()
    assert 'name="step" value="left"' in forward_page and 'value="03.04.2025"' in forward_page


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("upto", "step", "typed", "message"),
    [
        (0, "status", {}, "choose_one"),
        (0, "status", {"q-status": "general"}, "choose_one"),
        (2, "left", {"q-left-date": "31.02.2025"}, "moment_value"),
        (2, "left", {"q-left-date": "1234567890123"}, "day_format"),
        (2, "left", {"q-left-date": "2999-01-01"}, "date_in_future"),
        (2, "left", {"q-left-date": "01.01.2098"}, "date_in_future"),
        (2, "left", {"q-left-date": "01.06.1999"}, "date_too_early"),
        (2, "left", {"q-left-date": "2025-04-03", "q-left-time": "99:99"}, "time_invalid"),
        (4, "returned", {"q-returned-date": "2025-04-01"}, "end_before_start"),
        (6, "indicators", {"q-indicators": ["job", "none"]}, "exclusive_combined"),
    ],
)
def test_bad_answers_show_the_question_again_with_an_error_tied_to_it(
    anonymous: Client, upto: int, step: str, typed: dict[str, object], message: str
) -> None:
    page = walk(anonymous, upto=upto)
    response = post(anonymous, "/help/step/", page, step, typed, go="next")
    assert response.status_code == 200
    html = response.content.decode()
    assert f'name="step" value="{step}"' in html
    assert f'<p class="error" id="error-{step}">' in html
    assert f'aria-describedby="error-{step}' in html or f'aria-describedby="hint-{step}-date error-{step}"' in html
    assert 'aria-invalid="true"' in html
    text = INTERVIEW.messages[message].get("ru") if message in INTERVIEW.messages else MESSAGES[message].render("ru")
    first_words = text.split("{")[0][:20]
    assert first_words in html.replace("&quot;", '"').replace("&#x27;", "'").replace("&laquo;", "«")


@pytest.mark.django_db
@pytest.mark.parametrize(
    "tampered",
    [
        {"a-status": "general", "a-left": "not a date", "step": "status", "go": "next"},
        {"a-status": "contract", "step": "no-such-step", "go": "next"},
        {"a-status": "contract", "step": "status", "go": "teleport"},
        {"edit": "../../etc/passwd"},
        {"a-indicators": "none,job", "a-status": "contract", "step": "absence_kind", "q-absence_kind": "leave"},
        {"a-left": "2025-04-03T07:15" * 50, "step": "status", "q-status": "contract", "go": "next"},
    ],
)
def test_tampered_hidden_fields_never_cause_a_500(anonymous: Client, tampered: dict[str, str]) -> None:
    response = anonymous.post("/help/step/", tampered)
    assert response.status_code == 200
    html = response.content.decode()
    assert 'name="step" value="' in html  # a question is asked (again)
    assert "general" not in Form(html).hidden.values()


@pytest.mark.django_db
def test_a_result_request_with_incomplete_answers_asks_the_missing_question(anonymous: Client) -> None:
    response = anonymous.post("/help/pdf/", {"a-status": "contract"})
    assert response.status_code == 200
    assert 'name="step" value="absence_kind"' in response.content.decode()


@pytest.mark.django_db
def test_english_pages_and_switching_language_keep_the_answers(anonymous: Client) -> None:
    page = walk(anonymous, "en", upto=2)
    assert '<html lang="en">' in page and "Question 3. At most 12" in page
    switched = post(anonymous, "/help/step/", page, "left", {"q-left-date": "2025-04-03"}, go="stay")
    html = switched.content.decode()
    assert '<html lang="ru">' in html and "Когда началось отсутствие?" in html
    assert Form(html).hidden["a-status"] == "contract" and Form(html).hidden["a-left"] == "2025-04-03T00:00"


@pytest.mark.django_db
def test_result_offers_changing_each_answer(anonymous: Client) -> None:
    page = walk(anonymous, "en")
    assert page.count('name="edit"') == len(ANSWERS)
    change = post(anonymous, "/help/en/step/", page, None, {}, edit="still_absent").content.decode()
    assert 'name="step" value="still_absent"' in change and 'name="review" value="1"' in change
    # "still absent: yes" goes straight back to the result, the answers after it unchanged
    result = post(anonymous, "/help/en/step/", change, "still_absent", {"q-still_absent": "yes"}, go="next")
    html = result.content.decode()
    assert INTERVIEW.text("result_title", "en") in html
    assert Form(html).hidden["a-returned"] == "2025-04-20T09:00"  # kept, though it no longer counts


@pytest.mark.django_db
def test_the_pdf_is_an_attachment_made_in_memory(anonymous: Client, tmp_path, monkeypatch) -> None:
    page = walk(anonymous, "en")
    response = post(anonymous, "/help/en/pdf/", page, None, {})
    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="result.pdf"'
    assert response.content.startswith(b"%PDF-")
    assert response["Cache-Control"] == "no-store"


@pytest.mark.django_db
def test_get_on_a_step_goes_back_to_the_start(anonymous: Client) -> None:
    response = anonymous.get("/help/en/step/")
    assert response.status_code == 302 and response["Location"] == "/help/en/"
    assert anonymous.get("/help/pdf/").status_code == 405
