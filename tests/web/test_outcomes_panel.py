"""Known outcomes beside a case (issue 16): the case page's panel per court, region and nation, each source labelled,
"too few to say" under ten; the public result's one plain sentence, only when there is enough."""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Callable
from pathlib import Path

import polars as pl
import pytest
from _interview_pages import ANSWERS, walk
from django.test import Client
from django.urls import reverse

from _outcome_frames import convictions, official_rows
from courtpath.analytics.outcomes import wilson
from courtpath.analytics.outcomes_table import build_table
from courtpath.analytics.svg import whole_percent
from courtpath.interview.definition import default_interview
from courtpath.interview.result import outcome
from courtpath.law.facts import MOSCOW
from courtpath.web.cases import services

COURT, REGION = "54GV0003", "22"  # the Barnaul garrison court, in Altai Krai


def _official(article: str, part: str, year: int, convicted: int, real: int, suspended: int) -> pl.DataFrame:
    return official_rows([(year, article, part, convicted, real, suspended, convicted - real - suspended, "t.csv")])


def _write(folder: Path, records: pl.DataFrame, official: pl.DataFrame) -> None:
    (folder / "analytics").mkdir(parents=True, exist_ok=True)
    (folder / "analytics" / "outcomes.json").write_text(json.dumps(build_table(records, official)), encoding="utf-8")


@pytest.fixture
def data_dir(settings, tmp_path: Path) -> Path:
    settings.DATA_DIR = tmp_path
    return tmp_path


def _case_with_court(world: dict[str, object]) -> tuple[object, str, str]:
    case = world["case"]
    services.update_case(world["lawyer1"], case, {"court_id": COURT})
    assessment = services.save_assessment(world["lawyer1"], case)
    assert assessment is not None
    primary = next(q for q in assessment.result_en["qualifications"] if q["primary"])
    return case, primary["article"], primary["part"]


def _panel(page: str) -> str:
    start = page.index('id="known-outcomes"')
    return page[start : page.index("</section>", start)]


def _cells(page: str) -> list[list[str]]:
    return [re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row) for row in re.findall(r"<tr>(.*?)</tr>", _panel(page), re.S)]


def test_the_case_page_shows_the_outcomes_of_its_court_region_and_nation(
    world: dict[str, object], login: Callable[..., object], client: Client, data_dir: Path
) -> None:
    case, article, part = _case_with_court(world)
    day = dt.date(2026, 11, 10)  # the case's own edition: the records' absences began when its did
    here = [("imprisonment", False)] * 11 + [("imprisonment", True)] * 3  # 14 in this court: 11 real, 3 suspended
    elsewhere = [("restriction", False)] * 4  # 4 more in another court of another region
    records = pl.concat(
        [
            convictions(article, part, day, here, COURT, REGION),
            convictions(article, part, day, elsewhere, "61GV0010", "01"),
        ]
    )
    _write(data_dir, records, _official(article, part, 2026, 7, 3, 4))  # 7 official: too few
    login(client, world["lawyer1"])
    page = client.get(reverse("cases:case_detail", args=[case.code]), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    rows = _cells(page)
    assert rows[0][:3] == ["Where", "Source", "n"]
    court, region, national, official = rows[1:]
    low, high = (whole_percent(x) for x in wilson(11, 14))
    assert court[:4] == ["Барнаульский гарнизонный военный суд (Алтайский край)", "published court records", "14",
                         f"79\u00a0% ({low}–{high})"]  # fmt: skip
    assert court[4].startswith("21\u00a0% (") and court[5].startswith("0\u00a0% (0–")
    assert court[6:] == ["41 (38.5–43.5)", "2026"]  # the 11 real terms, 36…46 months: median (quartiles)
    assert region[0] == "Алтайский край" and region[2] == "14"
    assert national[:3] == ["Nationally", "published court records", "18"] and national[5].startswith("22\u00a0% (")
    assert official == ["Nationally", "official statistics", "7", "too few to say"]
    assert f"part {part} of article {article}" in page


def test_the_panel_says_when_nothing_is_imported(
    world: dict[str, object], login: Callable[..., object], client: Client, data_dir: Path
) -> None:
    case, _, _ = _case_with_court(world)
    login(client, world["lawyer1"])
    page = client.get(reverse("cases:case_detail", args=[case.code]), HTTP_ACCEPT_LANGUAGE="ru").content.decode()
    assert "<table>" not in _panel(page) and "courtpath analytics import" in _panel(page)


INTERVIEW = default_interview()


def _interview_group(lang: str) -> tuple[str, str, str]:
    """The article, part and edition of the walk's short answer (the answers of _interview_pages)."""
    answers = {
        "status": "contract", "absence_kind": "leave", "left": "2025-04-03T07:15", "still_absent": "no",
        "returned": "2025-04-20T09:00", "surrendered": "yes", "indicators": "job", "weapon": "no", "group": "no",
        "first_offence": "yes", "grave_circumstances": "no", "released_80_2": "no",
    }  # fmt: skip
    assert [step for step, _ in ANSWERS] == list(answers)
    assessment, _ = outcome(INTERVIEW, answers, dt.datetime(2026, 12, 7, 12, tzinfo=MOSCOW), lang)
    shown = next(q for q in assessment.qualifications if q.kind != "desertion")
    return shown.article, shown.part, shown.edition


@pytest.mark.django_db
@pytest.mark.parametrize("lang", ["ru", "en"])
def test_the_public_result_says_it_in_one_sentence_when_there_is_enough(data_dir: Path, lang: str) -> None:
    article, part, _ = _interview_group(lang)
    day = dt.date(2025, 4, 3)
    kinds = [("imprisonment", False)] * 6 + [("disciplinary_unit", True)] * 14  # 20 records: 70 % suspended
    _write(data_dir, convictions(article, part, day, kinds, COURT, REGION), _official(article, part, 2021, 3, 1, 2))
    page = walk(Client(enforce_csrf_checks=True), lang)
    sentence = re.search(r'<p class="known-outcomes">(.*?)</p>', page, re.S)
    assert sentence is not None
    text = " ".join(sentence.group(1).split())
    low, high = (whole_percent(x) for x in wilson(14, 20))
    assert re.search(r"\b20\b", text) and "70&nbsp;%" in text and f"{low}" in text and f"{high}&nbsp;%" in text
    assert "30&nbsp;%" in text and "(2025)" in text and "3.1" in text
    assert ("Опубликованных приговоров" in text) if lang == "ru" else ("published court decisions" in text)


@pytest.mark.django_db
def test_the_public_result_says_nothing_with_too_few(data_dir: Path) -> None:
    article, part, _ = _interview_group("ru")
    kinds = [("imprisonment", False)] * 9
    _write(
        data_dir,
        convictions(article, part, dt.date(2025, 4, 3), kinds, COURT, REGION),
        _official(article, part, 2021, 9, 1, 8),
    )
    page = walk(Client(enforce_csrf_checks=True), "ru")
    assert 'class="known-outcomes"' not in page


def test_a_table_of_another_law_version_is_not_shown(
    world: dict[str, object], login: Callable[..., object], client: Client, data_dir: Path
) -> None:
    case, article, part = _case_with_court(world)
    kinds = [("imprisonment", False)] * 12
    _write(
        data_dir,
        convictions(article, part, dt.date(2026, 11, 10), kinds, COURT, REGION),
        _official(article, part, 2021, 0, 0, 0),
    )
    path = data_dir / "analytics" / "outcomes.json"
    table = json.loads(path.read_text(encoding="utf-8"))
    path.write_text(json.dumps({**table, "law_version": "0.0.1"}), encoding="utf-8")  # acts may have moved since
    login(client, world["lawyer1"])
    page = client.get(reverse("cases:case_detail", args=[case.code]), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "<table>" not in _panel(page) and "courtpath analytics outcomes" in _panel(page)
