"""A case's procedural events (the steps of the criminal procedure staff record with their dates) and what the law
engine works out from them (courtpath.law.procedure): the statutory deadlines still running, when each ends, the
article it rests on, and the drafts a missed one (or an event such as a return to the unit) calls for.

The events are an entry of the case's sealed facts record (Case.procedure): when a step was taken tells where a
criminal case stands, so it is sealed like the verdict's date. A verdict date entered with the facts counts as a
verdict event at the stages after a verdict, as it did before events existed.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from courtpath.law import procedure as law
from courtpath.law.calendar import TermEnd
from courtpath.law.moments import MOSCOW
from courtpath.law.vocabulary import PROCEDURE_DEADLINES, PROCEDURE_EVENTS
from courtpath.web import vocabulary
from courtpath.web.cases import stored
from courtpath.web.cases.models import Case, Stage

AFTER_VERDICT = (Stage.VERDICT, Stage.APPEAL, Stage.IN_FORCE)  # where the facts' verdict date counts as an event


def events_from(procedure: Sequence[Mapping[str, Any]], verdict_date: dt.date | None, stage: str) -> list[law.Event]:
    """The events of a stored record (Case.procedure, Case.verdict_date, the stage), in order of their days. Raises
    law.ProcedureDataError for a stored entry the engine cannot read."""
    if not procedure and not verdict_date:  # most cases, on every dashboard that works them out: no engine call
        return []
    events = law.read_events(procedure)
    verdict = _verdict_of_the_facts(events, verdict_date, stage)
    return sorted([*events, verdict] if verdict else events, key=lambda event: event.on)


def _verdict_of_the_facts(recorded: list[law.Event], verdict_date: dt.date | None, stage: str) -> law.Event | None:
    """The verdict date entered with the facts, as an event, at a stage after a verdict when none was recorded (read
    by the engine, which checks its year)."""
    if not verdict_date or stage not in AFTER_VERDICT or any(e.code == law.EventCode.VERDICT for e in recorded):
        return None
    return law.read_events([{"code": law.EventCode.VERDICT.value, "on": verdict_date.isoformat()}])[0]


def events_of(case: Case) -> list[law.Event]:
    return events_from(case.procedure, case.verdict_date, case.stage)


def running(events: Sequence[law.Event]) -> list[law.ProcedureDeadline]:
    if not events:
        return []
    return law.running_deadlines(events, in_custody=law.in_custody(events))


def end_of_day(day: dt.date) -> dt.datetime:
    """The last minute of a term's last day, Moscow time (a term in days ends at midnight: УПК ст. 128 ч. 1)."""
    return dt.datetime.combine(day, dt.time(23, 59), tzinfo=MOSCOW)


def escalation_title(template_id: str, lang: str) -> str:
    from courtpath.drafting.templates import TITLES

    title = TITLES.get(template_id)
    return title.render(lang) if title is not None else template_id


@dataclass(frozen=True)
class EventRow:
    index: int  # its place in the stored list (the form that removes it names it)
    code: str
    on: dt.date
    until: dt.date | None
    implicit: bool  # the verdict date of the facts, not a recorded event

    @property
    def label(self) -> str:
        return str(vocabulary.label(PROCEDURE_EVENTS.name(self.code)))


@dataclass(frozen=True)
class DeadlineRow:
    code: str
    after: str
    event_on: dt.date
    end: TermEnd
    cited: str  # "ч. 1, 3 ст. 144 УПК РФ"
    summary: str
    escalations: tuple[tuple[str, str], ...]  # (draft id, its title)
    questions: tuple[str, ...]

    @property
    def label(self) -> str:
        return str(vocabulary.label(PROCEDURE_DEADLINES.name(self.code)))

    @property
    def after_label(self) -> str:
        return str(vocabulary.label(PROCEDURE_EVENTS.name(self.after)))

    kind: str  # duty: missed once past; date: the day something happens

    @property
    def overdue(self) -> bool:
        return self.kind == "duty" and end_of_day(self.end.day) < dt.datetime.now(tz=MOSCOW)


@dataclass(frozen=True)
class DutyRow:
    """A duty without a statutory number of days (the discharge after a verdict in force)."""

    cited: str
    summary: str
    arises_on: dt.date
    condition: str
    code: str

    @property
    def label(self) -> str:
        return str(vocabulary.label(PROCEDURE_DEADLINES.name(self.code)))


@dataclass(frozen=True)
class ProcedurePage:
    events: list[EventRow]
    deadlines: list[DeadlineRow]
    open_escalations: list[tuple[str, str]]  # drafts an event calls for without a term (a return to the unit)
    duties: list[DutyRow]


def page(case: Case, lang: str) -> ProcedurePage:
    """What the case page shows of the procedure."""
    recorded = law.read_events(case.procedure)
    rows = [EventRow(i, e.code.value, e.on, e.until, False) for i, e in enumerate(recorded)]
    verdict = _verdict_of_the_facts(recorded, case.verdict_date, case.stage)
    if verdict is not None:
        rows.append(EventRow(-1, verdict.code.value, verdict.on, None, True))
    events = sorted([*recorded, verdict] if verdict else recorded, key=lambda event: event.on)
    rows.sort(key=lambda row: (row.on, row.index))
    deadlines = [
        DeadlineRow(
            code=d.code,
            after=d.after.value,
            event_on=d.event_on,
            end=d.end,
            cited=law.citation(d.rule.article, d.rule.part),
            summary=d.rule.summary.get(lang),
            escalations=tuple((draft, escalation_title(draft, lang)) for draft in d.escalations),
            questions=d.questions,
            kind=d.kind,
        )
        for d in (running(events) if case.is_open else [])  # a closed case has no term to watch
    ]
    calls = law.escalations_for(events) if case.is_open else ()
    open_escalations = [(draft, escalation_title(draft, lang)) for draft in calls]
    today = dt.datetime.now(tz=MOSCOW).date()
    duties = [
        DutyRow(
            law.citation(duty.rule.article, duty.rule.part),
            duty.rule.summary.get(lang),
            duty.arises_on,
            duty.condition_ru if lang == "ru" else duty.condition_en,
            duty.code,
        )
        for duty in law.open_duties(events, today, in_custody=law.in_custody(events))
    ]
    return ProcedurePage(rows, deadlines, open_escalations, duties)


def guarded_page(case: Case, lang: str) -> ProcedurePage | stored.Unreadable:
    """page(), or the notice that the case's stored events cannot be read (the rest of the page is shown)."""
    return stored.read(case.code, "facts", lambda: page(case, lang))


def escalations_of(deadline_code: str) -> tuple[str, ...]:
    """The drafts a missed deadline of this kind allows (the dashboard links them)."""
    return law.escalations_of_deadline(deadline_code)


def is_duty(deadline_code: str) -> bool:
    """Whether the deadline is someone's duty, missed once past (not the day something happens)."""
    return law.is_duty(deadline_code)
