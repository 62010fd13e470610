"""The interview library: definition loader, answer validation, navigation, answers to facts, explanation."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from courtpath.interview.answers import AnswerError, carried, display, normalise
from courtpath.interview.definition import InterviewError, default_interview, default_path, load_interview
from courtpath.interview.explain import duration_text, explain
from courtpath.interview.facts import FactsProblem, check, to_facts
from courtpath.interview.navigation import next_step, previous_step, progress, relevant_answers, visible_steps
from courtpath.interview.result import outcome
from courtpath.law.engine import assess
from courtpath.law.facts import MOSCOW, Indicator, Status
from courtpath.law.loader import default_lawbook

NOW = dt.datetime(2026, 11, 25, 12, 0, tzinfo=MOSCOW)
INTERVIEW = default_interview()
OPEN = {
    "status": "contract",
    "absence_kind": "leave",
    "left": "2026-11-20T08:00",
    "still_absent": "yes",
    "indicators": "none",
    "first_offence": "yes",
    "grave_circumstances": "no",
    "released_80_2": "no",
}
CLOSED_WITH_JOB = {
    "status": "mobilized",
    "absence_kind": "left-unit",
    "left": "2025-06-01T08:00",
    "still_absent": "no",
    "returned": "2025-06-20T10:00",
    "surrendered": "yes",
    "indicators": "job",
    "weapon": "no",
    "group": "no",
    "first_offence": "yes",
    "grave_circumstances": "no",
    "released_80_2": "no",
}


# -- the definition ---------------------------------------------------------------------------------------------
def _broken(tmp_path: Path, change) -> Path:
    document = yaml.safe_load(default_path().read_text(encoding="utf-8"))
    change(document)
    path = tmp_path / "interview.yaml"
    path.write_text(yaml.safe_dump(document, allow_unicode=True), encoding="utf-8")
    return path


def test_the_shipped_definition_loads_and_feeds_the_engine() -> None:
    fed = {s.feeds for s in INTERVIEW.steps if s.feeds}
    assert {"status", "left", "returned", "indicators", "surrendered"} <= fed
    status = INTERVIEW.step("status")
    assert set(status.values()) == {s.value for s in Status}


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (lambda d: d["steps"][0].update(kind="dropdown"), "field steps.0.kind"),
        (lambda d: d["steps"][0]["options"][0].update(value="general"), "not values of Facts.status"),
        (lambda d: d["steps"][0].update(feeds="rank"), "not a Facts field"),
        (lambda d: d["steps"][0]["question"].pop("en"), "field steps.0.question.en: Field required"),
        (
            lambda d: d["steps"][4]["when"][0].update(step="returned"),
            "steps.4.when.0.step: 'returned' is not an earlier",
        ),
        (lambda d: d["steps"][4]["when"][0].update({"in": ["maybe"]}), "are not answers of step 'still_absent'"),
        (lambda d: d["texts"]["step_of"].update(en="Question {k}"), "different placeholders"),
        (lambda d: d["texts"].pop("disclaimer"), "texts: missing disclaimer"),
        (lambda d: d["steps"][2].update(feeds=None), "no step feeds Facts.left"),
        (lambda d: d["explanation"][0].update(law_rule="colony"), "law_rule 'colony'"),
        (lambda d: d["steps"][1].update(id="status"), "'status' is used twice"),
    ],
)
def test_a_broken_definition_is_refused_naming_file_and_field(tmp_path: Path, change, expected: str) -> None:
    path = _broken(tmp_path, change)
    with pytest.raises(InterviewError) as error:
        load_interview(path)
    assert str(error.value).startswith(f"{path}: ")
    assert expected in str(error.value)


def test_not_yaml_and_missing_file(tmp_path: Path) -> None:
    path = tmp_path / "bad.yaml"
    path.write_text("steps: [unclosed", encoding="utf-8")
    with pytest.raises(InterviewError, match="not valid YAML"):
        load_interview(path)
    with pytest.raises(InterviewError, match="cannot read the file"):
        load_interview(tmp_path / "missing.yaml")


# -- answers ----------------------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        (("2025-06-01", "08:00"), "2025-06-01T08:00"),
        (("01.06.2025", "8:05"), "2025-06-01T08:05"),
        (("1.6.2025", ""), "2025-06-01T00:00"),
        ("2025-06-01T08:00", "2025-06-01T08:00"),
        ("01.06.2025 08.30", "2025-06-01T08:30"),
    ],
)
def test_datetime_answers_are_normalised(raw, expected: str) -> None:
    assert normalise(INTERVIEW.step("left"), raw, INTERVIEW, NOW) == expected


@pytest.mark.parametrize(
    ("step", "raw", "code"),
    [
        ("left", ("", ""), "date_required"),
        ("left", ("31.02.2025", ""), "moment_value"),
        ("left", ("yesterday", ""), "day_format"),
        ("left", ("2025/06/01", ""), "day_format"),  # year first with slashes: not read at all
        ("left", ("1234567890123", ""), "day_format"),
        ("left", ("1.6.1899", ""), "date_too_early"),
        ("left", ("31.12.1999", ""), "date_too_early"),
        ("left", ("1.6.2100", ""), "date_in_future"),
        ("left", ("2025-06-01", "25:00"), "time_invalid"),
        ("left", ("2025-06-01", "noon"), "time_invalid"),
        ("left", ("2027-01-01", ""), "date_in_future"),
        ("left", ("26.11.2026", ""), "date_in_future"),  # tomorrow
        ("status", "general", "choose_one"),
        ("status", "", "choose_one"),
        ("still_absent", "maybe", "choose_one"),
        ("indicators", [], "choose_some"),
        ("indicators", ["job", "teleport"], "choose_some"),
        ("indicators", ["job", "none"], "exclusive_combined"),
    ],
)
def test_bad_answers_get_a_message_in_both_languages(step: str, raw, code: str) -> None:
    with pytest.raises(AnswerError) as error:
        normalise(INTERVIEW.step(step), raw, INTERVIEW, NOW)
    assert error.value.code == code
    ru, en = error.value.render(INTERVIEW, "ru"), error.value.render(INTERVIEW, "en")
    assert ru and en and ru != en
    assert "{" not in ru + en


def test_the_exclusive_option_is_named_in_the_persons_language() -> None:
    with pytest.raises(AnswerError) as error:
        normalise(INTERVIEW.step("indicators"), ["none", "border"], INTERVIEW, NOW)
    assert "«Ничего из этого»" in error.value.render(INTERVIEW, "ru")
    assert "“None of these”" in error.value.render(INTERVIEW, "en")


def test_multi_choice_keeps_the_order_of_the_options() -> None:
    assert normalise(INTERVIEW.step("indicators"), ["other", "job"], INTERVIEW, NOW) == "job,other"


def test_tampered_carried_answers_are_dropped() -> None:
    raw = {
        "status": "general",
        "left": "2025-06-01T08:00<script>",
        "indicators": "none,job",
        "absence_kind": "leave",
        "nonsense": "x",
        "returned": "2025-02-30T08:00",
    }
    assert carried(INTERVIEW, raw) == {"absence_kind": "leave"}


def test_answers_are_displayed_in_the_persons_language() -> None:
    assert display(INTERVIEW.step("left"), "2025-06-01T08:00", INTERVIEW, "ru") == "01.06.2025 08:00"
    assert display(INTERVIEW.step("still_absent"), "yes", INTERVIEW, "en") == "Yes"
    assert display(INTERVIEW.step("indicators"), "job,border", INTERVIEW, "en") == (
        "He took a job; He crossed the state border"
    )


# -- navigation -------------------------------------------------------------------------------------------------
def _ids(steps) -> list[str]:
    return [s.id for s in steps]


def test_conditions_decide_which_questions_apply() -> None:
    assert _ids(visible_steps(INTERVIEW, OPEN)) == list(OPEN)
    closed = _ids(visible_steps(INTERVIEW, CLOSED_WITH_JOB))
    assert closed == list(CLOSED_WITH_JOB)
    conscript = {**CLOSED_WITH_JOB, "status": "conscript", "indicators": "none"}
    assert "released_80_2" not in _ids(visible_steps(INTERVIEW, conscript))
    assert "weapon" not in _ids(visible_steps(INTERVIEW, conscript))


def test_forward_and_back_walk_the_steps_that_apply() -> None:
    answers: dict[str, str] = {}
    assert next_step(INTERVIEW, answers, None).id == "status"
    answers["status"] = "contract"
    assert next_step(INTERVIEW, answers, "status").id == "absence_kind"
    walked = ["status"]
    answers = dict(OPEN)
    current = "status"
    while (step := next_step(INTERVIEW, answers, current)) is not None:
        walked.append(step.id)
        current = step.id
    assert walked == list(OPEN)
    assert previous_step(INTERVIEW, answers, "indicators").id == "still_absent"  # returned, surrendered skipped
    assert previous_step(INTERVIEW, answers, "status") is None
    assert previous_step(INTERVIEW, answers, None).id == "released_80_2"  # from the result: the last question


def test_after_a_change_from_the_result_next_goes_to_the_first_open_question() -> None:
    answers = {**OPEN, "still_absent": "no"}  # now returned and surrendered apply and are open
    assert next_step(INTERVIEW, answers, "still_absent", review=True).id == "returned"
    assert next_step(INTERVIEW, dict(OPEN), "status", review=True) is None  # nothing open: the result
    assert next_step(INTERVIEW, dict(OPEN), "status").id == "absence_kind"  # without review: the next one


def test_an_open_question_before_the_current_one_is_asked_first() -> None:
    answers = {k: v for k, v in OPEN.items() if k != "absence_kind"}
    assert next_step(INTERVIEW, answers, "indicators").id == "absence_kind"


def test_answers_to_questions_that_no_longer_apply_are_kept_but_count_for_nothing() -> None:
    answers = {**CLOSED_WITH_JOB, "still_absent": "yes"}
    assert "returned" not in relevant_answers(INTERVIEW, answers)
    assert answers["returned"] == "2025-06-20T10:00"
    facts = to_facts(INTERVIEW, answers, NOW)
    assert facts.returned is None and facts.surrendered is False


def test_progress_counts_the_place_on_the_path_out_of_a_fixed_most() -> None:
    most = len(INTERVIEW.steps)  # every step can apply on some path
    assert progress(INTERVIEW, {}, "status") == (1, most)
    assert progress(INTERVIEW, OPEN, "indicators") == (5, most)  # "returned" and "surrendered" ruled out
    assert progress(INTERVIEW, CLOSED_WITH_JOB, "surrendered") == (6, most)


# -- answers to facts -------------------------------------------------------------------------------------------
def test_answers_become_facts() -> None:
    facts = to_facts(INTERVIEW, CLOSED_WITH_JOB, NOW)
    assert facts.status is Status.MOBILIZED
    assert facts.left == dt.datetime(2025, 6, 1, 8, 0, tzinfo=MOSCOW)
    assert facts.returned == dt.datetime(2025, 6, 20, 10, 0, tzinfo=MOSCOW)
    assert facts.indicators == frozenset({Indicator.JOB})
    assert facts.surrendered and facts.first_offence and not facts.weapon
    assert to_facts(INTERVIEW, OPEN, NOW).indicators == frozenset()  # "none of these" feeds nothing


def test_an_end_before_the_start_is_put_at_the_end_question() -> None:
    answers = {**CLOSED_WITH_JOB, "returned": "2025-05-01T08:00"}
    problem = check(INTERVIEW, answers, NOW)
    assert problem is not None and problem.step == "returned"
    assert "01.06.2025 08:00 МСК" in problem.error.render(INTERVIEW, "ru")
    with pytest.raises(FactsProblem):
        to_facts(INTERVIEW, answers, NOW)


def test_mobilized_before_mobilization_names_the_date_from_the_law_data() -> None:
    answers = {**CLOSED_WITH_JOB, "left": "2021-06-01T08:00", "returned": "2021-06-20T10:00"}
    problem = check(INTERVIEW, answers, NOW)
    assert problem is not None and problem.step == "left"
    start = default_lawbook().general.mobilized_status.valid_from
    assert f"{start:%d.%m.%Y}" in problem.error.render(INTERVIEW, "ru")
    assert f"{start:%Y-%m-%d}" in problem.error.render(INTERVIEW, "en")


def test_other_facts_errors_come_from_the_intake_in_its_words() -> None:
    answers = {**OPEN, "left": "1990-01-01T08:00"}
    problem = check(INTERVIEW, answers, NOW)
    assert problem is not None and problem.step == "left" and problem.error.code == "before_code"
    assert "1997" in problem.error.render(INTERVIEW, "en")
    assert problem.error.render(INTERVIEW, "ru").startswith("Оценка возможна только по Уголовному кодексу")


# -- the explanation --------------------------------------------------------------------------------------------
@pytest.mark.parametrize("lang", ["ru", "en"])
def test_the_explanation_takes_its_law_from_the_assessment(lang: str) -> None:
    assessment, explanation = outcome(INTERVIEW, CLOSED_WITH_JOB, NOW, lang)
    primary = assessment.primary
    assert primary is not None
    qualification = explanation.block("qualification")
    assert qualification is not None
    first = qualification.paragraphs[0]
    assert primary.citations[0].label(lang) in first.text
    assert primary.title.get(lang) in first.text
    assert duration_text(primary.penalties[-1].max_months, lang) in first.text
    assert duration_text(int(primary.cap_months), lang) in first.text
    assert primary.citations[0].label(lang) in first.citations
    desertion = next(q for q in assessment.qualifications if q.kind == "desertion")
    assert any(desertion.citations[0].label(lang) in p.text for p in qualification.paragraphs)
    dates = explanation.block("key_dates")
    assert dates is not None and len(dates.paragraphs) == len(assessment.key_dates)
    for paragraph, key_date in zip(dates.paragraphs, assessment.key_dates, strict=True):
        assert key_date.message.render(lang) in paragraph.text
    warnings = explanation.block("warnings")
    assert warnings is not None
    assert any(p.emphasis for p in warnings.paragraphs)  # desertion_risk is a risk
    uncertain = explanation.block("uncertain")
    open_questions = [f for f in assessment.flags if f.severity == "open_question"]
    assert uncertain is not None and len(uncertain.paragraphs) == 1 + len(open_questions)
    discharge = default_lawbook().general.discharge_on_sentence.rule.summary.get(lang)
    assert any(p.text == discharge for p in explanation.block("real_or_suspended").paragraphs)
    assert explanation.block("case_suspension") is not None  # mobilized: the flag is raised
    assert explanation.block("lawful_path") is not None
    assert [line.step for line in explanation.answers] == list(CLOSED_WITH_JOB)


@pytest.mark.parametrize("lang", ["ru", "en"])
def test_open_questions_reach_the_public_result_in_plain_words(lang: str) -> None:
    """The engine's flag cites the lawyers' notes (docs/law/open-questions.md#<id>); a family cannot open those, so
    the public result shows the question's text alone, with no file, anchor or code."""
    assessment, explanation = outcome(INTERVIEW, CLOSED_WITH_JOB, NOW, lang)
    flagged = [f for f in assessment.flags if f.severity == "open_question"]
    assert flagged and all("docs/law/open-questions.md#" in f.message.render(lang) for f in flagged)
    uncertain = explanation.block("uncertain")
    assert uncertain is not None
    questions = default_lawbook().questions
    expected = [questions[f.code.removeprefix("open_question:")].get(lang) for f in flagged]
    assert [p.text for p in uncertain.paragraphs[1:]] == expected
    text = explanation.text()
    for internal in ("docs/law", ".md", "open_question", "q_", "law.md"):
        assert internal not in text, internal


def test_the_explanation_is_in_the_persons_language() -> None:
    _, ru = outcome(INTERVIEW, OPEN, NOW, "ru")
    _, en = outcome(INTERVIEW, OPEN, NOW, "en")
    assert ru.title != en.title
    assert "Ending the absence by" in en.text() and "Если прекратить отсутствие до" in ru.text()
    assert "Ending the absence by" not in ru.text()


def test_without_an_indicator_the_desertion_range_is_still_explained() -> None:
    assessment, explanation = outcome(INTERVIEW, OPEN, NOW, "en")
    assert not any(q.kind == "desertion" for q in assessment.qualifications)
    block = explanation.block("intent_to_desert")
    assert block is not None and any("art. 338" in p.text for p in block.paragraphs)


def test_sections_tied_to_a_flag_appear_only_with_it() -> None:
    conscript = {**OPEN, "status": "conscript", "left": "2021-01-01T08:00", "still_absent": "no"}
    conscript |= {"returned": "2021-01-20T08:00", "surrendered": "yes"}
    conscript.pop("released_80_2")
    assessment = assess(to_facts(INTERVIEW, conscript, NOW))
    assert "case_suspension_for_service" not in assessment.flag_codes()
    assert explain(INTERVIEW, assessment, conscript, "en").block("case_suspension") is None


def test_no_crime_below_the_threshold() -> None:
    answers = {**OPEN, "still_absent": "no", "returned": "2026-11-21T08:00", "surrendered": "yes"}
    assessment, explanation = outcome(INTERVIEW, answers, NOW, "en")
    assert not assessment.qualifications
    assert explanation.block("qualification").paragraphs[0].text == INTERVIEW.text("no_qualification", "en")
    assert "no_criminal_liability" in assessment.flag_codes()


@pytest.mark.parametrize(
    ("months", "ru", "en"),
    [
        (1, "1 месяца", "1 month"),
        (12, "1 года", "1 year"),
        (30, "2 лет 6 месяцев", "2 years 6 months"),
        (84, "7 лет", "7 years"),
        (252, "21 года", "21 years"),
    ],
)
def test_duration_text(months: int, ru: str, en: str) -> None:
    assert duration_text(months, "ru") == ru
    assert duration_text(months, "en") == en


# -- any valid answers give a result, never a crash ------------------------------------------------------------
def _answer_for(step, draw_value):
    if step.kind in ("choice", "yes-no"):
        return st.sampled_from(step.values())
    if step.kind == "multi-choice":
        plain = [o.value for o in step.options if not o.exclusive]
        exclusive = [o.value for o in step.options if o.exclusive]
        chosen = st.lists(st.sampled_from(plain), min_size=1, unique=True)
        return st.one_of(chosen, st.just(exclusive)) if exclusive else chosen
    return draw_value


@st.composite
def answer_sets(draw) -> dict[str, str]:
    answers: dict[str, str] = {}
    moments = st.datetimes(min_value=dt.datetime(1997, 1, 1), max_value=dt.datetime(2026, 11, 24, 23, 59))
    while (step := next_step(INTERVIEW, answers, None)) is not None:
        raw = draw(_answer_for(step, moments))
        if isinstance(raw, dt.datetime):
            raw = (raw.strftime("%d.%m.%Y"), raw.strftime("%H:%M"))
        try:
            answers[step.id] = normalise(step, raw, INTERVIEW, NOW)
        except AnswerError:
            continue  # not reached: every drawn answer is valid
    return answers


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(answers=answer_sets(), lang=st.sampled_from(["ru", "en"]))
def test_any_valid_answers_give_a_result_or_a_question_to_fix(answers: dict[str, str], lang: str) -> None:
    try:
        assessment, explanation = outcome(INTERVIEW, answers, NOW, lang)
    except FactsProblem as problem:
        assert INTERVIEW.has_step(problem.step)
        assert problem.error.render(INTERVIEW, lang)
        return
    assert explanation.block("qualification") is not None
    assert explanation.block("lawful_path") is not None
    assert assessment.facts.status.value == answers["status"]


def test_the_result_says_plainly_when_no_real_prison_term_is_possible() -> None:
    """Art. 56 part 1 (issue 12): a first crime of small gravity without aggravating circumstances. The family reads
    that a real term is not possible, and the penalties listed are only those the court may impose."""
    from _support import build_facts
    from courtpath.interview.definition import default_interview
    from courtpath.interview.explain import qualification_paragraphs
    from courtpath.law.engine import assess

    facts = build_facts({"status": "contract", "left": "2021-03-01T08:00", "returned": "2021-03-20T08:00"})
    [paragraph] = qualification_paragraphs(default_interview(), assess(facts), "ru")
    assert "Реальное лишение свободы по этой части ему назначить нельзя" in paragraph.text
    assert "ч. 1 ст. 56 УК РФ" in paragraph.text
    assert "лишение свободы от" not in paragraph.text  # not offered among the penalties
