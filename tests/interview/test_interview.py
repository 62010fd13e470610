"""The interview library: definition loader, answer validation, navigation, answers to facts, explanation."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from courtpath.interview.answers import AnswerError, carried, display, normalise
from courtpath.interview.citations import public_citation
from courtpath.interview.definition import InterviewError, default_interview, default_path, load_interview
from courtpath.interview.explain import duration_text, explain, moment_text
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
    first = explanation.short[0]
    assert public_citation(primary.citations[0], lang) in first
    assert primary.title.get(lang) in first
    assert duration_text(primary.penalties[-1].max_months, lang) in first
    assert duration_text(int(primary.cap_months), lang) in first
    assert public_citation(primary.citations[0], lang) in explanation.block("qualification").citations
    # desertion is said once, in its own section, with the engine's art. 338 part and its range in years
    desertion = next(q for q in assessment.qualifications if q.kind == "desertion")
    label = public_citation(desertion.citations[0], lang)
    assert not any(label in line for line in explanation.short)
    said = [b.id for b in explanation.blocks if any(label in p.text for p in b.paragraphs)]
    assert said == ["intent_to_desert"]
    dates = explanation.block("key_dates")
    assert dates is not None and len(dates.paragraphs) == len(assessment.key_dates)
    for paragraph, key_date in zip(dates.paragraphs, assessment.key_dates, strict=True):
        assert moment_text(key_date.at, lang) in paragraph.text
    uncertain = explanation.block("uncertain")
    assert uncertain is not None and uncertain.paragraphs[0].text == INTERVIEW.text("uncertain_intro", lang)
    assert explanation.block("real_or_suspended") is not None  # mobilized: the flag is raised
    assert explanation.block("case_suspension") is not None
    assert explanation.block("lawful_path") is not None
    assert [line.step for line in explanation.answers] == list(CLOSED_WITH_JOB)


# What a family must never read: research notes, file references, the engine's jargon, months beside years.
FORBIDDEN = (
    "docs/law",
    ".md",
    "open_question",
    "q_",
    "law.md",
    "Пленума не получен",
    "не подтвержд",
    "отрицательный результат",
    "Программа ",
    "Движок",
    "движок",
    "диапазон",
    "мес.)",
    "(ред.",
    "УК РФ ст.",
    "ещё впереди)",
    "вступивший в силу",
    "вступлении в силу",
    "not confirmed",
    "The program",
    "higher band",
    "as amended",
)


@pytest.mark.parametrize("lang", ["ru", "en"])
@pytest.mark.parametrize("answers", [OPEN, CLOSED_WITH_JOB], ids=["open", "closed"])
def test_no_research_or_internal_wording_reaches_the_family(lang: str, answers: dict[str, str]) -> None:
    _, explanation = outcome(INTERVIEW, answers, NOW, lang)
    text = explanation.text().replace(explanation.versions, "")
    for phrase in FORBIDDEN:
        assert phrase not in text, phrase


def test_citations_are_written_the_russian_way() -> None:
    _, explanation = outcome(INTERVIEW, CLOSED_WITH_JOB, NOW, "ru")
    cited = "; ".join(c for b in explanation.blocks for c in b.citations)
    nb = "\u00a0"
    assert f"ч.{nb}3.1 ст.{nb}337 УК{nb}РФ" in cited
    assert f"п.{nb}«б» ч.{nb}1 ст.{nb}58 УК{nb}РФ" in cited
    assert f"п.{nb}3.1 ч.{nb}1 ст.{nb}208 УПК{nb}РФ" in cited
    assert f"подп.{nb}«е» п.{nb}1 ст.{nb}51 Федерального закона «О воинской обязанности и военной службе»" in cited
    assert "ред." not in cited and "УК РФ ст." not in cited


def test_the_result_opens_with_what_to_do_now() -> None:
    """An ongoing absence: the next boundary is the deadline, in plain words and Moscow time; 3 to 5 lines."""
    assessment, explanation = outcome(INTERVIEW, OPEN, NOW, "ru")
    upcoming = [k for k in assessment.key_dates if k.at > NOW]
    assert upcoming
    first = min(upcoming, key=lambda k: k.at)
    assert moment_text(first.at, "ru") in explanation.now[0]
    assert explanation.now[0].startswith("Чтобы отсутствие не")
    assert 3 <= len(explanation.now) + 1 <= 5  # + who can help
    assert any("адвокат" in line for line in explanation.now)


def test_an_ended_absence_has_no_deadline_and_no_warning_after_the_return() -> None:
    """The walk's case: back on 30.11, viewed on 07.12; the one-month boundary of 20.12 is not a warning."""
    answers = {**CLOSED_WITH_JOB, "left": "2026-11-20T00:00", "returned": "2026-11-30T00:00", "indicators": "none"}
    for step in ("weapon", "group"):
        answers.pop(step)
    now = dt.datetime(2026, 12, 7, 12, 0, tzinfo=MOSCOW)
    assessment, explanation = outcome(INTERVIEW, answers, now, "ru")
    later = [k for k in assessment.key_dates if k.code != "limitation_expires" and k.at >= assessment.facts.end]
    assert later, "the fixture must have a boundary after the return"
    dates = explanation.block("key_dates")
    for key_date in later:
        [line] = [p.text for p in dates.paragraphs if moment_text(key_date.at, "ru") in p.text]
        assert line.startswith("Не наступила") and "30.11.2026" in line
        assert "строже" not in line and "строгую" not in line
    assert "Ещё впереди" not in " ".join(p.text for p in dates.paragraphs if "давност" not in p.text)
    assert explanation.now[0].startswith("Отсутствие закончилось 30.11.2026")
    assert not any("до " + moment_text(k.at, "ru") in line for k in later for line in explanation.now)


def test_past_dates_read_passed() -> None:
    _, explanation = outcome(INTERVIEW, CLOSED_WITH_JOB, NOW, "ru")
    dates = [p.text for p in explanation.block("key_dates").paragraphs]
    assert dates[0].startswith("Прошла 03.06.2025")


def test_the_desertion_range_is_shown_only_when_something_points_to_it() -> None:
    """Review §A.9: without an indicator the section explains what the investigators must prove, without the range
    of art. 338; with one, the range is given, in years."""
    _, plain = outcome(INTERVIEW, OPEN, NOW, "en")
    block = plain.block("intent_to_desert")
    assert block is not None and len(block.paragraphs) == 1 and "art. 252" in block.paragraphs[0].text
    _, seen = outcome(INTERVIEW, CLOSED_WITH_JOB, NOW, "ru")
    text = " ".join(p.text for p in seen.block("intent_to_desert").paragraphs)
    assert "от 5 до 15\u00a0лет" in text and "месяц" not in text and "мес." not in text


def test_sections_tied_to_a_flag_appear_only_with_it() -> None:
    conscript = {**OPEN, "status": "conscript", "left": "2021-01-01T08:00", "still_absent": "no"}
    conscript |= {"returned": "2021-01-20T08:00", "surrendered": "yes"}
    conscript.pop("released_80_2")
    assessment = assess(to_facts(INTERVIEW, conscript, NOW))
    assert "case_suspension_for_service" not in assessment.flag_codes()
    explanation = explain(INTERVIEW, assessment, conscript, "en")
    assert explanation.block("case_suspension") is None
    assert explanation.block("real_or_suspended") is None  # discharge rules of contract and mobilized servicemen


def test_no_crime_below_the_threshold() -> None:
    answers = {**OPEN, "still_absent": "no", "returned": "2026-11-21T08:00", "surrendered": "yes"}
    assessment, explanation = outcome(INTERVIEW, answers, NOW, "en")
    assert not assessment.qualifications
    assert explanation.short[0] == INTERVIEW.text("no_qualification", "en")
    assert "no_criminal_liability" in assessment.flag_codes()


@pytest.mark.parametrize(
    ("months", "ru", "en"),
    [
        (1, "1\u00a0месяца", "1 month"),
        (12, "1\u00a0года", "1 year"),
        (30, "2\u00a0лет 6\u00a0месяцев", "2 years 6 months"),
        (84, "7\u00a0лет", "7 years"),
        (252, "21\u00a0года", "21 years"),
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
    assert explanation.short and 3 <= len(explanation.now) + 1 <= 5
    assert explanation.block("lawful_path") is not None
    assert assessment.facts.status.value == answers["status"]


def test_the_result_says_plainly_when_no_real_prison_term_is_possible() -> None:
    """Art. 56 part 1 (issue 12): a first crime of small gravity without aggravating circumstances. The family reads
    that a real term is not possible, and the penalties listed are only those the court may impose."""
    from _support import build_facts
    from courtpath.interview.definition import default_interview
    from courtpath.interview.explain import qualification_lines
    from courtpath.law.engine import assess

    facts = build_facts({"status": "contract", "left": "2021-03-01T08:00", "returned": "2021-03-20T08:00"})
    [line] = qualification_lines(default_interview(), assess(facts), "ru")
    assert "Реальное лишение свободы ему назначить нельзя" in line
    assert "ч.\u00a01 ст.\u00a056 УК\u00a0РФ" in line
    assert "лишение свободы от" not in line  # not offered among the penalties


@pytest.mark.parametrize("answers", [OPEN, CLOSED_WITH_JOB], ids=["open", "closed"])
def test_russian_typography_keeps_numbers_with_their_words(answers: dict[str, str]) -> None:
    """Review §C.5: a non-breaking space after «ст.», «ч.», «п.», «№» and before «лет», «МСК», «суток»."""
    import re

    _, explanation = outcome(INTERVIEW, answers, NOW, "ru")
    texts = [*explanation.now, *explanation.short, *(p.text for b in explanation.blocks for p in b.paragraphs)]
    texts += [c for b in explanation.blocks for c in b.citations]
    joined = "\n".join(texts)
    assert "\u00a0" in joined
    assert not re.search(r"(?<![\w.])(ст\.|ч\.|п\.|№) \d", joined), re.search(r".{20}(ст\.|ч\.|п\.|№) \d.{5}", joined)
    assert not re.search(r"\d (лет|года|МСК|суток)", joined), re.search(r".{20}\d (лет|года|МСК|суток).{5}", joined)


def test_a_part_number_the_law_data_has_not_confirmed_is_said_once_in_plain_words() -> None:
    """Review §B: «[номер части не подтверждён]» appeared twice in one line, in research wording."""
    import dataclasses

    from courtpath.interview.explain import article_text

    assessment, _ = outcome(INTERVIEW, CLOSED_WITH_JOB, NOW, "ru")
    primary = assessment.primary
    doubtful = dataclasses.replace(primary.citations[0], numbering_confirmed=False)
    text = article_text(INTERVIEW, dataclasses.replace(primary, citations=(doubtful,)), "ru")
    assert text == "ч.\u00a03.1 ст.\u00a0337 УК\u00a0РФ (номер части может уточниться)"
    assert article_text(INTERVIEW, primary, "ru") == "ч.\u00a03.1 ст.\u00a0337 УК\u00a0РФ"
