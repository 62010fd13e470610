"""Answers: what a person typed or chose, checked and turned into one canonical string per step.

Canonical forms (what the web form carries in hidden fields): a choice is its value, yes-no is "yes"/"no", a
multi-choice is its values joined by "," in the order of the options, a date is "2025-06-01", a date-time is
"2025-06-01T08:00" (Moscow wall-clock time, as the engine reads a moment without an offset).

A date is typed as text, day first, never through a browser date widget (an English browser shows mm/dd/yyyy and
reads 05112026 as the 11th of May): courtpath.law.moments.parse_typed_day reads 01.06.2025, 1.6.2025, 01/06/2025,
01-06-2025, 01,06,2025, 01062025 and 2025-06-01 alike. A date the interview cannot use is refused with a message that
repeats what was typed, and the page keeps the text in its field.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping, Sequence

from courtpath.i18n import render_value
from courtpath.interview.definition import NO, YES, Interview, Step, Text
from courtpath.law.moments import MOSCOW, check_past, parse_typed_day, shown
from courtpath.law.problems import FactsError, Problem

Answers = dict[str, str]
_TIME = re.compile(r"^([0-9]{1,2})[:.,]([0-9]{2})$|^([0-9]{2})([0-9]{2})$")
# The earliest year the interview takes: an earlier one is almost always a typo (0206, 1925), and an absence that
# really began then is a case for a lawyer, not for this questionnaire. The staff form takes 1997 on.
EARLIEST_YEAR = 2000


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
        """The message in `lang`. A problem of the facts is told in the interview's own words when its `messages`
        have the problem's code (the general message may be written for lawyers: "the moment of assessment"), else in
        the words every door uses."""
        if self.problem is not None and self.code not in interview.messages:
            return self.problem.render(lang)
        values = {k: v.get(lang) if isinstance(v, Text) else render_value(v, lang) for k, v in self.params.items()}
        return interview.messages[self.code].format(lang, **values)


def parse_date(text: str, now: dt.datetime | None = None) -> dt.date:
    """A date as the person typed it, day first (see the module's docstring), from EARLIEST_YEAR on and, given
    `now`, not after today in Moscow. AnswerError naming the text otherwise."""
    value = text.strip()
    if not value:
        raise AnswerError("date_required")
    typed = {"text": shown(value)}
    try:
        day = parse_typed_day(value)
    except FactsError as error:
        if error.code == "year_range":  # before 1900 or after 2099
            year = value[:4] if value[4:5] == "-" else value[-4:]
            raise AnswerError("date_in_future" if int(year) > EARLIEST_YEAR else "date_too_early", typed) from None
        raise AnswerError.of(error) from None
    if day.year < EARLIEST_YEAR:
        raise AnswerError("date_too_early", typed)
    if now is not None and day > now.astimezone(MOSCOW).date():
        raise AnswerError("date_in_future", typed)
    return day


def parse_time(text: str) -> dt.time:
    """A time of day: 08:30, 8.30, 08,30 (a phone's decimal key) or 0830; empty is midnight."""
    value = text.strip()
    if not value:
        return dt.time(0, 0)
    match = _TIME.match(value)
    if not match:
        raise AnswerError("time_invalid")
    hours, minutes = match.group(1, 2) if match.group(1) else match.group(3, 4)
    try:
        return dt.time(int(hours), int(minutes))
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
        day = parse_date(raw if isinstance(raw, str) else "", now)
        _check_past(dt.datetime.combine(day, dt.time()), now)
        return day.isoformat()
    # datetime
    if isinstance(raw, str):
        date_text, _, time_text = raw.strip().replace("T", " ").partition(" ")
    elif len(raw) == 2:
        date_text, time_text = raw
    else:
        raise AnswerError("date_required")
    moment = dt.datetime.combine(parse_date(date_text, now), parse_time(time_text))
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
    if step.kind == "date":  # day first in both languages, as the person typed it
        return dt.date.fromisoformat(value).strftime("%d.%m.%Y")
    return dt.datetime.strptime(value, "%Y-%m-%dT%H:%M").strftime("%d.%m.%Y %H:%M")


def typed_form(step: Step, value: str) -> tuple[str, str]:
    """A date or date-time answer as the page's text fields show it again: ("01.06.2025", "08:00")."""
    if step.kind == "date":
        return dt.date.fromisoformat(value).strftime("%d.%m.%Y"), ""
    moment = dt.datetime.strptime(value, "%Y-%m-%dT%H:%M")
    return moment.strftime("%d.%m.%Y"), moment.strftime("%H:%M")
