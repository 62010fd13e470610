"""Answers: what a person typed or chose, checked and turned into one canonical string per step.

Canonical forms (what the web form carries in hidden fields): a choice is its value, yes-no is "yes"/"no", a
multi-choice is its values joined by "," in the order of the options, a date is "2025-06-01", a date-time is
"2025-06-01T08:00" (Moscow wall-clock time, as the engine reads a moment without an offset).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping, Sequence

from courtpath.i18n import render_value
from courtpath.interview.definition import NO, YES, Interview, Step, Text
from courtpath.law.moments import MOSCOW, check_past, parse_day
from courtpath.law.problems import FactsError, Problem

Answers = dict[str, str]
_TIME = re.compile(r"^([0-9]{1,2})[:.]([0-9]{2})$")


class AnswerError(ValueError):
    """An answer that cannot be used: `code` names a message of the interview definition, or `problem` is a problem
    of the facts (courtpath.law.problems), reported in the same words as at every other door."""

    def __init__(self, code: str, params: Mapping[str, object] | None = None, problem: Problem | None = None) -> None:
        super().__init__(code)
        self.code = code
        self.params = dict(params or {})
        self.problem = problem

    @classmethod
    def of(cls, error: FactsError) -> AnswerError:
        problem = error.problems[0]
        return cls(problem.code, problem.params, problem)

    def render(self, interview: Interview, lang: str) -> str:
        if self.problem is not None:
            return self.problem.render(lang)
        values = {k: v.get(lang) if isinstance(v, Text) else render_value(v, lang) for k, v in self.params.items()}
        return interview.messages[self.code].format(lang, **values)


def parse_date(text: str) -> dt.date:
    """A date as the person typed it: 01.06.2025 (or 2025-06-01); the grammar of courtpath.law.moments."""
    value = text.strip()
    if not value:
        raise AnswerError("date_required")
    try:
        return parse_day(value)
    except FactsError as error:
        raise AnswerError.of(error) from None


def parse_time(text: str) -> dt.time:
    value = text.strip()
    if not value:
        return dt.time(0, 0)
    match = _TIME.match(value)
    if not match:
        raise AnswerError("time_invalid")
    try:
        return dt.time(int(match.group(1)), int(match.group(2)))
    except ValueError:
        raise AnswerError("time_invalid") from None


def normalise(step: Step, raw: str | Sequence[str], interview: Interview, now: dt.datetime) -> str:
    """The canonical answer for `raw`, or AnswerError.

    `raw` is a string for choice, yes-no and date; a list of values for multi-choice; for datetime either
    (date text, time text) or one string "date time" / ISO "dateTtime".
    """
    if step.kind in ("choice", "yes-no"):
        value = raw.strip() if isinstance(raw, str) else ""
        if value not in step.values():
            raise AnswerError("choose_one")
        return value
    if step.kind == "multi-choice":
        chosen = {raw} if isinstance(raw, str) else set(raw)
        chosen = {v.strip() for v in chosen if v.strip()}
        if not chosen or not chosen <= set(step.values()):
            raise AnswerError("choose_some")
        exclusive = next((o for o in step.options if o.exclusive and o.value in chosen), None)
        if exclusive is not None and len(chosen) > 1:
            raise AnswerError("exclusive_combined", {"option": exclusive.label})
        return ",".join(o.value for o in step.options if o.value in chosen)
    if step.kind == "date":
        day = parse_date(raw if isinstance(raw, str) else "")
        _check_past(dt.datetime.combine(day, dt.time()), now)
        return day.isoformat()
    # datetime
    if isinstance(raw, str):
        date_text, _, time_text = raw.strip().replace("T", " ").partition(" ")
    elif len(raw) == 2:
        date_text, time_text = raw
    else:
        raise AnswerError("date_required")
    moment = dt.datetime.combine(parse_date(date_text), parse_time(time_text))
    _check_past(moment, now)
    return moment.strftime("%Y-%m-%dT%H:%M")


def _check_past(moment: dt.datetime, now: dt.datetime) -> None:
    """What the person tells happened: not later than now (with the tolerance every door allows)."""
    try:
        check_past(moment, now.astimezone(MOSCOW))
    except FactsError as error:
        raise AnswerError.of(error) from None


def is_canonical(step: Step, value: str) -> bool:
    """Is `value` a well-formed canonical answer of `step` (as produced by normalise)? Dates may be any past day."""
    if step.kind in ("choice", "yes-no"):
        return value in step.values()
    if step.kind == "multi-choice":
        parts = value.split(",")
        order = [o.value for o in step.options if o.value in parts]
        exclusive = any(o.exclusive and o.value in parts for o in step.options)
        return bool(parts) and order == parts and not (exclusive and len(parts) > 1)
    try:
        if step.kind == "date":
            return dt.date.fromisoformat(value).isoformat() == value
        return dt.datetime.strptime(value, "%Y-%m-%dT%H:%M").strftime("%Y-%m-%dT%H:%M") == value
    except ValueError:
        return False


def carried(interview: Interview, raw: Mapping[str, str]) -> Answers:
    """The answers a form carried back, keeping only known steps with well-formed values.

    Hidden fields can be edited by anyone: an unknown step is ignored and a malformed value dropped, so that the
    step is simply asked again.
    """
    answers: Answers = {}
    for step in interview.steps:
        value = raw.get(step.id)
        if isinstance(value, str) and value and len(value) <= 200 and is_canonical(step, value):
            answers[step.id] = value
    return answers


def display(step: Step, value: str, interview: Interview, lang: str) -> str:
    """An answer as the person reads it."""
    if step.kind == "yes-no":
        return interview.text(YES if value == YES else NO, lang)
    if step.kind in ("choice", "multi-choice"):
        labels = [o.label.get(lang) for o in step.options if o.value in value.split(",")]
        return "; ".join(labels)
    if step.kind == "date":
        day = dt.date.fromisoformat(value)
        return day.strftime("%d.%m.%Y" if lang == "ru" else "%Y-%m-%d")
    moment = dt.datetime.strptime(value, "%Y-%m-%dT%H:%M")
    return moment.strftime("%d.%m.%Y %H:%M" if lang == "ru" else "%Y-%m-%d %H:%M")
