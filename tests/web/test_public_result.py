"""The public result page and its PDF (issue 14): what to do now first, with the ask-for-help button in it; then the
short answer; the details folded in closed <details> (no JavaScript), one line of citations each; the PDF in the same
order, unfolded."""

from __future__ import annotations

import re

import pytest
from _interview_pages import walk
from django.test import Client

from courtpath.interview.definition import default_interview
from courtpath.interview.result import outcome
from courtpath.web.interview import pages

INTERVIEW = default_interview()


@pytest.fixture
def anonymous() -> Client:
    return Client(enforce_csrf_checks=True)


@pytest.mark.django_db
@pytest.mark.parametrize("lang", ["ru", "en"])
def test_the_result_opens_with_what_to_do_now(anonymous: Client, lang: str) -> None:
    page = walk(anonymous, lang)
    now = page.index(INTERVIEW.text("now_title", lang))
    short = page.index(INTERVIEW.text("short_title", lang))
    details = page.index("<details")
    assert now < short < details
    block = page[now:short]
    assert 'class="ask"' in block and "/ask/" in block  # ask for help right in "what to do now"
    assert 'class="who-can-help"' in block
    folded = re.findall(r"<details[^>]*>", page)
    assert folded and all(tag == "<details>" for tag in folded)  # closed
    assert 'class="risk"' not in page and "<strong>" not in page[now:]
    assert 0 < page.count('class="cite"') <= len(folded)  # one line per section that cites


@pytest.mark.django_db  # the PDF names the organisation (its identity is read from the database)
@pytest.mark.parametrize("lang", ["ru", "en"])
def test_the_pdf_follows_the_same_order_unfolded(lang: str) -> None:
    import datetime as dt

    from courtpath.law.facts import MOSCOW

    answers = {
        "status": "mobilized", "absence_kind": "left-unit", "left": "2026-11-17T08:00", "still_absent": "yes",
        "indicators": "none", "first_offence": "yes", "grave_circumstances": "no", "released_80_2": "no",
    }  # fmt: skip
    _, explanation = outcome(INTERVIEW, answers, dt.datetime(2026, 12, 7, 12, tzinfo=MOSCOW), lang)
    html = pages.pdf_html(explanation, lang)
    order = [explanation.now[0], explanation.short[0], explanation.blocks[0].paragraphs[0].text]
    positions = [html.index(text) for text in order]
    assert positions == sorted(positions)
    assert "<details" not in html
    assert "17.12.2026 08:00" in explanation.now[0] or "2026-12-17 08:00" in explanation.now[0]
