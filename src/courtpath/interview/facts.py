"""Answers to `courtpath.law.facts.Facts`, through the one intake (courtpath.law.intake).

The answers become the intake's canonical mapping: a date or date-time answer is already text the intake reads, a
yes-no answer a bool, a multi-choice answer a list. Whatever the intake refuses is shown at the question that gave
the field, in the same words as at every other door.
"""

from __future__ import annotations

import datetime as dt

from courtpath.interview.answers import AnswerError, Answers
from courtpath.interview.definition import YES, Interview
from courtpath.interview.navigation import relevant_answers
from courtpath.law.facts import Facts
from courtpath.law.intake import facts_from_mapping
from courtpath.law.problems import FactsError

# A problem of the moment of assessment (now) is one of the answer it is compared with: the start of the absence,
# or its end when that is later than now.
ABOUT = {"as_of_before_start": "left", "as_of_before_end": "returned"}


class FactsProblem(ValueError):
    """Answers the engine cannot assess: `step` is the question to ask again, `error` says why."""

    def __init__(self, step: str, error: AnswerError) -> None:
        super().__init__(f"{step}: {error.code}")
        self.step = step
        self.error = error


def _value(kind: str, value: str) -> object:
    if kind == "yes-no":
        return value == YES
    if kind == "multi-choice":
        return value.split(",")
    return value  # a choice's code; a date ("2025-06-01") or a date-time ("2025-06-01T08:00") the intake reads


def fields(interview: Interview, answers: Answers) -> tuple[dict[str, object], dict[str, str]]:
    """The intake's mapping the relevant answers give, and which step gave each field."""
    values: dict[str, object] = {}
    where: dict[str, str] = {}
    for step_id, value in relevant_answers(interview, answers).items():
        step = interview.step(step_id)
        if step.feeds is None:
            continue
        converted = _value(step.kind, value)
        if step.kind == "multi-choice":  # an exclusive option ("none of these") feeds nothing
            exclusive = {o.value for o in step.options if o.exclusive}
            converted = [v for v in converted if v not in exclusive]  # type: ignore[attr-defined]
        values[step.feeds] = converted
        where[step.feeds] = step_id
    return values, where


def _facts(interview: Interview, answers: Answers, now: dt.datetime) -> tuple[Facts | None, FactsProblem | None]:
    values, where = fields(interview, answers)
    try:
        return facts_from_mapping({**values, "as_of": now}, now=now), None
    except FactsError as error:
        # The first problem a question answered so far can fix; one of a question not yet asked is not a problem
        # yet. A problem of no question (the moment of assessment) goes to the answer it is about (ABOUT).
        for problem in error.problems:
            if problem.field in where:
                return None, FactsProblem(where[problem.field], AnswerError(problem.code, problem.params, problem))
        if not {"status", "left"} <= set(where):
            return None, None
        problem = error.problems[0]
        about = ABOUT.get(problem.code, "left")
        step = where.get(about, where["left"])
        return None, FactsProblem(step, AnswerError(problem.code, problem.params, problem))


def check(interview: Interview, answers: Answers, now: dt.datetime) -> FactsProblem | None:
    """The first problem the answers given so far already show, or None."""
    return _facts(interview, answers, now)[1]


def to_facts(interview: Interview, answers: Answers, now: dt.datetime) -> Facts:
    """The facts of a completed interview, assessed as of `now`; FactsProblem if they cannot be assessed."""
    facts, problem = _facts(interview, answers, now)
    if problem is not None:
        raise problem
    if facts is None:
        values, _ = fields(interview, answers)
        missing = next(name for name in ("status", "left") if name not in values)
        step = next(s.id for s in interview.steps if s.feeds == missing)
        raise FactsProblem(step, AnswerError("choose_one" if missing == "status" else "date_required"))
    return facts
