"""Answers to `courtpath.law.facts.Facts`, with the engine's own validation.

Before building Facts, the checks the interview can place on one question (an end before the start, a mobilized
status before mobilization began) get a message in the person's language at that question; whatever else the
engine refuses (FactsError) is shown with its own reason.
"""

from __future__ import annotations

import datetime as dt

from courtpath.interview.answers import AnswerError, Answers
from courtpath.interview.definition import YES, Interview
from courtpath.interview.navigation import relevant_answers
from courtpath.law.facts import MOSCOW, Facts, FactsError, Status
from courtpath.law.loader import default_lawbook


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
        return frozenset(value.split(","))
    if kind == "date":
        return dt.datetime.combine(dt.date.fromisoformat(value), dt.time(0, 0), tzinfo=MOSCOW)
    if kind == "datetime":
        return dt.datetime.strptime(value, "%Y-%m-%dT%H:%M").replace(tzinfo=MOSCOW)
    return value


def fields(interview: Interview, answers: Answers) -> tuple[dict[str, object], dict[str, str]]:
    """The Facts keyword arguments the relevant answers give, and which step gave each."""
    values: dict[str, object] = {}
    where: dict[str, str] = {}
    for step_id, value in relevant_answers(interview, answers).items():
        step = interview.step(step_id)
        if step.feeds is None:
            continue
        converted = _value(step.kind, value)
        if step.kind == "multi-choice":  # an exclusive option ("none of these") feeds nothing
            exclusive = {o.value for o in step.options if o.exclusive}
            converted = frozenset(v for v in converted if v not in exclusive)  # type: ignore[attr-defined]
        values[step.feeds] = converted
        where[step.feeds] = step_id
    return values, where


def check(interview: Interview, answers: Answers, now: dt.datetime) -> FactsProblem | None:
    """The first problem the answers given so far already show, or None."""
    values, where = fields(interview, answers)
    left, returned = values.get("left"), values.get("returned")
    if isinstance(left, dt.datetime) and isinstance(returned, dt.datetime) and returned <= left:
        return FactsProblem(where["returned"], AnswerError("end_before_start", {"left": left}))
    mobilized_from = default_lawbook().general.mobilized_status.valid_from
    if (
        values.get("status") == Status.MOBILIZED.value
        and isinstance(left, dt.datetime)
        and mobilized_from is not None
        and left.date() < mobilized_from
    ):
        return FactsProblem(where["left"], AnswerError("mobilized_too_early", {"day": mobilized_from}))
    if "status" in values and "left" in values:
        try:
            Facts(as_of=now, **values)  # type: ignore[arg-type]
        except FactsError as error:
            return FactsProblem(where["left"], AnswerError("facts_rejected", {"reason": str(error)}))
    return None


def to_facts(interview: Interview, answers: Answers, now: dt.datetime) -> Facts:
    """The facts of a completed interview, assessed as of `now`; FactsProblem if they cannot be assessed."""
    problem = check(interview, answers, now)
    if problem is not None:
        raise problem
    values, _ = fields(interview, answers)
    missing = [name for name in ("status", "left") if name not in values]
    if missing:
        step = next(s.id for s in interview.steps if s.feeds == missing[0])
        raise FactsProblem(step, AnswerError("choose_one" if missing[0] == "status" else "date_required"))
    return Facts(as_of=now, **values)  # type: ignore[arg-type]
