"""What an assessment returns: the decision for the decisive facts, and what follows from the exact dates.

A plain immutable value (a named tuple: made once per assessment, and a tuple is made in C). courtpath.law.answer
writes it in a language (the answer the API, the command line and the case pages show); nothing here renders or
caches.
"""

from __future__ import annotations

from typing import NamedTuple

from courtpath.law.decision import Decision, DecisionKey
from courtpath.law.facts import Facts
from courtpath.law.items import Flag, KeyDate, Qualification, TraceStep


class Assessment(NamedTuple):
    facts: Facts
    key: DecisionKey  # the decisive facts
    decision: Decision  # what the law makes of them: qualifications, most flags, most of the trace
    duration_hours: float
    band: str
    in_special_context: bool
    context_basis: str
    context_step: str  # which context rule applied: a context code, "period:<index>" or "no-period"
    lead: tuple[TraceStep, ...]  # the trace before the decision's own: duration, kind of absence, context
    key_dates: tuple[KeyDate, ...]
    date_flags: tuple[Flag, ...]  # flags that follow from the exact dates, after the decision's flags
    engine_version: str
    law_version: str

    @property
    def qualifications(self) -> tuple[Qualification, ...]:
        return self.decision.qualifications

    @property
    def flags(self) -> tuple[Flag, ...]:
        return (*self.decision.flags, *self.date_flags)

    @property
    def trace(self) -> tuple[TraceStep, ...]:
        return (*self.lead, *self.decision.trace)

    @property
    def primary(self) -> Qualification | None:
        return self.decision.primary

    def flag_codes(self) -> list[str]:
        return [f.code for f in self.flags]
