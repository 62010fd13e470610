"""Deadlines of a case: from its saved assessment (band boundaries while the client is still absent, limitation)
and from its recorded procedural events (the statutory terms of the criminal procedure: courtpath.law.procedure,
web/cases/procedure.py), a verdict date entered with the facts counting as a verdict at the stages after one.

The saved assessment is read back into the answer's declared types (courtpath.law.answer.read_answer). A stored value
that cannot be read or computed with (an assessment saved by an engine whose answer had another shape, a date out of
range saved before the limits existed, a sealed value that does not open) never breaks a page: the case gets an
`unreadable` item that names it (logged as courtpath.web.cases.stored logs), and the other cases' deadlines are shown
as usual.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Protocol

from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from courtpath.law import procedure as law_procedure
from courtpath.law.answer import read_answer
from courtpath.law.loader import default_lawbook
from courtpath.law.vocabulary import KEY_DATES, PROCEDURE_DEADLINES
from courtpath.vault.cipher import TAG_BYTES
from courtpath.web import vocabulary
from courtpath.web.assessments import summary
from courtpath.web.cases import derived, procedure, selectors, stored
from courtpath.web.cases.models import OPEN_STAGES, Assessment, Case, Stage
from courtpath.web.timed_memo import TimedMemo
from courtpath.web.vault import keys

BEFORE_SURRENDER = (Stage.FIRST_CONTACT, Stage.AGREEMENT)
# The deadlines of the case's stage; those of its assessment are the engine's key dates (courtpath.law.vocabulary).
LABELS = {
    "unreadable": _("A stored value of this case cannot be read: open the case and correct its facts"),
}


@dataclass(frozen=True, slots=True)  # thousands are made for a dashboard: no __dict__ each
class Deadline:
    case_code: str
    code: str
    at: dt.datetime  # in UTC: thousands are sorted on each dashboard, and moments in one zone compare fastest

    @property
    def label(self) -> str:
        if self.code in KEY_DATES:
            return str(vocabulary.label(KEY_DATES.name(self.code)))
        if self.code in PROCEDURE_DEADLINES:
            return str(vocabulary.label(PROCEDURE_DEADLINES.name(self.code)))
        return str(LABELS[self.code])

    @property
    def escalations(self) -> tuple[str, ...]:
        """The drafts this deadline allows once it is missed (a procedural term), else ()."""
        return procedure.escalations_of(self.code) if self.code in PROCEDURE_DEADLINES else ()

    @property
    def can_be_missed(self) -> bool:
        """Whether it is someone's duty: the day a verdict enters into force passes, it is never missed."""
        return self.code not in PROCEDURE_DEADLINES or procedure.is_duty(self.code)

    @property
    def overdue(self) -> bool:
        return self.can_be_missed and self.at < timezone.now()


def case_deadlines(case: Case, assessment: Assessment | None) -> list[Deadline]:
    try:
        return sorted(_deadlines(case, assessment), key=lambda d: d.at)
    except stored.READ_ERRORS as error:  # see the module's docstring
        stored.failed(case.code, "deadlines", error)
        return [Deadline(case.code, "unreadable", timezone.now())]


class _KeyDate(Protocol):
    code: str
    at: dt.datetime
    passed: bool


def _deadlines(case: Case, assessment: Assessment | None) -> list[Deadline]:
    ended, key_dates = False, ()
    if assessment is not None:
        kept = summary.of_assessment(assessment)
        if kept is None:  # saved before summaries existed
            answer = read_answer(assessment.result_en)
            ended, key_dates = answer.facts.returned is not None, answer.key_dates
        else:
            ended, key_dates = kept.ended, kept.key_dates
    events = procedure.events_of(case) if case.stage in OPEN_STAGES else []
    return _worked_out(case.code, case.stage, ended, events, key_dates)


def _worked_out(
    code: str, stage: str, ended: bool, events: Sequence[law_procedure.Event], key_dates: Iterable[_KeyDate]
) -> list[Deadline]:
    """The deadlines of a case at `stage` from its latest assessment (whether the absence it assessed had `ended`,
    its key dates) and from its procedural events (those of an open case: procedure.events_of)."""
    found: list[Deadline] = []
    absent = not ended and stage in BEFORE_SURRENDER
    for key_date in key_dates:
        band_boundary = key_date.code.startswith(("band_", "criminal_liability")) and absent and not key_date.passed
        if band_boundary or (key_date.code == "limitation_expires" and stage in OPEN_STAGES):
            found.append(Deadline(code, key_date.code, key_date.at.astimezone(dt.UTC)))
    if stage in OPEN_STAGES:
        for term in procedure.running(events):
            found.append(Deadline(code, term.code, procedure.end_of_day(term.end.day).astimezone(dt.UTC)))
    return found


def upcoming_deadlines(cases: Iterable[Case]) -> list[Deadline]:
    """The deadlines of all these cases, soonest first, each case's from its latest assessment. A case whose
    deadlines this process worked out in the last keys.CACHE_SECONDS, from the same assessment, stage and facts, is
    not opened again.

    Pass a query set (selectors.open_cases): its rows are read as values, not models, the facts and the latest
    assessment's summary opened from their columns (`_from_rows`); only a case whose latest assessment has no summary
    (saved before summaries existed) is loaded as a model, its whole answer opened. At 10,000 cases, building every
    case, its assessment and their data keys as models cost most of a dashboard (bench_staff_pages.py). A list of
    cases must come with their latest assessment (selectors.with_latest_assessment(answers=False)); the answers of
    those not kept are loaded in one query."""
    if isinstance(cases, QuerySet):
        return _from_rows(cases)
    found = derived.by_state(cases, _memo, _worked_out_of_model, whole=True)
    return sorted((deadline for deadlines in found.values() for deadline in deadlines), key=lambda d: d.at)


def _worked_out_of_model(case: Case, assessment: Assessment | None) -> tuple[list[Deadline], bool]:
    """The deadlines of a case read as a model, and whether they could all be read (derived.by_state)."""
    deadlines = case_deadlines(case, assessment)
    return deadlines, all(d.code != "unreadable" for d in deadlines)


def _from_rows(cases: QuerySet[Case]) -> list[Deadline]:
    """upcoming_deadlines of a query set: see the module courtpath.web.cases.derived. The states of the cases are
    read in one query; a case's deadlines come from this process's memo, else from the sealed index, else they are
    worked out from its row: the cases left are read in chunks with their data keys, and only the summary of the
    latest assessment is opened (and the facts record of an open case, for its procedural events). The index
    is written back when a case's deadlines were not in it."""
    index = derived.read(derived.DEADLINES)  # before the states: see derived
    found: list[Deadline] = []
    seen: dict[int, tuple[derived.State, list[Deadline]]] = {}
    unkept: dict[int, derived.State] = {}
    for state in derived.states(cases):
        kept = _memo.get(state)
        if kept is None and (value := index.value(state)) is not None:
            kept = _decoded(value)  # None: worked out under other law data (an upgrade): worked out again
            if kept is not None:
                _memo.put(state, kept)
        if kept is None:
            unkept[state[0]] = state
        else:
            seen[state[0]] = (state, kept)
            found.extend(kept)
    pks = list(unkept)
    as_models: list[int] = []  # no summary, or changed since the states were read: read as models
    for row in summary.case_rows(pks, {pk: state[3] for pk, state in unkept.items()}):
        state = unkept[row.pk]
        _pk, stage, facts_tag, latest_pk = state
        try:
            if row.facts_sealed[-TAG_BYTES:].hex() != facts_tag:  # changed since: read it afresh
                raise _ReadAsModel
            ended, key_dates = False, []
            if latest_pk is not None:
                kept_summary = summary.of_row(row.latest, row.data_key)
                if kept_summary is None:
                    raise _ReadAsModel
                ended, key_dates = kept_summary.ended, kept_summary.key_dates
            events: list[law_procedure.Event] = []
            if stage in OPEN_STAGES:
                record = Case.facts.open_column(row.facts_sealed, row.data_key)
                events = procedure.events_from(Case.procedure.read(record), Case.verdict_date.read(record), stage)
        except _ReadAsModel:
            as_models.append(row.pk)
            continue
        except stored.READ_ERRORS as error:  # see the module's docstring
            stored.failed(row.code, "deadlines", error)
            found.append(Deadline(row.code, "unreadable", timezone.now()))
            continue
        deadlines = sorted(_worked_out(row.code, stage, ended, events, key_dates), key=lambda d: d.at)
        _memo.put(state, deadlines)
        seen[row.pk] = (state, deadlines)
        found.extend(deadlines)
    for start in range(0, len(as_models), summary.CHUNK):
        chunk = cases.filter(pk__in=as_models[start : start + summary.CHUNK])
        found.extend(upcoming_deadlines(list(selectors.with_latest_assessment(chunk, answers=False))))
    if any(pk in unkept for pk in seen):  # worked out here: kept for the next view
        fresh = [(state, _encoded(deadlines)) for state, deadlines in seen.values()]
        derived.write(index, fresh, Case.objects.filter(stage__in=OPEN_STAGES).values_list("pk", flat=True))
    return sorted(found, key=lambda d: d.at)


def _encoded(deadlines: list[Deadline]) -> list[str]:
    """A case's deadlines as the index keeps them, flat (fewer objects to decode): the version of the law data they
    were worked out under (the procedure's terms and the calendar are law data), the case's code, then each one's
    kind and moment."""
    flat = [default_lawbook().version]
    if deadlines:
        flat.append(deadlines[0].case_code)
    for deadline in deadlines:
        flat += [deadline.code, deadline.at.isoformat()]
    return flat


def _decoded(value: list[str]) -> list[Deadline] | None:
    """The deadlines _encoded kept; None when they were worked out under other law data."""
    if not value or value[0] != default_lawbook().version:
        return None
    fromisoformat = dt.datetime.fromisoformat
    return [Deadline(value[1], value[i], fromisoformat(value[i + 1])) for i in range(2, len(value), 2)]


class _ReadAsModel(Exception):
    """A case _from_rows leaves to the model path."""


# Deadlines worked out in this process (only the dashboards use them).
_memo: TimedMemo[list[Deadline]] = TimedMemo(keys.CACHE_SECONDS)


def forget() -> None:
    """Drop every kept deadline (tests)."""
    _memo.forget()
