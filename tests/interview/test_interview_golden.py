"""Golden tests: the interview's answers give the same assessment as `courtpath assess --json` for the same facts."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest
import yaml

from courtpath.cli.main import run
from courtpath.interview.definition import default_interview
from courtpath.interview.facts import to_facts
from courtpath.law.answer import answer_data
from courtpath.law.engine import assess
from courtpath.law.facts import MOSCOW

CASES = yaml.safe_load((Path(__file__).parent / "golden_interview" / "answers.yaml").read_text(encoding="utf-8"))


def _without_as_of(payload: dict[str, Any]) -> dict[str, Any]:
    facts = dict(payload["facts"])
    facts.pop("as_of")
    return {**payload, "facts": facts}


def test_the_golden_file_covers_every_question_and_answer_kind() -> None:
    interview = default_interview()
    answered = {step for case in CASES for step in case["answers"]}
    assert answered == {s.id for s in interview.steps}
    assert any("--as-of" in case["cli"] for case in CASES) and any("--returned" in case["cli"] for case in CASES)


@pytest.mark.parametrize("case", CASES, ids=[c["name"] for c in CASES])
@pytest.mark.parametrize("lang", ["ru", "en"])
def test_interview_equals_cli(case: dict[str, Any], lang: str, capsys: pytest.CaptureFixture[str]) -> None:
    if "as_of" in case:
        now = dt.datetime.fromisoformat(case["as_of"]).replace(tzinfo=MOSCOW)
    else:
        now = dt.datetime.now(tz=MOSCOW)
    answers = {key: str(value) for key, value in case["answers"].items()}
    from_interview = answer_data(assess(to_facts(default_interview(), answers, now)), lang)
    code = run(["assess", *case["cli"], "--json", "--lang", lang])
    out, err = capsys.readouterr()
    assert code == 0, err
    from_cli = json.loads(out)
    if "as_of" in case:
        assert from_interview == from_cli
    else:
        assert _without_as_of(from_interview) == _without_as_of(from_cli)
    assert from_interview["qualifications"] or from_interview["flags"]
