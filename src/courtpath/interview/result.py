"""A completed interview's answers to the engine's assessment and its plain-language explanation."""

from __future__ import annotations

import datetime as dt

from courtpath.interview.answers import Answers
from courtpath.interview.definition import Interview
from courtpath.interview.explain import Explanation, explain
from courtpath.interview.facts import to_facts
from courtpath.law.engine import assess
from courtpath.law.result import Assessment


def outcome(interview: Interview, answers: Answers, now: dt.datetime, lang: str) -> tuple[Assessment, Explanation]:
    """Assess the answers as of `now` and explain the result; FactsProblem if they cannot be assessed."""
    assessment = assess(to_facts(interview, answers, now))
    return assessment, explain(interview, assessment, answers, lang)
