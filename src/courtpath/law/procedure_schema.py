"""Pydantic models of the procedure data: the non-working-day calendar (calendar.yaml) and the deadlines of the Code
of Criminal Procedure (procedure.yaml). The loader validates both files against them, with the others."""

from __future__ import annotations

import datetime as dt
import re
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from courtpath.law.schema import Act, Confidence, LocalText, RuleRef

MONTH_DAY = re.compile(r"(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])")
CODE = re.compile(r"[a-z][a-z0-9_]*")

# The draft templates an escalation may name (courtpath.drafting writes them; fixed ids).
DRAFT_TEMPLATES = frozenset(
    {
        "voluntary_appearance",
        "complaint_prosecutor_inaction",
        "complaint_court_inaction",
        "complaint_prosecutor_returned_to_unit",
        "accused_refusal_statement",
        "motion_procedural_steps",
        "motion_attach_documents",
        "family_appeal_letter",
    }
)


class Strict(BaseModel):
    """As courtpath.law.schema.Strict (declared here so that linters see a pydantic model)."""

    model_config = ConfigDict(extra="forbid", frozen=True)


# -- calendar.yaml -------------------------------------------------------------------------------------------------


class Holiday(Strict):
    md: str  # "MM-DD"
    name: str

    @field_validator("md")
    @classmethod
    def _month_day(cls, value: str) -> str:
        if not MONTH_DAY.fullmatch(value):
            raise ValueError(f"expected MM-DD, got {value!r}")
        return value


class StatuteSpec(Strict):
    """Labour Code art. 112: the non-working public holidays and the move of a day off that falls on one."""

    rule: RuleRef
    act: Act  # the last amending act of the list
    holidays: list[Holiday] = Field(min_length=1)
    auto_shift_excludes: list[str] = []  # MM-DD: holidays whose weekend day the rule of part 2 does not move

    @model_validator(mode="after")
    def _excludes_are_holidays(self) -> StatuteSpec:
        unknown = sorted(set(self.auto_shift_excludes) - {h.md for h in self.holidays})
        if unknown:
            raise ValueError(f"auto_shift_excludes names days that are no holiday: {unknown}")
        return self


class DecreeSpec(Strict):
    title: str
    number: str
    date: dt.date
    sources: list[str] = Field(min_length=1)


class Transfer(Strict):
    from_: dt.date = Field(alias="from")
    to: dt.date
    confidence: Confidence


class AutoShift(Strict):
    holiday: dt.date
    day_off: dt.date
    confidence: Confidence


class WorkingWeekend(Strict):
    date: dt.date
    confidence: Confidence

    @field_validator("date")
    @classmethod
    def _weekend(cls, value: dt.date) -> dt.date:
        if value.weekday() < 5:
            raise ValueError(f"{value} is no Saturday or Sunday")
        return value


class YearSpec(Strict):
    confidence: Confidence  # official: the decree's text was read; secondary: reports of it only
    decree: DecreeSpec
    transfers: list[Transfer] = []
    auto_shifts: list[AutoShift] = []
    working_weekends: list[WorkingWeekend] = []
    open_questions: list[str] = []


class CalendarSpec(Strict):
    statute: StatuteSpec
    years: dict[int, YearSpec] = Field(min_length=1)

    @model_validator(mode="after")
    def _dates_in_their_year(self) -> CalendarSpec:
        for year, spec in self.years.items():
            days = [t.to for t in spec.transfers] + [a.day_off for a in spec.auto_shifts]
            days += [w.date for w in spec.working_weekends] + [a.holiday for a in spec.auto_shifts]
            # a transfer may take a day off of this year from a weekend day of this year only
            days += [t.from_ for t in spec.transfers]
            wrong = sorted({d for d in days if d.year != year})
            if wrong:
                raise ValueError(f"years.{year}: dates outside the year: {[d.isoformat() for d in wrong]}")
        return self


# -- procedure.yaml ------------------------------------------------------------------------------------------------


class Term(Strict):
    """A length of time as the Code states it; exactly one unit."""

    days: int | None = Field(default=None, gt=0)
    months: int | None = Field(default=None, gt=0)
    hours: int | None = Field(default=None, gt=0)

    @model_validator(mode="after")
    def _one_unit(self) -> Term:
        if sum(v is not None for v in (self.days, self.months, self.hours)) != 1:
            raise ValueError("a term has exactly one of days, months, hours")
        return self


class EventSpec(Strict):
    rule: RuleRef
    carries_until: bool = False  # the event records the date a term was extended until
    escalations: list[str] = []  # drafts it opens at once, with no term (see closed_by)
    closed_by: list[str] = []  # later events that close those escalations
    open_questions: list[str] = []


class StartSpec(Strict):
    """One way a deadline starts running: from an event, for a term."""

    event: str
    term: Term
    custody: bool | None = None  # True: only when the person is in custody; False: only when not; None: either
    counts_first_day: bool = False  # the day of the event is the first day of the term (custody: see the data)
    from_earlier: list[str] = []  # an earlier event of these codes, if any, starts the count instead
    rule: RuleRef | None = None  # when this start rests on another provision than the deadline's own
    open_questions: list[str] = []


class ExtensionSpec(Strict):
    """A recorded event that replaces the deadline's term: a fixed term from the same start, or its `until` date."""

    event: str
    term: Term | None = None
    until: bool = False
    rule: RuleRef | None = None

    @model_validator(mode="after")
    def _one_way(self) -> ExtensionSpec:
        if (self.term is None) == (not self.until):
            raise ValueError("an extension gives either a term or until: true")
        return self


class DeadlineSpec(Strict):
    kind: Literal["duty", "date"]  # duty: someone must act by the last day; date: the day something happens
    rule: RuleRef
    starts: list[StartSpec] = Field(min_length=1)
    extensions: list[ExtensionSpec] = []
    met_by: list[str] = []
    moves: bool  # art. 128 part 2 moves a last day that falls on a non-working day
    day_after: bool = False  # the date is the day after the end of the term (a `date` that follows a term)
    escalations: list[str] = []
    open_questions: list[str] = []


class DutySpec(Strict):
    """A duty with no statutory number of days: shown after an event, without a date."""

    rule: RuleRef
    after_deadline: str  # the deadline (a `date`) after which it arises
    condition: LocalText
    open_questions: list[str] = []


class ProcedureSpec(Strict):
    counting: RuleRef  # art. 128: how every term is counted
    events: dict[str, EventSpec] = Field(min_length=1)
    deadlines: dict[str, DeadlineSpec] = Field(min_length=1)
    duties: dict[str, DutySpec] = {}

    @model_validator(mode="after")
    def _consistent(self) -> ProcedureSpec:
        bad = sorted(c for c in [*self.events, *self.deadlines, *self.duties] if not CODE.fullmatch(c))
        if bad:
            raise ValueError(f"codes must be lower-case letters, digits and underscores: {bad}")
        events = set(self.events)
        for code, event in self.events.items():
            self._known(f"events.{code}.closed_by", event.closed_by, events)
            self._drafts(f"events.{code}.escalations", event.escalations)
        for code, deadline in self.deadlines.items():
            where = f"deadlines.{code}"
            self._known(f"{where}.starts", [s.event for s in deadline.starts], events)
            self._known(f"{where}.starts.from_earlier", [e for s in deadline.starts for e in s.from_earlier], events)
            self._known(f"{where}.extensions", [e.event for e in deadline.extensions], events)
            self._known(f"{where}.met_by", deadline.met_by, events)
            self._drafts(f"{where}.escalations", deadline.escalations)
            for extension in deadline.extensions:
                if extension.until and not self.events[extension.event].carries_until:
                    raise ValueError(f"{where}.extensions: {extension.event} carries no `until` date")
            if deadline.kind == "date" and deadline.escalations:
                raise ValueError(f"{where}: a date is no duty and allows no escalation")
        for code, duty in self.duties.items():
            if duty.after_deadline not in self.deadlines:
                raise ValueError(f"duties.{code}.after_deadline: unknown deadline {duty.after_deadline!r}")
        return self

    @staticmethod
    def _known(where: str, codes: list[str], known: set[str]) -> None:
        unknown = sorted(set(codes) - known)
        if unknown:
            raise ValueError(f"{where}: unknown events {unknown}")

    @staticmethod
    def _drafts(where: str, ids: list[str]) -> None:
        unknown = sorted(set(ids) - DRAFT_TEMPLATES)
        if unknown:
            raise ValueError(f"{where}: unknown draft templates {unknown}")

    def rules(self) -> list[tuple[str, RuleRef]]:
        """Every rule the file cites, with where it is (for the reference checks)."""
        found: list[tuple[str, RuleRef]] = [("counting", self.counting)]
        for code, event in self.events.items():
            found.append((f"events.{code}.rule", event.rule))
        for code, deadline in self.deadlines.items():
            found.append((f"deadlines.{code}.rule", deadline.rule))
            found += [(f"deadlines.{code}.starts.{i}.rule", s.rule) for i, s in enumerate(deadline.starts) if s.rule]
            found += [
                (f"deadlines.{code}.extensions.{i}.rule", e.rule) for i, e in enumerate(deadline.extensions) if e.rule
            ]
        for code, duty in self.duties.items():
            found.append((f"duties.{code}.rule", duty.rule))
        return found

    def questions(self) -> list[tuple[str, list[str]]]:
        found = [(f"events.{c}.open_questions", e.open_questions) for c, e in self.events.items()]
        for code, deadline in self.deadlines.items():
            found.append((f"deadlines.{code}.open_questions", deadline.open_questions))
            found += [
                (f"deadlines.{code}.starts.{i}.open_questions", s.open_questions) for i, s in enumerate(deadline.starts)
            ]
        found += [(f"duties.{c}.open_questions", d.open_questions) for c, d in self.duties.items()]
        return found
