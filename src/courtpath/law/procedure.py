"""The deadlines of the Code of Criminal Procedure, computed from the events recorded in a case (procedure.yaml;
docs/law/procedure.md).

Pure functions over the cached law data. A deadline runs from the latest recorded event that starts it, for the term
the data gives, replaced by any later extension (never shortened), unless a later event meets it. Terms in days and
months run from the day after the event (art. 128 part 1); the last day of a month term is the same date of the last
month or that month's last day (part 2); a last day on a non-working day moves to the next working day (part 2,
courtpath.law.calendar), except for detention and custody.
"""

from __future__ import annotations

import contextlib
import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import Literal

from courtpath.law.calendar import Calendar, TermEnd, calendar_of
from courtpath.law.lawbook import LawBook
from courtpath.law.loader import default_lawbook
from courtpath.law.moments import EARLIEST_YEAR, LATEST_YEAR
from courtpath.law.periods import add_months
from courtpath.law.procedure_schema import DeadlineSpec, ProcedureSpec, StartSpec, Term
from courtpath.law.schema import RuleRef

_DAY = dt.timedelta(days=1)


class EventCode(StrEnum):
    REPORT_FILED = "report_filed"
    CHECK_EXTENDED_10 = "check_extended_10"
    CHECK_EXTENDED_30 = "check_extended_30"
    REPORT_DECIDED = "report_decided"
    CASE_OPENED = "case_opened"
    INVESTIGATION_EXTENDED = "investigation_extended"
    CHARGED = "charged"
    DETAINED = "detained"
    CUSTODY_ORDERED = "custody_ordered"
    CUSTODY_EXTENDED = "custody_extended"
    RELEASED = "released"
    SENT_TO_COURT = "sent_to_court"
    HEARING_SCHEDULED = "hearing_scheduled"
    VERDICT = "verdict"
    VERDICT_COPY_RECEIVED = "verdict_copy_received"
    APPEAL_FILED = "appeal_filed"
    CASE_SUSPENDED = "case_suspended"
    CASE_RESUMED = "case_resumed"
    RETURNED_TO_UNIT = "returned_to_unit"


_CODES = frozenset(code.value for code in EventCode)
DeadlineKind = Literal["duty", "date"]


class ProcedureDataError(ValueError):
    """Recorded events that cannot be read: an unknown code, a bad date, a missing or misplaced `until`."""


@dataclass(frozen=True, slots=True)
class Event:
    code: EventCode
    on: dt.date
    until: dt.date | None = None  # for the *_extended events: the day the term was extended until


@dataclass(frozen=True, slots=True)
class ProcedureDeadline:
    code: str  # a PROCEDURE_DEADLINES code
    kind: DeadlineKind  # duty: someone must act by end.day; date: the day something happens (no one's duty)
    after: EventCode  # the event it runs from
    event_on: dt.date  # the day of that event
    counted_from: dt.date  # the day the count starts from (an earlier detention for custody; else event_on)
    end: TermEnd  # end.day is the last day (for a `date`: the day itself)
    rule: RuleRef  # the deadline's own rule
    also: tuple[RuleRef, ...]  # the rules of the start and the extension used, when they are other provisions
    extended_by: EventCode | None  # the extension that gave the term, if any
    escalations: tuple[str, ...]  # drafts allowed once it is missed
    questions: tuple[str, ...]  # open-question ids the date rests on

    def missed(self, today: dt.date) -> bool:
        """A duty whose last day has passed (nothing met it: it would not be running otherwise)."""
        return self.kind == "duty" and today > self.end.day


@dataclass(frozen=True, slots=True)
class ProcedureDuty:
    """A duty with no statutory number of days (discharge after a verdict in force)."""

    code: str
    arises_on: dt.date  # the date of the deadline it follows
    rule: RuleRef
    condition_ru: str
    condition_en: str
    questions: tuple[str, ...]


def _spec(book: LawBook | None) -> tuple[ProcedureSpec, Calendar]:
    book = book or default_lawbook()
    if book.procedure is None:
        raise ValueError("this lawbook was loaded without procedure.yaml")
    return book.procedure, calendar_of(book)


# -- reading stored events -----------------------------------------------------------------------------------------


def _date(value: object, where: str) -> dt.date:
    if isinstance(value, dt.datetime):
        raise ProcedureDataError(f"{where}: expected a date YYYY-MM-DD, got a date and time {value.isoformat()}")
    day: dt.date | None = value if isinstance(value, dt.date) else None
    if isinstance(value, str):
        with contextlib.suppress(ValueError):
            day = dt.date.fromisoformat(value)
    if day is None:
        raise ProcedureDataError(f"{where}: expected a date YYYY-MM-DD, got {value!r}")
    if not EARLIEST_YEAR <= day.year <= LATEST_YEAR:  # the engine's years: no term arithmetic can overflow
        raise ProcedureDataError(f"{where}: {day.isoformat()} is outside the years {EARLIEST_YEAR}-{LATEST_YEAR}")
    return day


def read_events(raw: Iterable[Mapping[str, object]]) -> list[Event]:
    """Events from their stored form, {"code": ..., "on": "YYYY-MM-DD", "until": "YYYY-MM-DD" (extensions only)},
    in the order given."""
    spec, _ = _spec(None)
    events: list[Event] = []
    for index, item in enumerate(raw):
        where = f"event {index + 1}"
        if not isinstance(item, Mapping):
            raise ProcedureDataError(f"{where}: expected a mapping with code and on, got {type(item).__name__}")
        extra = sorted(str(key) for key in set(item) - {"code", "on", "until"})
        if extra:
            raise ProcedureDataError(f"{where}: unknown fields {extra} (expected code, on, until)")
        code = item.get("code")
        if not isinstance(code, str) or code not in _CODES:
            known = ", ".join(EventCode)
            raise ProcedureDataError(f"{where}: unknown event code {code!r} (known: {known})")
        if "on" not in item:
            raise ProcedureDataError(f"{where} ({code}): the date `on` is missing")
        on = _date(item["on"], f"{where} ({code}) on")
        until_raw = item.get("until")
        carries_until = spec.events[code].carries_until
        if carries_until and until_raw is None:
            raise ProcedureDataError(f"{where} ({code}): an extension needs `until`, the day it runs until")
        if not carries_until and until_raw is not None:
            raise ProcedureDataError(f"{where} ({code}): only an extension carries `until`")
        until = _date(until_raw, f"{where} ({code}) until") if until_raw is not None else None
        if until is not None and until < on:
            raise ProcedureDataError(f"{where} ({code}): `until` {until} is before the event {on}")
        events.append(Event(EventCode(code), on, until))
    return events


# -- the arithmetic ------------------------------------------------------------------------------------------------


def nominal_last_day(start: dt.date, term: Term, *, counts_first_day: bool = False) -> dt.date:
    """The last day of a term before art. 128 part 2: a term in days or months runs from the day after `start`
    (the start day is not counted, part 1) unless `counts_first_day`; a month term ends on the same date of the
    last month, or its last day (part 2); an hours term ends on the day the hours run out (from midnight of `start`:
    the earliest day they can end)."""
    if term.hours is not None:
        return start + dt.timedelta(hours=term.hours) // _DAY * _DAY
    if term.days is not None:
        last = start + term.days * _DAY
    else:
        moment = add_months(dt.datetime(start.year, start.month, start.day), term.months or 0)
        last = moment.date()
    return last - _DAY if counts_first_day else last


def _ordered(events: Iterable[Event]) -> list[Event]:
    """By date; events of one day in the order recorded."""
    return [event for _, event in sorted(enumerate(events), key=lambda pair: (pair[1].on, pair[0]))]


def _deadline(
    code: str, spec: DeadlineSpec, events: list[Event], in_custody: bool, calendar: Calendar
) -> ProcedureDeadline | None:
    starts: dict[str, StartSpec] = {}
    for start in spec.starts:
        if start.custody is None or start.custody == in_custody:
            starts.setdefault(start.event, start)
    positions = [i for i, event in enumerate(events) if event.code in starts]
    if not positions:
        return None
    base = positions[-1]
    previous_start = positions[-2] if len(positions) > 1 else -1
    # What follows the start: the events recorded after it, and those of the same day recorded before it (the order
    # staff enter one day's events in says nothing about their order), back to an earlier start.
    same_day = [e for e in events[previous_start + 1 : base] if e.on == events[base].on]
    later = same_day + events[base + 1 :]
    if any(event.code in spec.met_by for event in later):
        return None
    event, start = events[base], starts[events[base].code]
    counted_from = event.on
    if start.from_earlier:
        previous = max((i for i in positions if i < base), default=-1)
        earlier = [e for e in events[previous + 1 : base] if e.code in start.from_earlier]
        if earlier:
            counted_from = earlier[-1].on
    last = nominal_last_day(counted_from, start.term, counts_first_day=start.counts_first_day)
    also: list[RuleRef] = [start.rule] if start.rule else []
    extended_by: EventCode | None = None
    extensions = {extension.event: extension for extension in spec.extensions}
    for later_event in later:
        extension = extensions.get(later_event.code)
        if extension is None:
            continue
        if extension.term is not None:
            extended = nominal_last_day(counted_from, extension.term, counts_first_day=start.counts_first_day)
        else:
            assert later_event.until is not None  # read_events requires it
            extended = later_event.until
        if extended >= last:  # an extension never shortens the term
            last, extended_by = extended, later_event.code
            also = [start.rule] if start.rule else []
            if extension.rule:
                also.append(extension.rule)
    end = calendar.term_end(last, moves=spec.moves)
    if spec.day_after:
        end = TermEnd(end.day + _DAY, (last + _DAY) if end.moved_from else None, end.confidence, end.questions)
    questions = tuple(dict.fromkeys([*start.open_questions, *spec.open_questions, *end.questions]))
    return ProcedureDeadline(
        code=code,
        kind=spec.kind,
        after=event.code,
        event_on=event.on,
        counted_from=counted_from,
        end=end,
        rule=spec.rule,
        also=tuple(also),
        extended_by=extended_by,
        escalations=tuple(spec.escalations),
        questions=questions,
    )


def running_deadlines(
    events: Iterable[Event], *, in_custody: bool = False, book: LawBook | None = None
) -> list[ProcedureDeadline]:
    """The deadlines the recorded events start and no later event meets, soonest first. `in_custody`: whether the
    person is held in custody now (it picks the appeal term's start and the court's 14 days)."""
    spec, calendar = _spec(book)
    ordered = _ordered(events)
    found = [_deadline(code, d, ordered, in_custody, calendar) for code, d in spec.deadlines.items()]
    return sorted((d for d in found if d is not None), key=lambda d: (d.end.day, d.code))


def escalations_of_deadline(code: str, *, book: LawBook | None = None) -> tuple[str, ...]:
    """The drafts a missed deadline of this code allows (none for an unknown code or a date)."""
    spec, _ = _spec(book)
    deadline = spec.deadlines.get(code)
    return tuple(deadline.escalations) if deadline else ()


def in_custody(events: Iterable[Event]) -> bool:
    """Whether custody was ordered or extended and no release was recorded after it (in order of the days, then of
    recording): the court's 14 days (art. 227 part 3) and the appeal from the copy (art. 389.4 part 1) then apply.
    docs/law/procedure.md, "Who is in custody"."""
    held = False
    for event in _ordered(events):
        if event.code in (EventCode.CUSTODY_ORDERED, EventCode.CUSTODY_EXTENDED):
            held = True
        elif event.code == EventCode.RELEASED:
            held = False
    return held


CODES = ("УПК", "УК", "ТК")  # the codes the law data names by their abbreviation and article numbers


def citation(article: str, part: str) -> str:
    """A rule's article and part as a Russian lawyer writes them: ("УПК 144", "1, 3") -> "ч. 1, 3 ст. 144 УПК РФ",
    ("УПК 208", "1 п. 3.1") -> "п. 3.1 ч. 1 ст. 208 УПК РФ", ("УПК 171, 172", "") -> "ст. 171, 172 УПК РФ"."""
    code, _, numbers = article.partition(" ")
    if code not in CODES or not numbers:  # written out in full already ("53-ФЗ ст. 51 ч. 1 п. «е»; …")
        return f"{article}, ч. {part}" if part else article
    cited = f"ст. {numbers} {code} РФ"
    if not part:
        return cited
    whole, _, item = part.partition(" п. ")
    return f"п. {item} ч. {whole} {cited}" if item else f"ч. {whole} {cited}"


def carries_until(code: str, *, book: LawBook | None = None) -> bool:
    """Whether an event of this code is an extension recorded with the day it runs until."""
    spec, _ = _spec(book)
    event = spec.events.get(code)
    return bool(event and event.carries_until)


def is_duty(code: str, *, book: LawBook | None = None) -> bool:
    """Whether a deadline of this code is someone's duty (missed once past), not the day something happens."""
    spec, _ = _spec(book)
    deadline = spec.deadlines.get(code)
    return bool(deadline and deadline.kind == "duty")


def escalations_for(events: Iterable[Event], *, book: LawBook | None = None) -> tuple[str, ...]:
    """Drafts open without a term: those an event opens at once (a serviceman sent back to his unit, a case
    suspended on the command's petition), unless a later event closed them."""
    spec, _ = _spec(book)
    ordered = _ordered(events)
    found: list[str] = []
    for index, event in enumerate(ordered):
        event_spec = spec.events[event.code]
        if not event_spec.escalations:
            continue
        if any(e.code in event_spec.closed_by for e in ordered[index + 1 :]):
            continue
        found += event_spec.escalations
    return tuple(dict.fromkeys(found))


def open_duties(
    events: Iterable[Event], today: dt.date, *, in_custody: bool = False, book: LawBook | None = None
) -> list[ProcedureDuty]:
    """Duties with no statutory term that have arisen by `today` (the discharge after a verdict in force)."""
    spec, _ = _spec(book)
    dates = {d.code: d for d in running_deadlines(events, in_custody=in_custody, book=book)}
    duties: list[ProcedureDuty] = []
    for code, duty in spec.duties.items():
        after = dates.get(duty.after_deadline)
        if after is None or after.end.day > today:
            continue
        questions = tuple(dict.fromkeys([*duty.open_questions, *after.questions]))
        duties.append(ProcedureDuty(code, after.end.day, duty.rule, duty.condition.ru, duty.condition.en, questions))
    return duties


@dataclass(frozen=True, slots=True)
class TraceStep:
    code: str  # a deadline, duty or event code
    rule: RuleRef


def procedure_trace(
    events: Iterable[Event], *, in_custody: bool = False, book: LawBook | None = None
) -> list[TraceStep]:
    """The rules the answer used, for citing: art. 128, each recorded event's rule, each running deadline's rules."""
    spec, calendar = _spec(book)
    listed = list(events)
    steps = [TraceStep("term_counting", spec.counting), TraceStep("non_working_days", calendar.spec.statute.rule)]
    seen: set[str] = set()
    for event in _ordered(listed):
        if event.code not in seen:
            seen.add(event.code)
            steps.append(TraceStep(event.code, spec.events[event.code].rule))
    for deadline in running_deadlines(listed, in_custody=in_custody, book=book):
        steps.append(TraceStep(deadline.code, deadline.rule))
        steps += [TraceStep(deadline.code, rule) for rule in deadline.also]
    return steps
