"""The interview's input side: dates typed as text (day first, never a browser widget), questions asked positively,
a progress count that does not jump, and messages in the person's language, without the words of other doors."""

from __future__ import annotations

import datetime as dt
import itertools
import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from courtpath.interview.answers import AnswerError, carried, display, normalise, parse_date, parse_time, typed_form
from courtpath.interview.definition import YES, default_interview
from courtpath.interview.facts import check, to_facts
from courtpath.interview.navigation import next_step, progress
from courtpath.law.moments import MOSCOW, parse_typed_day
from courtpath.law.problems import FactsError

NOW = dt.datetime(2026, 12, 7, 12, 0, tzinfo=MOSCOW)
INTERVIEW = default_interview()
DAYS = st.dates(min_value=dt.date(2000, 1, 1), max_value=NOW.date())


# -- dates as text ----------------------------------------------------------------------------------------------
@given(DAYS)
def test_a_day_typed_with_dots_or_as_eight_digits_round_trips(day: dt.date) -> None:
    dotted, digits = day.strftime("%d.%m.%Y"), day.strftime("%d%m%Y")
    for typed in (dotted, digits, f" {dotted} "):
        assert parse_date(typed, NOW) == day
        assert normalise(INTERVIEW.step("left"), (typed, ""), INTERVIEW, NOW) == f"{day.isoformat()}T00:00"
    answer = normalise(INTERVIEW.step("left"), (digits, "08:30"), INTERVIEW, NOW)
    assert typed_form(INTERVIEW.step("left"), answer) == (dotted, "08:30")  # shown again as the hint asks
    assert display(INTERVIEW.step("left"), answer, INTERVIEW, "en") == f"{dotted} 08:30"


@given(DAYS)
def test_every_accepted_form_is_read_day_first(day: dt.date) -> None:
    d, m, y = day.day, day.month, day.year
    forms = [f"{d}.{m}.{y}", f"{d:02d}.{m:02d}.{y}", f"{d:02d}{m:02d}{y}", f"{d},{m},{y}", day.isoformat()]
    assert {parse_typed_day(text) for text in forms} == {day}


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("05112026", dt.date(2026, 11, 5)),  # the walk's 5 November, which a browser widget stored as 11 May
        ("05.11.2026", dt.date(2026, 11, 5)),
        ("5.11.2026", dt.date(2026, 11, 5)),
        ("05,11,2026", dt.date(2026, 11, 5)),
        ("2026-11-05", dt.date(2026, 11, 5)),
    ],
)
def test_typed_days(typed: str, expected: dt.date) -> None:
    assert parse_typed_day(typed) == expected


@pytest.mark.parametrize(
    ("typed", "code"),
    [
        ("31.02.2026", "moment_value"),  # no such day
        ("05/11/2026", "day_format"),  # 5 November or 11 May, as the reader's country has it: never guessed
        ("05-11-2026", "day_format"),
        ("20261105", "moment_value"),  # year first as eight digits: read day first, day 20 month 26
        ("1234567890123", "day_format"),  # 13 digits
        ("05.11/2026", "day_format"),  # two different separators
        ("05.11.26", "day_format"),  # a two-digit year
        ("", "day_format"),
    ],
)
def test_what_cannot_be_a_day_is_refused_naming_the_text(typed: str, code: str) -> None:
    with pytest.raises(FactsError) as error:
        parse_typed_day(typed)
    assert error.value.code == code
    if typed:
        assert error.value.params["text"] == typed


@pytest.mark.parametrize(
    ("typed", "code"),
    [
        ("31.02.2026", "moment_value"),
        ("1234567890123", "day_format"),
        ("08.12.2026", "date_in_future"),  # tomorrow, for the start of an absence
        ("01.01.3026", "date_in_future"),
        ("31.12.1999", "date_too_early"),
        ("01.01.1850", "date_too_early"),
    ],
)
def test_the_interview_names_what_was_typed_in_the_pages_language(typed: str, code: str) -> None:
    with pytest.raises(AnswerError) as error:
        normalise(INTERVIEW.step("left"), (typed, ""), INTERVIEW, NOW)
    assert error.value.code == code
    ru, en = error.value.render(INTERVIEW, "ru"), error.value.render(INTERVIEW, "en")
    assert f"«{typed}»" in ru and f"“{typed}”" in en
    assert not re.search(r"[A-Za-z]", ru), ru  # no English word in the Russian message


@pytest.mark.parametrize(("typed", "expected"), [("08:30", (8, 30)), ("8.30", (8, 30)), ("08,30", (8, 30)),
                                                 ("2015", (20, 15)), ("", (0, 0))])  # fmt: skip
def test_a_time_typed_on_a_phone_keypad(typed: str, expected: tuple[int, int]) -> None:
    assert parse_time(typed) == dt.time(*expected)


@pytest.mark.parametrize("typed", ["24:00", "8", "08:3", "noon", "12345"])
def test_a_time_that_is_no_time(typed: str) -> None:
    with pytest.raises(AnswerError) as error:
        parse_time(typed)
    assert error.value.code == "time_invalid"


# -- messages of the facts, in the interview's words --------------------------------------------------------------
BASE = {"status": "contract", "absence_kind": "left-unit", "left": "2026-12-01T08:00"}


@pytest.mark.parametrize(
    ("answers", "step", "code"),
    [
        ({**BASE, "still_absent": "no", "returned": "2026-11-20T08:00"}, "returned", "end_before_start"),
        ({**BASE, "left": "2026-12-07T20:00"}, "left", "as_of_before_start"),  # later today
        ({**BASE, "still_absent": "no", "returned": "2026-12-07T20:00"}, "returned", "as_of_before_end"),
    ],
)
def test_problems_of_the_facts_are_told_without_the_words_of_other_doors(answers, step: str, code: str) -> None:
    problem = check(INTERVIEW, answers, NOW)
    assert problem is not None and problem.step == step and problem.error.code == code
    ru, en = problem.error.render(INTERVIEW, "ru"), problem.error.render(INTERVIEW, "en")
    assert ru == INTERVIEW.messages[code].format("ru", **_rendered(problem.error.params, "ru"))
    for text in (ru, en):
        assert "--" not in text and "as-of" not in text and "assessment" not in text and "оценк" not in text
    assert not re.search(r"[A-Za-z]{2,}", ru.replace("МСК", "")), ru


def _rendered(params: dict[str, object], lang: str) -> dict[str, str]:
    from courtpath.i18n import render_value

    return {k: render_value(v, lang) for k, v in params.items()}


# -- questions asked positively -----------------------------------------------------------------------------------
NEGATION_RU = re.compile(r"(?<![а-яё])(не|ни|нет)(?![а-яё])", re.IGNORECASE)
NEGATION_EN = re.compile(r"\b(not|never|no|none)\b|n't\b", re.IGNORECASE)


def test_no_yes_no_question_is_asked_in_the_negative() -> None:
    yes_no = [s for s in INTERVIEW.steps if s.kind == "yes-no"]
    assert len(yes_no) >= 6
    for step in yes_no:
        assert not NEGATION_RU.search(step.question.ru), f"{step.id}: {step.question.ru}"
        assert not NEGATION_EN.search(step.question.en), f"{step.id}: {step.question.en}"


def test_the_negation_check_catches_the_old_questions() -> None:
    assert NEGATION_RU.search("Он до сих пор не вернулся на службу?")
    assert NEGATION_RU.search("Он раньше не был судим — это впервые?")
    assert NEGATION_EN.search("Is this the first time — has he never been convicted before?")


@pytest.mark.parametrize(("value", "returned", "first"), [("yes", None, True), ("no", "2026-12-03T08:00", False)])
def test_old_answers_carried_in_a_form_still_mean_the_same_facts(value: str, returned: str | None, first: bool) -> None:
    """The reworded questions keep their ids and values: "yes" to "still absent?" and to "first time?" mean what
    they meant, so a result or a PDF form made before the change reads the same."""
    hidden = {**BASE, "still_absent": value, "indicators": "none", "first_offence": "yes" if first else "no",
              "grave_circumstances": "no", "released_80_2": "no"}  # fmt: skip
    if returned:
        hidden |= {"returned": returned, "surrendered": "yes"}
    facts = to_facts(INTERVIEW, carried(INTERVIEW, hidden), NOW)
    assert (facts.returned is None) == (value == YES)
    assert facts.first_offence is first


# -- progress -----------------------------------------------------------------------------------------------------
BRANCHES = {
    "status": ["conscript", "contract", "mobilized", "reservist", "dmu"],
    "still_absent": ["yes", "no"],
    "indicators": ["none", "job"],
}
FILLER = {
    "absence_kind": "leave",
    "left": "2026-11-01T08:00",
    "returned": "2026-11-20T08:00",
    "surrendered": "yes",
    "weapon": "no",
    "group": "no",
    "first_offence": "yes",
    "grave_circumstances": "no",
    "released_80_2": "no",
}


@pytest.mark.parametrize("choice", list(itertools.product(*BRANCHES.values())))
def test_progress_never_jumps(choice: tuple[str, ...]) -> None:
    """On every path: "question k" goes 1, 2, 3… and "at most n" is the same number on every page."""
    full = {**FILLER, **dict(zip(BRANCHES, choice, strict=True))}
    answers: dict[str, str] = {}
    seen: list[tuple[int, int]] = []
    current = None
    while (step := next_step(INTERVIEW, answers, current)) is not None:
        seen.append(progress(INTERVIEW, answers, step.id))
        answers[step.id] = full[step.id]
        current = step.id
    assert [k for k, _ in seen] == list(range(1, len(seen) + 1))
    assert {n for _, n in seen} == {len(INTERVIEW.steps)}
    assert 7 <= len(seen) <= len(INTERVIEW.steps)
