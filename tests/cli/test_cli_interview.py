"""`courtpath interview` driven end to end through its prompts: bad answers asked again, going back, the result."""

from __future__ import annotations

import datetime as dt

import pytest
from typer.testing import CliRunner

from courtpath.cli.main import app, run
from courtpath.interview.citations import public_citation
from courtpath.interview.definition import default_interview
from courtpath.interview.facts import to_facts
from courtpath.law.engine import assess
from courtpath.law.facts import MOSCOW

INTERVIEW = default_interview()


@pytest.fixture(autouse=True)
def wide_terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COLUMNS", "300")


def interview(lang: str, *lines: str) -> tuple[int, str]:
    result = CliRunner().invoke(app, ["interview", "--lang", lang], input="\n".join(lines) + "\n")
    return result.exit_code, result.output


def test_english_interview_with_bad_answers_and_going_back() -> None:
    code, out = interview(
        "en",
        "9",  # not an option
        "2",  # contract
        "<",  # back to the status question
        "3",  # mobilized after all
        "1",  # left the unit
        "31.02.2025",  # no such day
        "01.06.2025",
        "25:00",  # no such hour
        "01.06.2025",
        "08:00",
        "2",  # no longer absent
        "01.05.2025",  # before the start
        "10:00",
        "20.06.2025",
        "10:00",
        "1",  # surrendered
        "1,6",  # a job together with "none of these"
        "1",  # a job
        "2",
        "2",
        "1",
        "2",
        "2",
    )
    assert code == 0, out
    messages = INTERVIEW.messages
    assert messages["choose_one"].get("en") in out
    assert messages["moment_value"].format("en", text="31.02.2025") in out  # the interview's own words
    assert messages["time_invalid"].get("en") in out
    assert "The absence cannot end before it began (2025-06-01 08:00 MSK). Check both dates." in out
    assert "“None of these” cannot be ticked together with other answers." in out
    assert "Question 1. At most 12 questions in all." in out
    answers = {
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
    expected = assess(to_facts(INTERVIEW, answers, dt.datetime.now(tz=MOSCOW)))
    assert INTERVIEW.text("result_title", "en") in out
    for q in expected.qualifications:
        assert public_citation(q.citations[0], "en") in out
    assert "Your answers" in out and "Called up in the mobilization" in out and "He took a job" in out
    assert INTERVIEW.text("disclaimer", "en") in out


def test_russian_interview_for_an_absence_still_going_on() -> None:
    code, out = interview("ru", "2", "2", "20.11.2025", "", "1", "6", "1", "2", "2")
    assert code == 0, out
    assert "Вопрос 1. Всего вопросов — не\u00a0больше\u00a012." in out
    assert INTERVIEW.text("result_title", "ru") in out
    assert "ст.\u00a0337 УК\u00a0РФ" in out
    assert "Ничего из этого" in out
    assert "Question" not in out


def test_back_at_the_first_question_says_so() -> None:
    code, out = interview("en", "<", "1", "1", "01.01.2020", "", "1", "6", "1", "2")
    assert code == 0, out
    assert INTERVIEW.text("cli_first", "en") in out


def test_end_of_input_aborts_without_a_traceback(capsys: pytest.CaptureFixture[str], monkeypatch) -> None:
    import io

    monkeypatch.setattr("sys.stdin", io.StringIO("2\n"))
    code = run(["interview", "--lang", "en"])
    _, err = capsys.readouterr()
    assert code == 130
    assert err == "courtpath: aborted\n"
